//! `DELETE /api/v1/orgs/{org}/delegations/{id}`: end a delegation early. Only the delegator, or
//! whoever holds `delegation.manage` reaching the delegator.

use super::*;
use crate::http::paths::DelegationPath;
use crate::ops::delegations::End;

/// End a delegation early. Only the delegator, or whoever holds `delegation.manage` reaching
/// the delegator.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/delegations/{id}", tag = "delegations",
    params(DelegationPath),
    responses((status = 204, description = "ended"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "already ended", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn end(
    State(app): State<App>,
    auth: Auth,
    Path(DelegationPath { org, id }): Path<DelegationPath>,
) -> Result<StatusCode, WebError> {
    app.perform(&auth, org, End { id }).await?;
    Ok(StatusCode::NO_CONTENT)
}
