//! `POST /api/v1/orgs/{org}/expenses/{id}/submit`: submit one's own draft or rejected expense
//! for approval.

use super::*;
use crate::http::paths::ExpensePath;

/// Submit one's own draft or rejected expense for approval.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/submit", tag = "expenses",
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn submit(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<Json<ExpenseOut>, WebError> {
    step(&app, &auth, org, id, Step::Submit).await
}
