//! `GET /api/v1/orgs/{org}/approval-policy`: the approval policy in force.

use super::*;
use crate::ops::policies::Current;

/// The company's approval policy in force: its newest saved version, or its preset's default
/// (version 0). Needs `policy.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/approval-policy", tag = "approval policy",
    params(InOrg),
    responses((status = 200, body = PolicyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<InOrg>,
) -> Result<Json<PolicyOut>, WebError> {
    Ok(Json(out(app.ask(&auth, at.org, Current).await?)))
}
