//! `PUT /api/v1/orgs/{org}/rates`: set exchange rates.

use super::*;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateIn {
    /// ISO 4217 code, not the company currency.
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub rate_on: String,
    /// Units of the company currency per unit of `currency`: a decimal above 0, at most 10
    /// places, as a string (`"0.92"`): never a float.
    pub rate: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatesIn {
    /// 1 to 5,000 rates; each replaces the rate of the same currency and date.
    pub rates: Vec<RateIn>,
}

/// Set exchange rates (`rate.manage`). Expenses saved before keep the amount they were
/// converted at; those saved afterwards convert at the latest rate on or before their date.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/rates", tag = "rates", request_body = RatesIn,
    params(InOrg),
    responses((status = 200, body = SetOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<RatesIn>,
) -> Result<Json<SetOut>, WebError> {
    let max = outlay_core::fx::MAX_ENTRIES;
    if req.rates.is_empty() || req.rates.len() > max {
        return Err(WebError::invalid(
            "rates",
            format!("must hold 1 to {max} rates"),
        ));
    }
    let mut entries = Vec::with_capacity(req.rates.len());
    for (i, r) in req.rates.iter().enumerate() {
        // The company currency is checked by the command, which knows it.
        let at = format!("rates[{i}]");
        entries.push(outlay_core::fx::entry(
            &at,
            "",
            &r.currency,
            &r.rate_on,
            &r.rate,
        )?);
    }
    set(&app, &auth, org, entries).await
}
