//! `GET /api/v1/orgs/{org}/advances`: the advances the caller may see, newest first.

use super::*;
use crate::ops::owned::List;
use outlay_core::advance::AdvanceStatus;

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `requested`, `rejected`, `unpaid`, `paid` (claimed or not) or `returned` (empty: any).
    #[param(pattern = "^(requested|rejected|unpaid|paid|returned)?$")]
    pub status: Option<String>,
    /// Only this member's advances.
    pub owner: Option<i64>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// The advances the caller may see, newest first: their own, their line's, or all, by the
/// scope of their `advance.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/advances", tag = "advances",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<AdvanceOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<AdvancePage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = crate::http::owned::filter::<AdvanceStatus>(q.status.as_deref(), q.owner)?;
    let page = app.ask(&auth, org, List { filter, paging }).await?;
    Ok(Json(AdvancePage::shown(page, out)))
}
