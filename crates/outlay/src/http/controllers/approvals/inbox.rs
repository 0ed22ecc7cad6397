//! `GET /api/v1/orgs/{org}/approvals`: the submitted reports and expenses the caller may
//! approve now, by their own rights or under a delegation, oldest first, with why.

use super::*;
use crate::ops::approvals::Inbox;
use crate::ops::owned::Actionable;
use outlay_core::Granted;

#[derive(Deserialize, IntoParams)]
pub struct InboxQuery {
    /// Up to this many of each kind, 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Why an item is the caller's to decide.
#[derive(Serialize, ToSchema)]
pub struct Why {
    /// The grant and permission behind the decision, e.g. `manager: report.approve.team`.
    pub why: String,
    /// When it is theirs under a delegation: the member they would act for.
    pub on_behalf_of: Option<i64>,
}

impl From<Granted> for Why {
    fn from(g: Granted) -> Why {
        Why {
            on_behalf_of: g.on_behalf_of.map(|m| m.0),
            why: g.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AwaitingReport {
    pub report: ReportOut,
    #[serde(flatten)]
    pub why: Why,
}

#[derive(Serialize, ToSchema)]
pub struct AwaitingExpense {
    pub expense: ExpenseOut,
    #[serde(flatten)]
    pub why: Why,
}

#[derive(Serialize, ToSchema)]
pub struct InboxOut {
    /// Submitted reports awaiting the caller, oldest first.
    pub reports: Vec<AwaitingReport>,
    /// More reports wait beyond `limit`.
    pub more_reports: bool,
    /// Submitted expenses in no report awaiting the caller, oldest first.
    pub expenses: Vec<AwaitingExpense>,
    /// More expenses wait beyond `limit`.
    pub more_expenses: bool,
}

/// What awaits the caller's approval now: submitted reports and expenses (those in no report)
/// they may approve, by their own rights or for someone who delegated approvals to them,
/// oldest first, each with the grant that makes it theirs. Their own never appear.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/approvals", tag = "approvals",
    params(InOrg, InboxQuery),
    responses((status = 200, body = InboxOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn inbox(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<InboxQuery>,
) -> Result<Json<InboxOut>, WebError> {
    let limit = q.limit.unwrap_or(50);
    let limit = usize::try_from(limit)
        .ok()
        .filter(|l| (1..=500).contains(l))
        .ok_or_else(|| WebError::invalid("limit", "must be between 1 and 500"))?;
    let v = app.ask(&auth, org, Inbox { limit }).await?;
    let report = |a: Actionable<_>| AwaitingReport {
        report: crate::http::controllers::reports::out(a.view),
        why: a.granted.into(),
    };
    let expense = |a: Actionable<_>| AwaitingExpense {
        expense: crate::http::controllers::expenses::out(a.view),
        why: a.granted.into(),
    };
    Ok(Json(InboxOut {
        reports: v.reports.into_iter().map(report).collect(),
        more_reports: v.more_reports,
        expenses: v.expenses.into_iter().map(expense).collect(),
        more_expenses: v.more_expenses,
    }))
}
