//! `GET /api/v1/orgs/{org}/per-diems`: the company's daily allowances per destination.

use super::*;

/// The company's daily allowances, by destination. For whoever may create expenses or
/// manage rates.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/per-diems", tag = "allowances",
    params(InOrg),
    responses((status = 200, body = Vec<PerDiemOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn per_diems(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<Vec<PerDiemOut>>, WebError> {
    let rows = app.ask(&auth, org, PerDiems).await?;
    let out = rows.into_iter().map(|r| PerDiemOut {
        destination: r.destination,
        daily_minor: r.daily_minor,
        set_by: r.set_by,
        set_at: time(r.set_at),
    });
    Ok(Json(out.collect()))
}
