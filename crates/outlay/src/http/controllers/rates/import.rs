//! `POST /api/v1/orgs/{org}/rates/import`: set exchange rates from CSV text.

use super::*;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportIn {
    /// CSV text: `currency,rate_on,rate` per line (e.g. `USD,2026-11-20,0.92`), an optional
    /// header line with those names; at most 5,000 rates.
    pub csv: String,
}

/// Set exchange rates from CSV (`rate.manage`): all or none; an error names the line.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/rates/import", tag = "rates", request_body = ImportIn,
    params(InOrg),
    responses((status = 200, body = SetOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<ImportIn>,
) -> Result<Json<SetOut>, WebError> {
    let entries = outlay_core::fx::csv("", &req.csv)?;
    set(&app, &auth, org, entries).await
}
