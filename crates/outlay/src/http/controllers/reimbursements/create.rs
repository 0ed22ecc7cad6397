//! `POST /api/v1/orgs/{org}/reimbursements/sepa`: pay approved reports with one SEPA file.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::reimbursements::PaySepa;
use outlay_core::bank_account::{Account, Fields};

/// The company's account the transfers are drawn on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DebtorIn {
    /// The account holder's name (the company's): at most 70 characters, also once written
    /// in the SEPA character set.
    #[schema(schema_with = crate::http::schema::text_70)]
    pub name: String,
    /// The account's IBAN, of a SEPA country.
    #[schema(schema_with = crate::http::schema::iban_required)]
    pub iban: String,
    /// The bank's BIC, optional within SEPA.
    #[schema(schema_with = crate::http::schema::bic_or_null)]
    pub bic: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SepaIn {
    /// The approved reports to pay, 1 to 500, each once: one transfer each, to its owner's
    /// payout account.
    #[schema(min_items = 1, max_items = 500)]
    pub report_ids: Vec<i64>,
    pub debtor: DebtorIn,
    /// The day the bank executes the transfers, `YYYY-MM-DD`: today or later.
    #[schema(schema_with = crate::http::schema::date_required)]
    pub execution_date: String,
}

/// Pay approved reports with one SEPA credit transfer file (pain.001.001.09) for the
/// company's bank. Needs `expense.reimburse`; each report is decided as its own `pay` would
/// be, must total in euros and have an owner with a payout account; one that fails refuses
/// the whole file with its `report_ids[i]` named, and nothing is paid. Otherwise every
/// report is paid, with the file's message id as reference, and the answer is the file.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reimbursements/sepa", tag = "reimbursements",
    request_body = SepaIn, params(InOrg),
    responses((status = 201, description = "the pain.001.001.09 file; `Location` is where it is fetched again",
                content_type = "application/xml", body = String,
                headers(("Location" = String, description = "where the file is fetched again"),
                        ("Content-Disposition" = String, description = "`attachment`, named by the file's message id"))),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<SepaIn>,
) -> Result<Response, WebError> {
    let debtor = req.debtor;
    let bic = debtor.bic.as_deref();
    let debtor = Account::parse(Fields::DEBTOR, &debtor.name, &debtor.iban, bic)?;
    let pay = PaySepa {
        reports: req.report_ids,
        debtor,
        execution_date: req.execution_date,
    };
    let batch = app.perform(&auth, org, pay).await?;
    Ok(file(StatusCode::CREATED, org, batch))
}
