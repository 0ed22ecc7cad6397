//! `GET /api/v1/orgs/{org}/expenses/{id}`: one expense, if the caller may see it.

use super::*;
use crate::http::paths::ExpensePath;
use crate::ops::owned::Get;

/// One expense, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<Json<ExpenseOut>, WebError> {
    let view = app.ask(&auth, org, Get::new(id)).await?;
    Ok(Json(out(view)))
}
