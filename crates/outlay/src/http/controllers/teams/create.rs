//! `POST /api/v1/orgs/{org}/teams`: create a team. Needs `team.manage`.

use super::*;
use crate::http::paths::InOrg;

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
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("team:{name}");
    let result = async {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::TeamManage)?;
        match outlay_store::teams::create(&mut tx, actor.org, &name, permit).await {
            Ok(id) => Ok((
                TeamOut {
                    id: id.0,
                    name: name.clone(),
                    members: vec![],
                    allowed_actions: team_actions(&actor),
                },
                json!({"team_id": id.0}),
            )),
            Err(e) if e.is_unique_violation() => Err(WebError::Conflict {
                code: "team_exists",
                message: format!("a team named `{name}` exists"),
            }),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    let out = app
        .finish(tx, &actor, "team.manage", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
