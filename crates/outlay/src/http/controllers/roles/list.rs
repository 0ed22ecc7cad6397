//! `GET /api/v1/orgs/{org}/roles`: built-in and custom roles with their permissions. Needs
//! `role.view`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::roles::List;

/// Built-in and custom roles with their permissions. Needs `role.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/roles", tag = "roles",
    params(InOrg),
    responses((status = 200, body = crate::http::page::Page<RoleOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<RoleList>, WebError> {
    let roles = app.ask(&auth, org, List).await?;
    Ok(Json(RoleList {
        items: roles.into_iter().map(role_out).collect(),
        next_cursor: None,
    }))
}
