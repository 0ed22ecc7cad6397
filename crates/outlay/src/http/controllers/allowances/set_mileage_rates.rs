//! `PUT /api/v1/orgs/{org}/mileage-rates`: set the company's mileage rates.

use super::*;
use outlay_core::mileage::{entry, MAX_RATES};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MileageRateIn {
    #[schema(schema_with = crate::http::schema::vehicle)]
    pub vehicle: String,
    #[schema(schema_with = crate::http::schema::mileage_unit)]
    pub unit: String,
    /// Units of the company currency per `unit`, as a string (`"0.30"`): never a float.
    #[schema(schema_with = crate::http::schema::mileage_rate)]
    pub rate: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MileageRatesIn {
    /// The whole table: 0 to 200 rates, each vehicle and unit once; those left out are
    /// removed.
    pub rates: Vec<MileageRateIn>,
}

/// Set the company's mileage rates (`rate.manage`): the table as sent. Mileage expenses
/// filed before keep their amount.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/mileage-rates", tag = "allowances", request_body = MileageRatesIn,
    params(InOrg),
    responses((status = 200, body = SetOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_mileage_rates(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<MileageRatesIn>,
) -> Result<Json<SetOut>, WebError> {
    if req.rates.len() > MAX_RATES {
        let why = format!("must hold at most {MAX_RATES} rates");
        return Err(WebError::invalid("rates", why));
    }
    let mut entries = Vec::with_capacity(req.rates.len());
    for (i, r) in req.rates.iter().enumerate() {
        entries.push(entry(&format!("rates[{i}]"), &r.vehicle, &r.unit, &r.rate)?);
    }
    let count = app.perform(&auth, org, SetMileageRates { entries }).await?;
    Ok(Json(SetOut { count }))
}
