//! `POST /api/v1/orgs/{org}/advances`: request a cash advance of one's own.

use super::*;
use crate::ops::advances::Request;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdvanceIn {
    /// Positive minor units of `currency`.
    pub amount_minor: i64,
    /// The company currency (ISO 4217).
    pub currency: String,
    /// What it is for: 1 to 200 characters.
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub purpose: Option<String>,
    /// `YYYY-MM-DD`, optional.
    pub needed_by: Option<String>,
}

/// Request a cash advance of one's own (`advance.request`), in the company currency.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances", tag = "advances", request_body = NewAdvanceIn,
    params(InOrg),
    responses((status = 201, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewAdvanceIn>,
) -> Result<(StatusCode, Json<AdvanceOut>), WebError> {
    let money = outlay_core::money::Money::new(req.amount_minor, &req.currency)?;
    let purpose = advance::purpose(req.purpose.as_deref())?;
    let needed_by = match req.needed_by.as_deref() {
        None | Some("") => None,
        Some(d) => Some(outlay_core::validate::date("needed_by", d)?),
    };
    let request = Request {
        amount_minor: money.amount_minor,
        currency: money.currency,
        purpose,
        needed_by,
    };
    let view = app.perform(&auth, org, request).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
