//! `GET /api/v1/orgs/{org}/permissions`: every permission Outlay knows, each with a one-line description.

use super::*;

/// Every permission Outlay knows, each with a one-line description.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/permissions", tag = "roles",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = crate::http::page::Page<PermissionOut>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn permissions(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
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
