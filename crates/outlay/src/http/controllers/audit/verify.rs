//! `GET /api/v1/orgs/{org}/audit/verify`: recomputes the company's audit hash chain: any edited
//! or removed past event shows.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::audit::Verify;

/// Recomputes the company's audit hash chain: any edited or removed past event shows.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit/verify", tag = "audit",
    params(InOrg),
    responses((status = 200, body = AuditVerification), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn verify(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<AuditVerification>, WebError> {
    may_read(&app, &auth, org).await?;
    Ok(Json(match app.ask(&auth, org, Verify).await? {
        Ok(n) => AuditVerification {
            intact: true,
            events: n,
            first_broken_id: None,
        },
        Err(id) => AuditVerification {
            intact: false,
            events: 0,
            first_broken_id: Some(id),
        },
    }))
}
