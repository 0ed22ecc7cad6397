//! `PUT /api/v1/orgs/{org}/teams/{id}/members/{member}`: put a member in a team. Needs
//! `team.manage`.

use super::*;
use crate::http::paths::TeamMemberPath;

/// Put a member in a team. Needs `team.manage`.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/teams/{id}/members/{member}", tag = "teams",
    params(TeamMemberPath),
    responses((status = 204, description = "the member is in the team"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_member(
    State(app): State<App>,
    auth: Auth,
    Path(TeamMemberPath {
        org,
        id: team,
        member,
    }): Path<TeamMemberPath>,
) -> Result<StatusCode, WebError> {
    change(app, auth, org, team, member, true).await
}
