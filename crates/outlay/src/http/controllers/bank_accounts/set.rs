//! `PUT /api/v1/orgs/{org}/members/{id}/bank-account`: set one's own payout account.

use super::*;
use crate::ops::bank_accounts::Set;
use outlay_core::bank_account::{Account, Fields};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankAccountIn {
    /// The account holder's name: at most 70 characters once written in the SEPA character
    /// set (`ß` counts as `ss`).
    #[schema(schema_with = crate::http::schema::text_70_or_null, required = true)]
    pub holder_name: Option<String>,
    /// An IBAN of a SEPA country, with a valid check sum; spaces and case as typed.
    #[schema(schema_with = crate::http::schema::iban_or_null, required = true)]
    pub iban: Option<String>,
    /// The bank's BIC, 8 or 11 characters; optional within SEPA.
    #[schema(schema_with = crate::http::schema::bic_or_null)]
    pub bic: Option<String>,
}

/// Set one's own payout account, where finance pays one's approved reports. Only the
/// member themself (`report.submit`, held at `own` scope only); an invalid IBAN is a 400
/// naming `iban`.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/members/{id}/bank-account", tag = "reimbursements", operation_id = "set_bank_account",
    request_body = BankAccountIn, params(MemberPath),
    responses((status = 200, body = BankAccountOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<BankAccountIn>,
) -> Result<Json<BankAccountOut>, WebError> {
    let account = Account::parse(
        Fields::PAYOUT,
        req.holder_name.as_deref().unwrap_or(""),
        req.iban.as_deref().unwrap_or(""),
        req.bic.as_deref(),
    )?;
    let row = app
        .perform(
            &auth,
            org,
            Set {
                member: id,
                account,
            },
        )
        .await?;
    Ok(Json(out(row)))
}
