//! Exchange rates: what an amount in another currency counts as in the company currency, by
//! date. Finance sets them (entered, or imported from CSV); whoever may create expenses reads
//! them.

mod import;
mod list;
mod put;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::paths::InOrg;
use crate::http::App;
use crate::ops::rates::{List, Set};
use axum::extract::State;
use axum::Json;
use outlay_store::fx::RateRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RateOut {
    /// ISO 4217 code.
    pub currency: String,
    /// `YYYY-MM-DD`: in force from this date until the currency's next rate.
    pub rate_on: String,
    /// Units of the company currency per unit of `currency`, a decimal such as `0.92`.
    pub rate: String,
    pub set_by: i64,
    pub set_at: String,
}

fn out(r: RateRow) -> RateOut {
    RateOut {
        currency: r.currency,
        rate_on: r.rate_on,
        rate: r.rate,
        set_by: r.set_by,
        set_at: crate::clock::rfc3339(outlay_core::Timestamp(r.set_at)),
    }
}

/// How many rates were set.
#[derive(Serialize, ToSchema)]
pub struct SetOut {
    pub count: usize,
}

/// Runs a set of checked rates.
async fn set(
    app: &App,
    auth: &Auth,
    org: i64,
    entries: Vec<outlay_core::fx::RateEntry>,
) -> Result<Json<SetOut>, WebError> {
    let count = app.perform(auth, org, Set { entries }).await?;
    Ok(Json(SetOut { count }))
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, put::put))
        .routes(utoipa_axum::routes!(import::import))
}
