//! `POST /api/v1/orgs/{org}/members/{id}/grants/preview`: preview replacing a member's grants:
//! what they would gain and lose, whose data would enter or leave their reach, and whether the
//! caller may make the change. Nothing is changed. Needs `role.view`, or a grant that assigns
//! roles.

use super::*;
use crate::http::paths::MemberPath;

/// Preview replacing a member's grants: what they would gain and lose, whose data would
/// enter or leave their reach, and whether the caller may make the change. Nothing is
/// changed. Needs `role.view`, or a grant that assigns roles.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/grants/preview", tag = "members", request_body = GrantsRequest,
    params(MemberPath),
    responses((status = 200, body = GrantsPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn preview_grants(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<GrantsPreview>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let target_name = format!("member:{id}");
    let may_preview = authorize::company(&actor.principal, actor.ctx(), Action::RoleView)
        .is_allowed()
        || actor
            .principal
            .active_grants(actor.now)
            .any(|g| !g.role.assignable.is_empty());
    if !may_preview {
        let err = Reason::NoPermission {
            action: Action::RoleAssign,
        }
        .into();
        return Err(app.refused(&actor, "role.preview", &target_name, err).await);
    }
    let mut conn = app.store.read().await?;
    let Some((row, target, facts)) = visible_member(&mut conn, &actor, id).await? else {
        return Err(app
            .refused(&actor, "role.preview", &target_name, WebError::NotFound)
            .await);
    };
    let proposed = resolve_grants(&mut conn, actor.org, &actor.book, &req.grants).await?;
    invariants::check_new_windows(&target, &proposed, actor.now)?;
    let decision = grant_change(&mut conn, &actor, &row, &target, &facts, &proposed).await?;
    let diff = invariants::access_diff(&target, &proposed, actor.now);
    let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
    let after = members::principal_with(&row, &specs, &actor.book);
    let reach = |p: &Principal| p.list_scope(actor.now, Action::ExpenseView);
    let (people_gained, people_lost) = members::reach_change(
        &mut conn,
        actor.org,
        row.member_id(),
        reach(&target).as_ref(),
        reach(&after).as_ref(),
        100,
    )
    .await?;
    let people = |v: Vec<(i64, String)>| {
        v.into_iter()
            .map(|(member_id, name)| ReachChange { member_id, name })
            .collect()
    };
    let (allowed, code, reason) = match decision {
        Ok(_) => (
            true,
            "granted".to_string(),
            "the change is allowed".to_string(),
        ),
        Err(r) => (false, r.code().to_string(), r.to_string()),
    };
    Ok(Json(GrantsPreview {
        allowed,
        code,
        reason,
        gained: diff.gained,
        lost: diff.lost,
        people_gained: people(people_gained),
        people_lost: people(people_lost),
    }))
}
