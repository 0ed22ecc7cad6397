//! Roles: the built-ins and a company's custom roles.

mod create;
mod list;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::App;
use crate::ops::roles::RoleView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    pub key: String,
    pub name: String,
    pub description: String,
    pub builtin: bool,
    /// Read-only roles never change anything.
    pub read_only: bool,
    /// `never`, `optional` or `required`: whether grants of the role name a team.
    pub team_binding: String,
    /// Roles its holders may grant and revoke (`*`: any).
    pub assignable: Vec<String>,
    /// The company's top role (owner, account holder, or admin).
    pub top: bool,
    /// Only holders of the top role grant or revoke it.
    pub top_controlled: bool,
    pub permissions: Vec<String>,
    /// What the caller may do with the role now: `grant` when they could hand it out.
    pub allowed_actions: Vec<String>,
}

/// Every role of the company: the list is complete, so `next_cursor` is always null.
pub type RoleList = crate::http::page::Page<RoleOut>;

pub fn role_out(v: RoleView) -> RoleOut {
    let r = &v.role;
    RoleOut {
        key: r.key.to_string(),
        name: r.name.clone(),
        description: r.description.clone(),
        builtin: r.builtin,
        read_only: r.read_only,
        team_binding: r.team_binding.as_str().to_string(),
        assignable: r.assignable.keys(),
        top: r.top,
        top_controlled: r.top_controlled,
        permissions: r.permissions.iter().map(|p| p.key()).collect(),
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewRole {
    /// `a-z`, `0-9`, `_`; not a built-in role's key.
    #[schema(schema_with = crate::http::schema::role_key)]
    pub key: String,
    #[schema(schema_with = crate::http::schema::text_80)]
    pub name: String,
    #[schema(schema_with = crate::http::schema::optional_text_500)]
    pub description: Option<String>,
    /// Catalog keys, e.g. `expense.view.team`.
    pub permissions: Vec<String>,
    #[serde(default)]
    pub read_only: bool,
    /// Roles its holders may grant and revoke; only roles the definer could assign.
    #[serde(default)]
    pub assignable: Vec<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
}
