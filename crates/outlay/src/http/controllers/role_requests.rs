//! Role-change requests: a member asks for a role (for a team, for a while) with a reason;
//! whoever may assign that role to that member approves (the grant is created) or declines;
//! the requester sees the outcome. Nobody decides their own request.

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::invariants::{self, GrantChange, GrantVia};
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

#[derive(Serialize, ToSchema)]
pub struct RoleRequestPage {
    pub items: Vec<RoleRequestOut>,
    pub next_cursor: Option<String>,
}

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

/// Ask for a role, with a reason and optional dates. Anyone may ask.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests", tag = "role requests", request_body = NewRoleRequestIn,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = RoleRequestOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<NewRoleRequestIn>,
) -> Result<(StatusCode, Json<RoleRequestOut>), WebError> {
    let reason = outlay_core::validate::text("reason", &req.reason, 1000)?;
    let time = |field: &str, v: &Option<String>| -> Result<Option<Timestamp>, WebError> {
        v.as_deref()
            .map(|s| {
                parse_rfc3339(s).ok_or_else(|| {
                    WebError::invalid(
                        field,
                        "must be an RFC 3339 time like `2026-12-31T23:59:59Z`",
                    )
                })
            })
            .transpose()
    };
    let valid_from = time("valid_from", &req.valid_from)?;
    let valid_until = time("valid_until", &req.valid_until)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let spec = GrantSpec {
        team: req.team_id.map(TeamId),
        valid_from,
        valid_until,
        ..GrantSpec::role(req.role.trim())
    };
    let resolved = invariants::resolve_grants(&actor.book, std::slice::from_ref(&spec))
        .map_err(|e| WebError::invalid(e.field.trim_start_matches("grants[0]."), e.reason))?;
    let (spec, role) = resolved.into_iter().next().ok_or(WebError::NotFound)?;
    if spec.valid_until.is_some_and(|u| u <= actor.now) {
        return Err(WebError::invalid("valid_until", "is already past"));
    }
    if let Some(t) = spec.team {
        if outlay_store::teams::get(&mut tx, actor.org, t)
            .await?
            .is_none()
        {
            return Err(WebError::invalid(
                "team_id",
                format!("team {t} does not exist in this company"),
            ));
        }
    }
    let target = format!("member:{}", actor.id().0);
    let result = async {
        if actor.company.is_closed() {
            return Err(Reason::CompanyClosed.into());
        }
        if actor.book.preset().base == Some(&*role.key) {
            return Err(Reason::BaseRole {
                role: role.key.to_string(),
            }
            .into());
        }
        let new = NewRoleRequest {
            member: actor.id(),
            role: &spec.role,
            team: spec.team,
            reason: &reason,
            valid_from: spec.valid_from,
            valid_until: spec.valid_until,
        };
        let id = role_requests::create(&mut tx, actor.org, &new).await?;
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((
            out(&row, false),
            json!({"request_id": id, "role": spec.role, "team_id": spec.team.map(|t| t.0)}),
        ))
    }
    .await;
    let out = app
        .finish(tx, &actor, "role_request.create", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
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

/// The caller's own requests and those they may decide, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-requests", tag = "role requests",
    params(("org" = i64, Path, description = "company id"), ListQuery),
    responses((status = 200, body = RoleRequestPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<RoleRequestPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s @ ("open" | "approved" | "declined")) => Some(s),
        Some(s) => {
            return Err(WebError::invalid(
                "status",
                format!("`{s}` is not one of `open`, `approved`, `declined`"),
            ))
        }
    };
    let (actor, mut conn) = app.reading(&auth, org).await?;
    // Requests are few; the caller's view is filtered here, a page at a time.
    let mut items = Vec::new();
    let mut cursor = paging.cursor;
    let limit = usize::try_from(paging.limit).unwrap_or(50);
    let mut next_cursor = None;
    'pages: loop {
        let rows = role_requests::list(&mut conn, actor.org, status, cursor, 200).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        for r in &rows {
            let mine = r.member_id == actor.id().0;
            let may = decider(&mut conn, &actor, r).await?.is_ok();
            if mine || may {
                if items.len() == limit {
                    next_cursor = items.last().map(|i: &RoleRequestOut| i.id.to_string());
                    break 'pages;
                }
                items.push(out(r, may));
            }
        }
        cursor = Some(last);
    }
    Ok(Json(RoleRequestPage { items, next_cursor }))
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

/// Approve a request: the grant is created (time-bound when dates were given), under every
/// rule of assigning roles.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/approve", tag = "role requests",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "request id")),
    responses((status = 200, body = RoleRequestOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<RoleRequestOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("role_request:{id}");
    let result = async {
        let (row, permit) = decidable(&mut tx, &actor, id).await?;
        let member = members::get(&mut tx, actor.org, MemberId(row.member_id))
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, member.member_id()).await?;
        let current = members::resolve(&member, grants, &actor.book);
        let spec = GrantSpec {
            team: row.team_id.map(TeamId),
            valid_from: row.valid_from.map(Timestamp),
            valid_until: row.valid_until.map(Timestamp),
            ..GrantSpec::role(&row.role)
        };
        // The request's grant joins the member's others, checked like any grant change.
        let mut specs: Vec<GrantSpec> = current
            .stored_grants()
            .map(|g| g.grant.spec.clone())
            .collect();
        specs.push(spec.clone());
        let proposed = invariants::resolve_grants(&actor.book, &specs)?;
        let facts = scope::target(&mut tx, actor.org, actor.id(), member.member_id()).await?;
        let preset = actor.book.preset();
        let others = members::other_permanent_tops(
            &mut tx,
            actor.org,
            member.member_id(),
            preset.top,
            actor.now,
        )
        .await?;
        let stored: Vec<outlay_core::ResolvedGrant> = current.stored_grants().cloned().collect();
        let change = GrantChange {
            target: facts.target(),
            target_archived: member.is_archived(),
            target_kind: member.kind(),
            current: &stored,
            proposed: &proposed,
            other_permanent_tops: others,
            other_tops: members::other_tops(&mut tx, actor.org, member.member_id(), preset.top)
                .await?,
            top_role: preset.top,
            base_role: preset.base,
        };
        let grant_permit =
            invariants::change_grants(&actor.principal, actor.ctx(), GrantVia::Assign, &change)?;
        members::add_grant(&mut tx, actor.org, member.member_id(), &spec, grant_permit).await?;
        if !role_requests::decide(
            &mut tx,
            actor.org,
            id,
            member.member_id(),
            true,
            None,
            permit,
        )
        .await?
        {
            return Err(WebError::Conflict {
                code: "request_decided",
                message: "this request was decided meanwhile".into(),
            });
        }
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((
            out(&row, false),
            json!({"member_id": row.member_id, "role": row.role, "team_id": row.team_id,
                                     "valid_from": row.valid_from, "valid_until": row.valid_until}),
        ))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role_request.approve", &target, result)
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    /// Why, for the requester: required.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// Decline a request, with a reason for the requester.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/decline", tag = "role requests", request_body = DeclineRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "request id")),
    responses((status = 200, body = RoleRequestOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decline(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<DeclineRequest>,
) -> Result<Json<RoleRequestOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("role_request:{id}");
    let result = async {
        let (row, permit) = decidable(&mut tx, &actor, id).await?;
        if !role_requests::decide(
            &mut tx,
            actor.org,
            id,
            MemberId(row.member_id),
            false,
            Some(&reason),
            permit,
        )
        .await?
        {
            return Err(WebError::Conflict {
                code: "request_decided",
                message: "this request was decided meanwhile".into(),
            });
        }
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((out(&row, false), json!({"decline_reason": reason})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role_request.decline", &target, result)
            .await?,
    ))
}
