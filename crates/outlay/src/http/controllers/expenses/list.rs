//! `GET /api/v1/orgs/{org}/expenses`: the expenses the caller may see, newest first: their own,
//! their team's, or all, by the scope of their `expense.view`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::owned::List;
use outlay_core::expense::ExpenseStatus;

/// The expenses the caller may see, newest first: their own, their team's, or all, by the
/// scope of their `expense.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses", tag = "expenses",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<ExpenseOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ExpensePage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = crate::http::owned::filter::<ExpenseStatus>(q.status.as_deref(), q.owner)?;
    let list = List { filter, paging };
    let page = app.ask(&auth, org, list).await?;
    Ok(Json(ExpensePage::shown(page, out)))
}
