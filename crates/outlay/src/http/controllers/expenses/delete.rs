//! `DELETE /api/v1/orgs/{org}/expenses/{id}`: delete a draft or rejected expense. Approved
//! expenses are final (409).

use super::*;
use crate::http::paths::ExpensePath;

/// Delete a draft or rejected expense. Approved expenses are final (409).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(ExpensePath),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<StatusCode, WebError> {
    app.perform(
        &auth,
        org,
        Act {
            id,
            step: Step::Delete,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
