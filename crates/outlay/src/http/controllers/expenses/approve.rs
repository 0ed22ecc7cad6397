//! `POST /api/v1/orgs/{org}/expenses/{id}/approve`: approve a submitted expense. Needs
//! `expense.approve` at the owner's scope; nobody approves their own (four-eyes).

use super::*;
use crate::http::paths::ExpensePath;

/// Approve a submitted expense. Needs `expense.approve` at the owner's scope; nobody
/// approves their own (four-eyes).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/approve", tag = "expenses",
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<Json<ExpenseOut>, WebError> {
    step(&app, &auth, org, id, Step::Approve).await
}
