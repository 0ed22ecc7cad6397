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
use outlay_core::{
    Action, GrantOptions, GrantSpec, Line, MemberId, MemberKind, OrgId, PermGroup, Principal,
    Reason, TeamId, Timestamp,
};
use outlay_store::members::{self, MemberRow, MemberStatus};
use outlay_store::scope::{self, TargetFacts};
use outlay_store::Conn;
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
    /// The highest card limit or approval amount (minor units of the company currency).
    pub max_amount_minor: Option<i64>,
    /// `false`: may not act on the holder's own cards.
    pub self_issue: Option<bool>,
    /// Permission groups switched off on this grant.
    pub disabled_groups: Vec<String>,
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
    /// `internal`, or `external` (from outside the company; never holds cards).
    pub kind: String,
    /// An identifier from an HR system, unique in the company.
    pub external_id: Option<String>,
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
        max_amount_minor: g.spec.options.max_amount_minor,
        self_issue: g.spec.options.self_issue,
        disabled_groups: g.spec.options.off().map(|g| g.key().to_string()).collect(),
        active: !archived && g.spec.active_at(now),
    }
}

fn member_out(
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    teams: Vec<i64>,
    facts: &TargetFacts,
) -> MemberOut {
    let mut grants: Vec<GrantOut> = target
        .stored_grants()
        .map(|g| grant_out(&g.grant, actor.now, target.archived()))
        .collect();
    grants.sort_by_key(|g| g.id);
    MemberOut {
        id: row.id,
        name: row.name.clone(),
        email: row.email.clone(),
        status: row.status.clone(),
        kind: row.kind.clone(),
        external_id: row.external_id.clone(),
        manager_id: row.manager_id,
        teams,
        grants,
        allowed_actions: authorize::member_actions(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            target,
        )
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
) -> Result<Option<(MemberRow, Principal, TargetFacts)>, WebError> {
    let Some(row) = members::get(conn, actor.org, MemberId(id)).await? else {
        return Ok(None);
    };
    let Some(facts) = seen_as(conn, actor, &row).await? else {
        return Ok(None);
    };
    let grants = members::grants(conn, actor.org, row.member_id()).await?;
    let principal = members::resolve(&row, grants, &actor.book);
    Ok(Some((row, principal, facts)))
}

/// The member as the actor sees them, if the actor may see them (`member.view` reaching them).
pub(crate) async fn seen_as(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
) -> Result<Option<TargetFacts>, WebError> {
    let facts = scope::target(conn, actor.org, actor.id(), row.member_id()).await?;
    let view = authorize::on_member(
        &actor.principal,
        actor.ctx(),
        Action::MemberView,
        facts.target(),
    );
    Ok(view.is_allowed().then_some(facts))
}

async fn full_member(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    facts: &TargetFacts,
) -> Result<MemberOut, WebError> {
    let teams = outlay_store::teams::teams_of(conn, actor.org, row.member_id()).await?;
    Ok(member_out(actor, row, target, teams, facts))
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
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
    let closed = matches!(
        authorize::company(&actor.principal, actor.ctx(), Action::MemberView),
        outlay_core::Decision::Denied(Reason::CompanyClosed)
    );
    let visible = actor.principal.list_scope(actor.now, Action::MemberView);
    let Some(visible) = visible.filter(|_| !closed) else {
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
        &visible,
        paging.cursor,
        paging.fetch(),
    )
    .await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let book = &actor.book;
    let mut grants: HashMap<i64, Vec<outlay_core::Grant>> = HashMap::new();
    for (member, g) in members::grants_of(&mut conn, actor.org, &ids).await? {
        grants.entry(member).or_default().push(g);
    }
    let items = rows
        .iter()
        .map(|row| {
            let target = members::resolve(row, grants.remove(&row.id).unwrap_or_default(), book);
            let facts = row.target_facts();
            let teams = facts.teams.iter().map(|t| t.0).collect();
            member_out(&actor, row, &target, teams, &facts)
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
    let (actor, mut conn) = app.reading(&auth, org).await?;
    match visible_member(&mut conn, &actor, id).await? {
        Some((row, target, facts)) => Ok(Json(
            full_member(&mut conn, &actor, &row, &target, &facts).await?,
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
    /// 0 for the base role, which every member holds without a grant.
    pub grant_id: i64,
    /// The company's base role: held implicitly, never revoked.
    pub base: bool,
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
        None if id == actor.id().0 => Some((
            actor.member.clone(),
            actor.principal.clone(),
            actor.principal_target(),
        )),
        found => found,
    };
    let Some((_, target, facts)) = found else {
        return Err(app
            .refused(&actor, "role.view", &target_name, WebError::NotFound)
            .await);
    };
    if facts.line != Line::Own {
        if let Err(r) = authorize::on_member(
            &actor.principal,
            actor.ctx(),
            Action::RoleView,
            facts.target(),
        )
        .into_result()
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
    let effective = target.effective(actor.now);
    let items = effective
        .iter()
        .map(|e| {
            let key = e.permission.key();
            EffectivePermissionOut {
                description: catalog.get(&key).cloned().unwrap_or_default(),
                permission: key,
                sources: e
                    .sources()
                    .map(|g| GrantSource {
                        grant_id: g.grant.id.0,
                        base: g.base,
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
    #[schema(schema_with = crate::http::schema::date_time_or_null)]
    pub valid_from: Option<String>,
    /// RFC 3339; the grant gives nothing from this moment on.
    #[schema(schema_with = crate::http::schema::date_time_or_null)]
    pub valid_until: Option<String>,
    /// The highest card limit its holder may set, or amount they may approve, in minor
    /// units of the company currency.
    pub max_amount_minor: Option<i64>,
    /// `false`: may not issue cards or change limits for themself.
    pub self_issue: Option<bool>,
    /// Permission groups to switch off: `organization_settings`, `accounting_settings`,
    /// `modules`, `integrations`, `card_issuance`, `export`.
    #[serde(default)]
    #[schema(schema_with = crate::http::schema::perm_groups)]
    pub disabled_groups: Vec<String>,
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
            let mut groups = Vec::with_capacity(g.disabled_groups.len());
            for (j, key) in g.disabled_groups.iter().enumerate() {
                groups.push(PermGroup::parse(key).ok_or_else(|| {
                    WebError::invalid(
                        &format!("grants[{i}].disabled_groups[{j}]"),
                        format!("`{key}` is not a permission group"),
                    )
                })?);
            }
            let mut options = GrantOptions::default().with_off(groups);
            options.max_amount_minor = g.max_amount_minor;
            options.self_issue = g.self_issue;
            Ok(GrantSpec {
                role: g.role.trim().to_string(),
                team: g.team_id.map(TeamId),
                valid_from: time(i, "valid_from", &g.valid_from)?,
                valid_until: time(i, "valid_until", &g.valid_until)?,
                options,
            })
        })
        .collect()
}

/// Resolves requested grants against the company's roles and teams.
async fn resolve_grants(
    conn: &mut Conn,
    org: OrgId,
    book: &outlay_core::RoleBook,
    grants: &[GrantIn],
) -> Result<Vec<(GrantSpec, Role)>, WebError> {
    let specs = grant_specs(grants)?;
    let resolved = invariants::resolve_grants(book, &specs)?;
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
    #[schema(schema_with = crate::http::schema::email)]
    pub email: String,
    #[schema(schema_with = crate::http::schema::text_120)]
    pub name: String,
    #[serde(default)]
    pub grants: Vec<GrantIn>,
    pub manager_id: Option<i64>,
    /// `internal` (default) or `external`: an external member never holds cards.
    #[schema(schema_with = crate::http::schema::member_kind_or_null)]
    pub kind: Option<String>,
    /// Put the new member in this team (a team-bound inviter invites into its team only).
    pub team_id: Option<i64>,
    /// An identifier from an HR system, unique in the company.
    #[schema(schema_with = crate::http::schema::text_120_or_null)]
    pub external_id: Option<String>,
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
    let kind = match req.kind.as_deref() {
        None => MemberKind::Internal,
        Some(k) => MemberKind::parse(k).ok_or_else(|| {
            WebError::invalid(
                "kind",
                format!("`{k}` is not one of `internal`, `external`"),
            )
        })?,
    };
    let external_id = req
        .external_id
        .as_deref()
        .map(|e| outlay_core::validate::text("external_id", e, 120))
        .transpose()?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("invitation:{email}");
    let result = async {
        let proposed = resolve_grants(&mut tx, actor.org, &actor.book, &req.grants).await?;
        let manager = check_manager(&mut tx, actor.org, req.manager_id).await?;
        let team = match req.team_id {
            None => None,
            Some(t) => Some(
                outlay_store::teams::get(&mut tx, actor.org, TeamId(t))
                    .await?
                    .map(|t| TeamId(t.id))
                    .ok_or_else(|| {
                        WebError::invalid(
                            "team_id",
                            format!("team {t} does not exist in this company"),
                        )
                    })?,
            ),
        };
        // The newcomer as the inviter will see them: in the team, reporting to the manager.
        let newcomer = TargetFacts {
            member: MemberId(0),
            line: if manager == Some(actor.id()) {
                Line::Direct
            } else {
                Line::Other
            },
            teams: team.into_iter().collect(),
        };
        for (i, (spec, _)) in proposed.iter().enumerate() {
            if spec.valid_until.is_some_and(|u| u <= actor.now) {
                return Err(WebError::invalid(
                    &format!("grants[{i}].valid_until"),
                    "is already past: the grant would give nothing",
                ));
            }
        }
        let change = GrantChange {
            target: newcomer.target(),
            target_archived: false,
            target_kind: kind,
            current: &[],
            proposed: &proposed,
            // A new member holds nothing yet, so the last-top-role rule cannot bite.
            other_permanent_tops: 0,
            other_tops: members::other_tops(
                &mut tx,
                actor.org,
                MemberId(0),
                actor.book.preset().top,
            )
            .await?,
            top_role: actor.book.preset().top,
            base_role: actor.book.preset().base,
        };
        let permit =
            invariants::change_grants(&actor.principal, actor.ctx(), GrantVia::Invite, &change)?;
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
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        let (token, token_hash) = crate::tokens::issue();
        let invite = members::Invite {
            member: members::NewMember {
                person,
                name: &name,
                status: MemberStatus::Invited,
                manager,
                kind,
            },
            team,
            external_id: external_id.as_deref(),
            grants: &specs,
            token_hash: &token_hash,
            expires_at: actor.now.plus_seconds(INVITATION_SECONDS),
        };
        let id = members::invite(&mut tx, actor.org, &invite, permit)
            .await
            .map_err(external_id_taken)?;
        let roles: Vec<&str> = specs.iter().map(|s| s.role.as_str()).collect();
        let _ = &roles;
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
            let ok = app.hashes.verify(req.password.clone(), existing).await?;
            if !ok {
                return Err(WebError::Unauthorized(
                    "this person already has a password; give that one",
                ));
            }
            None
        }
        None => {
            crate::password::check_strength(&req.password)?;
            Some(app.hashes.hash(req.password.clone()).await?)
        }
    };
    let mut tx = app.store.write(now).await?;
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
    tx.lock(org).await?;
    let closed = outlay_store::orgs::get(&mut tx, org)
        .await?
        .is_some_and(|o| o.is_closed());
    if closed {
        return Err(WebError::Denied(Reason::CompanyClosed));
    }
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
    outlay_store::auth::accept_invitation(&mut tx, org, &token_hash).await?;
    tx.audit(outlay_store::audit::NewEvent {
        org,
        at: now,
        actor_member: Some(member),
        actor_person: Some(person.id),
        action: "invitation.accept",
        target: &format!("member:{}", member.0),
        outcome: outlay_store::audit::Outcome::Allowed,
        reason: "invitation",
        detail: json!({}),
    })
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

/// A uniqueness violation on the external identifier is the caller's 409.
fn external_id_taken(e: outlay_store::StoreError) -> WebError {
    if e.is_unique_violation() {
        WebError::Conflict {
            code: "external_id_taken",
            message: "another member of this company has that external identifier".into(),
        }
    } else {
        e.into()
    }
}

/// The checked change of a member's grants to `proposed`, as the actor would make it.
async fn grant_change(
    conn: &mut Conn,
    actor: &Actor,
    row: &MemberRow,
    target: &Principal,
    facts: &TargetFacts,
    proposed: &[(GrantSpec, Role)],
) -> Result<Result<authorize::Permit, Reason>, WebError> {
    let preset = actor.book.preset();
    let others =
        members::other_permanent_tops(conn, actor.org, row.member_id(), preset.top, actor.now)
            .await?;
    let other_tops = members::other_tops(conn, actor.org, row.member_id(), preset.top).await?;
    let current: Vec<outlay_core::ResolvedGrant> = target.stored_grants().cloned().collect();
    let change = GrantChange {
        target: facts.target(),
        target_archived: row.is_archived(),
        target_kind: row.kind(),
        current: &current,
        proposed,
        other_permanent_tops: others,
        other_tops,
        top_role: preset.top,
        base_role: preset.base,
    };
    Ok(invariants::change_grants(
        &actor.principal,
        actor.ctx(),
        GrantVia::Assign,
        &change,
    ))
}

/// Replace a member's grants. Each role added or removed must be assignable by one of the
/// caller's grants reaching the member; top-controlled roles only by the top role; nobody
/// adds to their own grants; the last permanent top-role holder stays.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/grants", tag = "members", request_body = GrantsRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "last owner, base role, external member, company closed", body = ErrorBody)),
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
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let proposed = resolve_grants(&mut tx, actor.org, &actor.book, &req.grants).await?;
        invariants::check_new_windows(&target, &proposed, actor.now)?;
        let permit = grant_change(&mut tx, &actor, &row, &target, &facts, &proposed).await??;
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        members::replace_grants(&mut tx, actor.org, row.member_id(), &specs, permit).await?;
        let before: Vec<String> = target
            .stored_grants()
            .map(|g| g.grant.spec.role.clone())
            .collect();
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let updated = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &updated, &facts).await?;
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
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Set a member's manager. Access follows the reporting line at once; nothing is deleted.
/// Needs `member.manage` reaching the member.
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
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
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
        let permit =
            invariants::manage_member(&actor.principal, actor.ctx(), facts.target(), cycle)?;
        members::set_manager(&mut tx, actor.org, row.member_id(), manager, permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let facts = scope::target(&mut tx, actor.org, actor.id(), row.member_id()).await?;
        let out = full_member(&mut tx, &actor, &row, &target, &facts).await?;
        Ok((out, json!({"manager_id": manager.map(|m| m.0)})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.manage", &target_name, result)
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    #[schema(schema_with = crate::http::schema::text_120_or_null)]
    pub name: Option<String>,
    /// `internal` or `external`; an external member may hold no card-holding role.
    #[schema(schema_with = crate::http::schema::member_kind_or_null)]
    pub kind: Option<String>,
    /// An identifier from an HR system, unique in the company; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schema::text_120_or_null)]
    pub external_id: Option<Option<String>>,
}

/// Change a member's profile: name, kind, external identifier. Needs `member.manage`
/// reaching the member. The login email belongs to the person, not to one company.
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/members/{id}", tag = "members", request_body = ProfileRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "member id")),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "external id taken, or external member holding cards", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_profile(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<ProfileRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let name = req
        .name
        .as_deref()
        .map(|n| outlay_core::validate::text("name", n, 120))
        .transpose()?;
    let kind = req
        .kind
        .as_deref()
        .map(|k| {
            MemberKind::parse(k).ok_or_else(|| {
                WebError::invalid(
                    "kind",
                    format!("`{k}` is not one of `internal`, `external`"),
                )
            })
        })
        .transpose()?;
    let external_id = match &req.external_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(e)) => Some(Some(outlay_core::validate::text("external_id", e, 120)?)),
    };
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let permit =
            invariants::manage_member(&actor.principal, actor.ctx(), facts.target(), false)?;
        if kind == Some(MemberKind::External) {
            if let Some(g) = target.stored_grants().find(|g| g.role.holds_cards()) {
                return Err(Reason::ExternalNoCards {
                    role: g.role.key.to_string(),
                }
                .into());
            }
        }
        let patch = members::ProfilePatch {
            name: name.clone(),
            kind,
            external_id: external_id.clone(),
        };
        members::update_profile(&mut tx, actor.org, row.member_id(), &patch, permit)
            .await
            .map_err(external_id_taken)?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let updated = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &updated, &facts).await?;
        Ok((
            out,
            json!({"name": name, "kind": kind.map(MemberKind::as_str), "external_id": external_id}),
        ))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.profile", &target_name, result)
            .await?,
    ))
}

/// Archive a member: they can no longer log in or act; their data and history stay. Needs
/// `member.archive` reaching the member.
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
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let top = actor.book.preset().top;
        let others =
            members::other_permanent_tops(&mut tx, actor.org, row.member_id(), top, actor.now)
                .await?;
        let permit = invariants::archive_member(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            &target,
            others,
            top,
        )?;
        members::archive(&mut tx, actor.org, row.member_id(), permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let target = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &target, &facts).await?;
        Ok((out, json!({})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.archive", &target_name, result)
            .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ReachChange {
    pub member_id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct GrantsPreview {
    /// Whether the caller may make this change now.
    pub allowed: bool,
    /// `granted` or the code of the refusing rule, e.g. `owner_only`, `not_assignable`, `last_owner`.
    pub code: String,
    pub reason: String,
    /// Permissions the member would gain (not covered by what they hold now); those of
    /// team-bound grants end in `@TEAM_ID`.
    pub gained: Vec<String>,
    /// Permissions the member would lose.
    pub lost: Vec<String>,
    /// People whose expenses would enter the member's reach (at most 100).
    pub people_gained: Vec<ReachChange>,
    /// People whose expenses would leave the member's reach (at most 100).
    pub people_lost: Vec<ReachChange>,
}

/// Preview replacing a member's grants: what they would gain and lose, whose data would
/// enter or leave their reach, and whether the caller may make the change. Nothing is
/// changed. Needs `role.view`, or a grant that assigns roles.
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
    let may_preview = authorize::company(&actor.principal, actor.ctx(), Action::RoleView)
        .is_allowed()
        || actor
            .principal
            .active_grants(actor.now)
            .any(|g| !g.role.assignable.is_empty());
    if !may_preview {
        let err = Reason::NoPermission {
            action: Action::RoleAssign,
        }
        .into();
        return Err(app.refused(&actor, "role.preview", &target_name, err).await);
    }
    let mut conn = app.store.read().await?;
    let Some((row, target, facts)) = visible_member(&mut conn, &actor, id).await? else {
        return Err(app
            .refused(&actor, "role.preview", &target_name, WebError::NotFound)
            .await);
    };
    let proposed = resolve_grants(&mut conn, actor.org, &actor.book, &req.grants).await?;
    invariants::check_new_windows(&target, &proposed, actor.now)?;
    let decision = grant_change(&mut conn, &actor, &row, &target, &facts, &proposed).await?;
    let diff = invariants::access_diff(&target, &proposed, actor.now);
    let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
    let after = members::principal_with(&row, &specs, &actor.book);
    let reach = |p: &Principal| p.list_scope(actor.now, Action::ExpenseView);
    let (people_gained, people_lost) = members::reach_change(
        &mut conn,
        actor.org,
        row.member_id(),
        reach(&target).as_ref(),
        reach(&after).as_ref(),
        100,
    )
    .await?;
    let people = |v: Vec<(i64, String)>| {
        v.into_iter()
            .map(|(member_id, name)| ReachChange { member_id, name })
            .collect()
    };
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
        gained: diff.gained,
        lost: diff.lost,
        people_gained: people(people_gained),
        people_lost: people(people_lost),
    }))
}
