//! `GET /api/v1/orgs/{org}/reports/{id}/route` and `POST .../reroute`: the approval steps a
//! report goes through (who each waits on, who approved), and re-routing a submitted one by
//! the policy now in force.

use super::*;
use crate::http::controllers::approval_policy::{step_io, StepIo};
use crate::ops::policies::{Reroute, RouteView, Steps};
use outlay_store::report_steps::StepRow;

#[derive(Serialize, ToSchema)]
pub struct ApprovalOut {
    pub member_id: i64,
    pub member_name: String,
    /// The delegator they approved for, if any.
    pub on_behalf_of: Option<i64>,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct RouteStepOut {
    /// From 0.
    pub index: i64,
    /// The step as its rule wrote it.
    pub rule_step: StepIo,
    /// Who it waits on, in words.
    pub waiting_on: String,
    /// The members who may take it, when known at submit (the manager found, the named
    /// members); empty for roles and anyone.
    pub member_ids: Vec<i64>,
    /// How many distinct approvals complete it.
    pub needed: u32,
    /// `waiting`, `done` or `skipped` (the report was approved within an earlier step's
    /// limit).
    pub state: String,
    pub done_at: Option<String>,
    pub approvals: Vec<ApprovalOut>,
}

#[derive(Serialize, ToSchema)]
pub struct RouteOut {
    /// The policy version it was routed by (0: the preset's default); `null` before its
    /// first submit.
    pub policy_version: Option<i64>,
    /// The rule it met.
    pub rule: Option<String>,
    /// The step it waits on now, while submitted.
    pub current_step: Option<i64>,
    pub steps: Vec<RouteStepOut>,
}

fn step_out(s: StepRow) -> RouteStepOut {
    let t = |s: i64| rfc3339(Timestamp(s));
    RouteStepOut {
        index: s.idx,
        rule_step: step_io(&outlay_core::policy::StepSpec {
            approvers: s.step.approvers.clone(),
            limit_minor: s.step.limit_minor,
        }),
        waiting_on: s.step.describe(),
        member_ids: s.step.member_ids,
        needed: s.step.needed,
        state: s.state,
        done_at: s.done_at.map(t),
        approvals: s
            .approvals
            .into_iter()
            .map(|a| ApprovalOut {
                member_id: a.member_id,
                member_name: a.member_name,
                on_behalf_of: a.on_behalf_of,
                note: a.note,
                at: t(a.at),
            })
            .collect(),
    }
}

fn route_out(v: RouteView) -> RouteOut {
    RouteOut {
        policy_version: v.policy_version,
        rule: v.rule,
        current_step: v.current_step,
        steps: v.steps.into_iter().map(step_out).collect(),
    }
}

/// A report's approval route: the rule it met, each step with whom it waits on and who
/// approved it. For whoever may see the report.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reports/{id}/route", tag = "reports", operation_id = "get_route",
    params(ReportPath),
    responses((status = 200, body = RouteOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<Json<RouteOut>, WebError> {
    Ok(Json(route_out(
        app.ask(&auth, at.org, Steps { id: at.id }).await?,
    )))
}

/// Re-route a submitted report by the approval policy now in force (`policy.manage`):
/// approvals on its old route no longer count. Audited with the old and new route. 409 when
/// it is not submitted.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/reroute", tag = "reports",
    params(ReportPath),
    responses((status = 200, body = RouteOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reroute(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<Json<RouteOut>, WebError> {
    let view = app.perform(&auth, at.org, Reroute { id: at.id }).await?;
    Ok(Json(route_out(view)))
}
