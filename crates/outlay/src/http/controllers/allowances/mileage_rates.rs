//! `GET /api/v1/orgs/{org}/mileage-rates`: the company's mileage rates.

use super::*;

/// The company's mileage rates, by vehicle and unit. For whoever may create expenses or
/// manage rates.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/mileage-rates", tag = "allowances",
    params(InOrg),
    responses((status = 200, body = Vec<MileageRateOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn mileage_rates(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<Vec<MileageRateOut>>, WebError> {
    let rows = app.ask(&auth, org, MileageRates).await?;
    let out = rows.into_iter().map(|r| MileageRateOut {
        vehicle: r.vehicle,
        unit: r.unit,
        rate: r.rate,
        set_by: r.set_by,
        set_at: time(r.set_at),
    });
    Ok(Json(out.collect()))
}
