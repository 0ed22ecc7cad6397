//! `PUT /api/v1/orgs/{org}/approval-policy`: save a new version of the approval policy.

use super::*;
use crate::ops::policies::Save;

/// Save a new version of the company's approval policy (`policy.manage`). Every role, member
/// and team it names must exist (members: active), else 400 naming the field. Reports
/// submitted before keep their route until re-routed.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/approval-policy", tag = "approval policy", request_body = PolicyIn,
    params(InOrg),
    responses((status = 200, body = PolicyOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<InOrg>,
    Body(req): Body<PolicyIn>,
) -> Result<Json<PolicyOut>, WebError> {
    let policy = policy(req)?;
    Ok(Json(out(app
        .perform(&auth, at.org, Save { policy })
        .await?)))
}
