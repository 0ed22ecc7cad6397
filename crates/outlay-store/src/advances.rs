//! Cash advances: the table declared for the owned-rows kit ([`crate::owned`]), which lists,
//! reads and moves them along their lifecycle; this file writes an advance's own columns and
//! its settlements against reports (table `advance_settlements`, migration 0017).

use crate::owned::{self, Owned, OwnerSeen, Set};
use crate::{Conn, Result, Write};
use outlay_core::advance::{AdvanceStatus, AdvanceStep};
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::{Action, MemberId, OrgId};
use sqlx::FromRow;

/// What an advance list asks for besides the reach.
pub type ListFilter = owned::Filter<AdvanceStatus>;

#[derive(Clone, Debug, FromRow)]
pub struct AdvanceRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub who: OwnerSeen,
    pub amount_minor: i64,
    pub currency: String,
    pub purpose: String,
    pub needed_by: Option<String>,
    #[sqlx(rename = "status")]
    known_status: crate::stored::Known<AdvanceStatus>,
    pub created_at: i64,
    pub updated_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    pub paid_by: Option<i64>,
    pub paid_at: Option<i64>,
    pub paid_reference: Option<String>,
    pub returned_minor: Option<i64>,
    pub returned_at: Option<i64>,
    pub returned_reference: Option<String>,
    /// What reports settled against it cover.
    pub claimed_minor: i64,
}

impl AdvanceRow {
    pub fn status(&self) -> AdvanceStatus {
        self.known_status.0
    }

    pub fn facts<'a>(
        &'a self,
        owner: &'a crate::scope::TargetFacts,
    ) -> outlay_core::advance::AdvanceFacts<'a> {
        outlay_core::advance::AdvanceFacts {
            id: self.id,
            owner: owner.target(),
            status: self.status(),
            amount_minor: self.amount_minor,
            hands: &[],
        }
    }
}

impl Owned for AdvanceRow {
    type Status = AdvanceStatus;
    const TABLE: &'static str = "advances";
    const COLUMNS: &'static str =
        "e.id, e.amount_minor, e.currency, e.purpose, e.needed_by, e.status, e.created_at, \
        e.updated_at, e.decided_by, e.decided_at, e.decision_note, e.paid_by, e.paid_at, \
        e.paid_reference, e.returned_minor, e.returned_at, e.returned_reference";
    fn more_columns(_: crate::Backend) -> String {
        ", (SELECT CAST(COALESCE(SUM(s.amount_minor), 0) AS BIGINT) FROM advance_settlements s \
         WHERE s.org_id = e.org_id AND s.advance_id = e.id) AS claimed_minor"
            .into()
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

/// Advance `id` with its owner as `viewer` sees them.
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<AdvanceRow>> {
    owned::get(conn, org, viewer, &[], id).await
}

/// A request as checked: amount in the company currency, what for, by when.
pub struct Request<'a> {
    pub amount_minor: i64,
    pub currency: &'a str,
    pub purpose: &'a str,
    pub needed_by: Option<&'a str>,
}

/// Requests an advance for the permitted actor (`advance.request`).
pub async fn request(w: &mut Write, org: OrgId, r: &Request<'_>, permit: Permit) -> Result<i64> {
    let owner = permit.actor();
    w.consume(
        permit,
        org,
        &[Action::AdvanceRequest],
        Subject::Member(owner),
    )?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO advances (org_id, owner_id, amount_minor, currency, purpose, needed_by, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(owner.0)
    .bind(r.amount_minor)
    .bind(r.currency)
    .bind(r.purpose)
    .bind(r.needed_by)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

/// Takes one step of advance `id` that writes only its own columns (cancel, approve, reject,
/// disburse, return), with the note or reference the step records.
pub async fn step(
    w: &mut Write,
    org: OrgId,
    id: i64,
    text: Option<&str>,
    returned_minor: Option<i64>,
    permit: Permit<Transition<AdvanceStatus>>,
) -> Result<()> {
    let step = permit.payload().step();
    let sets: Vec<(&str, Set)> = match step {
        AdvanceStep::Approve | AdvanceStep::Reject => vec![
            ("decided_by", Set::Actor),
            ("decided_at", Set::Now),
            ("decision_note", Set::Text(text)),
        ],
        AdvanceStep::Disburse => vec![
            ("paid_by", Set::Actor),
            ("paid_at", Set::Now),
            ("paid_reference", Set::Text(text)),
        ],
        AdvanceStep::Return => vec![
            ("returned_minor", Set::Int(returned_minor)),
            ("returned_at", Set::Now),
            ("returned_reference", Set::Text(text)),
        ],
        _ => vec![],
    };
    let mut sets = sets;
    if step != AdvanceStep::Cancel {
        sets.push(("updated_at", Set::Now));
    }
    owned::step::<AdvanceRow>(w, org, id, permit, (step, None), &sets).await?;
    Ok(())
}

/// What of report `report` advances do not cover yet, if it is an approved (not yet paid)
/// report of `owner` with a known total.
pub async fn report_open(
    conn: &mut Conn,
    org: OrgId,
    owner: MemberId,
    report: i64,
) -> Result<Option<i64>> {
    let Some(row) = crate::reports::get(conn, org, owner, report).await? else {
        return Ok(None);
    };
    // Approved and not yet paid: a paid report's money went out already, and settling an
    // advance against it would cover the same spending twice.
    let settled = row.status() == outlay_core::report::ReportStatus::Approved;
    let (Some(total), true, true) = (row.total_minor, settled, row.who.owner_id == owner.0) else {
        return Ok(None);
    };
    let covered: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM advance_settlements \
         WHERE org_id = $1 AND report_id = $2",
    )
    .bind(org.0)
    .bind(report)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(total - covered))
}

/// Settles `amount_minor` of paid advance `id` against report `report` (checked by the
/// caller in this transaction), under a settle permit for it.
pub async fn settle(
    w: &mut Write,
    org: OrgId,
    id: i64,
    report: i64,
    amount_minor: i64,
    permit: Permit<Transition<AdvanceStatus>>,
) -> Result<()> {
    let step = (AdvanceStep::Settle, Some(AdvanceStatus::Paid));
    let by = owned::step::<AdvanceRow>(w, org, id, permit, step, &[("updated_at", Set::Now)]);
    let by = by.await?;
    let now = w.now();
    sqlx::query(
        "INSERT INTO advance_settlements (org_id, advance_id, report_id, amount_minor, settled_by, settled_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, advance_id, report_id) \
         DO UPDATE SET amount_minor = advance_settlements.amount_minor + excluded.amount_minor, \
         settled_by = excluded.settled_by, settled_at = excluded.settled_at",
    )
    .bind(org.0)
    .bind(id)
    .bind(report)
    .bind(amount_minor)
    .bind(by.actor.0)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(())
}

/// One settlement of an advance.
#[derive(Clone, Debug, FromRow)]
pub struct SettlementRow {
    pub report_id: i64,
    pub amount_minor: i64,
    pub settled_by: i64,
    pub settled_at: i64,
}

/// The settlements of advance `id`, oldest first.
pub async fn settlements(conn: &mut Conn, org: OrgId, id: i64) -> Result<Vec<SettlementRow>> {
    Ok(sqlx::query_as(
        "SELECT report_id, amount_minor, settled_by, settled_at FROM advance_settlements \
         WHERE org_id = $1 AND advance_id = $2 ORDER BY settled_at, report_id",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}
