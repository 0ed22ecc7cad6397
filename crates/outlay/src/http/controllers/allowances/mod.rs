//! Travel allowances finance sets (`rate.manage`): daily per diems per destination, and
//! mileage rates per vehicle and unit. Each is a company table set whole by a `PUT`; whoever
//! may create expenses reads them.

mod mileage_rates;
mod per_diems;
mod set_mileage_rates;
mod set_per_diems;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::InOrg;
use crate::http::App;
use crate::ops::allowances::{MileageRates, PerDiems, SetMileageRates, SetPerDiems};
use axum::extract::State;
use axum::Json;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PerDiemOut {
    /// A country code (ISO 3166-1 alpha-2, uppercase) or a place as trips name it, folded to
    /// lowercase.
    pub destination: String,
    /// Minor units of the company currency per day.
    pub daily_minor: i64,
    pub set_by: i64,
    pub set_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct MileageRateOut {
    pub vehicle: String,
    /// `km` or `mile`.
    pub unit: String,
    /// Units of the company currency per `unit`, a decimal such as `0.30`.
    pub rate: String,
    pub set_by: i64,
    pub set_at: String,
}

/// How many entries the table now holds.
#[derive(Serialize, ToSchema)]
pub struct SetOut {
    pub count: usize,
}

fn time(s: i64) -> String {
    rfc3339(Timestamp(s))
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(
            per_diems::per_diems,
            set_per_diems::set_per_diems
        ))
        .routes(utoipa_axum::routes!(
            mileage_rates::mileage_rates,
            set_mileage_rates::set_mileage_rates
        ))
}
