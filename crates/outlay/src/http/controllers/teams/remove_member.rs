//! `DELETE /api/v1/orgs/{org}/teams/{id}/members/{member}`: take a member out of a team. Needs
//! `team.manage`.

use super::*;
use crate::http::paths::TeamMemberPath;

/// Take a member out of a team. Needs `team.manage`.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/teams/{id}/members/{member}", tag = "teams",
    params(TeamMemberPath),
    responses((status = 204, description = "the member is not in the team"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(app): State<App>,
    auth: Auth,
    Path(TeamMemberPath {
        org,
        id: team,
        member,
    }): Path<TeamMemberPath>,
) -> Result<StatusCode, WebError> {
    change(app, auth, org, team, member, false).await
}
