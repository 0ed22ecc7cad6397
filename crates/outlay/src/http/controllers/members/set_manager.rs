//! `PUT /api/v1/orgs/{org}/members/{id}/manager`: set a member's manager. Access follows the
//! reporting line at once; nothing is deleted. Needs `member.manage` reaching the member.

use super::*;
use crate::http::paths::MemberPath;

/// Set a member's manager. Access follows the reporting line at once; nothing is deleted.
/// Needs `member.manage` reaching the member.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/manager", tag = "members", request_body = ManagerRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "reporting cycle", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_manager(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<ManagerRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let wanted = req
            .manager_id
            .ok_or_else(|| WebError::invalid("manager_id", "is required (null for none)"))?;
        let manager = check_manager(&mut tx, actor.org, wanted).await?;
        let cycle = match manager {
            Some(m) => members::would_cycle(&mut tx, actor.org, row.member_id(), m).await?,
            None => false,
        };
        let permit =
            invariants::manage_member(&actor.principal, actor.ctx(), facts.target(), cycle)?;
        members::set_manager(&mut tx, actor.org, row.member_id(), manager, permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let facts = scope::target(&mut tx, actor.org, actor.id(), row.member_id()).await?;
        let out = full_member(&mut tx, &actor, &row, &target, &facts).await?;
        Ok((out, json!({"manager_id": manager.map(|m| m.0)})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.manage", &target_name, result)
            .await?,
    ))
}
