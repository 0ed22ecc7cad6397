//! `POST /api/v1/orgs/{org}/expenses/{id}/reject`: reject a submitted expense with a reason.
//! Same rights as approving.

use super::*;
use crate::http::paths::ExpensePath;

/// Reject a submitted expense with a reason. Same rights as approving.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/reject", tag = "expenses", request_body = RejectRequest,
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
    Body(req): Body<RejectRequest>,
) -> Result<Json<ExpenseOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    step(&app, &auth, org, id, Step::Reject { reason }).await
}
