//! Expenses. Lists push the caller's reach into SQL and carry each row's owner as the caller
//! sees them (line and teams), so the core can say which actions each row allows without
//! another query.
//!
//! Every row also carries its hands: the members besides the owner who created, edited or
//! submitted it (table `expense_hands`, migration 0010), which four-eyes binds as it binds
//! the owner. A set of hands rather than `created_by`/`submitted_by` columns: an expense is
//! edited and resubmitted by several people over its life (a delegate drafts it, the owner
//! resubmits it after a rejection), and each of them stays bound; the owner's own hand is
//! implied and never stored, so an expense its owner handles alone costs no row.
//!
//! Listing and reading rows, and taking a transition permit, are the owned-rows kit's
//! ([`crate::owned`]): this file declares the table and writes its own columns.

use crate::owned::{self, changed, take, Owned, OwnerSeen};
use crate::{scope, Backend, Conn, Result, Write};
use outlay_core::authorize::ExpenseAction;
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::{Action, ListScope, MemberId, OrgId, Timestamp};
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
}

/// The members besides the owner who had a hand in an expense, read from a comma-separated
/// column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hands(pub Vec<MemberId>);

impl From<Option<String>> for Hands {
    fn from(s: Option<String>) -> Hands {
        let mut hands: Vec<MemberId> = s
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|m| m.trim().parse().ok())
            .map(MemberId)
            .collect();
        hands.sort_unstable();
        hands.dedup();
        Hands(hands)
    }
}

impl ExpenseRow {
    pub fn status(&self) -> ExpenseStatus {
        self.known_status.0
    }

    /// The owner as the viewer sees them.
    pub fn owner(&self) -> scope::TargetFacts {
        self.who.owner()
    }

    /// What the rules need; the amount counts against caps only in the company currency.
    pub fn facts<'a>(
        &'a self,
        owner: &'a scope::TargetFacts,
        base_currency: &str,
    ) -> outlay_core::authorize::ExpenseFacts<'a> {
        outlay_core::authorize::ExpenseFacts {
            id: self.id,
            owner: owner.target(),
            status: self.status(),
            amount_minor: (self.currency == base_currency).then_some(self.amount_minor),
            category: Some(&self.category),
            hands: &self.hands.0,
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
        }
    }
}

const COLUMNS: &str = "e.id, e.org_id, e.amount_minor, e.currency, e.merchant, e.spent_on, e.category, e.note, \
     e.status, e.created_at, e.updated_at, e.submitted_at, e.decided_by, e.decided_at, e.reject_reason, \
     e.decided_on_behalf_of, e.override_reason";

impl Owned for ExpenseRow {
    type Status = ExpenseStatus;
    const TABLE: &'static str = "expenses";
    const COLUMNS: &'static str = COLUMNS;
    /// Its hands, comma-separated.
    fn more_columns(backend: Backend) -> String {
        let list = match backend {
            Backend::Sqlite => "group_concat(h.member_id)",
            Backend::Postgres => "string_agg(h.member_id::text, ',')",
        };
        format!(", (SELECT {list} FROM expense_hands h WHERE h.org_id = e.org_id AND h.expense_id = e.id) AS hands")
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

/// The shape of the page `viewer` asks for ([`owned::shape`]).
pub async fn shape(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &ListFilter,
) -> Result<Shape> {
    owned::shape(conn, org, viewer, visible, filter).await
}

/// The expenses `viewer` may see, newest first, in a given shape ([`owned::list`]).
pub async fn list_as(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &ListFilter,
    shape: Shape,
) -> Result<Vec<ExpenseRow>> {
    owned::list(conn, org, viewer, &[], visible, filter, shape).await
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
    hand(w, org, id, by.actor, "create").await?;
    Ok(id)
}

/// Records that `member` had a `kind` of hand (`create`, `edit`, `submit`) in expense `id`,
/// unless they own it: the owner's hand is implied.
async fn hand(w: &mut Write, org: OrgId, id: i64, member: MemberId, kind: &str) -> Result<()> {
    let now = w.now();
    sqlx::query(
        "INSERT INTO expense_hands (org_id, expense_id, member_id, hand, first_at) \
         SELECT $1, $2, $3, $4, $5 FROM expenses WHERE org_id = $1 AND id = $2 AND owner_id <> $3 \
         ON CONFLICT DO NOTHING",
    )
    .bind(org.0)
    .bind(id)
    .bind(member.0)
    .bind(kind)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(())
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
    Ok(sqlx::query_scalar(
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
    .await?)
}

pub async fn update(
    w: &mut Write,
    org: OrgId,
    id: i64,
    input: &ExpenseInput,
    permit: Permit<Transition>,
) -> Result<()> {
    let (by, t) = take(w, permit, org, id, ExpenseAction::Edit, None)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE expenses SET amount_minor = $3, currency = $4, merchant = $5, spent_on = $6, category = $7, note = $8, \
         updated_at = $9 WHERE org_id = $1 AND id = $2 AND status = $10",
    )
    .bind(org.0)
    .bind(id)
    .bind(input.money.amount_minor)
    .bind(&input.money.currency)
    .bind(&input.merchant)
    .bind(&input.spent_on)
    .bind(&input.category)
    .bind(&input.note)
    .bind(now.0)
    .bind(t.from().as_str())
    .execute(w.conn())
    .await?;
    changed(done.rows_affected())?;
    hand(w, org, id, by.actor, "edit").await
}

pub async fn delete(w: &mut Write, org: OrgId, id: i64, permit: Permit<Transition>) -> Result<()> {
    let (_, t) = take(w, permit, org, id, ExpenseAction::Delete, None)?;
    let done = sqlx::query("DELETE FROM expenses WHERE org_id = $1 AND id = $2 AND status = $3")
        .bind(org.0)
        .bind(id)
        .bind(t.from().as_str())
        .execute(w.conn())
        .await?;
    changed(done.rows_affected())
}

pub async fn submit(w: &mut Write, org: OrgId, id: i64, permit: Permit<Transition>) -> Result<()> {
    let submitted = Some(ExpenseStatus::Submitted);
    let (by, t) = take(w, permit, org, id, ExpenseAction::Submit, submitted)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE expenses SET status = 'submitted', submitted_at = $3, updated_at = $3, decided_by = NULL, \
         decided_at = NULL, reject_reason = NULL WHERE org_id = $1 AND id = $2 AND status = $4",
    )
    .bind(org.0)
    .bind(id)
    .bind(now.0)
    .bind(t.from().as_str())
    .execute(w.conn())
    .await?;
    changed(done.rows_affected())?;
    hand(w, org, id, by.actor, "submit").await
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
    let (step, status) = match reject_reason {
        Some(_) => (ExpenseAction::Reject, ExpenseStatus::Rejected),
        None => (ExpenseAction::Approve, ExpenseStatus::Approved),
    };
    let (by, t) = take(w, permit, org, id, step, Some(status))?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE expenses SET status = $3, decided_by = $4, decided_at = $5, reject_reason = $6, updated_at = $5, \
         decided_on_behalf_of = $7, override_reason = NULL WHERE org_id = $1 AND id = $2 AND status = $8",
    )
    .bind(org.0)
    .bind(id)
    .bind(status.as_str())
    .bind(by.actor.0)
    .bind(now.0)
    .bind(reject_reason)
    .bind(by.on_behalf_of.map(|m| m.0))
    .bind(t.from().as_str())
    .execute(w.conn())
    .await?;
    changed(done.rows_affected())
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
    let (status, reject_reason) = if approve {
        (ExpenseStatus::Approved, None)
    } else {
        (ExpenseStatus::Rejected, Some(reason))
    };
    let (by, t) = take(w, permit, org, id, ExpenseAction::Override, Some(status))?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE expenses SET status = $3, decided_by = $4, decided_at = $5, reject_reason = $6, updated_at = $5, \
         decided_on_behalf_of = NULL, override_reason = $7 WHERE org_id = $1 AND id = $2 AND status = $8",
    )
    .bind(org.0)
    .bind(id)
    .bind(status.as_str())
    .bind(by.actor.0)
    .bind(now.0)
    .bind(reject_reason)
    .bind(reason)
    .bind(t.from().as_str())
    .execute(w.conn())
    .await?;
    changed(done.rows_affected())
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
