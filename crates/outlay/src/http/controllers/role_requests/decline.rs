//! `POST /api/v1/orgs/{org}/role-requests/{id}/decline`: decline a request, with a reason for
//! the requester.

use super::*;
use crate::http::paths::RequestPath;
use crate::ops::role_requests::Decline;

/// Decline a request, with a reason for the requester.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/decline", tag = "role requests", request_body = DeclineRequest,
    params(RequestPath),
    responses((status = 200, body = RoleRequestOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decline(
    State(app): State<App>,
    auth: Auth,
    Path(RequestPath { org, id }): Path<RequestPath>,
    Body(req): Body<DeclineRequest>,
) -> Result<Json<RoleRequestOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    Ok(Json(out(app
        .perform(&auth, org, Decline { id, reason })
        .await?)))
}
