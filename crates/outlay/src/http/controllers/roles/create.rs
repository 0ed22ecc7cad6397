//! `POST /api/v1/orgs/{org}/roles`: define a custom role from the catalog. Needs `role.manage`;
//! nobody defines a role with a permission they do not hold themselves.

use super::*;
use crate::http::paths::InOrg;

/// Define a custom role from the catalog. Needs `role.manage`; nobody defines a role with
/// a permission they do not hold themselves.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/roles", tag = "roles", request_body = NewRole,
    params(InOrg),
    responses((status = 201, body = RoleOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "a role with that key exists", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewRole>,
) -> Result<(StatusCode, Json<RoleOut>), WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let input = CustomRoleInput::parse(
        &actor.book,
        &req.key,
        &req.name,
        req.description.as_deref(),
        &req.permissions,
        req.read_only,
        &req.assignable,
    )?;
    let target = format!("role:{}", input.key);
    let result = async {
        let permit = invariants::define_role(&actor.principal, actor.ctx(), &actor.book, &input)?;
        let role = input.into_role();
        if let Err(e) = outlay_store::roles::create(&mut tx, actor.org, &role, permit).await {
            return Err(if e.is_unique_violation() {
                WebError::Conflict {
                    code: "role_exists",
                    message: format!("a role `{}` already exists", role.key),
                }
            } else {
                e.into()
            });
        }
        let out = role_out(&actor, &role);
        let detail = json!({"permissions": out.permissions, "read_only": out.read_only});
        Ok((out, detail))
    }
    .await;
    let out = app
        .finish(tx, &actor, "role.manage", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
