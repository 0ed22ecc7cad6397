//! `POST /api/v1/orgs/{org}/members/{id}/invitation/resend`: e-mail the invitation again with
//! a fresh token; the old one stops working. Needs `member.invite`, like inviting.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::invitations::Reinvite;
use outlay_core::member::Reissue;

/// Resend a member's invitation: a fresh token (the old one stops working) and a fresh expiry,
/// e-mailed to the invited address. A revoked or expired invitation becomes pending again.
/// Needs `member.invite`, like inviting.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/invitation/resend", tag = "members",
    params(MemberPath),
    responses((status = 200, body = InvitationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "accepted already, or the member is archived", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn resend_invitation(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<InvitationOut>, WebError> {
    let what = Reissue::Resend;
    let view = app
        .perform(&auth, org, Reinvite { member: id, what })
        .await?;
    Ok(Json(InvitationOut::of(view, app.limits.dev_show_tokens)))
}
