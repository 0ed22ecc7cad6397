//! Trips: the table declared for the owned-rows kit ([`crate::owned`]), which lists, reads
//! and moves them along their lifecycle; this file writes a trip's own columns. A trip is
//! read with its expenses' total (table `expense_trips`) and its destination's per diem
//! (table `per_diems`, [`crate::allowances`]), migration 0019.

use crate::owned::{self, Owned, OwnerSeen, Set};
use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::trip::{TripInput, TripStatus, TripStep};
use outlay_core::{Action, MemberId, OrgId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct TripRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub who: OwnerSeen,
    pub destination: String,
    pub country: Option<String>,
    pub purpose: String,
    pub starts_on: String,
    pub ends_on: String,
    pub estimated_cost_minor: i64,
    #[sqlx(rename = "status")]
    known_status: crate::stored::Known<TripStatus>,
    pub created_at: i64,
    pub updated_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    /// How many expenses link to it.
    pub expense_count: i64,
    /// Their total in the company currency: `None` when one of them has no amount in it.
    pub total_minor: Option<i64>,
    /// The daily allowance of its destination (else of its country), if finance set one.
    pub per_diem_daily_minor: Option<i64>,
}

impl TripRow {
    pub fn status(&self) -> TripStatus {
        self.known_status.0
    }

    pub fn facts<'a>(
        &'a self,
        owner: &'a crate::scope::TargetFacts,
    ) -> outlay_core::trip::TripFacts<'a> {
        outlay_core::trip::TripFacts {
            id: self.id,
            owner: owner.target(),
            status: self.status(),
            amount_minor: self.estimated_cost_minor,
        }
    }
}

impl Owned for TripRow {
    type Status = TripStatus;
    const TABLE: &'static str = "trips";
    const COLUMNS: &'static str =
        "e.id, e.destination, e.country, e.purpose, e.starts_on, e.ends_on, \
        e.estimated_cost_minor, e.status, e.created_at, e.updated_at, e.decided_by, \
        e.decided_at, e.decision_note";
    /// Its expenses' count and total in the company currency (only when each is in it or
    /// was converted, as a report's), and its per diem: the destination's, else the country's.
    fn more_columns(_: crate::Backend) -> String {
        let base = "CASE WHEN x.currency = o.base_currency THEN x.amount_minor ELSE x.base_amount_minor END";
        format!(
            ", (SELECT COUNT(*) FROM expense_trips t WHERE t.org_id = e.org_id AND t.trip_id = e.id) AS expense_count, \
             (SELECT CASE WHEN COUNT(*) = COUNT({base}) THEN CAST(COALESCE(SUM({base}), 0) AS BIGINT) END \
             FROM expense_trips t JOIN expenses x ON x.org_id = t.org_id AND x.id = t.expense_id \
             JOIN orgs o ON o.id = t.org_id WHERE t.org_id = e.org_id AND t.trip_id = e.id) AS total_minor, \
             COALESCE((SELECT p.daily_minor FROM per_diems p WHERE p.org_id = e.org_id AND p.destination = e.destination_key), \
             (SELECT p.daily_minor FROM per_diems p WHERE p.org_id = e.org_id AND p.destination = e.country)) \
             AS per_diem_daily_minor"
        )
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn seen(&self) -> &OwnerSeen {
        &self.who
    }
    fn seen_mut(&mut self) -> &mut OwnerSeen {
        &mut self.who
    }
}

/// Trip `id` with its owner as `viewer` sees them.
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<TripRow>> {
    owned::get(conn, org, viewer, &[], id).await
}

/// The owner of trip `id` of the company, if it exists.
pub async fn owner_of(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<MemberId>> {
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT owner_id FROM trips WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(owner.map(MemberId))
}

/// Requests a trip for the permitted actor (`trip.create`).
pub async fn request(w: &mut Write, org: OrgId, t: &TripInput, permit: Permit) -> Result<i64> {
    let owner = permit.actor();
    w.consume(permit, org, &[Action::TripCreate], Subject::Member(owner))?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO trips (org_id, owner_id, destination, destination_key, country, purpose, starts_on, \
         ends_on, estimated_cost_minor, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(owner.0)
    .bind(&t.destination)
    .bind(t.destination_key())
    .bind(&t.country)
    .bind(&t.purpose)
    .bind(&t.starts_on)
    .bind(&t.ends_on)
    .bind(t.estimated_cost_minor)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

/// Takes one step of trip `id` (cancel, approve, reject), with the note a decision records.
/// Cancelling deletes it and, by the link's cascade, unlinks its expenses.
pub async fn step(
    w: &mut Write,
    org: OrgId,
    id: i64,
    note: Option<&str>,
    permit: Permit<Transition<TripStatus>>,
) -> Result<()> {
    let step = permit.payload().step();
    let sets: Vec<(&str, Set)> = match step {
        TripStep::Approve | TripStep::Reject => vec![
            ("decided_by", Set::Actor),
            ("decided_at", Set::Now),
            ("decision_note", Set::Text(note)),
            ("updated_at", Set::Now),
        ],
        _ => vec![],
    };
    owned::step::<TripRow>(w, org, id, permit, (step, None), &sets).await?;
    Ok(())
}
