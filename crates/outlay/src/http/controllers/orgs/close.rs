//! `POST /api/v1/orgs/{org}/close`: close the company: it refuses every change from then on
//! (409 `company_closed`); its owners and auditors keep reading. Only the preset's top role
//! holds `account.close` (Qonto: only the account holder).

use super::*;
use crate::http::paths::InOrg;
use crate::ops::orgs::Close;

/// Close the company: it refuses every change from then on (409 `company_closed`); its owners
/// and auditors keep reading. Only the preset's top role holds `account.close` (Qonto: only
/// the account holder).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/close", tag = "orgs", request_body = CloseRequest,
    params(InOrg),
    responses((status = 200, body = OrgOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "already closed", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn close(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<CloseRequest>,
) -> Result<Json<OrgOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    Ok(Json(org_out(
        app.perform(&auth, org, Close { reason }).await?,
    )))
}
