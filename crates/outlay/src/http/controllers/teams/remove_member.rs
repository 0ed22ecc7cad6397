//! `DELETE /api/v1/orgs/{org}/teams/{id}/members/{member}`: take a member out of a team. Needs `team.manage`.

use super::*;

/// Take a member out of a team. Needs `team.manage`.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/teams/{id}/members/{member}", tag = "teams",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "team id"), ("member" = i64, Path, description = "member id")),
    responses((status = 204, description = "the member is not in the team"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(app): State<App>,
    auth: Auth,
    Path((org, team, member)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, WebError> {
    change(app, auth, org, team, member, false).await
}
