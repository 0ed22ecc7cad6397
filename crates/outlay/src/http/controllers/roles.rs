//! Roles: the built-ins and a company's custom roles.

use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::authorize;
use outlay_core::invariants::{self, CustomRoleInput};
use outlay_core::role::Role;
use outlay_core::Action;
use serde::{Deserialize, Serialize};
use serde_json::json;
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
#[derive(Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleOut>,
    pub next_cursor: Option<String>,
}

pub fn role_out(actor: &Actor, r: &Role) -> RoleOut {
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
        allowed_actions: authorize::role_actions(&actor.principal, actor.ctx(), r)
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// Built-in and custom roles with their permissions. Needs `role.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/roles", tag = "roles",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = RoleList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
) -> Result<Json<RoleList>, WebError> {
    let actor = app.reader(&auth, org).await?;
    if let Err(r) =
        authorize::company(&actor.principal, actor.ctx(), Action::RoleView).into_result()
    {
        return Err(app.refused(&actor, "role.view", "roles", r.into()).await);
    }
    let items = actor.book.all().map(|r| role_out(&actor, r)).collect();
    Ok(Json(RoleList {
        items,
        next_cursor: None,
    }))
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

/// Define a custom role from the catalog. Needs `role.manage`; nobody defines a role with
/// a permission they do not hold themselves.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/roles", tag = "roles", request_body = NewRole,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = RoleOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "a role with that key exists", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<NewRole>,
) -> Result<(StatusCode, Json<RoleOut>), WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let input = CustomRoleInput::parse(
        &actor.book,
        &req.key,
        &req.name,
        req.description.as_deref(),
        &req.permissions,
        req.read_only,
        &req.assignable,
    )?;
    let target = format!("role:{}", input.key);
    let result = async {
        let permit = invariants::define_role(&actor.principal, actor.ctx(), &actor.book, &input)?;
        let role = input.into_role();
        if let Err(e) = outlay_store::roles::create(&mut tx, actor.org, &role, permit).await {
            return Err(if e.is_unique_violation() {
                WebError::Conflict {
                    code: "role_exists",
                    message: format!("a role `{}` already exists", role.key),
                }
            } else {
                e.into()
            });
        }
        let out = role_out(&actor, &role);
        let detail = json!({"permissions": out.permissions, "read_only": out.read_only});
        Ok((out, detail))
    }
    .await;
    let out = app
        .finish(tx, &actor, "role.manage", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
