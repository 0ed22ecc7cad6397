//! `POST /api/v1/orgs/{org}/teams`: create a team. Needs `team.manage`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::teams::Create;

/// Create a team. Needs `team.manage`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/teams", tag = "teams", request_body = NewTeam,
    params(InOrg),
    responses((status = 201, body = TeamOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "name taken", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewTeam>,
) -> Result<(StatusCode, Json<TeamOut>), WebError> {
    let name = outlay_core::validate::text("name", &req.name, 80)?;
    let team = app.perform(&auth, org, Create { name }).await?;
    Ok((StatusCode::CREATED, Json(team_out(team))))
}
