//! `GET /api/v1/orgs/{org}/members/{id}/permissions`: every effective permission of a member
//! with the grants behind it ("view all permissions"). Members see their own; others need
//! `role.view`.

use super::*;
use crate::http::paths::MemberPath;

/// Every effective permission of a member with the grants behind it ("view all
/// permissions"). Members see their own; others need `role.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members/{id}/permissions", tag = "members",
    params(MemberPath),
    responses((status = 200, body = EffectivePermissions), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn permissions(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<EffectivePermissions>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let target_name = format!("member:{id}");
    let mut conn = app.store.read().await?;
    // Everyone sees their own page, even with no grant left that shows members.
    let found = match visible_member(&mut conn, &actor, id).await? {
        None if id == actor.id().0 => Some((
            actor.member.clone(),
            actor.principal.clone(),
            actor.principal_target(),
        )),
        found => found,
    };
    let Some((_, target, facts)) = found else {
        return Err(app
            .refused(&actor, "role.view", &target_name, WebError::NotFound)
            .await);
    };
    if facts.line != Line::Own {
        if let Err(r) = authorize::on_member(
            &actor.principal,
            actor.ctx(),
            Action::RoleView,
            facts.target(),
        )
        .into_result()
        {
            return Err(app
                .refused(&actor, "role.view", &target_name, r.into())
                .await);
        }
    }
    let catalog: HashMap<String, String> = outlay_core::catalog::catalog()
        .into_iter()
        .map(|p| (p.key, p.description))
        .collect();
    let effective = target.effective(actor.now);
    let items = effective
        .iter()
        .map(|e| {
            let key = e.permission.key();
            EffectivePermissionOut {
                description: catalog.get(&key).cloned().unwrap_or_default(),
                permission: key,
                sources: e
                    .sources()
                    .map(|g| GrantSource {
                        grant_id: g.grant.id.0,
                        base: g.base,
                        role: g.role.key.to_string(),
                        team_id: g.grant.spec.team.map(|t| t.0),
                        valid_until: g.grant.spec.valid_until.map(rfc3339),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(EffectivePermissions {
        member_id: id,
        items,
    }))
}
