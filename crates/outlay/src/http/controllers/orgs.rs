//! Companies: the presets to choose from, founding a company, reading it, closing it.

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{authorize, preset, Action, OrgId, Timestamp};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::orgs::{self, Founding, OrgRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
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
#[derive(Serialize, ToSchema)]
pub struct PresetList {
    pub items: Vec<PresetOut>,
    pub next_cursor: Option<String>,
}

/// The role-model presets a company can be created with, each with its roles, their
/// permissions and who may assign whom, so a person choosing can compare.
#[utoipa::path(get, path = "/api/v1/presets", tag = "orgs",
    responses((status = 200, body = PresetList)))]
pub async fn presets() -> Json<PresetList> {
    let items = preset::all()
        .iter()
        .map(|p| PresetOut {
            key: p.key.to_string(),
            name: p.name.to_string(),
            seed: p.seed.to_string(),
            description: p.description.to_string(),
            top_role: p.top.to_string(),
            base_role: p.base.map(str::to_string),
            manager_scope: p.manager_scope.to_string(),
            rules: p.rules.iter().map(|r| r.to_string()).collect(),
            roles: p
                .roles()
                .iter()
                .map(|r| PresetRoleOut {
                    key: r.key.to_string(),
                    name: r.name.clone(),
                    aliases: p.aliases_of(&r.key).iter().map(|a| a.to_string()).collect(),
                    description: r.description.clone(),
                    permissions: r.permissions.iter().map(|p| p.key()).collect(),
                    assignable: r.assignable.keys(),
                    team_binding: r.team_binding.as_str().to_string(),
                    read_only: r.read_only,
                    top_controlled: r.top_controlled,
                })
                .collect(),
        })
        .collect();
    Json(PresetList {
        items,
        next_cursor: None,
    })
}

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

/// Found a company: the caller becomes its member holding the preset's top role (owner,
/// account holder or admin).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, body = NewOrgOut), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Body(req): Body<NewOrg>,
) -> Result<(StatusCode, Json<NewOrgOut>), WebError> {
    let name = outlay_core::validate::text("name", &req.name, 120)?;
    let key = req.preset.as_deref().unwrap_or("outlay").trim();
    let preset = preset::get(key).ok_or_else(|| {
        let keys: Vec<&str> = preset::all().iter().map(|p| p.key).collect();
        WebError::invalid(
            "preset",
            format!("`{key}` is not a preset; one of: {}", keys.join(", ")),
        )
    })?;
    let currency = req.base_currency.as_deref().unwrap_or("EUR").trim();
    outlay_core::money::Money::new(1, currency)
        .map_err(|e| WebError::invalid("base_currency", e.reason))?;
    let mut tx = app.store.write(auth.now).await?;
    let founding = Founding {
        name: &name,
        preset,
        base_currency: currency,
        founder_person: auth.person.id,
        founder_name: &auth.person.name,
        invitation: None,
    };
    let (org, member) = orgs::found(&mut tx, &founding).await?;
    tx.audit(NewEvent {
            org,
            at: auth.now,
            actor_member: Some(member),
            actor_person: Some(auth.person.id),
            action: "org.create",
            target: &format!("org:{}", org.0),
            outcome: Outcome::Allowed,
            reason: "founder",
        detail: json!({"name": name, "preset": preset.key, "base_currency": currency, "role": preset.top}),
    })
    .await?;
    let row = orgs::get(&mut tx, org).await?.ok_or(WebError::NotFound)?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(NewOrgOut {
            org: org_out(row),
            member_id: member.0,
            role: preset.top.to_string(),
        }),
    ))
}

/// The company, for any of its members (in a closed company, for those who may still read).
#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "orgs",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = OrgOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
) -> Result<Json<OrgOut>, WebError> {
    let actor = app.reader(&auth, org).await?;
    Ok(Json(org_out(actor.company)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Why: required, kept with the company.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// Close the company: it refuses every change from then on (409 `company_closed`); its owners
/// and auditors keep reading. Only the preset's top role holds `account.close` (Qonto: only
/// the account holder).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/close", tag = "orgs", request_body = CloseRequest,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = OrgOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "already closed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn close(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<CloseRequest>,
) -> Result<Json<OrgOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("org:{org}");
    let result = async {
        let permit =
            authorize::company_permit(&actor.principal, actor.ctx(), Action::AccountClose)?;
        orgs::close(&mut tx, OrgId(org), &reason, permit).await?;
        let row = orgs::get(&mut tx, OrgId(org))
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((org_out(row), json!({"reason": reason})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "account.close", &target, result)
            .await?,
    ))
}
