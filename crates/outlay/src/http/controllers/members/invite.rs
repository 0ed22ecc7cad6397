//! `POST /api/v1/orgs/{org}/members`: invite a member with their grants. Needs `member.invite`;
//! only owners invite owners or admins; nobody grants beyond what they hold. The token goes
//! only into the e-mail to the invited address (and, in development mode, the answer).

use super::*;
use crate::http::paths::InOrg;
use crate::ops::members::Invite;

/// Invite a member with their grants. Needs `member.invite`; only owners invite owners or
/// admins; nobody grants beyond what they hold.
///
/// The invitation link is e-mailed to the invited address; the answer names the invitation
/// (by the member's id) and its state, never its token (but with `--dev-show-tokens`). A
/// person who has an Outlay account already joins by giving their own password. Inviting an
/// archived member's e-mail answers 409 `member_archived` with their id: unarchive them
/// (`POST .../members/{id}/unarchive`), which keeps their history and grants.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members", tag = "members", request_body = InviteRequest,
    params(InOrg),
    responses((status = 201, body = InviteResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "already a member (`already_member`), or an archived one (`member_archived`)", body = ErrorBody)),
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
    let view = crate::ops::invitations::InvitationView {
        member: invited.member,
        state: crate::ops::invitations::State::Pending,
        expires_at: invited.expires_at,
        token: Some(invited.token),
    };
    let invitation = InvitationOut::of(view, app.limits.dev_show_tokens);
    Ok((
        StatusCode::CREATED,
        Json(InviteResponse {
            id: invited.member.0,
            invitation_token: invitation.invitation_token.clone(),
            invitation,
        }),
    ))
}
