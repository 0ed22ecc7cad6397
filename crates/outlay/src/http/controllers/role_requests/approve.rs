//! `POST /api/v1/orgs/{org}/role-requests/{id}/approve`: approve a request: the grant is
//! created (time-bound when dates were given), under every rule of assigning roles.

use super::*;
use crate::http::paths::RequestPath;
use crate::ops::role_requests::Approve;

/// Approve a request: the grant is created (time-bound when dates were given), under every
/// rule of assigning roles.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/approve", tag = "role requests",
    params(RequestPath),
    responses((status = 200, body = RoleRequestOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(RequestPath { org, id }): Path<RequestPath>,
) -> Result<Json<RoleRequestOut>, WebError> {
    Ok(Json(out(app.perform(&auth, org, Approve { id }).await?)))
}
