//! Finance's corrections of approved expenses not yet paid: category, amount or VAT, with
//! the reason. A resource of its own beside expenses, though its path is an expense's.

mod correct;

use crate::http::controllers::expenses::{out, ExpenseOut};
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::ExpensePath;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// One of the company's categories, not archived.
    #[schema(schema_with = crate::http::schema::text_64_or_null)]
    pub category: Option<String>,
    /// Integer minor units of the expense's currency.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount_minor: Option<i64>,
    /// The VAT the amount includes, in minor units of the expense's currency (`null`: none).
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub vat_minor: Option<Option<i64>>,
    /// Why, for the owner and the audit log: required.
    #[schema(schema_with = crate::http::schema::text_1000, required = true)]
    pub reason: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(correct::correct))
}
