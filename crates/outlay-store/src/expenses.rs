//! Expenses: the table declared for the owned-rows kit ([`crate::owned`]), which lists,
//! reads and moves them along their lifecycle; this file writes an expense's own columns.
//! Every row carries its hands (table `expense_hands`, migration 0010): the members besides
//! the owner who created, edited or submitted it, whom four-eyes binds as it binds the owner.

use crate::owned::{self, Hands, Owned, OwnerSeen, Set};
use crate::{scope, Conn, Result, Write};
use outlay_core::authorize::ExpenseAction;
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::fx::Converted;
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::{Action, MemberId, OrgId, Timestamp};
use sqlx::FromRow;

pub use crate::owned::{SeenAs, Shape, SEEN_AS_PER_STATEMENT};
/// What an expense list asks for besides the reach.
pub type ListFilter = owned::Filter<ExpenseStatus>;

#[derive(Clone, Debug, FromRow)]
pub struct ExpenseRow {
    pub id: i64,
    pub org_id: i64,
    /// The owner as the reader sees them.
    #[sqlx(flatten)]
    pub who: OwnerSeen,
    pub amount_minor: i64,
    pub currency: String,
    pub merchant: String,
    pub spent_on: String,
    pub category: String,
    pub note: Option<String>,
    pub status: String,
    /// `status` as the code knows it: a row with any other value is not read (`CorruptRow`).
    #[sqlx(rename = "status")]
    known_status: crate::stored::Known<ExpenseStatus>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub decided_on_behalf_of: Option<i64>,
    pub override_reason: Option<String>,
    /// Who besides the owner created, edited or submitted it.
    #[sqlx(try_from = "Option<String>")]
    pub hands: Hands,
    /// In another currency: its amount in the company currency as converted when saved, and
    /// the rate and rate date used (`None` when no rate was known then).
    pub base_amount_minor: Option<i64>,
    pub fx_rate: Option<String>,
    pub fx_rate_on: Option<String>,
    /// The report it is in, if any, and that report's status.
    pub report_id: Option<i64>,
    report_status: Option<crate::stored::Known<outlay_core::report::ReportStatus>>,
    /// The trip of its owner it belongs to, if any.
    pub trip_id: Option<i64>,
    /// Its receipt's reference (nothing writes one yet), and the VAT its amount includes.
    pub receipt: Option<String>,
    pub vat_minor: Option<i64>,
    /// What the checks found at its last submit in a report.
    #[sqlx(try_from = "Option<String>")]
    pub flags: crate::checks::Flags,
}

impl ExpenseRow {
    pub fn status(&self) -> ExpenseStatus {
        self.known_status.0
    }

    /// The owner as the viewer sees them.
    pub fn owner(&self) -> scope::TargetFacts {
        self.who.owner()
    }

    /// Its amount in the company currency: as entered, or as converted when saved.
    pub fn base_amount(&self, base_currency: &str) -> Option<i64> {
        if self.currency == base_currency {
            Some(self.amount_minor)
        } else {
            self.base_amount_minor
        }
    }

    /// What the rules need; the amount counts against caps in the company currency (an
    /// expense in another currency with no rate known when saved is not comparable).
    pub fn facts<'a>(
        &'a self,
        owner: &'a scope::TargetFacts,
        base_currency: &str,
    ) -> outlay_core::authorize::ExpenseFacts<'a> {
        outlay_core::authorize::ExpenseFacts {
            id: self.id,
            owner: owner.target(),
            status: self.status(),
            amount_minor: self.base_amount(base_currency),
            category: Some(&self.category),
            hands: &self.hands.0,
            report: self.report_id.zip(self.report_status.map(|s| s.0)),
        }
    }

    pub fn input(&self) -> ExpenseInput {
        ExpenseInput {
            money: outlay_core::money::Money {
                amount_minor: self.amount_minor,
                currency: self.currency.clone(),
            },
            merchant: self.merchant.clone(),
            spent_on: self.spent_on.clone(),
            category: self.category.clone(),
            note: self.note.clone(),
            trip_id: self.trip_id,
        }
    }
}

const COLUMNS: &str = "e.id, e.org_id, e.amount_minor, e.currency, e.merchant, e.spent_on, e.category, e.note, \
     e.status, e.created_at, e.updated_at, e.submitted_at, e.decided_by, e.decided_at, e.reject_reason, \
     e.decided_on_behalf_of, e.override_reason, e.base_amount_minor, e.fx_rate, e.fx_rate_on, \
     re.report_id, r.status AS report_status, xt.trip_id, e.receipt, e.vat_minor, e.flags";

impl Owned for ExpenseRow {
    type Status = ExpenseStatus;
    const TABLE: &'static str = "expenses";
    const COLUMNS: &'static str = COLUMNS;
    const HANDS: Option<(&'static str, &'static str)> = Some(("expense_hands", "expense_id"));
    /// The report it is in, with that report's status, and its trip.
    const JOINS: &'static str =
        "LEFT JOIN report_expenses re ON re.org_id = e.org_id AND re.expense_id = e.id \
        LEFT JOIN reports r ON r.org_id = re.org_id AND r.id = re.report_id \
        LEFT JOIN expense_trips xt ON xt.org_id = e.org_id AND xt.expense_id = e.id";
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

/// One expense of the company with its owner as `viewer` sees them ([`owned::get`]).
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<ExpenseRow>> {
    owned::get(conn, org, viewer, &[], id).await
}

/// Creates a draft owned by the permitted actor (under a submit delegation, by the
/// delegator): the permit is for creating an expense of that member.
pub async fn create(
    w: &mut Write,
    org: OrgId,
    input: &ExpenseInput,
    base: Option<&Converted>,
    permit: Permit,
) -> Result<i64> {
    let owner = permit.on_behalf_of().unwrap_or(permit.actor());
    let by = w.consume(
        permit,
        org,
        &[Action::ExpenseCreate],
        Subject::Member(owner),
    )?;
    let now = w.now();
    let id = insert(w.conn(), org, owner, input, ExpenseStatus::Draft, now).await?;
    if input.trip_id.is_some() {
        link_trip(w.conn(), org, id, input.trip_id).await?;
    }
    if let Some(c) = base {
        sqlx::query(
            "UPDATE expenses SET base_amount_minor = $3, fx_rate = $4, fx_rate_on = $5 WHERE org_id = $1 AND id = $2",
        )
        .bind(org.0)
        .bind(id)
        .bind(c.amount_minor)
        .bind(&c.rate)
        .bind(&c.rate_on)
        .execute(w.conn())
        .await?;
    }
    owned::hand::<ExpenseRow>(w, org, id, by.actor, "create").await?;
    Ok(id)
}

/// Inserts an expense in a status (creating a draft, or seeding).
pub(crate) async fn insert(
    conn: &mut Conn,
    org: OrgId,
    owner: MemberId,
    input: &ExpenseInput,
    status: ExpenseStatus,
    now: Timestamp,
) -> Result<i64> {
    let submitted_at = (status != ExpenseStatus::Draft).then_some(now.0);
    let id = sqlx::query_scalar(
        "INSERT INTO expenses (org_id, owner_id, amount_minor, currency, merchant, spent_on, category, note, status, \
         created_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(org.0)
    .bind(owner.0)
    .bind(input.money.amount_minor)
    .bind(&input.money.currency)
    .bind(&input.merchant)
    .bind(&input.spent_on)
    .bind(&input.category)
    .bind(&input.note)
    .bind(status.as_str())
    .bind(now.0)
    .bind(submitted_at)
    .fetch_one(&mut *conn)
    .await?;
    crate::categories::link(conn, org, id, &input.category).await?;
    Ok(id)
}

/// Edits a draft or rejected expense; the editor's hand is recorded.
pub async fn update(
    w: &mut Write,
    org: OrgId,
    id: i64,
    input: &ExpenseInput,
    base: Option<&Converted>,
    permit: Permit<Transition>,
) -> Result<()> {
    let m = &input.money;
    let sets = [
        ("base_amount_minor", Set::Int(base.map(|c| c.amount_minor))),
        ("fx_rate", Set::Text(base.map(|c| c.rate.as_str()))),
        ("fx_rate_on", Set::Text(base.map(|c| c.rate_on.as_str()))),
        ("amount_minor", Set::Int(Some(m.amount_minor))),
        ("currency", Set::Text(Some(&m.currency))),
        ("merchant", Set::Text(Some(&input.merchant))),
        ("spent_on", Set::Text(Some(&input.spent_on))),
        ("category", Set::Text(Some(&input.category))),
        ("note", Set::Text(input.note.as_deref())),
        ("updated_at", Set::Now),
    ];
    let by = owned::step::<ExpenseRow>(w, org, id, permit, (ExpenseAction::Edit, None), &sets);
    let by = by.await?;
    link_trip(w.conn(), org, id, input.trip_id).await?;
    crate::categories::link(w.conn(), org, id, &input.category).await?;
    owned::hand::<ExpenseRow>(w, org, id, by.actor, "edit").await
}

/// Links expense `id` to `trip` (checked by the caller as a trip of its owner), or to none:
/// only after a permitted write of that expense in the same transaction.
async fn link_trip(conn: &mut Conn, org: OrgId, id: i64, trip: Option<i64>) -> Result<()> {
    sqlx::query("DELETE FROM expense_trips WHERE org_id = $1 AND expense_id = $2")
        .bind(org.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(trip) = trip {
        sqlx::query("INSERT INTO expense_trips (org_id, expense_id, trip_id) VALUES ($1, $2, $3)")
            .bind(org.0)
            .bind(id)
            .bind(trip)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn delete(w: &mut Write, org: OrgId, id: i64, permit: Permit<Transition>) -> Result<()> {
    let step = (ExpenseAction::Delete, None);
    owned::step::<ExpenseRow>(w, org, id, permit, step, &[]).await?;
    Ok(())
}

/// Submits it, clearing an earlier decision; the submitter's hand is recorded.
pub async fn submit(w: &mut Write, org: OrgId, id: i64, permit: Permit<Transition>) -> Result<()> {
    let step = (ExpenseAction::Submit, Some(ExpenseStatus::Submitted));
    let (now, null) = (Set::Now, Set::Int(None));
    let sets = [
        ("submitted_at", now),
        ("updated_at", now),
        ("decided_by", null),
        ("decided_at", null),
        ("reject_reason", Set::Text(None)),
    ];
    let by = owned::step::<ExpenseRow>(w, org, id, permit, step, &sets).await?;
    owned::hand::<ExpenseRow>(w, org, id, by.actor, "submit").await
}

/// Records an approval (no reason) or a rejection (with its reason) by the permitted actor:
/// an approve permit approves, a reject permit rejects, each that one expense.
pub async fn decide(
    w: &mut Write,
    org: OrgId,
    id: i64,
    reject_reason: Option<&str>,
    permit: Permit<Transition>,
) -> Result<()> {
    let step = match reject_reason {
        Some(_) => (ExpenseAction::Reject, Some(ExpenseStatus::Rejected)),
        None => (ExpenseAction::Approve, Some(ExpenseStatus::Approved)),
    };
    let sets = decision(reject_reason, Set::OnBehalfOf, Set::Text(None));
    owned::step::<ExpenseRow>(w, org, id, permit, step, &sets).await?;
    Ok(())
}

/// What a decision writes beside the status.
fn decision<'a>(
    reject: Option<&'a str>,
    behalf: Set<'a>,
    over: Set<'a>,
) -> [(&'a str, Set<'a>); 6] {
    [
        ("decided_by", Set::Actor),
        ("decided_at", Set::Now),
        ("updated_at", Set::Now),
        ("reject_reason", Set::Text(reject)),
        ("decided_on_behalf_of", behalf),
        ("override_reason", over),
    ]
}

/// Records an override of an earlier decision: approve a rejected expense, or reject an
/// approved one, with the reason.
pub async fn override_decision(
    w: &mut Write,
    org: OrgId,
    id: i64,
    approve: bool,
    reason: &str,
    permit: Permit<Transition>,
) -> Result<()> {
    let (to, reject) = match approve {
        true => (ExpenseStatus::Approved, None),
        false => (ExpenseStatus::Rejected, Some(reason)),
    };
    let step = (ExpenseAction::Override, Some(to));
    let sets = decision(reject, Set::Int(None), Set::Text(Some(reason)));
    owned::step::<ExpenseRow>(w, org, id, permit, step, &sets).await?;
    Ok(())
}

/// Names who decided an expense, outside a request (seeding).
pub(crate) async fn set_decision(
    conn: &mut Conn,
    org: OrgId,
    id: i64,
    by: MemberId,
    reject_reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE expenses SET decided_by = $3, decided_at = $4, reject_reason = $5 WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .bind(by.0)
        .bind(now.0)
        .bind(reject_reason)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
