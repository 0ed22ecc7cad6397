//! Companies: the presets to choose from, founding a company, reading it, closing it.

mod close;
mod create;
mod get;
mod presets;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{preset, Timestamp};
use outlay_store::orgs::OrgRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PresetRoleOut {
    pub key: String,
    pub name: String,
    /// Other names the API accepts for this role.
    pub aliases: Vec<String>,
    pub description: String,
    pub permissions: Vec<String>,
    /// Roles its holders may grant and revoke (`*`: any).
    pub assignable: Vec<String>,
    /// `never`, `optional` or `required`.
    pub team_binding: String,
    pub read_only: bool,
    /// Only holders of the top role grant or revoke it.
    pub top_controlled: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PresetOut {
    pub key: String,
    pub name: String,
    /// The document the preset follows.
    pub seed: String,
    pub description: String,
    /// The role the company must always keep one permanent holder of.
    pub top_role: String,
    /// The role every active member holds without a grant, if any.
    pub base_role: Option<String>,
    /// How far managers see: e.g. `direct` (Plane) or `team` (Eloope).
    pub manager_scope: String,
    pub rules: Vec<String>,
    pub roles: Vec<PresetRoleOut>,
}

/// Every preset, whole: the list is complete, so `next_cursor` is always null.
pub type PresetList = crate::http::page::Page<PresetOut>;

#[derive(Serialize, ToSchema)]
pub struct OrgOut {
    pub id: i64,
    pub name: String,
    pub preset: String,
    /// ISO 4217 code: caps and amounts compare in it.
    pub base_currency: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
}

fn org_out(o: OrgRow) -> OrgOut {
    OrgOut {
        id: o.id,
        name: o.name,
        preset: o.preset,
        base_currency: o.base_currency,
        created_at: rfc3339(Timestamp(o.created_at)),
        closed_at: o.closed_at.map(|t| rfc3339(Timestamp(t))),
        close_reason: o.close_reason,
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrg {
    #[schema(schema_with = crate::http::schema::text_120)]
    pub name: String,
    /// A preset key from `GET /api/v1/presets`; default `outlay`.
    #[schema(schema_with = crate::http::schema::preset_or_null)]
    pub preset: Option<String>,
    /// ISO 4217 code; default `EUR`.
    #[schema(schema_with = crate::http::schema::currency_or_null)]
    pub base_currency: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NewOrgOut {
    #[serde(flatten)]
    pub org: OrgOut,
    /// The caller's membership in the new company.
    pub member_id: i64,
    /// The role the caller now holds: the preset's top role.
    pub role: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Why: required, kept with the company.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(presets::presets))
        .routes(utoipa_axum::routes!(create::create))
        .routes(utoipa_axum::routes!(get::get))
        .routes(utoipa_axum::routes!(close::close))
}
