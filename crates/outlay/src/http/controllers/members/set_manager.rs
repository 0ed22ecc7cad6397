//! `PUT /api/v1/orgs/{org}/members/{id}/manager`: set a member's manager. Access follows the
//! reporting line at once; nothing is deleted. Needs `member.manage` reaching the member.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::SetManager;

/// Set a member's manager. Access follows the reporting line at once; nothing is deleted.
/// Needs `member.manage` reaching the member.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/manager", tag = "members", request_body = ManagerRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "reporting cycle", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_manager(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<ManagerRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let wanted = req
        .manager_id
        .ok_or_else(|| WebError::invalid("manager_id", "is required (null for none)"))?;
    let change = SetManager {
        member: id,
        manager: wanted.map(MemberId),
    };
    Ok(Json(member_out(app.perform(&auth, org, change).await?)))
}
