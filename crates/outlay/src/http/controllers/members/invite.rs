//! `POST /api/v1/orgs/{org}/members`: invite a member with their grants. Needs `member.invite`;
//! only owners invite owners or admins; nobody grants beyond what they hold.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::members::Invite;

/// Invite a member with their grants. Needs `member.invite`; only owners invite owners or
/// admins; nobody grants beyond what they hold.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members", tag = "members", request_body = InviteRequest,
    params(InOrg),
    responses((status = 201, body = InviteResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "already a member", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn invite(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), WebError> {
    let invite = Invite {
        email: outlay_core::validate::email(&req.email)?,
        name: outlay_core::validate::text("name", &req.name, 120)?,
        grants: grant_specs(&req.grants)?,
        manager: req.manager_id.map(MemberId),
        kind: match req.kind.as_deref() {
            None => MemberKind::Internal,
            Some(k) => kind("kind", k)?,
        },
        team: req.team_id.map(TeamId),
        external_id: req
            .external_id
            .as_deref()
            .map(|e| outlay_core::validate::text("external_id", e, 120))
            .transpose()?,
    };
    let invited = app.perform(&auth, org, invite).await?;
    Ok((
        StatusCode::CREATED,
        Json(InviteResponse {
            id: invited.member.0,
            invitation_token: invited.token,
        }),
    ))
}
