//! `GET /api/v1/orgs/{org}/audit/head`: the company's chain head now, for the operator to keep
//! outside the database and give back to `verify`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::audit::CurrentHead;

/// The chain's head: entry count and the newest entry's seal. Keep it; verifying against it
/// later finds newest entries removed.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit/head", tag = "audit",
    params(InOrg),
    responses((status = 200, body = AuditHead), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn head(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<AuditHead>, WebError> {
    may_read(&app, &auth, org).await?;
    let h = app.ask(&auth, org, CurrentHead).await?;
    Ok(Json(AuditHead {
        head_entries: h.entries,
        head_last_id: h.last_id,
        head_last_mac: h.last_mac,
    }))
}
