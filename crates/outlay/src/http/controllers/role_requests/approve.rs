//! `POST /api/v1/orgs/{org}/role-requests/{id}/approve`: approve a request: the grant is
//! created (time-bound when dates were given), under every rule of assigning roles.

use super::*;
use crate::http::paths::RequestPath;

/// Approve a request: the grant is created (time-bound when dates were given), under every
/// rule of assigning roles.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/approve", tag = "role requests",
    params(RequestPath),
    responses((status = 200, body = RoleRequestOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(RequestPath { org, id }): Path<RequestPath>,
) -> Result<Json<RoleRequestOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("role_request:{id}");
    let result = async {
        let (row, permit) = decidable(&mut tx, &actor, id).await?;
        let member = members::get(&mut tx, actor.org, MemberId(row.member_id))
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, member.member_id()).await?;
        let current = members::resolve(&member, grants, &actor.book);
        let spec = GrantSpec {
            team: row.team_id.map(TeamId),
            valid_from: row.valid_from.map(Timestamp),
            valid_until: row.valid_until.map(Timestamp),
            ..GrantSpec::role(&row.role)
        };
        // The request's grant joins the member's others, checked like any grant change.
        let mut specs: Vec<GrantSpec> = current
            .stored_grants()
            .map(|g| g.grant.spec.clone())
            .collect();
        specs.push(spec.clone());
        let proposed = invariants::resolve_grants(&actor.book, &specs)?;
        let facts = scope::target(&mut tx, actor.org, actor.id(), member.member_id()).await?;
        // The same check as any change of a member's grants.
        let grant_permit = crate::http::controllers::members::grant_change(
            &mut tx, &actor, &member, &current, &facts, &proposed,
        )
        .await??;
        members::add_grant(&mut tx, actor.org, member.member_id(), &spec, grant_permit).await?;
        if !role_requests::decide(
            &mut tx,
            actor.org,
            id,
            member.member_id(),
            true,
            None,
            permit,
        )
        .await?
        {
            return Err(WebError::Conflict {
                code: "request_decided",
                message: "this request was decided meanwhile".into(),
            });
        }
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((
            out(&row, false),
            json!({"member_id": row.member_id, "role": row.role, "team_id": row.team_id,
                                     "valid_from": row.valid_from, "valid_until": row.valid_until}),
        ))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role_request.approve", &target, result)
            .await?,
    ))
}
