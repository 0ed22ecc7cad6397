//! `GET /api/v1/orgs/{org}/members/{id}/permissions`: every effective permission of a member
//! with the grants behind it ("view all permissions"). Members see their own; others need
//! `role.view`.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::Permissions;
use std::collections::HashMap;

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
    let effective = app.ask(&auth, org, Permissions { member: id }).await?;
    let catalog: HashMap<String, String> = outlay_core::catalog::catalog()
        .into_iter()
        .map(|p| (p.key, p.description))
        .collect();
    let items = effective
        .into_iter()
        .map(|e| {
            let key = e.permission.key();
            EffectivePermissionOut {
                description: catalog.get(&key).cloned().unwrap_or_default(),
                permission: key,
                sources: e
                    .sources
                    .into_iter()
                    .map(|g| GrantSource {
                        grant_id: g.grant_id,
                        base: g.base,
                        role: g.role,
                        team_id: g.team.map(|t| t.0),
                        valid_until: g.valid_until.map(rfc3339),
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
