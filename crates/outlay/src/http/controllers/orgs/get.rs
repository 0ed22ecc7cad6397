//! `GET /api/v1/orgs/{org}`: the company, for any of its members (in a closed company, for
//! those who may still read).

use super::*;
use crate::http::paths::InOrg;

/// The company, for any of its members (in a closed company, for those who may still read).
#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "orgs",
    params(InOrg),
    responses((status = 200, body = OrgOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<OrgOut>, WebError> {
    let actor = app.reader(&auth, org).await?;
    Ok(Json(org_out(actor.company)))
}
