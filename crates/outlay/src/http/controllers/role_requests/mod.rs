//! Role-change requests: a member asks for a role (for a team, for a while) with a reason;
//! whoever may assign that role to that member approves (the grant is created) or declines;
//! the requester sees the outcome. Nobody decides their own request.

mod approve;
mod create;
mod decline;
mod list;

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::invariants;
use outlay_core::{GrantSpec, MemberId, Reason, TeamId, Timestamp};
use outlay_store::role_requests::{self, NewRoleRequest, RoleRequestRow};
use outlay_store::{members, scope, Conn};
use serde::{Deserialize, Serialize};
use serde_json::json;
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

fn out(r: &RoleRequestRow, may_decide: bool) -> RoleRequestOut {
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

/// Whether the actor may decide this request: they may assign its role to its member.
async fn decider(
    conn: &mut Conn,
    actor: &Actor,
    r: &RoleRequestRow,
) -> Result<Result<outlay_core::authorize::Permit, Reason>, WebError> {
    let Some(role) = actor.book.get(&r.role) else {
        return Ok(Err(Reason::NotAssignable {
            role: r.role.clone(),
        }));
    };
    let facts = scope::target(conn, actor.org, actor.id(), MemberId(r.member_id)).await?;
    if actor.company.is_closed() {
        return Ok(Err(Reason::CompanyClosed));
    }
    Ok(invariants::decide_role_request(
        &actor.principal,
        actor.now,
        MemberId(r.member_id),
        role,
        r.team_id.map(TeamId),
        &facts.target(),
    ))
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

/// Loads an open request the actor may see (their own, or one they may decide).
async fn decidable(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(RoleRequestRow, outlay_core::authorize::Permit), WebError> {
    let row = role_requests::get(conn, actor.org, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let permit = match decider(conn, actor, &row).await? {
        Ok(p) => p,
        Err(r) if row.member_id == actor.id().0 => return Err(r.into()),
        Err(Reason::CompanyClosed) => return Err(Reason::CompanyClosed.into()),
        Err(_) => return Err(WebError::NotFound),
    };
    if row.status != "open" {
        return Err(WebError::Conflict {
            code: "request_decided",
            message: format!("this request is already {}", row.status),
        });
    }
    Ok((row, permit))
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
