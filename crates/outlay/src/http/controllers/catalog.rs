//! The permission catalog, as the core lists it.

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
#[derive(Serialize, ToSchema)]
pub struct PermissionList {
    pub items: Vec<PermissionOut>,
    pub next_cursor: Option<String>,
}

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

/// Every permission Outlay knows, each with a one-line description.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/permissions", tag = "roles",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = PermissionList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn permissions(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
) -> Result<Json<PermissionList>, WebError> {
    app.reader(&auth, org).await?;
    let items = outlay_core::catalog::catalog()
        .into_iter()
        .map(permission_out)
        .collect();
    Ok(Json(PermissionList {
        items,
        next_cursor: None,
    }))
}
