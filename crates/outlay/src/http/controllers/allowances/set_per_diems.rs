//! `PUT /api/v1/orgs/{org}/per-diems`: set the company's daily allowances.

use super::*;
use outlay_core::trip::{per_diem_entry, MAX_PER_DIEMS};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerDiemIn {
    /// A country code (ISO 3166-1 alpha-2) or a place as trips name it (`Lisbon`, matched
    /// whatever its case and spacing).
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub destination: Option<String>,
    /// Minor units of the company currency per day.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub daily_minor: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerDiemsIn {
    /// The whole table: 0 to 1,000 allowances, each destination once; those left out are
    /// removed.
    pub per_diems: Vec<PerDiemIn>,
}

/// Set the company's daily allowances (`rate.manage`): the table as sent. A trip shows its
/// days times its destination's allowance.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/per-diems", tag = "allowances", request_body = PerDiemsIn,
    params(InOrg),
    responses((status = 200, body = SetOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_per_diems(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<PerDiemsIn>,
) -> Result<Json<SetOut>, WebError> {
    if req.per_diems.len() > MAX_PER_DIEMS {
        let why = format!("must hold at most {MAX_PER_DIEMS} allowances");
        return Err(WebError::invalid("per_diems", why));
    }
    let mut entries = Vec::with_capacity(req.per_diems.len());
    for (i, p) in req.per_diems.iter().enumerate() {
        let destination = p.destination.as_deref().unwrap_or("");
        entries.push(per_diem_entry(
            &format!("per_diems[{i}]"),
            destination,
            p.daily_minor,
        )?);
    }
    let count = app.perform(&auth, org, SetPerDiems { entries }).await?;
    Ok(Json(SetOut { count }))
}
