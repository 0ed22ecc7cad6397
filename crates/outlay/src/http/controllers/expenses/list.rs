//! `GET /api/v1/orgs/{org}/expenses`: the expenses the caller may see, newest first: their own,
//! their team's, or all, by the scope of their `expense.view`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::owned::List;
use outlay_core::expense::ExpenseStatus;
use outlay_core::MemberId;
use outlay_store::expenses::ListFilter;

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
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(ExpenseStatus::parse(s).ok_or_else(|| {
            WebError::invalid(
                "status",
                format!("`{s}` is not one of `draft`, `submitted`, `approved`, `rejected`"),
            )
        })?),
    };
    let owner = q.owner.map(MemberId);
    let filter = ListFilter {
        status,
        owner,
        ..ListFilter::default()
    };
    let list = List { filter, paging };
    let page = app.ask(&auth, org, list).await?;
    Ok(Json(ExpensePage::shown(page, out)))
}
