//! Members: listing (scoped), inviting, grants, reporting lines, archiving, effective
//! permissions, and accepting an invitation.

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::authorize;
use outlay_core::invariants::{self, GrantChange, GrantVia};
use outlay_core::role::Role;
use outlay_core::{Action, GrantSpec, MemberId, OrgId, Principal, Reason, TeamId, Timestamp};
use outlay_store::members::{self, MemberRow, MemberStatus};
use outlay_store::{scope, Conn};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// How long an invitation stays usable.
const INVITATION_SECONDS: i64 = 14 * 24 * 3600;

#[derive(Serialize, ToSchema)]
pub struct GrantOut {
    pub id: i64,
    pub role: String,
    pub team_id: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// Whether the grant gives anything now.
    pub active: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// `invited`, `active` or `archived`.
    pub status: String,
    pub manager_id: Option<i64>,
    pub teams: Vec<i64>,
    pub grants: Vec<GrantOut>,
    /// What the caller may do with this member now.
    pub allowed_actions: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberOut>,
    pub next_cursor: Option<String>,
}

/// A grant as shown; an archived member's grants give nothing, so none is active.
fn grant_out(g: &outlay_core::Grant, now: Timestamp, archived: bool) -> GrantOut {
    GrantOut {
        id: g.id.0,
        role: g.spec.role.clone(),
        team_id: g.spec.team.map(|t| t.0),
        valid_from: g.spec.valid_from.map(rfc3339),
        valid_until: g.spec.valid_until.map(rfc3339),
        active: !archived && g.spec.active_at(now),
    }
}

fn member_out(
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    teams: Vec<i64>,
    relation: outlay_core::Relation,
) -> MemberOut {
    let mut grants: Vec<GrantOut> = target
        .grants
        .iter()
        .map(|g| grant_out(&g.grant, actor.now, target.archived))
        .collect();
    grants.sort_by_key(|g| g.id);
    MemberOut {
        id: row.id,
        name: row.name.clone(),
        email: row.email.clone(),
        status: row.status.clone(),
        manager_id: row.manager_id,
        teams,
        grants,
        allowed_actions: authorize::member_actions(&actor.principal, actor.now, target, relation)
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// A member of the company, its principal, and whether the actor may see it.
async fn visible_member(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<Option<(MemberRow, Principal, outlay_core::Relation)>, WebError> {
    let Some(row) = members::get(conn, actor.org, MemberId(id)).await? else {
        return Ok(None);
    };
    let Some(relation) = seen_as(conn, actor, &row).await? else {
        return Ok(None);
    };
    let principal = members::principal(conn, actor.org, &row).await?;
    Ok(Some((row, principal, relation)))
}

/// How the actor relates to a member they may see (`member.view` at that reach), if they may.
pub(crate) async fn seen_as(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
) -> Result<Option<outlay_core::Relation>, WebError> {
    let relation = scope::relation(conn, actor.org, actor.id(), actor.now, row.member_id()).await?;
    let view = authorize::scoped(&actor.principal, actor.now, Action::MemberView, relation);
    Ok(view.allowed.then_some(relation))
}

async fn full_member(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    relation: outlay_core::Relation,
) -> Result<MemberOut, WebError> {
    let teams = outlay_store::teams::teams_of(conn, actor.org, row.member_id()).await?;
    Ok(member_out(actor, row, target, teams, relation))
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Members the caller may see (`member.view` at own, team or all scope), newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members", tag = "members",
    params(("org" = i64, Path, description = "company id"), ListQuery),
    responses((status = 200, body = MemberPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<MemberPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let actor = app.reader(&auth, org).await?;
    let Some(visible_at) = authorize::list_scope(&actor.principal, actor.now, Action::MemberView)
    else {
        let err = Reason::NoPermission {
            action: Action::MemberView,
        }
        .into();
        return Err(app.refused(&actor, "member.view", "members", err).await);
    };
    let mut conn = app.store.read().await?;
    let mut rows = members::list(
        &mut conn,
        actor.org,
        actor.id(),
        actor.now,
        visible_at,
        paging.cursor,
        paging.fetch(),
    )
    .await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let (lo, hi) = (
        rows.iter().map(|r| r.id).min().unwrap_or(0),
        rows.iter().map(|r| r.id).max().unwrap_or(0),
    );
    let book = outlay_store::roles::book(&mut conn, actor.org).await?;
    let mut grants: HashMap<i64, Vec<outlay_core::Grant>> = HashMap::new();
    for (member, g) in members::grants_between(&mut conn, actor.org, lo, hi).await? {
        grants.entry(member).or_default().push(g);
    }
    let mut teams: HashMap<i64, Vec<i64>> = HashMap::new();
    for (team, member) in outlay_store::teams::memberships(&mut conn, actor.org).await? {
        teams.entry(member).or_default().push(team);
    }
    let items = rows
        .iter()
        .map(|row| {
            let target = members::resolve(row, grants.remove(&row.id).unwrap_or_default(), &book);
            let relation = scope::parse_relation(row.relation.as_deref().unwrap_or("other"));
            member_out(
                &actor,
                row,
                &target,
                teams.remove(&row.id).unwrap_or_default(),
                relation,
            )
        })
        .collect();
    Ok(Json(MemberPage { items, next_cursor }))
}

/// One member, if the caller may see them.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members/{id}", tag = "members",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<MemberOut>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let mut conn = app.store.read().await?;
    match visible_member(&mut conn, &actor, id).await? {
        Some((row, target, relation)) => Ok(Json(
            full_member(&mut conn, &actor, &row, &target, relation).await?,
        )),
        None => Err(app
            .refused(
                &actor,
                "member.view",
                &format!("member:{id}"),
                WebError::NotFound,
            )
            .await),
    }
}

#[derive(Serialize, ToSchema)]
pub struct GrantSource {
    pub grant_id: i64,
    pub role: String,
    pub team_id: Option<i64>,
    pub valid_until: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EffectivePermissionOut {
    pub permission: String,
    pub description: String,
    /// The active grants that give this permission.
    pub sources: Vec<GrantSource>,
}

#[derive(Serialize, ToSchema)]
pub struct EffectivePermissions {
    pub member_id: i64,
    pub items: Vec<EffectivePermissionOut>,
}

/// Every effective permission of a member with the grants behind it ("view all
/// permissions"). Members see their own; others need `role.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members/{id}/permissions", tag = "members",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = EffectivePermissions), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn permissions(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<EffectivePermissions>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let target_name = format!("member:{id}");
    let mut conn = app.store.read().await?;
    // Everyone sees their own page, even with no grant left that shows members.
    let found = match visible_member(&mut conn, &actor, id).await? {
        None if id == actor.id().0 => {
            let principal = actor.principal.clone();
            members::get(&mut conn, actor.org, actor.id())
                .await?
                .map(|row| (row, principal, outlay_core::Relation::Own))
        }
        found => found,
    };
    let Some((_, target, relation)) = found else {
        return Err(app
            .refused(&actor, "role.view", &target_name, WebError::NotFound)
            .await);
    };
    if relation != outlay_core::Relation::Own {
        if let Err(r) =
            authorize::company(&actor.principal, actor.now, Action::RoleView).into_result()
        {
            return Err(app
                .refused(&actor, "role.view", &target_name, r.into())
                .await);
        }
    }
    let catalog: HashMap<String, String> = outlay_core::catalog::catalog()
        .into_iter()
        .map(|p| (p.key, p.description))
        .collect();
    let items = target
        .effective(actor.now)
        .into_iter()
        .map(|e| {
            let key = e.permission.key();
            EffectivePermissionOut {
                description: catalog.get(&key).cloned().unwrap_or_default(),
                permission: key,
                sources: e
                    .sources
                    .iter()
                    .map(|g| GrantSource {
                        grant_id: g.grant.id.0,
                        role: g.role.key.to_string(),
                        team_id: g.grant.spec.team.map(|t| t.0),
                        valid_until: g.grant.spec.valid_until.map(rfc3339),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(EffectivePermissions {
        member_id: id,
        items,
    }))
}

#[derive(Deserialize, ToSchema, Clone)]
pub struct GrantIn {
    /// A role key (or alias such as `cardholder`).
    pub role: String,
    pub team_id: Option<i64>,
    /// RFC 3339; the grant gives nothing before it.
    pub valid_from: Option<String>,
    /// RFC 3339; the grant gives nothing from this moment on.
    pub valid_until: Option<String>,
}

fn grant_specs(grants: &[GrantIn]) -> Result<Vec<GrantSpec>, WebError> {
    let time = |i: usize, field: &str, v: &Option<String>| -> Result<Option<Timestamp>, WebError> {
        match v {
            None => Ok(None),
            Some(s) => parse_rfc3339(s).map(Some).ok_or_else(|| {
                WebError::invalid(
                    &format!("grants[{i}].{field}"),
                    "must be an RFC 3339 time like `2026-12-31T23:59:59Z`",
                )
            }),
        }
    };
    grants
        .iter()
        .enumerate()
        .map(|(i, g)| {
            Ok(GrantSpec {
                role: g.role.trim().to_string(),
                team: g.team_id.map(TeamId),
                valid_from: time(i, "valid_from", &g.valid_from)?,
                valid_until: time(i, "valid_until", &g.valid_until)?,
            })
        })
        .collect()
}

/// Resolves requested grants against the company's roles and teams.
async fn resolve_grants(
    conn: &mut Conn,
    org: OrgId,
    grants: &[GrantIn],
) -> Result<Vec<(GrantSpec, Role)>, WebError> {
    let specs = grant_specs(grants)?;
    let book = outlay_store::roles::book(conn, org).await?;
    let resolved = invariants::resolve_grants(&book, &specs)?;
    for (i, (spec, _)) in resolved.iter().enumerate() {
        if let Some(team) = spec.team {
            if outlay_store::teams::get(conn, org, team).await?.is_none() {
                return Err(WebError::invalid(
                    &format!("grants[{i}].team_id"),
                    format!("team {team} does not exist in this company"),
                ));
            }
        }
    }
    Ok(resolved)
}

/// Checks a would-be manager: a member of this company who is not archived.
async fn check_manager(
    conn: &mut Conn,
    org: OrgId,
    manager: Option<i64>,
) -> Result<Option<MemberId>, WebError> {
    let Some(id) = manager else { return Ok(None) };
    match members::get(conn, org, MemberId(id)).await? {
        Some(m) if m.status == "active" => Ok(Some(m.member_id())),
        Some(_) => Err(WebError::invalid(
            "manager_id",
            format!("member {id} is not active"),
        )),
        None => Err(WebError::invalid(
            "manager_id",
            format!("member {id} does not exist in this company"),
        )),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub grants: Vec<GrantIn>,
    pub manager_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct InviteResponse {
    pub id: i64,
    /// Shown once: the invitee accepts with it at `/api/v1/invitations/{token}/accept`.
    pub invitation_token: String,
}

/// Invite a member with their grants. Needs `member.invite`; only owners invite owners or
/// admins; nobody grants beyond what they hold.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members", tag = "members", request_body = InviteRequest,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = InviteResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "already a member", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn invite(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), WebError> {
    let email = outlay_core::validate::email(&req.email)?;
    let name = outlay_core::validate::text("name", &req.name, 120)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("invitation:{email}");
    let result = async {
        let proposed = resolve_grants(&mut tx, actor.org, &req.grants).await?;
        invariants::check_new_windows(&[], &proposed, actor.now)?;
        let manager = check_manager(&mut tx, actor.org, req.manager_id).await?;
        let change = GrantChange {
            target: MemberId(0),
            target_archived: false,
            current: &[],
            proposed: &proposed,
            // A new member holds nothing yet, so the last-owner rule cannot bite.
            other_permanent_owners: 0,
        };
        let permit =
            invariants::change_grants(&actor.principal, actor.now, GrantVia::Invite, &change)?;
        let person = match outlay_store::auth::person_by_email(&mut tx, &email).await? {
            Some(p) => {
                if members::by_person(&mut tx, actor.org, p.id)
                    .await?
                    .is_some()
                {
                    return Err(WebError::Conflict {
                        code: "already_member",
                        message: format!("`{email}` is already a member of this company"),
                    });
                }
                p.id
            }
            None => {
                outlay_store::auth::create_person(&mut tx, &email, &name, None, actor.now).await?
            }
        };
        let id = members::create(
            &mut tx,
            actor.org,
            person,
            &name,
            MemberStatus::Invited,
            manager,
            actor.now,
        )
        .await?;
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        members::replace_grants(&mut tx, actor.org, id, &specs, actor.now, &permit).await?;
        let (token, token_hash) = crate::tokens::issue();
        outlay_store::auth::create_invitation(
            &mut tx,
            actor.org,
            id,
            &token_hash,
            actor.now,
            actor.now.plus_seconds(INVITATION_SECONDS),
        )
        .await?;
        let roles: Vec<&str> = specs.iter().map(|s| s.role.as_str()).collect();
        Ok((
            InviteResponse {
                id: id.0,
                invitation_token: token,
            },
            json!({"member_id": id.0, "email": email, "roles": roles}),
        ))
    }
    .await;
    let out = app
        .finish(tx, &actor, "member.invite", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptRequest {
    /// Sets the password of a new person; a person who already has one confirms it.
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptResponse {
    pub org_id: i64,
    pub member_id: i64,
}

/// Accept an invitation: sets the password and activates the membership.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "members", request_body = AcceptRequest,
    params(("token" = String, Path, description = "invitation token")),
    responses((status = 200, body = AcceptResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "wrong password for an existing person", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "used or expired", body = ErrorBody)))]
pub async fn accept_invitation(
    State(app): State<App>,
    Path(token): Path<String>,
    Body(req): Body<AcceptRequest>,
) -> Result<Json<AcceptResponse>, WebError> {
    let now = app.now();
    let token_hash = crate::tokens::digest(&token);
    let (invitation, person) = {
        let mut conn = app.store.read().await?;
        let inv = outlay_store::auth::invitation(&mut conn, &token_hash)
            .await?
            .ok_or(WebError::NotFound)?;
        let person = outlay_store::auth::person(&mut conn, inv.person_id)
            .await?
            .ok_or(WebError::NotFound)?;
        (inv, person)
    };
    if invitation.accepted_at.is_some() {
        return Err(WebError::Conflict {
            code: "invitation_used",
            message: "this invitation was already accepted".into(),
        });
    }
    if invitation.expires_at <= now.0 {
        return Err(WebError::Conflict {
            code: "invitation_expired",
            message: "this invitation has expired; ask for a new one".into(),
        });
    }
    let new_hash = match person.password_hash.clone() {
        Some(existing) => {
            let password = req.password.clone();
            let ok =
                tokio::task::spawn_blocking(move || crate::password::verify(&password, &existing))
                    .await
                    .map_err(|e| WebError::Internal(e.to_string()))?;
            if !ok {
                return Err(WebError::Unauthorized(
                    "this person already has a password; give that one",
                ));
            }
            None
        }
        None => {
            crate::password::check_strength(&req.password)?;
            let password = req.password.clone();
            let hash = tokio::task::spawn_blocking(move || crate::password::hash(&password))
                .await
                .map_err(|e| WebError::Internal(e.to_string()))?
                .map_err(|e| WebError::Internal(e.to_string()))?;
            Some(hash)
        }
    };
    let mut tx = app.store.write().await?;
    // Re-read inside the lock: two accepts of one token must not both win.
    let still_open = outlay_store::auth::invitation(&mut tx, &token_hash)
        .await?
        .is_some_and(|i| i.accepted_at.is_none());
    if !still_open {
        return Err(WebError::Conflict {
            code: "invitation_used",
            message: "this invitation was already accepted".into(),
        });
    }
    let org = OrgId(invitation.org_id);
    let member = MemberId(invitation.member_id);
    // Archiving an invited member withdraws the invitation.
    let invited = members::get(&mut tx, org, member)
        .await?
        .is_some_and(|m| m.status == "invited");
    if !invited {
        return Err(WebError::Conflict {
            code: "invitation_withdrawn",
            message: "this invitation was withdrawn: the member is archived".into(),
        });
    }
    if let Some(hash) = new_hash {
        outlay_store::auth::set_password(&mut tx, person.id, &hash).await?;
    }
    members::activate(&mut tx, org, member).await?;
    outlay_store::auth::accept_invitation(&mut tx, &token_hash, now).await?;
    outlay_store::audit::record(
        &mut tx,
        outlay_store::audit::NewEvent {
            org,
            at: now,
            actor_member: Some(member),
            actor_person: Some(person.id),
            action: "invitation.accept",
            target: &format!("member:{}", member.0),
            outcome: outlay_store::audit::Outcome::Allowed,
            reason: "invitation",
            detail: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(AcceptResponse {
        org_id: org.0,
        member_id: member.0,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct GrantsRequest {
    pub grants: Vec<GrantIn>,
}

/// Replace a member's grants. Needs `role.assign`; only owners grant or revoke owner and
/// admin; nobody grants beyond what they hold; the last permanent owner stays.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/grants", tag = "members", request_body = GrantsRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "last owner", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn replace_grants(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, relation) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let proposed = resolve_grants(&mut tx, actor.org, &req.grants).await?;
        invariants::check_new_windows(&target.grants, &proposed, actor.now)?;
        let others =
            members::other_permanent_owners(&mut tx, actor.org, row.member_id(), actor.now).await?;
        let change = GrantChange {
            target: row.member_id(),
            target_archived: row.is_archived(),
            current: &target.grants,
            proposed: &proposed,
            other_permanent_owners: others,
        };
        let permit =
            invariants::change_grants(&actor.principal, actor.now, GrantVia::Assign, &change)?;
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        members::replace_grants(
            &mut tx,
            actor.org,
            row.member_id(),
            &specs,
            actor.now,
            &permit,
        )
        .await?;
        let before: Vec<String> = target
            .grants
            .iter()
            .map(|g| g.grant.spec.role.clone())
            .collect();
        let updated = members::principal(&mut tx, actor.org, &row).await?;
        let out = full_member(&mut tx, &actor, &row, &updated, relation).await?;
        let after: Vec<&str> = specs.iter().map(|s| s.role.as_str()).collect();
        Ok((out, json!({"before": before, "after": after})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role.assign", &target_name, result)
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerRequest {
    /// The new manager, or null for none. Required: leaving it out is an error, not a reset.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, required = true)]
    pub manager_id: Option<Option<i64>>,
}

/// A field that must be given, though it may be null: `Some(None)` is an explicit null.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// Set a member's manager. Access follows the reporting line at once; nothing is deleted.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/manager", tag = "members", request_body = ManagerRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "reporting cycle", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_manager(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<ManagerRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, _) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let wanted = req
            .manager_id
            .ok_or_else(|| WebError::invalid("manager_id", "is required (null for none)"))?;
        let manager = check_manager(&mut tx, actor.org, wanted).await?;
        let cycle = match manager {
            Some(m) => members::would_cycle(&mut tx, actor.org, row.member_id(), m).await?,
            None => false,
        };
        let permit = invariants::set_manager(&actor.principal, actor.now, cycle)?;
        members::set_manager(&mut tx, actor.org, row.member_id(), manager, &permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let relation =
            scope::relation(&mut tx, actor.org, actor.id(), actor.now, row.member_id()).await?;
        let out = full_member(&mut tx, &actor, &row, &target, relation).await?;
        Ok((out, json!({"manager_id": manager.map(|m| m.0)})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.manage", &target_name, result)
            .await?,
    ))
}

/// Archive a member: they can no longer log in or act; their data and history stay.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/archive", tag = "members",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "last owner", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn archive(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, relation) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let others =
            members::other_permanent_owners(&mut tx, actor.org, row.member_id(), actor.now).await?;
        let permit = invariants::archive_member(&actor.principal, actor.now, &target, others)?;
        members::archive(&mut tx, actor.org, row.member_id(), actor.now, &permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let target = members::principal(&mut tx, actor.org, &row).await?;
        let out = full_member(&mut tx, &actor, &row, &target, relation).await?;
        Ok((out, json!({})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.archive", &target_name, result)
            .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct GrantsPreview {
    /// Whether the caller may make this change now.
    pub allowed: bool,
    /// `granted` or the code of the refusing rule, e.g. `owner_only`, `escalation`, `last_owner`.
    pub code: String,
    pub reason: String,
    /// Permissions the member would gain (not covered by what they hold now).
    pub gained: Vec<String>,
    /// Permissions the member would lose.
    pub lost: Vec<String>,
}

/// Preview replacing a member's grants: what they would gain and lose, and whether the
/// caller may make the change. Nothing is changed. Needs `role.view` or `role.assign`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/grants/preview", tag = "members", request_body = GrantsRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = GrantsPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn preview_grants(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<GrantsPreview>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let target_name = format!("member:{id}");
    let may_preview = [Action::RoleView, Action::RoleAssign]
        .into_iter()
        .any(|a| authorize::company(&actor.principal, actor.now, a).allowed);
    if !may_preview {
        let err = Reason::NoPermission {
            action: Action::RoleAssign,
        }
        .into();
        return Err(app.refused(&actor, "role.preview", &target_name, err).await);
    }
    let mut conn = app.store.read().await?;
    let Some((row, target, _)) = visible_member(&mut conn, &actor, id).await? else {
        return Err(app
            .refused(&actor, "role.preview", &target_name, WebError::NotFound)
            .await);
    };
    let proposed = resolve_grants(&mut conn, actor.org, &req.grants).await?;
    invariants::check_new_windows(&target.grants, &proposed, actor.now)?;
    let others =
        members::other_permanent_owners(&mut conn, actor.org, row.member_id(), actor.now).await?;
    let change = GrantChange {
        target: row.member_id(),
        target_archived: row.is_archived(),
        current: &target.grants,
        proposed: &proposed,
        other_permanent_owners: others,
    };
    let decision =
        invariants::change_grants(&actor.principal, actor.now, GrantVia::Assign, &change);
    let diff = invariants::access_diff(&target, &proposed, actor.now);
    let keys = |ps: Vec<outlay_core::Permission>| ps.into_iter().map(|p| p.key()).collect();
    let (allowed, code, reason) = match decision {
        Ok(_) => (
            true,
            "granted".to_string(),
            "the change is allowed".to_string(),
        ),
        Err(r) => (false, r.code().to_string(), r.to_string()),
    };
    Ok(Json(GrantsPreview {
        allowed,
        code,
        reason,
        gained: keys(diff.gained),
        lost: keys(diff.lost),
    }))
}
