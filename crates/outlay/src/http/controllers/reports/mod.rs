//! Expense reports: a member groups their draft expenses into a report and submits it; it is
//! approved, rejected or sent back for changes as a whole, and paid by finance. Each report in
//! a response carries `allowed_actions`, decided by the core.

mod comments;
mod create;
mod decide;
mod delete;
mod edit;
mod get;
mod list;
mod pay;
mod route;
mod submit;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::paths::ReportPath;
use crate::http::App;
use crate::ops::reports::{Act, ReportView, Step};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub title: String,
    /// `draft`, `submitted`, `changes_requested`, `approved`, `rejected` or `paid`.
    pub status: String,
    /// The expenses in it, by id.
    pub expense_ids: Vec<i64>,
    /// Their total in minor units of the company currency; `null` when one of them is in
    /// another currency.
    pub total_minor: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    /// The decider's note: why it was rejected, what to change, or a remark on approval.
    pub decision_note: Option<String>,
    pub paid_by: Option<i64>,
    pub paid_at: Option<String>,
    pub paid_reference: Option<String>,
    /// While submitted: the approval step it waits on (from 0; `GET .../route` has them all).
    pub current_step: Option<i64>,
    /// While submitted: whom that step waits on, in words.
    pub waiting_on: Option<String>,
    /// What the caller may do with it now, e.g. `["edit","submit","delete"]`.
    pub allowed_actions: Vec<String>,
}

pub type ReportPage = crate::http::page::Page<ReportOut>;

/// A report as the API shows it.
pub(crate) fn out(v: ReportView) -> ReportOut {
    let (r, t) = (v.row, |s: i64| rfc3339(Timestamp(s)));
    let status = r.status().as_str().into();
    let waiting = r
        .approval()
        .map(|a| (i64::from(a.index), a.step.describe()));
    ReportOut {
        current_step: waiting.as_ref().map(|w| w.0),
        waiting_on: waiting.map(|w| w.1),
        id: r.id,
        owner_id: r.who.owner_id,
        owner_name: r.who.owner_name,
        title: r.title,
        status,
        expense_ids: r.expense_ids.0,
        total_minor: r.total_minor,
        created_at: t(r.created_at),
        updated_at: t(r.updated_at),
        submitted_at: r.submitted_at.map(t),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(t),
        decision_note: r.decision_note,
        paid_by: r.paid_by,
        paid_at: r.paid_at.map(t),
        paid_reference: r.paid_reference,
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
    }
}

/// Runs one step on a report and shows it afterwards (a 404 once it is gone).
async fn step(
    app: &App,
    auth: &Auth,
    at: ReportPath,
    step: Step,
) -> Result<Json<ReportOut>, WebError> {
    let act = Act { id: at.id, step };
    app.perform(auth, at.org, act)
        .await?
        .map(|v| Json(out(v)))
        .ok_or(WebError::NotFound)
}

/// A note for the report's owner, required where the step says so.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    /// Why it was rejected, what to change, or a remark on approval (optional there).
    #[schema(schema_with = crate::http::schema::text_1000)]
    pub note: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
        .routes(utoipa_axum::routes!(get::get, edit::edit, delete::delete))
        .routes(utoipa_axum::routes!(submit::submit))
        .routes(utoipa_axum::routes!(decide::approve))
        .routes(utoipa_axum::routes!(decide::reject))
        .routes(utoipa_axum::routes!(decide::request_changes))
        .routes(utoipa_axum::routes!(decide::reject_expense))
        .routes(utoipa_axum::routes!(pay::pay))
        .routes(utoipa_axum::routes!(comments::list, comments::create))
        .routes(utoipa_axum::routes!(route::get))
        .routes(utoipa_axum::routes!(route::reroute))
}
