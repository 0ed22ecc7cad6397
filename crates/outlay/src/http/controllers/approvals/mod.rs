//! The approval inbox: what awaits the caller's approval now, and deciding many items in one
//! request, each decided and audited on its own.

mod bulk;
mod inbox;

use crate::http::controllers::expenses::ExpenseOut;
use crate::http::controllers::reports::ReportOut;
use crate::http::error::{ErrorBody, ErrorDetail, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::paths::InOrg;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(inbox::inbox, bulk::bulk))
}
