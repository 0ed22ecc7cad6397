//! Role-change requests: a member asks for a role (for a team, for a while) with a reason;
//! whoever may assign that role to that member approves (the grant is created) or declines;
//! the requester sees the outcome. Nobody decides their own request.

mod approve;
mod create;
mod decline;
mod list;

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use crate::ops::role_requests::RequestView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{GrantSpec, TeamId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RoleRequestOut {
    pub id: i64,
    pub member_id: i64,
    pub role: String,
    pub team_id: Option<i64>,
    pub reason: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// `open`, `approved` or `declined`.
    pub status: String,
    pub created_at: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub decline_reason: Option<String>,
    /// What the caller may do with it now: `approve`, `decline`.
    pub allowed_actions: Vec<String>,
}

pub type RoleRequestPage = crate::http::page::Page<RoleRequestOut>;

fn out(v: RequestView) -> RoleRequestOut {
    let (r, may_decide) = (&v.row, v.may_decide);
    let t = |s: i64| rfc3339(Timestamp(s));
    RoleRequestOut {
        id: r.id,
        member_id: r.member_id,
        role: r.role.clone(),
        team_id: r.team_id,
        reason: r.reason.clone(),
        valid_from: r.valid_from.map(t),
        valid_until: r.valid_until.map(t),
        status: r.status.clone(),
        created_at: t(r.created_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(t),
        decline_reason: r.decline_reason.clone(),
        allowed_actions: if may_decide && r.status == "open" {
            vec!["approve".to_string(), "decline".to_string()]
        } else {
            vec![]
        },
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoleRequestIn {
    /// The role asked for.
    pub role: String,
    /// For a role bound to a team.
    pub team_id: Option<i64>,
    /// Why: which tasks need it.
    #[schema(schema_with = crate::http::schema::text_1000)]
    pub reason: String,
    /// RFC 3339: only from then (e.g. covering a colleague's holiday).
    #[schema(schema_with = crate::http::schema::date_time_or_null)]
    pub valid_from: Option<String>,
    /// RFC 3339: only until then.
    #[schema(schema_with = crate::http::schema::date_time_or_null)]
    pub valid_until: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `open`, `approved` or `declined` (empty: any).
    #[param(pattern = "^(open|approved|declined)?$")]
    pub status: Option<String>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    /// Why, for the requester: required.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(create::create, list::list))
        .routes(utoipa_axum::routes!(approve::approve))
        .routes(utoipa_axum::routes!(decline::decline))
}
