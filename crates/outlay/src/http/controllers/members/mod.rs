//! Members: listing (scoped), inviting (and resending or revoking an invitation), grants,
//! reporting lines, archiving and unarchiving, effective permissions, and accepting an
//! invitation.

mod accept_invitation;
mod archive;
mod get;
mod invite;
mod list;
mod permissions;
mod preview_grants;
mod replace_grants;
mod resend_invitation;
mod revoke_invitation;
mod set_manager;
mod unarchive;
mod update_profile;

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use crate::ops::members::MemberView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{GrantOptions, GrantSpec, MemberId, MemberKind, PermGroup, TeamId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A member kind as sent, in `field`.
fn kind(field: &str, k: &str) -> Result<MemberKind, WebError> {
    MemberKind::parse(k).ok_or_else(|| {
        WebError::invalid(field, format!("`{k}` is not one of `internal`, `external`"))
    })
}

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

pub type MemberPage = crate::http::page::Page<MemberOut>;

/// A grant as shown, with whether it gives anything now.
fn grant_out(g: &outlay_core::Grant, active: bool) -> GrantOut {
    GrantOut {
        id: g.id.0,
        role: g.spec.role.clone(),
        team_id: g.spec.team.map(|t| t.0),
        valid_from: g.spec.valid_from.map(rfc3339),
        valid_until: g.spec.valid_until.map(rfc3339),
        max_amount_minor: g.spec.options.max_amount_minor,
        self_issue: g.spec.options.self_issue,
        disabled_groups: g.spec.options.off().map(|g| g.key().to_string()).collect(),
        active,
    }
}

/// A member as the API shows them.
fn member_out(v: MemberView) -> MemberOut {
    let row = v.row;
    MemberOut {
        id: row.id,
        name: row.name,
        email: row.email,
        status: row.status,
        kind: row.kind,
        external_id: row.external_id,
        manager_id: row.manager_id,
        teams: v.teams,
        grants: v
            .grants
            .iter()
            .map(|(g, active)| grant_out(g, *active))
            .collect(),
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
    }
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
    /// The invited member's id, which also names their invitation.
    pub id: i64,
    pub invitation: InvitationOut,
    /// Only when the server runs with `--dev-show-tokens` (`outlay demo`): the token the
    /// e-mail carries. Otherwise it travels only in the e-mail to the invited address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
}

/// A member's invitation, named by the member it invites (a membership has one).
#[derive(Serialize, ToSchema)]
pub struct InvitationOut {
    pub member_id: i64,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub state: String,
    pub expires_at: String,
    /// As in `InviteResponse`: only with `--dev-show-tokens`, when a token was just issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
}

impl InvitationOut {
    /// The invitation as its inviter may see it: its token only in development mode.
    fn of(v: crate::ops::invitations::InvitationView, show_tokens: bool) -> InvitationOut {
        InvitationOut {
            member_id: v.member.0,
            state: v.state.as_str().to_string(),
            expires_at: rfc3339(v.expires_at),
            invitation_token: v.token.filter(|_| show_tokens),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptRequest {
    /// Sets the password of a new person; a person who already has one gives it (signs in)
    /// and it stays as it is.
    #[schema(min_length = 1)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptResponse {
    pub org_id: i64,
    pub member_id: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct GrantsRequest {
    pub grants: Vec<GrantIn>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerRequest {
    /// The new manager, or null for none. Required: leaving it out is an error, not a reset.
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<i64>, required = true)]
    pub manager_id: Option<Option<i64>>,
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
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(schema_with = crate::http::schema::text_120_or_null)]
    pub external_id: Option<Option<String>>,
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

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, invite::invite))
        .routes(utoipa_axum::routes!(
            get::get,
            update_profile::update_profile
        ))
        .routes(utoipa_axum::routes!(permissions::permissions))
        .routes(utoipa_axum::routes!(accept_invitation::accept_invitation))
        .routes(utoipa_axum::routes!(replace_grants::replace_grants))
        .routes(utoipa_axum::routes!(set_manager::set_manager))
        .routes(utoipa_axum::routes!(archive::archive))
        .routes(utoipa_axum::routes!(unarchive::unarchive))
        .routes(utoipa_axum::routes!(revoke_invitation::revoke_invitation))
        .routes(utoipa_axum::routes!(resend_invitation::resend_invitation))
        .routes(utoipa_axum::routes!(preview_grants::preview_grants))
}
