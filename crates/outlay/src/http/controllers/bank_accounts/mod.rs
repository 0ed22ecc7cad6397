//! Members' payout accounts: where finance pays a member's approved reports. A member sets
//! their own; they and whoever pays their reports read it; anyone else gets a 404.

mod get;
mod set;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::MemberPath;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::Timestamp;
use outlay_store::bank_accounts::BankAccountRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BankAccountOut {
    pub member_id: i64,
    /// The account holder's name, as the transfer names the creditor.
    pub holder_name: String,
    /// In its electronic form: uppercase, no spaces.
    pub iban: String,
    pub bic: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// An account as the API shows it.
fn out(r: BankAccountRow) -> BankAccountOut {
    BankAccountOut {
        member_id: r.member_id,
        holder_name: r.holder_name,
        iban: r.iban,
        bic: r.bic,
        created_at: rfc3339(Timestamp(r.created_at)),
        updated_at: rfc3339(Timestamp(r.updated_at)),
    }
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(get::get, set::set))
}
