//! `GET /api/v1/orgs/{org}`: the company, for any of its members (in a closed company, for those who may still read).

use super::*;

/// The company, for any of its members (in a closed company, for those who may still read).
#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "orgs",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = OrgOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
) -> Result<Json<OrgOut>, WebError> {
    let actor = app.reader(&auth, org).await?;
    Ok(Json(org_out(actor.company)))
}
