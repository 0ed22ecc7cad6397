//! `GET /api/v1/orgs/{org}/trips`: the trips the caller may see, newest first.

use super::*;
use crate::ops::owned::List;
use outlay_core::trip::TripStatus;

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `requested`, `approved` or `rejected` (empty: any).
    #[param(pattern = "^(requested|approved|rejected)?$")]
    pub status: Option<String>,
    /// Only this member's trips.
    pub owner: Option<i64>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// The trips the caller may see, newest first: their own, their line's, or all, by the scope
/// of their `trip.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/trips", tag = "trips",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<TripOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<TripPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = crate::http::owned::filter::<TripStatus>(q.status.as_deref(), q.owner)?;
    let page = app.ask(&auth, org, List { filter, paging }).await?;
    Ok(Json(TripPage::shown(page, out)))
}
