//! `POST /api/v1/orgs/{org}/reports`: create a draft report of one's own. Needs `report.create`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::reports::Create;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReportIn {
    /// What it is for, e.g. `Berlin customer visit, May`.
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub title: Option<String>,
}

/// Create a draft report of one's own. Needs `report.create`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports", tag = "reports", request_body = NewReportIn,
    params(InOrg),
    responses((status = 201, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewReportIn>,
) -> Result<(StatusCode, Json<ReportOut>), WebError> {
    let title = outlay_core::report::title(req.title.as_deref())?;
    let view = app.perform(&auth, org, Create { title }).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
