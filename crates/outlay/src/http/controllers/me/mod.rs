//! Who the caller is, and where they are a member.

mod get;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::Auth;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::{MemberId, OrgId};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub person: PersonOut,
    pub memberships: Vec<MembershipOut>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub email: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub status: String,
    /// The company's role-model preset.
    pub preset: String,
    /// `internal` or `external`.
    pub kind: String,
    /// Whether the company is closed.
    pub company_closed: bool,
    /// Roles of the grants active now (the preset's base role included).
    pub roles: Vec<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(get::me))
}
