//! `PUT /api/v1/orgs/{org}/members/{id}/grants`: replace a member's grants. Each role added or
//! removed must be assignable by one of the caller's grants reaching the member; top-controlled
//! roles only by the top role; nobody adds to their own grants; the last permanent top-role
//! holder stays.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::ReplaceGrants;

/// Replace a member's grants. Each role added or removed must be assignable by one of the
/// caller's grants reaching the member; top-controlled roles only by the top role; nobody
/// adds to their own grants; the last permanent top-role holder stays.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/grants", tag = "members", request_body = GrantsRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "last owner, base role, external member, company closed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn replace_grants(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let change = ReplaceGrants {
        member: id,
        grants: grant_specs(&req.grants)?,
    };
    Ok(Json(member_out(app.perform(&auth, org, change).await?)))
}
