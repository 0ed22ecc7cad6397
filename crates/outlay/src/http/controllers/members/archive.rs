//! `POST /api/v1/orgs/{org}/members/{id}/archive`: archive a member: they can no longer log in
//! or act; their data and history stay. Needs `member.archive` reaching the member.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::Archive;

/// Archive a member: they can no longer log in or act; their data and history stay. Needs
/// `member.archive` reaching the member.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/archive", tag = "members",
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "last owner", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn archive(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<MemberOut>, WebError> {
    Ok(Json(member_out(
        app.perform(&auth, org, Archive { member: id }).await?,
    )))
}
