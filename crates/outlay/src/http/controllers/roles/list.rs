//! `GET /api/v1/orgs/{org}/roles`: built-in and custom roles with their permissions. Needs
//! `role.view`.

use super::*;
use crate::http::paths::InOrg;

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
    let actor = app.reader(&auth, org).await?;
    if let Err(r) =
        authorize::company(&actor.principal, actor.ctx(), Action::RoleView).into_result()
    {
        return Err(app.refused(&actor, "role.view", "roles", r.into()).await);
    }
    let items = actor.book.all().map(|r| role_out(&actor, r)).collect();
    Ok(Json(RoleList {
        items,
        next_cursor: None,
    }))
}
