//! `GET /api/v1/orgs/{org}/reports/{id}`: one report, if the caller may see it.

use super::*;
use crate::ops::owned::Get;

/// One report, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reports/{id}", tag = "reports",
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<Json<ReportOut>, WebError> {
    let view = app.ask(&auth, at.org, Get::new(at.id)).await?;
    Ok(Json(out(view)))
}
