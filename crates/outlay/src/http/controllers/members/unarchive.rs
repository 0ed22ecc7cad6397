//! `POST /api/v1/orgs/{org}/members/{id}/unarchive`: bring an archived member back with the
//! grants they held. Needs `member.archive` reaching the member, like archiving.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::Unarchive;

/// Unarchive a member: they log in and act again with the grants they held (or stay invited
/// when they never accepted). Needs `member.archive` reaching the member, like archiving.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/unarchive", tag = "members",
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "not archived", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn unarchive(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<MemberOut>, WebError> {
    Ok(Json(member_out(
        app.perform(&auth, org, Unarchive { member: id }).await?,
    )))
}
