//! `PATCH /api/v1/orgs/{org}/expenses/{id}`: edit a draft or rejected expense; fields left out
//! keep their value. Approved expenses are final (409).

use super::*;
use crate::http::paths::ExpensePath;

/// Edit a draft or rejected expense; fields left out keep their value. Approved expenses
/// are final (409).
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses", request_body = ExpenseIn,
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
    Body(req): Body<ExpenseIn>,
) -> Result<Json<ExpenseOut>, WebError> {
    step(&app, &auth, org, id, Step::Edit(req.patch())).await
}
