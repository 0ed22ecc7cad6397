//! `GET /api/v1/orgs/{org}/permissions`: every permission Outlay knows, each with a one-line
//! description.

use super::*;
use crate::http::paths::InOrg;

/// Every permission Outlay knows, each with a one-line description.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/permissions", tag = "roles",
    params(InOrg),
    responses((status = 200, body = crate::http::page::Page<PermissionOut>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn permissions(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<PermissionList>, WebError> {
    app.reader(&auth, org).await?;
    let items = outlay_core::catalog::catalog()
        .into_iter()
        .map(permission_out)
        .collect();
    Ok(Json(PermissionList {
        items,
        next_cursor: None,
    }))
}
