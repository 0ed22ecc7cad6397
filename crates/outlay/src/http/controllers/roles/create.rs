//! `POST /api/v1/orgs/{org}/roles`: define a custom role from the catalog. Needs `role.manage`;
//! nobody defines a role with a permission they do not hold themselves.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::roles::Create;

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
    let create = Create {
        key: req.key,
        name: req.name,
        description: req.description,
        permissions: req.permissions,
        read_only: req.read_only,
        assignable: req.assignable,
    };
    let role = app.perform(&auth, org, create).await?;
    Ok((StatusCode::CREATED, Json(role_out(role))))
}
