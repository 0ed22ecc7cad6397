//! Expenses: the scoped list, create, read, edit and delete drafts, submit, approve, reject.
//! Each expense in a response carries `allowed_actions`, decided by the core.

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

#[derive(Serialize, ToSchema)]
pub struct ExpensePage {
    pub items: Vec<ExpenseOut>,
    pub next_cursor: Option<String>,
}

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

/// The expenses the caller may see, newest first: their own, their team's, or all, by the
/// scope of their `expense.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses", tag = "expenses",
    params(("org" = i64, Path, description = "company id"), ListQuery),
    responses((status = 200, body = ExpensePage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ExpensePage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(ExpenseStatus::parse(s).ok_or_else(|| {
            WebError::invalid(
                "status",
                format!("`{s}` is not one of `draft`, `submitted`, `approved`, `rejected`"),
            )
        })?),
    };
    let (actor, mut conn) = app.reading(&auth, org).await?;
    let view = authorize::company(&actor.principal, actor.ctx(), Action::ExpenseView);
    let visible = actor.principal.list_scope(actor.now, Action::ExpenseView);
    let Some(visible) =
        visible.filter(|_| !matches!(view, Decision::Denied(Reason::CompanyClosed)))
    else {
        let err = Reason::NoPermission {
            action: Action::ExpenseView,
        }
        .into();
        return Err(app.refused(&actor, "expense.view", "expenses", err).await);
    };
    let filter = ListFilter {
        status,
        owner: q.owner.map(MemberId),
        cursor: paging.cursor,
        limit: paging.fetch(),
    };
    let mut rows = expenses::list(&mut conn, actor.org, actor.id(), &visible, &filter).await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let delegated = delegated_to(&actor);
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let extra = delegated_actions(&mut conn, &actor, &delegated, r.id).await?;
        items.push(out(&actor, r, &extra));
    }
    Ok(Json(ExpensePage { items, next_cursor }))
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

/// Create a draft expense of one's own. Needs `expense.create`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses", tag = "expenses", request_body = ExpenseIn,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<ExpenseIn>,
) -> Result<(StatusCode, Json<ExpenseOut>), WebError> {
    let input = ExpenseInput::parse(&req.raw())?;
    let on_behalf = req.on_behalf_of;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let result = async {
        let permit = match on_behalf {
            None => {
                let me = actor.principal_target();
                authorize::permit(&Request {
                    principal: &actor.principal,
                    action: Action::ExpenseCreate,
                    resource: ResourceRef::of_member(me.target()),
                    context: actor.ctx(),
                })?
                .0
            }
            Some(delegator) => {
                delegated(&mut tx, &actor, MemberId(delegator), Action::ExpenseCreate, None)
                    .await?
                    .0
            }
        };
        let on_behalf_of = permit.on_behalf_of();
        let id = expenses::create(&mut tx, actor.org, &input, permit).await?;
        let row = expenses::get(&mut tx, actor.org, actor.id(), id)
            .await?
            .ok_or(WebError::NotFound)?;
        let detail = json!({"expense_id": id, "amount_minor": row.amount_minor, "currency": row.currency,
                            "on_behalf_of": on_behalf_of.map(|m| m.0)});
        Ok((out(&actor, row, &[]), detail))
    }
    .await;
    let target = "expenses";
    let out = app
        .finish(tx, &actor, "expense.create", target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
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

/// One expense, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<ExpenseOut>, WebError> {
    let (actor, mut conn) = app.reading(&auth, org).await?;
    match visible(&mut conn, &actor, id).await {
        Ok(row) => {
            let delegated = delegated_to(&actor);
            let extra = delegated_actions(&mut conn, &actor, &delegated, id).await?;
            Ok(Json(out(&actor, row, &extra)))
        }
        Err(e) => Err(app
            .refused(&actor, "expense.view", &format!("expense:{id}"), e)
            .await),
    }
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

/// Edit a draft or rejected expense; fields left out keep their value. Approved expenses
/// are final (409).
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses", request_body = ExpenseIn,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<ExpenseIn>,
) -> Result<Json<ExpenseOut>, WebError> {
    done(
        act(&app, &auth, org, id, ExpenseAction::Edit, async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
            let input = row.input().patched(&req.raw())?;
            expenses::update(tx, actor.org, row.id, &input, permit).await?;
            Ok(json!({"before": {"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant},
                      "after": {"amount_minor": input.money.amount_minor, "currency": input.money.currency, "merchant": input.merchant}}))
        })
        .await?,
    )
}

/// Delete a draft or rejected expense. Approved expenses are final (409).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<StatusCode, WebError> {
    act(&app, &auth, org, id, ExpenseAction::Delete, async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
        expenses::delete(tx, actor.org, row.id, permit).await?;
        Ok(json!({"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant}))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submit one's own draft or rejected expense for approval.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/submit", tag = "expenses",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]

pub async fn submit(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<ExpenseOut>, WebError> {
    done(
        act(
            &app,
            &auth,
            org,
            id,
            ExpenseAction::Submit,
            async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
                expenses::submit(tx, actor.org, row.id, permit).await?;
                Ok(json!({}))
            },
        )
        .await?,
    )
}

/// Approve a submitted expense. Needs `expense.approve` at the owner's scope; nobody
/// approves their own (four-eyes).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/approve", tag = "expenses",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<Json<ExpenseOut>, WebError> {
    done(
        act(
            &app,
            &auth,
            org,
            id,
            ExpenseAction::Approve,
            async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
                expenses::decide(tx, actor.org, row.id, None, permit).await?;
                Ok(json!({}))
            },
        )
        .await?,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Why, for the owner: required.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// Reject a submitted expense with a reason. Same rights as approving.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/reject", tag = "expenses", request_body = RejectRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<RejectRequest>,
) -> Result<Json<ExpenseOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    done(
        act(
            &app,
            &auth,
            org,
            id,
            ExpenseAction::Reject,
            async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
                expenses::decide(tx, actor.org, row.id, Some(&reason), permit).await?;
                Ok(json!({"reject_reason": reason}))
            },
        )
        .await?,
    )
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

/// Override an earlier decision: approve a rejected expense or reject an approved one, with
/// a mandatory reason. Needs `expense.override`; never one's own expense.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/override", tag = "expenses", request_body = OverrideRequest,
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "expense id")),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn override_decision(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
    Body(req): Body<OverrideRequest>,
) -> Result<Json<ExpenseOut>, WebError> {
    let approve = match req.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(WebError::invalid(
                "decision",
                format!("`{other}` is not one of `approve`, `reject`"),
            ))
        }
    };
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    done(
        act(
            &app,
            &auth,
            org,
            id,
            ExpenseAction::Override,
            async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
                if let Some(r) = authorize::override_status(approve, row.status()) {
                    return Err(r.into());
                }
                expenses::override_decision(tx, actor.org, row.id, approve, &reason, permit)
                    .await?;
                Ok(json!({"override": req.decision, "override_reason": reason, "before": row.status}))
            },
        )
        .await?,
    )
}
