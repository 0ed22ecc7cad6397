//! `GET /api/v1/orgs/{org}/reports`: the reports the caller may see, newest first: their own,
//! their line's, or all, by the scope of their `report.view`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::owned::List;
use outlay_core::report::ReportStatus;

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `draft`, `submitted`, `changes_requested`, `approved`, `rejected` or `paid` (empty: any).
    #[param(pattern = "^(draft|submitted|changes_requested|approved|rejected|paid)?$")]
    pub status: Option<String>,
    /// Only this member's reports.
    pub owner: Option<i64>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// The reports the caller may see, newest first: their own, their line's, or all, by the
/// scope of their `report.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reports", tag = "reports",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<ReportOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ReportPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = crate::http::owned::filter::<ReportStatus>(q.status.as_deref(), q.owner)?;
    let page = app.ask(&auth, org, List { filter, paging }).await?;
    Ok(Json(ReportPage::shown(page, out)))
}
