//! `DELETE /api/v1/orgs/{org}/reports/{id}`: delete a draft report; its expenses stay.

use super::*;

/// Delete a draft report; its expenses stay, in no report.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/reports/{id}", tag = "reports",
    params(ReportPath),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<StatusCode, WebError> {
    let act = Act {
        id: at.id,
        step: Step::Delete,
    };
    app.perform(&auth, at.org, act).await?;
    Ok(StatusCode::NO_CONTENT)
}
