//! Expenses: the scoped list, create, read, edit and delete drafts, submit, approve, reject.
//! Each expense in a response carries `allowed_actions`, decided by the core.

mod approve;
mod create;
mod delete;
mod edit;
mod get;
mod list;
mod mileage;
mod override_decision;
mod reject;
mod submit;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use crate::ops::expenses::{Act, ExpenseView, Step};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::expense::ExpensePatch;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
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
    /// In another currency than the company's: its amount in minor units of the company
    /// currency, converted when saved at the rate of its spending date (`null` when no rate
    /// on or before that date was set then).
    pub base_amount_minor: Option<i64>,
    /// The rate used (units of the company currency per unit of `currency`), and its date.
    pub fx_rate: Option<String>,
    pub fx_rate_on: Option<String>,
    pub category: String,
    pub note: Option<String>,
    /// The trip of its owner it belongs to.
    pub trip_id: Option<i64>,
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
    /// Its receipt's reference (none until receipts are kept), and the VAT it includes in
    /// minor units of `currency`.
    pub receipt: Option<String>,
    pub vat_minor: Option<i64>,
    /// What the checks found at its last submit in a report, for approvers and auditors.
    pub flags: Vec<FlagOut>,
    /// What the caller may do with it now, e.g. `["edit","submit","delete"]`.
    pub allowed_actions: Vec<String>,
}

/// A check the expense failed: `over_limit`, `missing_receipt`, `duplicate` or `weekend`.
#[derive(Serialize, ToSchema)]
pub struct FlagOut {
    pub code: String,
    pub message: String,
}

pub type ExpensePage = crate::http::page::Page<ExpenseOut>;

/// An expense as the API shows it.
pub(crate) fn out(v: ExpenseView) -> ExpenseOut {
    let row = v.row;
    let t = |s: i64| rfc3339(Timestamp(s));
    ExpenseOut {
        id: row.id,
        owner_id: row.who.owner_id,
        owner_name: row.who.owner_name,
        amount_minor: row.amount_minor,
        currency: row.currency,
        merchant: row.merchant,
        spent_on: row.spent_on,
        base_amount_minor: row.base_amount_minor,
        fx_rate: row.fx_rate,
        fx_rate_on: row.fx_rate_on,
        category: row.category,
        note: row.note,
        trip_id: row.trip_id,
        status: row.status,
        created_at: t(row.created_at),
        updated_at: t(row.updated_at),
        submitted_at: row.submitted_at.map(t),
        decided_by: row.decided_by,
        decided_on_behalf_of: row.decided_on_behalf_of,
        decided_at: row.decided_at.map(t),
        reject_reason: row.reject_reason,
        override_reason: row.override_reason,
        receipt: row.receipt,
        vat_minor: row.vat_minor,
        flags: (row.flags.0.into_iter())
            .map(|f| FlagOut {
                code: f.code.code().into(),
                message: f.message,
            })
            .collect(),
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
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
    /// One of the company's categories, not archived; defaults to `general`.
    #[schema(schema_with = crate::http::schema::text_64_or_null)]
    pub category: Option<String>,
    #[schema(schema_with = crate::http::schema::optional_text_2000)]
    pub note: Option<String>,
    /// A trip of the expense's owner (`null` on an edit: none).
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub trip_id: Option<Option<i64>>,
    /// Create it for this member, under an active `submit` delegation from them.
    pub on_behalf_of: Option<i64>,
}

impl ExpenseIn {
    fn patch(self) -> ExpensePatch {
        ExpensePatch {
            amount_minor: self.amount_minor,
            currency: self.currency,
            merchant: self.merchant,
            spent_on: self.spent_on,
            category: self.category,
            note: self.note,
            trip_id: self.trip_id,
        }
    }
}

/// Runs one step on an expense and shows it afterwards (a 404 once it is gone).
async fn step(
    app: &App,
    auth: &Auth,
    org: i64,
    id: i64,
    step: Step,
) -> Result<Json<ExpenseOut>, WebError> {
    app.perform(auth, org, Act { id, step })
        .await?
        .map(|v| Json(out(v)))
        .ok_or(WebError::NotFound)
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
        .routes(utoipa_axum::routes!(mileage::mileage))
        .routes(utoipa_axum::routes!(get::get, edit::edit, delete::delete))
        .routes(utoipa_axum::routes!(submit::submit))
        .routes(utoipa_axum::routes!(approve::approve))
        .routes(utoipa_axum::routes!(reject::reject))
        .routes(utoipa_axum::routes!(override_decision::override_decision))
}
