//! Expense reports: the table declared for the owned-rows kit ([`crate::owned`]), which lists,
//! reads and moves them along their lifecycle; this file writes a report's own columns and
//! moves its expenses with it (table `report_expenses`, migration 0012) in the same
//! transaction as the report's step.

use crate::owned::{self, Hands, Ids, Owned, OwnerSeen, Set};
use crate::report_steps::{Progress, Seen};
use crate::{Backend, Conn, Result, Write};
use outlay_core::expense::ExpenseStatus;
use outlay_core::permit::{Permit, Subject, Transition};
use outlay_core::report::{ReportStatus, ReportStep};
use outlay_core::{Action, MemberId, OrgId};
use sqlx::FromRow;

/// What a report list asks for besides the reach.
pub type ListFilter = owned::Filter<ReportStatus>;

#[derive(Clone, Debug, FromRow)]
pub struct ReportRow {
    pub id: i64,
    /// The owner as the reader sees them.
    #[sqlx(flatten)]
    pub who: OwnerSeen,
    pub title: String,
    #[sqlx(rename = "status")]
    known_status: crate::stored::Known<ReportStatus>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    pub paid_by: Option<i64>,
    pub paid_at: Option<i64>,
    pub paid_reference: Option<String>,
    /// The expenses it holds.
    #[sqlx(try_from = "Option<String>")]
    pub expense_ids: Ids,
    /// Their total in the company currency, when every one of them is in it or was converted
    /// (else `None`).
    pub total_minor: Option<i64>,
    /// Who besides the owner created, edited or submitted it.
    #[sqlx(try_from = "Option<String>")]
    pub hands: Hands,
    /// The policy version (0: the preset's default) and rule it was routed by at submit.
    pub policy_version: Option<i64>,
    pub route_rule: Option<String>,
    /// Counts its routes: each submit or re-route gives a new one.
    pub route_no: i64,
    /// The step of its route it waits on (from 0), while submitted.
    pub step_idx: Option<i64>,
    /// That step as resolved for it.
    #[sqlx(rename = "step_json", try_from = "Option<String>")]
    pub step: crate::report_steps::Routed,
    /// Who approved a step of its route, and whom they acted for.
    #[sqlx(try_from = "Option<String>")]
    pub acted: crate::report_steps::Acted,
}

impl ReportRow {
    pub fn status(&self) -> ReportStatus {
        self.known_status.0
    }

    /// What the rules need, the owner seen as `owner`.
    pub fn facts<'a>(
        &'a self,
        owner: &'a crate::scope::TargetFacts,
    ) -> outlay_core::report::ReportFacts<'a> {
        outlay_core::report::ReportFacts {
            id: self.id,
            owner: owner.target(),
            status: self.status(),
            total_minor: self.total_minor,
            hands: &self.hands.0,
            approval: self.approval(),
        }
    }

    /// The approval step it waits on, while submitted on a route.
    pub fn approval(&self) -> Option<outlay_core::policy::StepFacts<'_>> {
        let (Some(idx), Some(step)) = (self.step_idx, self.step.0.as_ref()) else {
            return None;
        };
        (self.status() == ReportStatus::Submitted).then_some(outlay_core::policy::StepFacts {
            index: u32::try_from(idx).unwrap_or(u32::MAX),
            step,
            acted: &self.acted.0,
        })
    }

    /// Where its approval stands, as an approver's decision reads it now.
    pub fn at_step(&self) -> Option<crate::report_steps::Seen> {
        let (idx, step) = (self.step_idx?, self.step.0.as_ref()?);
        Some(crate::report_steps::Seen {
            route_no: self.route_no,
            idx,
            needed: step.needed,
            ends: step.ends_at(self.total_minor),
        })
    }
}

impl Owned for ReportRow {
    type Status = ReportStatus;
    const TABLE: &'static str = "reports";
    const COLUMNS: &'static str =
        "e.id, e.title, e.status, e.created_at, e.updated_at, e.submitted_at, \
        e.decided_by, e.decided_at, e.decision_note, e.paid_by, e.paid_at, e.paid_reference, \
        e.policy_version, e.route_rule, e.route_no, e.step_idx";
    const HANDS: Option<(&'static str, &'static str)> = Some(("report_hands", "report_id"));
    /// Its hands, and its expenses with their total in the company currency (only when each
    /// is in it or was converted: a sum across currencies means nothing).
    fn more_columns(backend: Backend) -> String {
        let hands = owned::hands_column::<Self>(backend);
        let ids = owned::list_of(backend, "re.expense_id");
        let acted = crate::report_steps::acted_column(backend);
        format!(
            "{hands}, {acted}, (SELECT s.step FROM report_steps s WHERE s.org_id = e.org_id \
             AND s.report_id = e.id AND s.idx = e.step_idx) AS step_json, (SELECT {ids} FROM report_expenses re WHERE re.org_id = e.org_id AND re.report_id = e.id) \
             AS expense_ids, \
             (SELECT CASE WHEN COUNT(*) = COUNT(CASE WHEN x.currency = o.base_currency THEN x.amount_minor ELSE x.base_amount_minor END) \
             THEN CAST(COALESCE(SUM(CASE WHEN x.currency = o.base_currency THEN x.amount_minor ELSE x.base_amount_minor END), 0) AS BIGINT) END \
             FROM report_expenses re \
             JOIN expenses x ON x.org_id = re.org_id AND x.id = re.expense_id JOIN orgs o ON o.id = re.org_id \
             WHERE re.org_id = e.org_id AND re.report_id = e.id) AS total_minor"
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

/// Report `id` with its owner as `viewer` sees them ([`owned::get`]).
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<ReportRow>> {
    owned::get(conn, org, viewer, &[], id).await
}

/// Creates a draft report of the permitted actor's (`report.create` for themself).
pub async fn create(w: &mut Write, org: OrgId, title: &str, permit: Permit) -> Result<i64> {
    let owner = permit.actor();
    let by = w.consume(permit, org, &[Action::ReportCreate], Subject::Member(owner))?;
    let now = w.now();
    let id = sqlx::query_scalar(
        "INSERT INTO reports (org_id, owner_id, title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING id",
    )
    .bind(org.0)
    .bind(owner.0)
    .bind(title)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?;
    owned::hand::<ReportRow>(w, org, id, by.actor, "create").await?;
    Ok(id)
}

/// An edit of a draft report (or one sent back for changes): its title, the expenses it
/// takes in and those it lets go. Each expense taken in must be its owner's, in draft or
/// rejected, and in no report yet; anything else is refused whole.
pub struct Edit<'a> {
    pub title: Option<&'a str>,
    pub add: &'a [i64],
    pub remove: &'a [i64],
}

/// Why an expense cannot go into a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAddable {
    pub expense: i64,
}

/// Applies `edit` to report `id` under an edit permit for it. `Ok(Err(..))` names the first
/// expense that could not be taken in (the transaction is the caller's to roll back).
pub async fn edit(
    w: &mut Write,
    org: OrgId,
    id: i64,
    edit: &Edit<'_>,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<std::result::Result<(), NotAddable>> {
    let mut sets = vec![("updated_at", Set::Now)];
    if let Some(title) = edit.title {
        sets.push(("title", Set::Text(Some(title))));
    }
    let step = (ReportStep::Edit, None);
    let by = owned::step::<ReportRow>(w, org, id, permit, step, &sets).await?;
    for expense in edit.remove {
        sqlx::query(
            "DELETE FROM report_expenses WHERE org_id = $1 AND report_id = $2 AND expense_id = $3",
        )
        .bind(org.0)
        .bind(id)
        .bind(expense)
        .execute(w.conn())
        .await?;
    }
    let now = w.now();
    for expense in edit.add {
        // Only the report owner's own expense, still editable, in no report: one statement
        // that inserts nothing otherwise.
        let added = sqlx::query(
            "INSERT INTO report_expenses (org_id, report_id, expense_id, added_at) \
             SELECT $1, $2, x.id, $4 FROM expenses x JOIN reports r ON r.org_id = x.org_id AND r.id = $2 \
             WHERE x.org_id = $1 AND x.id = $3 AND x.owner_id = r.owner_id AND x.status IN ('draft', 'rejected') \
             AND NOT EXISTS (SELECT 1 FROM report_expenses re WHERE re.org_id = $1 AND re.expense_id = x.id)",
        )
        .bind(org.0)
        .bind(id)
        .bind(expense)
        .bind(now.0)
        .execute(w.conn())
        .await?;
        if added.rows_affected() != 1 {
            return Ok(Err(NotAddable { expense: *expense }));
        }
    }
    owned::hand::<ReportRow>(w, org, id, by.actor, "edit").await?;
    Ok(Ok(()))
}

/// Deletes a draft report; its expenses stay, in no report.
pub async fn delete(
    w: &mut Write,
    org: OrgId,
    id: i64,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<()> {
    let step = (ReportStep::Delete, None);
    owned::step::<ReportRow>(w, org, id, permit, step, &[]).await?;
    Ok(())
}

/// Moves the expenses of report `id` to `to`, from the statuses in `from`.
pub(crate) async fn move_expenses(
    w: &mut Write,
    org: OrgId,
    id: i64,
    from: &[ExpenseStatus],
    to: ExpenseStatus,
) -> Result<()> {
    let now = w.now();
    let from: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let sql = format!(
        "UPDATE expenses SET status = $3, updated_at = $4 WHERE org_id = $1 AND status IN ({}) \
         AND id IN (SELECT expense_id FROM report_expenses WHERE org_id = $1 AND report_id = $2)",
        from.join(", ")
    );
    sqlx::query(&sql)
        .bind(org.0)
        .bind(id)
        .bind(to.as_str())
        .bind(now.0)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// Submits report `id` with its expenses on `route`, clearing an earlier decision; each
/// expense keeps the flags its checks found.
pub async fn submit(
    w: &mut Write,
    org: OrgId,
    id: i64,
    (route, flags): (
        &crate::report_steps::Route,
        &[(i64, Vec<outlay_core::checks::Flag>)],
    ),
    permit: Permit<Transition<ReportStatus>>,
) -> Result<()> {
    let step = (ReportStep::Submit, Some(ReportStatus::Submitted));
    let (now, null) = (Set::Now, Set::Int(None));
    let sets = [
        ("submitted_at", now),
        ("updated_at", now),
        ("decided_by", null),
        ("decided_at", null),
    ];
    let by = owned::step::<ReportRow>(w, org, id, permit, step, &sets).await?;
    let editable = [ExpenseStatus::Draft, ExpenseStatus::Rejected];
    move_expenses(w, org, id, &editable, ExpenseStatus::Submitted).await?;
    crate::report_steps::write_route(w, org, id, route).await?;
    crate::checks::record(w, org, id, flags).await?;
    owned::hand::<ReportRow>(w, org, id, by.actor, "submit").await
}

/// Decides report `id` by the permit's step (approve, reject, request changes), with an
/// optional note for the owner; its expenses follow: approved, rejected, or back to draft.
pub async fn decide(
    w: &mut Write,
    org: OrgId,
    id: i64,
    note: Option<&str>,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<()> {
    let step = permit.payload().step();
    let (to, expenses) = match step {
        ReportStep::Approve => (ReportStatus::Approved, ExpenseStatus::Approved),
        ReportStep::Reject => (ReportStatus::Rejected, ExpenseStatus::Rejected),
        _ => (ReportStatus::ChangesRequested, ExpenseStatus::Draft),
    };
    let sets = [
        ("decided_by", Set::Actor),
        ("decided_at", Set::Now),
        ("updated_at", Set::Now),
        ("decision_note", Set::Text(note)),
        // Decided: it waits on no step any more.
        ("step_idx", Set::Int(None)),
    ];
    owned::step::<ReportRow>(w, org, id, permit, (step, Some(to)), &sets).await?;
    move_expenses(w, org, id, &[ExpenseStatus::Submitted], expenses).await
}

/// Records the permitted member's approval of the step report `id` waits on, as `seen`;
/// completes the step when enough distinct members approved it, and the report with its
/// expenses when that was its last step (or its total is within the step's limit).
pub async fn approve(
    w: &mut Write,
    org: OrgId,
    id: i64,
    seen: Seen,
    note: Option<&str>,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<Progress> {
    let cond = [("route_no", seen.route_no), ("step_idx", seen.idx)];
    let (by, t) = owned::hold::<ReportRow>(w, org, id, permit, ReportStep::Approve, &cond).await?;
    let now = w.now();
    let recorded = sqlx::query(
        "INSERT INTO report_approvals (org_id, report_id, member_id, idx, on_behalf_of, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org.0)
    .bind(id)
    .bind(by.actor.0)
    .bind(seen.idx)
    .bind(by.on_behalf_of.map(|m| m.0))
    .bind(note)
    .bind(now.0)
    .execute(w.conn())
    .await
    .map_err(crate::StoreError::from);
    match recorded {
        // Another approval by the same member won the race: this one is stale.
        Err(e) if e.is_unique_violation() => return Err(crate::StoreError::Stale),
        r => r?,
    };
    let given: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM report_approvals WHERE org_id = $1 AND report_id = $2 AND idx = $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(seen.idx)
    .fetch_one(w.conn())
    .await?;
    if given < i64::from(seen.needed) {
        return Ok(Progress::Waiting {
            given,
            needed: seen.needed,
        });
    }
    sqlx::query(
        "UPDATE report_steps SET state = 'done', done_at = $4 WHERE org_id = $1 AND report_id = $2 AND idx = $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(seen.idx)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(idx) FROM report_steps WHERE org_id = $1 AND report_id = $2",
    )
    .bind(org.0)
    .bind(id)
    .fetch_one(w.conn())
    .await?;
    if !seen.ends && last.is_some_and(|l| l > seen.idx) {
        let next = seen.idx + 1;
        sqlx::query("UPDATE reports SET step_idx = $3 WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id)
            .bind(next)
            .execute(w.conn())
            .await?;
        crate::jobs::schedule(w, org, id).await?;
        return Ok(Progress::Next { idx: next });
    }
    // The permit's own destination: the report is approved.
    let outlay_core::lifecycle::After::Status(to) = t.to() else {
        return Err(crate::StoreError::WrongPermit {
            permit: "an approval".into(),
            write: "a deletion".into(),
        });
    };
    sqlx::query(
        "UPDATE report_steps SET state = 'skipped' WHERE org_id = $1 AND report_id = $2 AND idx > $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(seen.idx)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE reports SET status = $3, step_idx = NULL, decided_by = $4, decided_at = $5, \
         decision_note = $6 WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id)
    .bind(to.as_str())
    .bind(by.actor.0)
    .bind(now.0)
    .bind(note)
    .execute(w.conn())
    .await?;
    let submitted = [ExpenseStatus::Submitted];
    move_expenses(w, org, id, &submitted, ExpenseStatus::Approved).await?;
    Ok(Progress::Approved)
}

/// Rejects expense `expense` out of submitted report `id` with the reason: it leaves the
/// report, rejected, back to its owner; the rest goes on. `false` when it is not a
/// submitted expense of that report (nothing is written then: the caller rolls back).
pub async fn reject_expense(
    w: &mut Write,
    org: OrgId,
    id: i64,
    expense: i64,
    reason: &str,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<bool> {
    let step = (ReportStep::RejectExpense, Some(ReportStatus::Submitted));
    let sets = [("updated_at", Set::Now)];
    let by = owned::step::<ReportRow>(w, org, id, permit, step, &sets).await?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE expenses SET status = 'rejected', decided_by = $4, decided_at = $5, updated_at = $5, \
         reject_reason = $6, decided_on_behalf_of = $7, override_reason = NULL \
         WHERE org_id = $1 AND id = $3 AND status = 'submitted' \
         AND id IN (SELECT expense_id FROM report_expenses WHERE org_id = $1 AND report_id = $2)",
    )
    .bind(org.0)
    .bind(id)
    .bind(expense)
    .bind(by.actor.0)
    .bind(now.0)
    .bind(reason)
    .bind(by.on_behalf_of.map(|m| m.0))
    .execute(w.conn())
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM report_expenses WHERE org_id = $1 AND report_id = $2 AND expense_id = $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(expense)
    .execute(w.conn())
    .await?;
    Ok(true)
}

/// Marks an approved report paid, with the payment's reference; paid is final.
pub async fn pay(
    w: &mut Write,
    org: OrgId,
    id: i64,
    reference: &str,
    permit: Permit<Transition<ReportStatus>>,
) -> Result<()> {
    let step = (ReportStep::Pay, Some(ReportStatus::Paid));
    let sets = [
        ("paid_by", Set::Actor),
        ("paid_at", Set::Now),
        ("updated_at", Set::Now),
        ("paid_reference", Set::Text(Some(reference))),
    ];
    owned::step::<ReportRow>(w, org, id, permit, step, &sets).await?;
    Ok(())
}

/// A comment on a report.
#[derive(Clone, Debug, FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

/// The comments on report `id`, oldest first: one statement.
pub async fn comments(conn: &mut Conn, org: OrgId, id: i64) -> Result<Vec<CommentRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.author_id, m.name AS author_name, c.body, c.created_at FROM report_comments c \
         JOIN members m ON m.org_id = c.org_id AND m.id = c.author_id \
         WHERE c.org_id = $1 AND c.report_id = $2 ORDER BY c.id",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Writes a comment on report `id` by the permitted actor: the permit is for one of the
/// actions that give a part in that report ([`outlay_core::report::COMMENTERS`]).
pub async fn comment(
    w: &mut Write,
    org: OrgId,
    id: i64,
    body: &str,
    permit: Permit,
) -> Result<i64> {
    let row = Subject::Row(outlay_core::catalog::Resource::Report, id);
    let by = w.consume(permit, org, &outlay_core::report::COMMENTERS, row)?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO report_comments (org_id, report_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(id)
    .bind(by.actor.0)
    .bind(body)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}
