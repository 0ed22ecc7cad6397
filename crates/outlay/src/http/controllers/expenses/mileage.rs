//! `POST /api/v1/orgs/{org}/expenses/mileage`: file a distance travelled as a draft expense
//! at the company's mileage rate. Needs `expense.create`, as any expense.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::allowances::Mileage;
use outlay_core::mileage;
use outlay_core::MemberId;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MileageIn {
    /// As a string (`"123.4"`): above 0, at most 100000, at most 3 decimal places.
    #[schema(schema_with = crate::http::schema::distance)]
    pub distance: String,
    #[schema(schema_with = crate::http::schema::mileage_unit)]
    pub unit: String,
    /// A vehicle type finance set a rate for in this unit, e.g. `car`.
    #[schema(schema_with = crate::http::schema::vehicle)]
    pub vehicle: String,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::http::schema::date_required)]
    pub spent_on: String,
    /// Defaults to `Mileage`.
    #[schema(schema_with = crate::http::schema::text_200_or_null)]
    pub merchant: Option<String>,
    /// Defaults to what was claimed, e.g. `123.4 km by car at 0.3 per km`.
    #[schema(schema_with = crate::http::schema::optional_text_2000)]
    pub note: Option<String>,
    /// A trip of the expense's owner.
    #[schema(minimum = 1)]
    pub trip_id: Option<i64>,
    /// File it for this member, under an active `submit` delegation from them.
    pub on_behalf_of: Option<i64>,
}

/// File a distance as a draft expense of one's own: distance times the company's rate for
/// the vehicle and unit, rounded half away from zero to the company currency's minor unit,
/// category `mileage`. A vehicle with no rate in that unit is a 400 naming `vehicle`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/mileage", tag = "expenses", request_body = MileageIn,
    params(InOrg),
    responses((status = 201, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn mileage(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<MileageIn>,
) -> Result<(StatusCode, Json<ExpenseOut>), WebError> {
    let merchant = req
        .merchant
        .as_deref()
        .map(|m| outlay_core::validate::text("merchant", m, 200));
    let claim = Mileage {
        distance: mileage::distance(&req.distance)?,
        unit: mileage::unit("unit", &req.unit)?,
        vehicle: mileage::vehicle("vehicle", &req.vehicle)?,
        spent_on: outlay_core::validate::date("spent_on", &req.spent_on)?,
        merchant: merchant.transpose()?,
        note: outlay_core::validate::optional_text("note", req.note.as_deref(), 2000)?,
        trip_id: req.trip_id,
        on_behalf_of: req.on_behalf_of.map(MemberId),
    };
    let view = app.perform(&auth, org, claim).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
