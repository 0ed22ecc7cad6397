//! `POST /api/v1/orgs/{org}/expenses/{id}/override`: override an earlier decision: approve a
//! rejected expense or reject an approved one, with a mandatory reason. Needs
//! `expense.override`; never one's own expense.

use super::*;
use crate::http::paths::ExpensePath;

/// Override an earlier decision: approve a rejected expense or reject an approved one, with
/// a mandatory reason. Needs `expense.override`; never one's own expense.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/override", tag = "expenses", request_body = OverrideRequest,
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn override_decision(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
    Body(req): Body<OverrideRequest>,
) -> Result<Json<ExpenseOut>, WebError> {
    let approve = match req.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(WebError::invalid(
                "decision",
                format!("`{other}` is not one of `approve`, `reject`"),
            ))
        }
    };
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    step(&app, &auth, org, id, Step::Override { approve, reason }).await
}
