//! `GET /api/v1/orgs/{org}/role-requests`: the caller's own requests and those they may decide,
//! newest first.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::role_requests::List;

/// The caller's own requests and those they may decide, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-requests", tag = "role requests",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<RoleRequestOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<RoleRequestPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("open") => Some("open"),
        Some("approved") => Some("approved"),
        Some("declined") => Some("declined"),
        Some(s) => {
            return Err(WebError::invalid(
                "status",
                format!("`{s}` is not one of `open`, `approved`, `declined`"),
            ))
        }
    };
    let page = app.ask(&auth, org, List { status, paging }).await?;
    Ok(Json(RoleRequestPage::shown(page, out)))
}
