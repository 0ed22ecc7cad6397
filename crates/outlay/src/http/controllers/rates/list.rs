//! `GET /api/v1/orgs/{org}/rates`: the company's exchange rates, newest first.

use super::*;

#[derive(Deserialize, IntoParams)]
pub struct RatesQuery {
    /// One currency's rates (ISO 4217 code); empty: all.
    #[param(pattern = "^([A-Za-z]{3})?$")]
    pub currency: Option<String>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The company's exchange rates, newest date first. For whoever may create expenses or
/// manage rates.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/rates", tag = "rates",
    params(InOrg, RatesQuery),
    responses((status = 200, body = Vec<RateOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<RatesQuery>,
) -> Result<Json<Vec<RateOut>>, WebError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(WebError::invalid("limit", "must be 1 to 1000"));
    }
    let currency = q.currency.filter(|c| !c.is_empty());
    if currency
        .as_deref()
        .is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(WebError::invalid(
            "currency",
            "must be a three-letter ISO 4217 code",
        ));
    }
    let rows = app.ask(&auth, org, List { currency, limit }).await?;
    Ok(Json(rows.into_iter().map(out).collect()))
}
