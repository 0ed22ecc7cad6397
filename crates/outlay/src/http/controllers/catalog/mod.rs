//! The permission catalog, as the core lists it.

mod permissions;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path};
use crate::http::App;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PermissionOut {
    /// `resource.action` or `resource.action.scope`, e.g. `expense.view.team`.
    pub key: String,
    pub resource: String,
    pub action: String,
    /// `own`, `team` or `all`; absent for unscoped permissions.
    pub scope: Option<String>,
    /// Whether it changes data; read-only roles hold none of these.
    pub mutates: bool,
    pub description: String,
}

/// The whole catalog: the list is complete, so `next_cursor` is always null.
pub type PermissionList = crate::http::page::Page<PermissionOut>;

pub fn permission_out(p: outlay_core::catalog::PermissionInfo) -> PermissionOut {
    PermissionOut {
        key: p.key,
        resource: serde_json::to_value(p.resource)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        action: p.action.to_string(),
        scope: p.scope.map(|s| s.as_str().to_string()),
        mutates: p.mutates,
        description: p.description,
    }
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(permissions::permissions))
}
