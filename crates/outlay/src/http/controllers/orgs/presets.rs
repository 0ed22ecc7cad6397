//! `GET /api/v1/presets`: the role-model presets a company can be created with, each with its
//! roles, their permissions and who may assign whom, so a person choosing can compare.

use super::*;

/// The role-model presets a company can be created with, each with its roles, their
/// permissions and who may assign whom, so a person choosing can compare.
#[utoipa::path(get, path = "/api/v1/presets", tag = "orgs",
    responses((status = 200, body = crate::http::page::Page<PresetOut>)))]
pub async fn presets() -> Json<PresetList> {
    let items = preset::all()
        .iter()
        .map(|p| PresetOut {
            key: p.key.to_string(),
            name: p.name.to_string(),
            seed: p.seed.to_string(),
            description: p.description.to_string(),
            top_role: p.top.to_string(),
            base_role: p.base.map(str::to_string),
            manager_scope: p.manager_scope.to_string(),
            rules: p.rules.iter().map(|r| r.to_string()).collect(),
            roles: p
                .roles()
                .iter()
                .map(|r| PresetRoleOut {
                    key: r.key.to_string(),
                    name: r.name.clone(),
                    aliases: p.aliases_of(&r.key).iter().map(|a| a.to_string()).collect(),
                    description: r.description.clone(),
                    permissions: r.permissions.iter().map(|p| p.key()).collect(),
                    assignable: r.assignable.keys(),
                    team_binding: r.team_binding.as_str().to_string(),
                    read_only: r.read_only,
                    top_controlled: r.top_controlled,
                })
                .collect(),
        })
        .collect();
    Json(PresetList {
        items,
        next_cursor: None,
    })
}
