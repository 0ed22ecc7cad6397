//! A submitted report's approval route (tables `report_steps` and `report_approvals`,
//! migration 0014): the steps resolved for it at submit, who approved which, and the step it
//! waits on. Written only with a report's own permitted writes: its submit, an approval, a
//! re-route by whoever manages policies. An approval's own write is the report's
//! ([`crate::reports::approve`]).

use crate::owned::{self, Hands};
use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, Subject};
use outlay_core::policy::RoutedStep;
use outlay_core::{Action, MemberId, OrgId, TeamId, Timestamp};
use sqlx::FromRow;

/// The step a report waits on, read with the report (JSON as written by [`write_route`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routed(pub Option<RoutedStep>);

impl TryFrom<Option<String>> for Routed {
    type Error = serde_json::Error;
    fn try_from(s: Option<String>) -> std::result::Result<Routed, serde_json::Error> {
        s.as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map(Routed)
    }
}

/// A report's route: the policy version (0: the preset's default) and rule it follows, and
/// its steps in order.
#[derive(Clone, Debug)]
pub struct Route {
    pub version: i64,
    pub rule: String,
    pub steps: Vec<RoutedStep>,
    /// Seconds a step may wait before its approvers are reminded, and before it moves up.
    pub remind_after: Option<i64>,
    pub escalate_after: Option<i64>,
}

/// What routing reads about a report and its owner.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// The categories of its expenses.
    pub categories: Vec<String>,
    pub teams: Vec<TeamId>,
    /// The owner's roles held now.
    pub roles: Vec<String>,
    /// The owner's managers, nearest first.
    pub line: Vec<MemberId>,
}

/// What routing needs about report `id` of `owner`, at `now`.
pub async fn facts(
    conn: &mut Conn,
    org: OrgId,
    id: i64,
    owner: MemberId,
    now: Timestamp,
) -> Result<Facts> {
    let categories = sqlx::query_scalar(
        "SELECT DISTINCT x.category FROM report_expenses re \
         JOIN expenses x ON x.org_id = re.org_id AND x.id = re.expense_id \
         WHERE re.org_id = $1 AND re.report_id = $2 ORDER BY x.category",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let teams: Vec<i64> = sqlx::query_scalar(
        "SELECT team_id FROM team_members WHERE org_id = $1 AND member_id = $2 ORDER BY team_id",
    )
    .bind(org.0)
    .bind(owner.0)
    .fetch_all(&mut *conn)
    .await?;
    let line: Vec<i64> = sqlx::query_scalar(
        "SELECT ancestor_id FROM reporting_lines WHERE org_id = $1 AND member_id = $2 AND depth > 0 \
         ORDER BY depth",
    )
    .bind(org.0)
    .bind(owner.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Facts {
        categories,
        teams: teams.into_iter().map(TeamId).collect(),
        roles: crate::members::active_roles(conn, org, owner, now).await?,
        line: line.into_iter().map(MemberId).collect(),
    })
}

/// Gives report `id` a new route: its old steps and approvals go, the new ones wait from the
/// first. Only with the report's submit or a permitted re-route, in their transaction.
pub(crate) async fn write_route(w: &mut Write, org: OrgId, id: i64, route: &Route) -> Result<()> {
    sqlx::query("DELETE FROM report_steps WHERE org_id = $1 AND report_id = $2")
        .bind(org.0)
        .bind(id)
        .execute(w.conn())
        .await?;
    for (idx, step) in route.steps.iter().enumerate() {
        let json = serde_json::to_string(step)
            .map_err(|e| crate::StoreError::Corrupt(format!("route step: {e}")))?;
        sqlx::query(
            "INSERT INTO report_steps (org_id, report_id, idx, step, state) VALUES ($1, $2, $3, $4, 'waiting')",
        )
        .bind(org.0)
        .bind(id)
        .bind(idx as i64)
        .bind(json)
        .execute(w.conn())
        .await?;
    }
    sqlx::query(
        "UPDATE reports SET policy_version = $3, route_rule = $4, route_no = route_no + 1, \
         step_idx = 0, remind_after = $5, escalate_after = $6 WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id)
    .bind(route.version)
    .bind(&route.rule)
    .bind(route.remind_after)
    .bind(route.escalate_after)
    .execute(w.conn())
    .await?;
    crate::jobs::schedule(w, org, id).await
}

/// Where a report's approval waits, as a job reads it.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub owner_id: i64,
    pub title: String,
    pub submitted: bool,
    pub route_no: i64,
    pub step_idx: Option<i64>,
    pub step: Option<RoutedStep>,
    /// Who approved the step already.
    pub approved: Vec<i64>,
}

/// Report `id`'s approval as it waits now.
pub async fn waiting(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<Waiting>> {
    let row: Option<(i64, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT owner_id, title, status, route_no, step_idx FROM reports WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((owner_id, title, status, route_no, step_idx)) = row else {
        return Ok(None);
    };
    let (mut step, mut approved) = (None, Vec::new());
    if let Some(idx) = step_idx {
        let json: Option<String> = sqlx::query_scalar(
            "SELECT step FROM report_steps WHERE org_id = $1 AND report_id = $2 AND idx = $3",
        )
        .bind(org.0)
        .bind(id)
        .bind(idx)
        .fetch_optional(&mut *conn)
        .await?;
        step = Routed::try_from(json)
            .map_err(|e| crate::StoreError::Corrupt(format!("report {id} step {idx}: {e}")))?
            .0;
        approved = sqlx::query_scalar(
            "SELECT member_id FROM report_approvals WHERE org_id = $1 AND report_id = $2 AND idx = $3",
        )
        .bind(org.0)
        .bind(id)
        .bind(idx)
        .fetch_all(&mut *conn)
        .await?;
    }
    Ok(Some(Waiting {
        owner_id,
        title,
        submitted: status == "submitted",
        route_no,
        step_idx,
        step,
        approved,
    }))
}

/// Member `member`'s manager, if they have one.
pub async fn manager_of(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<Option<MemberId>> {
    let m: Option<i64> = sqlx::query_scalar(
        "SELECT ancestor_id FROM reporting_lines WHERE org_id = $1 AND member_id = $2 AND depth = 1",
    )
    .bind(org.0)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(m.map(MemberId))
}

/// Moves step `idx` of report `id` to `step` (its escalation): the job runner's write,
/// decided by the clock and the report's policy, not by a member, in the job's transaction.
pub async fn escalate(
    w: &mut Write,
    org: OrgId,
    id: i64,
    idx: i64,
    step: &RoutedStep,
) -> Result<()> {
    let json = serde_json::to_string(step)
        .map_err(|e| crate::StoreError::Corrupt(format!("route step: {e}")))?;
    let done = sqlx::query(
        "UPDATE report_steps SET step = $4 WHERE org_id = $1 AND report_id = $2 AND idx = $3 AND state = 'waiting'",
    )
    .bind(org.0)
    .bind(id)
    .bind(idx)
    .bind(json)
    .execute(w.conn())
    .await?;
    owned::changed(done.rows_affected())
}

/// Re-routes submitted report `id` by the policy in force, under a `policy.manage` permit
/// for it: approvals given under the old route no longer count.
pub async fn reroute(
    w: &mut Write,
    org: OrgId,
    id: i64,
    route_no: i64,
    route: &Route,
    permit: Permit,
) -> Result<()> {
    let row = Subject::Row(outlay_core::catalog::Resource::Report, id);
    w.consume(permit, org, &[Action::PolicyManage], row)?;
    // Only as the re-route saw it: still submitted, on the same route.
    let now = w.now();
    let held = sqlx::query(
        "UPDATE reports SET updated_at = $4 WHERE org_id = $1 AND id = $2 AND status = 'submitted' AND route_no = $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(route_no)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    owned::changed(held.rows_affected())?;
    write_route(w, org, id, route).await
}

/// Where a report's approval stood when the approver's decision read it.
#[derive(Clone, Copy, Debug)]
pub struct Seen {
    pub route_no: i64,
    pub idx: i64,
    /// How many approvals complete the step.
    pub needed: u32,
    /// Whether the report is approved once this step is done (its total is within the
    /// step's limit, or it is the last step).
    pub ends: bool,
}

/// What an approval of one step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The step waits for more approvals (N of M).
    Waiting { given: i64, needed: u32 },
    /// The step is done and the report waits on the next one.
    Next { idx: i64 },
    /// The report is approved.
    Approved,
}

/// One step of a report's route, with its approvals.
#[derive(Clone, Debug)]
pub struct StepRow {
    pub idx: i64,
    pub step: RoutedStep,
    /// `waiting`, `done` or `skipped`.
    pub state: String,
    pub done_at: Option<i64>,
    pub approvals: Vec<ApprovalRow>,
}

/// One approval of a step.
#[derive(Clone, Debug, FromRow)]
pub struct ApprovalRow {
    pub idx: i64,
    pub member_id: i64,
    pub member_name: String,
    pub on_behalf_of: Option<i64>,
    pub note: Option<String>,
    pub at: i64,
}

/// Report `id`'s route, step by step, with who approved each: two statements.
pub async fn steps(conn: &mut Conn, org: OrgId, id: i64) -> Result<Vec<StepRow>> {
    let rows: Vec<(i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT idx, step, state, done_at FROM report_steps WHERE org_id = $1 AND report_id = $2 ORDER BY idx",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut approvals: Vec<ApprovalRow> = sqlx::query_as(
        "SELECT a.idx, a.member_id, m.name AS member_name, a.on_behalf_of, a.note, a.at \
         FROM report_approvals a JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id \
         WHERE a.org_id = $1 AND a.report_id = $2 ORDER BY a.at, a.member_id",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (idx, step, state, done_at) in rows {
        let step = serde_json::from_str(&step)
            .map_err(|e| crate::StoreError::Corrupt(format!("report {id} step {idx}: {e}")))?;
        let (mine, rest) = approvals.into_iter().partition(|a| a.idx == idx);
        approvals = rest;
        out.push(StepRow {
            idx,
            step,
            state,
            done_at,
            approvals: mine,
        });
    }
    Ok(out)
}

/// Everyone who approved a step of a report, and whom they acted for ([`Hands`] reads it).
pub(crate) fn acted_column(backend: crate::Backend) -> String {
    let by = owned::list_of(backend, "a.member_id");
    let whom = owned::list_of(backend, "a.on_behalf_of");
    let from = "FROM report_approvals a WHERE a.org_id = e.org_id AND a.report_id = e.id";
    format!(
        "COALESCE((SELECT {by} {from}), '') || ',' || \
         COALESCE((SELECT {whom} {from} AND a.on_behalf_of IS NOT NULL), '') AS acted"
    )
}

/// Members who acted, as read by [`acted_column`].
pub type Acted = Hands;
