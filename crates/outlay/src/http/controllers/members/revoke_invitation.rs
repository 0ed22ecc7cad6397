//! `DELETE /api/v1/orgs/{org}/members/{id}/invitation`: revoke a member's invitation: its
//! token stops working. Needs `member.invite`, like inviting.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::invitations::Reinvite;
use outlay_core::member::Reissue;

/// Revoke a member's invitation: its token stops working; the member stays invited, and a
/// resend issues a new one. Needs `member.invite`, like inviting.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/members/{id}/invitation", tag = "members",
    params(MemberPath),
    responses((status = 200, body = InvitationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "accepted or revoked already, or the member is archived", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn revoke_invitation(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<InvitationOut>, WebError> {
    let what = Reissue::Revoke;
    let view = app
        .perform(&auth, org, Reinvite { member: id, what })
        .await?;
    Ok(Json(InvitationOut::of(view, app.limits.dev_show_tokens)))
}
