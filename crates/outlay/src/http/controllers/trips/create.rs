//! `POST /api/v1/orgs/{org}/trips`: request a trip of one's own.

use super::*;
use crate::ops::trips::Request;
use outlay_core::trip::{RawTrip, TripInput};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTripIn {
    /// Where to: a place (`Lisbon`) or a country code; per diems are looked up by it.
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub destination: Option<String>,
    /// Its country, ISO 3166-1 alpha-2, optional: the per diem when none is set for the
    /// destination itself.
    #[schema(schema_with = crate::http::schema::country_or_null)]
    pub country: Option<String>,
    /// What it is for: 1 to 200 characters.
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub purpose: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::http::schema::date_required)]
    pub starts_on: String,
    /// `YYYY-MM-DD`, on or after `starts_on`, at most 366 days on.
    #[schema(schema_with = crate::http::schema::date_required)]
    pub ends_on: String,
    /// What it should cost, in minor units of the company currency.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub estimated_cost_minor: i64,
}

/// Request a trip of one's own (`trip.create`).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/trips", tag = "trips", request_body = NewTripIn,
    params(InOrg),
    responses((status = 201, body = TripOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewTripIn>,
) -> Result<(StatusCode, Json<TripOut>), WebError> {
    let input = TripInput::parse(&RawTrip {
        destination: req.destination.as_deref(),
        country: req.country.as_deref(),
        purpose: req.purpose.as_deref(),
        starts_on: Some(&req.starts_on),
        ends_on: Some(&req.ends_on),
        estimated_cost_minor: Some(req.estimated_cost_minor),
    })?;
    let view = app.perform(&auth, org, Request { input }).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
