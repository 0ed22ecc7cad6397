//! Expenses: the scoped list, create, read, edit and delete drafts, submit, approve, reject.
//! Each expense in a response carries `allowed_actions`, decided by the core.

mod approve;
mod create;
mod delete;
mod edit;
mod get;
mod list;
mod override_decision;
mod reject;
mod submit;

use crate::clock::rfc3339;
use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::authorize::{
    self, Context, ExpenseAction, OnBehalf, Permit, Request, ResourceRef,
};
use outlay_core::expense::{ExpenseInput, ExpenseStatus, RawExpense};
use outlay_core::{Action, Decision, DelegationKind, Granted, MemberId, Reason, Timestamp};
use outlay_store::expenses::{self, ExpenseRow, ListFilter};
use outlay_store::{delegations, members, Conn, Write};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ExpenseOut {
    pub id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    /// Integer minor units (cents) of `currency`.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    pub merchant: String,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    pub category: String,
    pub note: Option<String>,
    /// `draft`, `submitted`, `approved` or `rejected`.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub decided_by: Option<i64>,
    /// When the decision was made by a delegate: the member they acted for.
    pub decided_on_behalf_of: Option<i64>,
    pub decided_at: Option<String>,
    pub reject_reason: Option<String>,
    /// When the last decision overrode an earlier one: why.
    pub override_reason: Option<String>,
    /// What the caller may do with it now, e.g. `["edit","submit","delete"]`.
    pub allowed_actions: Vec<String>,
}

pub type ExpensePage = crate::http::page::Page<ExpenseOut>;

/// A delegation to the actor active now, with the delegator as the rules see them.
struct Delegated {
    delegator: outlay_core::Principal,
    kind: DelegationKind,
}

/// The delegations to the actor active now.
fn delegated_to(actor: &Actor) -> Vec<Delegated> {
    actor
        .delegations
        .iter()
        .filter(|(d, _)| d.active_at(actor.now))
        .map(|(d, delegator)| Delegated {
            delegator: delegator.clone(),
            kind: d.kind(),
        })
        .collect()
}

/// The actions the actor may take on expense `id` for those who delegated to them.
async fn delegated_actions(
    conn: &mut Conn,
    actor: &Actor,
    delegated: &[Delegated],
    id: i64,
) -> Result<Vec<&'static str>, WebError> {
    let mut out = Vec::new();
    for d in delegated {
        let Some(row) = expenses::get(conn, actor.org, d.delegator.member(), id).await? else {
            continue;
        };
        let owner = row.owner();
        let facts = row.facts(&owner, &actor.company.base_currency);
        let ctx = Context {
            on_behalf_of: Some(OnBehalf {
                delegator: &d.delegator,
                kind: d.kind,
            }),
            ..actor.ctx()
        };
        out.extend(authorize::expense_actions(&actor.principal, ctx, &facts));
    }
    Ok(out)
}

/// The expense as the actor sees it, with the actions their own rights allow plus `extra`
/// (what delegations to them allow).
fn out(actor: &Actor, row: ExpenseRow, extra: &[&'static str]) -> ExpenseOut {
    let owner = row.owner();
    let facts = row.facts(&owner, &actor.company.base_currency);
    let mine = authorize::expense_actions(&actor.principal, actor.ctx(), &facts);
    let allowed_actions = ExpenseAction::ALL
        .into_iter()
        .map(ExpenseAction::as_str)
        .filter(|a| mine.contains(a) || extra.contains(a))
        .map(str::to_string)
        .collect();
    let t = |s: i64| rfc3339(Timestamp(s));
    ExpenseOut {
        id: row.id,
        owner_id: row.owner_id,
        owner_name: row.owner_name,
        amount_minor: row.amount_minor,
        currency: row.currency,
        merchant: row.merchant,
        spent_on: row.spent_on,
        category: row.category,
        note: row.note,
        status: row.status,
        created_at: t(row.created_at),
        updated_at: t(row.updated_at),
        submitted_at: row.submitted_at.map(t),
        decided_by: row.decided_by,
        decided_on_behalf_of: row.decided_on_behalf_of,
        decided_at: row.decided_at.map(t),
        reject_reason: row.reject_reason,
        override_reason: row.override_reason,
        allowed_actions,
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `draft`, `submitted`, `approved` or `rejected` (empty: any).
    #[param(pattern = "^(draft|submitted|approved|rejected)?$")]
    pub status: Option<String>,
    /// Only this member's expenses.
    pub owner: Option<i64>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ExpenseIn {
    /// Integer minor units (cents); must be positive.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount_minor: Option<i64>,
    /// ISO 4217 code, e.g. `EUR`.
    #[schema(schema_with = crate::http::schema::currency_or_null)]
    pub currency: Option<String>,
    #[schema(schema_with = crate::http::schema::text_200_or_null)]
    pub merchant: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::http::schema::date_or_null)]
    pub spent_on: Option<String>,
    /// Defaults to `general`.
    #[schema(schema_with = crate::http::schema::text_64_or_null)]
    pub category: Option<String>,
    #[schema(schema_with = crate::http::schema::optional_text_2000)]
    pub note: Option<String>,
    /// Create it for this member, under an active `submit` delegation from them.
    pub on_behalf_of: Option<i64>,
}

impl ExpenseIn {
    fn raw(&self) -> RawExpense<'_> {
        RawExpense {
            amount_minor: self.amount_minor,
            currency: self.currency.as_deref(),
            merchant: self.merchant.as_deref(),
            spent_on: self.spent_on.as_deref(),
            category: self.category.as_deref(),
            note: self.note.as_deref(),
        }
    }
}

/// Loads an expense the actor may see, themself or through an active delegation; anything
/// else is a 404, whoever's it is.
async fn visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ExpenseRow, WebError> {
    let row = expenses::get(conn, actor.org, actor.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let owner = row.owner();
    let facts = row.facts(&owner, &actor.company.base_currency);
    if authorize::expense(&actor.principal, actor.ctx(), ExpenseAction::View, &facts).is_allowed() {
        return Ok(row);
    }
    for kind in [DelegationKind::Approve, DelegationKind::Submit] {
        for d in delegations::active_to(conn, actor.org, actor.id(), kind, actor.now).await? {
            let delegator = MemberId(d.delegator_id);
            if let Ok(Some(Ok(_))) =
                on_behalf(conn, actor, delegator, kind, Action::ExpenseView, Some(id)).await
            {
                return Ok(row);
            }
        }
    }
    Err(WebError::NotFound)
}

/// Decides `action` for the actor acting for `delegator` under an active delegation of
/// `kind`, on expense `id` (or on the delegator's own new expense when `id` is `None`).
/// `Ok(None)` when the delegator or the expense is not found.
async fn on_behalf(
    conn: &mut Conn,
    actor: &Actor,
    delegator: MemberId,
    kind: DelegationKind,
    action: Action,
    id: Option<i64>,
) -> Result<Option<Result<(Permit, Granted), Reason>>, WebError> {
    let Some(row) = members::get(conn, actor.org, delegator).await? else {
        return Ok(None);
    };
    let grants = members::grants(conn, actor.org, delegator).await?;
    let principal = members::resolve(&row, grants, &actor.book);
    let context = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: &principal,
            kind,
        }),
        ..actor.ctx()
    };
    let decision = match id {
        Some(id) => {
            // The expense as the delegator sees it: their reach decides.
            let Some(expense) = expenses::get(conn, actor.org, delegator, id).await? else {
                return Ok(None);
            };
            let owner = expense.owner();
            let facts = expense.facts(&owner, &actor.company.base_currency);
            authorize::permit(&Request {
                principal: &actor.principal,
                action,
                resource: facts.resource(),
                context,
            })
        }
        None => {
            let me = outlay_store::scope::target(conn, actor.org, delegator, delegator).await?;
            authorize::permit(&Request {
                principal: &actor.principal,
                action,
                resource: ResourceRef::of_member(me.target()),
                context,
            })
        }
    };
    Ok(Some(decision))
}

/// The permit for `action` through an active delegation from `delegator` to the actor.
async fn delegated(
    conn: &mut Conn,
    actor: &Actor,
    delegator: MemberId,
    action: Action,
    id: Option<i64>,
) -> Result<(Permit, Granted), WebError> {
    let mut refusal = Reason::NotDelegated { action };
    for kind in [DelegationKind::Approve, DelegationKind::Submit] {
        let active = delegations::active_to(conn, actor.org, actor.id(), kind, actor.now).await?;
        if !active.iter().any(|d| d.delegator_id == delegator.0) {
            continue;
        }
        match on_behalf(conn, actor, delegator, kind, action, id).await? {
            Some(Ok(p)) => return Ok(p),
            Some(Err(r)) => refusal = r,
            None => {}
        }
    }
    Err(refusal.into())
}

/// Runs one decided action on a visible expense inside a write transaction: by the actor's
/// own rights, or else on behalf of someone who delegated it to them.
async fn act(
    app: &App,
    auth: &Auth,
    org: i64,
    id: i64,
    action: ExpenseAction,
    apply: impl AsyncFnOnce(
        &mut Write,
        &Actor,
        &ExpenseRow,
        Permit,
    ) -> Result<serde_json::Value, WebError>,
) -> Result<Option<ExpenseOut>, WebError> {
    let (mut tx, actor) = app.writer(auth, org).await?;
    let target = format!("expense:{id}");
    let result = async {
        let row = visible(&mut tx, &actor, id).await?;
        let owner = row.owner();
        let facts = row.facts(&owner, &actor.company.base_currency);
        let own = authorize::permit(&Request {
            principal: &actor.principal,
            action: action.permission(),
            resource: facts.resource(),
            context: actor.ctx(),
        });
        let (permit, granted) = match own {
            Ok(p) => p,
            Err(mine) => {
                let mut found = None;
                let mut four_eyes = false;
                for kind in [DelegationKind::Approve, DelegationKind::Submit] {
                    if !kind.covers(action.permission()) {
                        continue;
                    }
                    for d in delegations::active_to(&mut tx, actor.org, actor.id(), kind, actor.now)
                        .await?
                    {
                        let delegator = MemberId(d.delegator_id);
                        match on_behalf(
                            &mut tx,
                            &actor,
                            delegator,
                            kind,
                            action.permission(),
                            Some(id),
                        )
                        .await?
                        {
                            Some(Ok(p)) => {
                                found = Some(p);
                                break;
                            }
                            Some(Err(Reason::SelfApproval)) => four_eyes = true,
                            _ => {}
                        }
                    }
                    if found.is_some() {
                        break;
                    }
                }
                // A refusal by four-eyes on the delegator's behalf says so.
                let refusal = if four_eyes {
                    Reason::SelfApproval
                } else {
                    mine
                };
                found.ok_or(WebError::Denied(refusal))?
            }
        };
        let mut detail = apply(&mut tx, &actor, &row, permit).await?;
        detail["reason"] = json!(granted.to_string());
        if let Some(m) = granted.on_behalf_of {
            detail["on_behalf_of"] = json!(m.0);
        }
        let after = expenses::get(&mut tx, actor.org, actor.id(), id).await?;
        let delegated = delegated_to(&actor);
        let extra = delegated_actions(&mut tx, &actor, &delegated, id).await?;
        Ok((after.map(|r| out(&actor, r, &extra)), detail))
    }
    .await;
    app.finish(
        tx,
        &actor,
        &format!("expense.{}", action.as_str()),
        &target,
        result,
    )
    .await
}

fn done(e: Option<ExpenseOut>) -> Result<Json<ExpenseOut>, WebError> {
    e.map(Json).ok_or(WebError::NotFound)
}

#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Why, for the owner: required.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// `approve` (a rejected expense) or `reject` (an approved one).
    #[schema(schema_with = crate::http::schema::override_decision)]
    pub decision: String,
    /// Why: required, recorded with the override.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
        .routes(utoipa_axum::routes!(get::get, edit::edit, delete::delete))
        .routes(utoipa_axum::routes!(submit::submit))
        .routes(utoipa_axum::routes!(approve::approve))
        .routes(utoipa_axum::routes!(reject::reject))
        .routes(utoipa_axum::routes!(override_decision::override_decision))
}
