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
//! A row can also be read for other members besides the viewer ([`list_seen`], [`get_seen`]):
//! the delegators of the delegations in force to the viewer, whose reach decides what the
//! viewer may do for them. Each adds the owner's place in that member's reporting line (one
//! probe per row) to the same statement, so a page costs the same number of statements
//! whatever its size.

use crate::scope;
use crate::{Backend, Conn, Result, Write};
use outlay_core::authorize::ExpenseAction;
use outlay_core::catalog::Resource;
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::lifecycle::After;
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::{Action, Line, ListScope, MemberId, OrgId, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct ExpenseRow {
    pub id: i64,
    pub org_id: i64,
    pub owner_id: i64,
    pub owner_name: String,
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
    /// The owner's place in the viewer's reporting line.
    pub line: String,
    /// The owner's teams, comma-separated.
    pub owner_teams: Option<String>,
    /// Who besides the owner created, edited or submitted it.
    #[sqlx(try_from = "Option<String>")]
    pub hands: Hands,
    /// The owner's place in the reporting line of each member the row was also read for
    /// ([`list_seen`], [`get_seen`]), in the order asked; empty when read for the viewer only.
    #[sqlx(default, try_from = "Option<String>")]
    pub seen_as: SeenAs,
}

/// The owner's place in the reporting lines of the members a row was also read for, read
/// from a comma-separated column; `None` for a member the row could not be read for (it
/// changed between the statements of a read for more than [`SEEN_AS_PER_STATEMENT`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenAs(pub Vec<Option<Line>>);

impl From<Option<String>> for SeenAs {
    fn from(s: Option<String>) -> SeenAs {
        match s {
            None => SeenAs::default(),
            Some(s) => SeenAs(s.split(',').map(|l| Some(Line::parse(l.trim()))).collect()),
        }
    }
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
        scope::TargetFacts {
            member: MemberId(self.owner_id),
            line: outlay_core::Line::parse(&self.line),
            teams: scope::parse_teams(self.owner_teams.as_deref()),
        }
    }

    /// The owner as the `i`th member the row was also read for sees them ([`list_seen`],
    /// [`get_seen`]); `None` when it was not read for them.
    pub fn owner_seen_by(&self, i: usize) -> Option<scope::TargetFacts> {
        let line = (*self.seen_as.0.get(i)?)?;
        Some(scope::TargetFacts {
            member: MemberId(self.owner_id),
            line,
            teams: scope::parse_teams(self.owner_teams.as_deref()),
        })
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

/// A status change is a conditional update: it applies only from the status the decision saw,
/// so a concurrent change can never be overwritten.
fn changed(rows: u64) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(crate::StoreError::Stale)
    }
}

#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub status: Option<ExpenseStatus>,
    pub owner: Option<MemberId>,
    pub cursor: Option<i64>,
    pub limit: i64,
}

const COLUMNS: &str = "e.id, e.org_id, e.owner_id, m.name AS owner_name, e.amount_minor, e.currency, e.merchant, \
     e.spent_on, e.category, e.note, e.status, e.created_at, e.updated_at, e.submitted_at, e.decided_by, \
     e.decided_at, e.reject_reason, e.decided_on_behalf_of, e.override_reason";

/// The column of an expense's hands (`e`), comma-separated.
fn hands_column(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "(SELECT group_concat(h.member_id) FROM expense_hands h WHERE h.org_id = e.org_id AND h.expense_id = e.id)"
        }
        Backend::Postgres => {
            "(SELECT string_agg(h.member_id::text, ',') FROM expense_hands h WHERE h.org_id = e.org_id AND h.expense_id = e.id)"
        }
    }
}

/// Up to this many members besides the viewer a row is read for in one statement: the
/// distinct delegators of the delegations in force to the viewer, a handful at most in
/// practice. Each is one bound parameter and one primary-key probe per row; the statement's
/// text depends on how many there are (up to this many), never on who or on the page's
/// size, so it stays one kept statement per count. More members take one more statement per
/// this many.
pub const SEEN_AS_PER_STATEMENT: usize = 16;

/// The column `seen_as` (with its leading comma): the owner's place in the reporting line of
/// each member in `viewers` (SQL placeholders), comma-separated; nothing without them.
fn seen_as_column(viewers: &[String]) -> String {
    if viewers.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = viewers
        .iter()
        .map(|v| format!("({})", scope::line_column_of("e.owner_id", v)))
        .collect();
    format!(", {} AS seen_as", lines.join(" || ',' || "))
}

/// Appends the lines of a further read for `n` more members to each row's `seen_as`, by id;
/// a row that read no longer returns is marked unread for them.
fn merge_seen_as(rows: &mut [ExpenseRow], again: Vec<ExpenseRow>, n: usize) {
    let mut by_id: std::collections::HashMap<i64, SeenAs> =
        again.into_iter().map(|r| (r.id, r.seen_as)).collect();
    for r in rows {
        match by_id.remove(&r.id) {
            Some(seen) => r.seen_as.0.extend(seen.0),
            None => r.seen_as.0.extend((0..n).map(|_| None)),
        }
    }
}

/// The full rows, owner as `$2` sees them (and as the members of `seen`, the column from
/// [`seen_as_column`]), of the expense ids that `page` selects (newest first): the per-row
/// lookups run for the page's rows only.
fn details(backend: Backend, page: &str, seen: &str) -> String {
    format!(
        "SELECT {COLUMNS}, {line} AS line, {teams} AS owner_teams, {hands} AS hands{seen} \
         FROM ({page}) pick CROSS JOIN expenses e JOIN members m ON m.id = e.owner_id AND m.org_id = e.org_id \
         WHERE e.id = pick.id AND e.org_id = $1 ORDER BY e.id DESC",
        line = scope::line_column("e.owner_id"),
        teams = scope::teams_column(backend, "e.owner_id"),
        hands = hands_column(backend),
    )
}

/// A bind parameter of a list query.
enum Arg {
    Int(i64),
    Text(&'static str),
}

/// How a list page finds its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Everything in the company: its index, newest first, no scope condition.
    All,
    /// Nobody is reached.
    Nothing,
    /// One owner asked for: their index range, their place in the reach checked by a probe.
    Owner,
    /// A small reach: each owner's index range, merged newest first.
    Owners,
    /// A large reach: the company's index newest first, each row's owner checked against
    /// the reach, which the planner may build once (PostgreSQL hashes it).
    Scan,
    /// A very large reach: the company's index newest first, each row's owner checked by a
    /// probe of its own (no reach built).
    Probe,
}

/// The shape of the page `viewer` asks for: by the size of the reach, counted up to a few
/// thousand index entries at most ([`scope::owners_first_max`], [`scope::PROBE_FROM`]), so
/// it costs little whatever the reach.
pub async fn shape(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &ListFilter,
) -> Result<Shape> {
    if filter.owner.is_some() {
        return Ok(Shape::Owner);
    }
    if visible.all {
        return Ok(Shape::All);
    }
    // SQLite probes per row whatever the query says: counting beyond the owner-first limit
    // would decide nothing there.
    let backend = Backend::of(conn);
    let owners_first = scope::owners_first_max(backend, filter.status.is_some());
    let cap = match backend {
        Backend::Sqlite => owners_first + 1,
        Backend::Postgres => scope::PROBE_FROM + 1,
    };
    let reach = scope::reach_size(conn, org, viewer, visible, cap).await?;
    Ok(match reach {
        0 => Shape::Nothing,
        n if n <= owners_first => Shape::Owners,
        n if n <= scope::PROBE_FROM && backend == Backend::Postgres => Shape::Scan,
        _ => Shape::Probe,
    })
}

/// The expenses `viewer` may see (`visible`, from the core), newest first.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &ListFilter,
) -> Result<Vec<ExpenseRow>> {
    let shape = shape(conn, org, viewer, visible, filter).await?;
    list_as(conn, org, viewer, visible, filter, shape).await
}

/// [`list`] in a given shape: every shape lists the same rows.
pub async fn list_as(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    visible: &ListScope,
    filter: &ListFilter,
    shape: Shape,
) -> Result<Vec<ExpenseRow>> {
    list_seen(conn, org, viewer, &[], visible, filter, shape).await
}

/// [`list_as`], each row also read for the members in `seen_as` (their lines in
/// [`ExpenseRow::seen_as`], in that order): one statement for up to
/// [`SEEN_AS_PER_STATEMENT`] of them, whatever the page's size.
#[allow(clippy::too_many_arguments)]
pub async fn list_seen(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    visible: &ListScope,
    filter: &ListFilter,
    shape: Shape,
) -> Result<Vec<ExpenseRow>> {
    let mut chunks = seen_as.chunks(SEEN_AS_PER_STATEMENT);
    let first = chunks.next().unwrap_or(&[]);
    let mut rows = page(conn, org, viewer, first, visible, filter, shape).await?;
    for more in chunks {
        let again = page(conn, org, viewer, more, visible, filter, shape).await?;
        merge_seen_as(&mut rows, again, more.len());
    }
    Ok(rows)
}

/// One statement of [`list_seen`].
async fn page(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    visible: &ListScope,
    filter: &ListFilter,
    shape: Shape,
) -> Result<Vec<ExpenseRow>> {
    let backend = Backend::of(conn);
    let mut args: Vec<Arg> = vec![Arg::Int(org.0), Arg::Int(viewer.0)];
    let param = |args: &mut Vec<Arg>, arg: Arg| {
        args.push(arg);
        format!("${}", args.len())
    };
    let mut conds = vec!["e.org_id = $1".to_string()];
    if let Some(status) = filter.status {
        conds.push(format!(
            "e.status = {}",
            param(&mut args, Arg::Text(status.as_str()))
        ));
    }
    if let Some(cursor) = filter.cursor {
        conds.push(format!("e.id < {}", param(&mut args, Arg::Int(cursor))));
    }
    let owner = filter.owner.map(|o| param(&mut args, Arg::Int(o.0)));
    let limit = param(&mut args, Arg::Int(filter.limit));
    let page = match shape {
        Shape::Nothing => return Ok(Vec::new()),
        Shape::All => {
            format!(
                "SELECT e.id FROM expenses e WHERE {} ORDER BY e.id DESC LIMIT {limit}",
                conds.join(" AND ")
            )
        }
        Shape::Owner | Shape::Scan | Shape::Probe => {
            if let (Shape::Owner, Some(owner)) = (shape, &owner) {
                conds.push(format!("e.owner_id = {owner}"));
            }
            conds.push(match shape {
                Shape::Scan => scope::member_in(visible, "e.owner_id"),
                _ => scope::member_in_per_row(backend, visible, "e.owner_id"),
            });
            format!(
                "SELECT e.id FROM expenses e WHERE {} ORDER BY e.id DESC LIMIT {limit}",
                conds.join(" AND ")
            )
        }
        Shape::Owners => {
            let Some(reach) = scope::reach_ids(visible) else {
                return Ok(Vec::new());
            };
            conds.push("e.owner_id = r.id".to_string());
            let conds = conds.join(" AND ");
            match backend {
                // CROSS JOIN fixes the join order in SQLite: owners outside, their index inside.
                Backend::Sqlite => format!(
                    "SELECT e.id FROM ({reach}) r CROSS JOIN expenses e WHERE {conds} ORDER BY e.id DESC LIMIT {limit}"
                ),
                // LATERAL reads at most a page from each owner's index.
                Backend::Postgres => format!(
                    "SELECT x.id FROM ({reach}) r CROSS JOIN LATERAL \
                     (SELECT e.id FROM expenses e WHERE {conds} ORDER BY e.id DESC LIMIT {limit}) x \
                     ORDER BY x.id DESC LIMIT {limit}"
                ),
            }
        }
    };
    let seen: Vec<String> = seen_as
        .iter()
        .map(|m| param(&mut args, Arg::Int(m.0)))
        .collect();
    let sql = details(backend, &page, &seen_as_column(&seen));
    let mut q = sqlx::query_as(&sql);
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        };
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// One expense of the company with its owner as `viewer` sees them; whether the viewer may
/// see it is the core's decision.
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<ExpenseRow>> {
    get_seen(conn, org, viewer, &[], id).await
}

/// [`get`], also read for the members in `seen_as` (their lines in [`ExpenseRow::seen_as`],
/// in that order): one statement for up to [`SEEN_AS_PER_STATEMENT`] of them.
pub async fn get_seen(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    id: i64,
) -> Result<Option<ExpenseRow>> {
    let mut chunks = seen_as.chunks(SEEN_AS_PER_STATEMENT);
    let first = chunks.next().unwrap_or(&[]);
    let Some(row) = get_one(conn, org, viewer, first, id).await? else {
        return Ok(None);
    };
    let mut rows = [row];
    for more in chunks {
        let again = get_one(conn, org, viewer, more, id).await?;
        merge_seen_as(&mut rows, again.into_iter().collect(), more.len());
    }
    let [row] = rows;
    Ok(Some(row))
}

/// One statement of [`get_seen`].
async fn get_one(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    seen_as: &[MemberId],
    id: i64,
) -> Result<Option<ExpenseRow>> {
    // The members' placeholders follow the id's.
    let seen: Vec<String> = (0..seen_as.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT {COLUMNS}, {line} AS line, {teams} AS owner_teams, {hands} AS hands{seen} \
         FROM expenses e JOIN members m ON m.id = e.owner_id AND m.org_id = e.org_id \
         WHERE e.org_id = $1 AND e.id = $3",
        line = scope::line_column("e.owner_id"),
        teams = scope::teams_column(Backend::of(conn), "e.owner_id"),
        hands = hands_column(Backend::of(conn)),
        seen = seen_as_column(&seen),
    );
    let mut q = sqlx::query_as(&sql).bind(org.0).bind(viewer.0).bind(id);
    for m in seen_as {
        q = q.bind(m.0);
    }
    Ok(q.fetch_optional(&mut *conn).await?)
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

fn row(id: i64) -> Subject {
    Subject::Row(Resource::Expense, id)
}

/// Takes a transition permit for the write of `step` on expense `id` (to `to`, when the
/// write says where): a permit for another expense, another step or another destination is
/// refused before any SQL runs. The write applies only from the permit's `from`.
fn take(
    w: &mut Write,
    permit: Permit<Transition>,
    org: OrgId,
    id: i64,
    step: ExpenseAction,
    to: Option<ExpenseStatus>,
) -> Result<(crate::Author, Transition)> {
    let t = *permit.payload();
    let fits = t.row() == id && t.step() == step && to.is_none_or(|s| t.to() == After::Status(s));
    if !fits {
        let after = match t.to() {
            After::Status(s) => s.as_str(),
            After::Deleted => "deleted",
        };
        return Err(crate::StoreError::WrongPermit {
            permit: format!(
                "{} of expense {} from {} to {}",
                t.step().as_str(),
                t.row(),
                t.from().as_str(),
                after
            ),
            write: format!(
                "{} of expense {id}{}",
                step.as_str(),
                to.map(|s| format!(" to {}", s.as_str()))
                    .unwrap_or_default()
            ),
        });
    }
    w.take(permit, org, &[step.permission()], row(id))
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
