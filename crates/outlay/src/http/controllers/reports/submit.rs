//! `POST /api/v1/orgs/{org}/reports/{id}/submit`: submit a report with its expenses.

use super::*;

/// Submit a draft report (or one sent back for changes) with its expenses, for approval.
/// Needs `report.submit` (one's own) and at least one expense.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/submit", tag = "reports",
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn submit(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<Json<ReportOut>, WebError> {
    step(&app, &auth, at, Step::Submit).await
}
