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
use outlay_core::authorize::{self, ExpenseAction};
use outlay_core::expense::{ExpenseInput, ExpenseStatus, RawExpense};
use outlay_core::{Action, MemberId, Reason, Timestamp};
use outlay_store::expenses::{self, ExpenseRow, ListFilter};
use outlay_store::Conn;
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
    pub decided_at: Option<String>,
    pub reject_reason: Option<String>,
    /// What the caller may do with it now, e.g. `["edit","submit","delete"]`.
    pub allowed_actions: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ExpensePage {
    pub items: Vec<ExpenseOut>,
    pub next_cursor: Option<String>,
}

fn out(actor: &Actor, row: ExpenseRow) -> ExpenseOut {
    let allowed_actions =
        authorize::expense_actions(&actor.principal, actor.now, row.facts(), row.relation())
            .into_iter()
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
        decided_at: row.decided_at.map(t),
        reject_reason: row.reject_reason,
        allowed_actions,
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `draft`, `submitted`, `approved` or `rejected`.
    pub status: Option<String>,
    /// Only this member's expenses.
    pub owner: Option<i64>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
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
    let actor = app.reader(&auth, org).await?;
    let Some(visible_at) = authorize::list_scope(&actor.principal, actor.now, Action::ExpenseView)
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
    let mut conn = app.store.read().await?;
    let mut rows = expenses::list(
        &mut conn,
        actor.org,
        actor.id(),
        actor.now,
        visible_at,
        &filter,
    )
    .await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let items = rows.into_iter().map(|r| out(&actor, r)).collect();
    Ok(Json(ExpensePage { items, next_cursor }))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ExpenseIn {
    /// Integer minor units (cents); must be positive.
    pub amount_minor: Option<i64>,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: Option<String>,
    pub merchant: Option<String>,
    /// `YYYY-MM-DD`.
    pub spent_on: Option<String>,
    /// Defaults to `general`.
    pub category: Option<String>,
    pub note: Option<String>,
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
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let result = async {
        let permit = authorize::create_expense(&actor.principal, actor.now)?;
        let id = expenses::create(&mut tx, actor.org, &input, actor.now, &permit).await?;
        let row = expenses::get(&mut tx, actor.org, actor.id(), actor.now, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let detail =
            json!({"expense_id": id, "amount_minor": row.amount_minor, "currency": row.currency});
        Ok((out(&actor, row), detail))
    }
    .await;
    let target = "expenses";
    let out = app
        .finish(tx, &actor, "expense.create", target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Loads an expense the actor may see; anything else is a 404, whoever's it is.
async fn visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ExpenseRow, WebError> {
    let row = expenses::get(conn, actor.org, actor.id(), actor.now, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let view = authorize::expense(
        &actor.principal,
        actor.now,
        ExpenseAction::View,
        row.facts(),
        row.relation(),
    );
    if view.allowed {
        Ok(row)
    } else {
        Err(WebError::NotFound)
    }
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
    let actor = app.reader(&auth, org).await?;
    let mut conn = app.store.read().await?;
    match visible(&mut conn, &actor, id).await {
        Ok(row) => Ok(Json(out(&actor, row))),
        Err(e) => Err(app
            .refused(&actor, "expense.view", &format!("expense:{id}"), e)
            .await),
    }
}

/// Runs one decided action on a visible expense inside a write transaction.
async fn act(
    app: &App,
    auth: &Auth,
    org: i64,
    id: i64,
    action: ExpenseAction,
    apply: impl AsyncFnOnce(
        &mut Conn,
        &Actor,
        &ExpenseRow,
        &authorize::Permit,
    ) -> Result<serde_json::Value, WebError>,
) -> Result<Option<ExpenseOut>, WebError> {
    let (mut tx, actor) = app.writer(auth, org).await?;
    let target = format!("expense:{id}");
    let result = async {
        let row = visible(&mut tx, &actor, id).await?;
        let (permit, reason) = authorize::expense_permit(
            &actor.principal,
            actor.now,
            action,
            row.facts(),
            row.relation(),
        )?;
        let mut detail = apply(&mut tx, &actor, &row, &permit).await?;
        detail["reason"] = json!(reason.to_string());
        let after = expenses::get(&mut tx, actor.org, actor.id(), actor.now, id).await?;
        Ok((after.map(|r| out(&actor, r)), detail))
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
        act(&app, &auth, org, id, ExpenseAction::Edit, async |tx, actor, row, permit| {
            let input = row.input().patched(&req.raw())?;
            expenses::update(tx, actor.org, row.id, &input, actor.now, permit).await?;
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
    act(&app, &auth, org, id, ExpenseAction::Delete, async |tx, actor, row, permit| {
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
            async |tx, actor, row, permit| {
                expenses::submit(tx, actor.org, row.id, actor.now, permit).await?;
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
            async |tx, actor, row, permit| {
                expenses::decide(tx, actor.org, row.id, None, actor.now, permit).await?;
                Ok(json!({}))
            },
        )
        .await?,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Why, for the owner: required.
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
            async |tx, actor, row, permit| {
                expenses::decide(tx, actor.org, row.id, Some(&reason), actor.now, permit).await?;
                Ok(json!({"reject_reason": reason}))
            },
        )
        .await?,
    )
}
