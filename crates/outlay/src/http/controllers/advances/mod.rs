//! Cash advances: requested by a member, decided by whoever approves their spending, paid out
//! and settled against their approved reports by finance, closed when the rest came back.
//! Each advance in a response carries `allowed_actions`, decided by the core.

mod create;
mod get;
mod list;
mod steps;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::paths::{AdvancePath, InOrg};
use crate::http::App;
use crate::ops::advances::{Act, AdvanceView, Step};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::advance;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AdvanceOut {
    pub id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    /// Minor units of `currency`, the company currency.
    pub amount_minor: i64,
    pub currency: String,
    pub purpose: String,
    pub needed_by: Option<String>,
    /// `requested`, `rejected`, `unpaid` (approved, not paid out), `paid`, `partly_claimed`,
    /// `claimed` or `returned`.
    pub status: String,
    /// What reports settled against it cover.
    pub claimed_minor: i64,
    /// What is left to claim, or to return when it is closed.
    pub unclaimed_minor: i64,
    pub returned_minor: Option<i64>,
    pub created_at: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    pub paid_by: Option<i64>,
    pub paid_at: Option<String>,
    pub paid_reference: Option<String>,
    pub returned_at: Option<String>,
    pub returned_reference: Option<String>,
    /// What the caller may do with it now, e.g. `["approve","reject"]`.
    pub allowed_actions: Vec<String>,
}

pub type AdvancePage = crate::http::page::Page<AdvanceOut>;

/// An advance as the API shows it.
pub(crate) fn out(v: AdvanceView) -> AdvanceOut {
    let (r, t) = (v.row, |s: i64| rfc3339(Timestamp(s)));
    AdvanceOut {
        id: r.id,
        owner_id: r.who.owner_id,
        owner_name: r.who.owner_name.clone(),
        amount_minor: r.amount_minor,
        status: advance::shown(r.status(), r.amount_minor, r.claimed_minor).into(),
        unclaimed_minor: advance::unclaimed(r.amount_minor, r.claimed_minor),
        claimed_minor: r.claimed_minor,
        currency: r.currency,
        purpose: r.purpose,
        needed_by: r.needed_by,
        returned_minor: r.returned_minor,
        created_at: t(r.created_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(t),
        decision_note: r.decision_note,
        paid_by: r.paid_by,
        paid_at: r.paid_at.map(t),
        paid_reference: r.paid_reference,
        returned_at: r.returned_at.map(t),
        returned_reference: r.returned_reference,
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
    }
}

/// Runs one step on an advance and shows it afterwards (a 404 once it is gone).
async fn step(
    app: &App,
    auth: &Auth,
    at: AdvancePath,
    step: Step,
) -> Result<Json<AdvanceOut>, WebError> {
    let act = Act { id: at.id, step };
    app.perform(auth, at.org, act)
        .await?
        .map(|v| Json(out(v)))
        .ok_or(WebError::NotFound)
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
        .routes(utoipa_axum::routes!(get::get, steps::cancel))
        .routes(utoipa_axum::routes!(steps::approve))
        .routes(utoipa_axum::routes!(steps::reject))
        .routes(utoipa_axum::routes!(steps::disburse))
        .routes(utoipa_axum::routes!(steps::settle))
        .routes(utoipa_axum::routes!(steps::settle_return))
}
