//! Trips: requested by a member, decided by whoever approves their spending (never their
//! own), withdrawn by their owner while undecided. Each trip in a response carries its
//! expenses' total, its per-diem allowance and `allowed_actions`, decided by the core.

mod create;
mod get;
mod list;
mod steps;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::paths::{InOrg, TripPath};
use crate::http::App;
use crate::ops::trips::{Act, Step, TripView};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{trip, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct TripOut {
    pub id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub destination: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub purpose: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`, on or after `starts_on`.
    pub ends_on: String,
    /// Both ends counted.
    pub days: i64,
    /// Minor units of the company currency.
    pub estimated_cost_minor: i64,
    /// `requested`, `approved` or `rejected`.
    pub status: String,
    /// How many expenses link to it.
    pub expense_count: i64,
    /// Its expenses' total in minor units of the company currency: `null` when one of them
    /// is in another currency with no rate known when it was saved.
    pub total_minor: Option<i64>,
    /// The daily allowance for its destination (else its country) that finance set, times
    /// its days: `null` when none is set.
    pub per_diem_minor: Option<i64>,
    pub created_at: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    /// What the caller may do with it now, e.g. `["approve","reject"]`.
    pub allowed_actions: Vec<String>,
}

pub type TripPage = crate::http::page::Page<TripOut>;

/// A trip as the API shows it.
pub(crate) fn out(v: TripView) -> TripOut {
    let (r, t) = (v.row, |s: i64| rfc3339(Timestamp(s)));
    let per_diem = r
        .per_diem_daily_minor
        .and_then(|d| trip::per_diem(&r.starts_on, &r.ends_on, d));
    TripOut {
        id: r.id,
        owner_id: r.who.owner_id,
        owner_name: r.who.owner_name.clone(),
        days: trip::days(&r.starts_on, &r.ends_on),
        status: r.status().as_str().into(),
        destination: r.destination,
        country: r.country,
        purpose: r.purpose,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        estimated_cost_minor: r.estimated_cost_minor,
        expense_count: r.expense_count,
        total_minor: r.total_minor,
        per_diem_minor: per_diem,
        created_at: t(r.created_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(t),
        decision_note: r.decision_note,
        allowed_actions: v.allowed_actions.into_iter().map(str::to_string).collect(),
    }
}

/// Runs one step on a trip and shows it afterwards (a 404 once it is gone).
async fn step(app: &App, auth: &Auth, at: TripPath, step: Step) -> Result<Json<TripOut>, WebError> {
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
}
