//! `PATCH /api/v1/orgs/{org}/members/{id}`: change a member's profile: name, kind, external
//! identifier. Needs `member.manage` reaching the member. The login email belongs to the
//! person, not to one company.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::UpdateProfile;

/// Change a member's profile: name, kind, external identifier. Needs `member.manage`
/// reaching the member. The login email belongs to the person, not to one company.
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/members/{id}", tag = "members", request_body = ProfileRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "external id taken, or external member holding cards", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_profile(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<ProfileRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let change = UpdateProfile {
        member: id,
        name: req
            .name
            .as_deref()
            .map(|n| outlay_core::validate::text("name", n, 120))
            .transpose()?,
        kind: req.kind.as_deref().map(|k| kind("kind", k)).transpose()?,
        external_id: match &req.external_id {
            None => None,
            Some(None) => Some(None),
            Some(Some(e)) => Some(Some(outlay_core::validate::text("external_id", e, 120)?)),
        },
    };
    Ok(Json(member_out(app.perform(&auth, org, change).await?)))
}
