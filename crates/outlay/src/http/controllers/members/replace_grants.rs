//! `PUT /api/v1/orgs/{org}/members/{id}/grants`: replace a member's grants. Each role added or
//! removed must be assignable by one of the caller's grants reaching the member; top-controlled
//! roles only by the top role; nobody adds to their own grants; the last permanent top-role
//! holder stays.

use super::*;
use crate::http::paths::MemberPath;

/// Replace a member's grants. Each role added or removed must be assignable by one of the
/// caller's grants reaching the member; top-controlled roles only by the top role; nobody
/// adds to their own grants; the last permanent top-role holder stays.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/grants", tag = "members", request_body = GrantsRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "last owner, base role, external member, company closed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn replace_grants(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let proposed = resolve_grants(&mut tx, actor.org, &actor.book, &req.grants).await?;
        invariants::check_new_windows(&target, &proposed, actor.now)?;
        let permit = grant_change(&mut tx, &actor, &row, &target, &facts, &proposed).await??;
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        members::replace_grants(&mut tx, actor.org, row.member_id(), &specs, permit).await?;
        let before: Vec<String> = target
            .stored_grants()
            .map(|g| g.grant.spec.role.clone())
            .collect();
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let updated = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &updated, &facts).await?;
        let after: Vec<&str> = specs.iter().map(|s| s.role.as_str()).collect();
        Ok((out, json!({"before": before, "after": after})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role.assign", &target_name, result)
            .await?,
    ))
}
