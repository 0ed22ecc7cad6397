//! Expense categories: the company's list, which every member reads and every expense names
//! one of; finance (`category.manage`) adds, changes and archives them.

mod archive;
mod create;
mod list;
mod update;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::{CategoryPath, InOrg};
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::Timestamp;
use outlay_store::categories::CategoryRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CategoryOut {
    pub id: i64,
    pub name: String,
    /// No expense of it may be above this, in minor units of the company currency (else it
    /// is flagged at submit, or refused where the approval policy blocks on `over_limit`).
    pub limit_minor: Option<i64>,
    /// An expense of it above this (minor units of the company currency) needs a receipt.
    pub receipt_above_minor: Option<i64>,
    /// Archived: it stays on its expenses and takes no new ones.
    pub archived: bool,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) fn out(c: CategoryRow) -> CategoryOut {
    let t = |s: i64| rfc3339(Timestamp(s));
    CategoryOut {
        id: c.id,
        name: c.name,
        limit_minor: c.limit_minor,
        receipt_above_minor: c.receipt_above_minor,
        archived: c.archived_at.is_some(),
        archived_at: c.archived_at.map(t),
        created_at: t(c.created_at),
        updated_at: t(c.updated_at),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryIn {
    /// Unique in the company; what expenses name in `category`.
    #[schema(schema_with = crate::http::schema::text_64)]
    pub name: String,
    /// Minor units of the company currency, 1 or more.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub limit_minor: Option<i64>,
    /// Minor units of the company currency, 0 (always) or more.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub receipt_above_minor: Option<i64>,
}

/// A change: fields left out keep their value; `null` clears a limit or a threshold.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatchIn {
    /// Renames it on its expenses too.
    #[schema(schema_with = crate::http::schema::text_64_or_null)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub limit_minor: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub receipt_above_minor: Option<Option<i64>>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
        .routes(utoipa_axum::routes!(update::update))
        .routes(utoipa_axum::routes!(archive::archive))
}
