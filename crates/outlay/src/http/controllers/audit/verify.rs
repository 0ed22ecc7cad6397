//! `GET /api/v1/orgs/{org}/audit/verify`: recomputes the company's sealed audit chain, and
//! checks it against an exported head when one is given: an edited, forged or removed event
//! shows.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::audit::Verify;
use outlay_store::audit_chain::Head;

/// Recomputes the company's audit chain with the server's key; with `head_entries` and
/// `head_last_mac` (as `GET .../audit/head` gave them), also finds newest entries removed.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit/verify", tag = "audit",
    params(InOrg, VerifyQuery),
    responses((status = 200, body = AuditVerification), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn verify(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<VerifyQuery>,
) -> Result<Json<AuditVerification>, WebError> {
    let head = match (q.head_entries, q.head_last_mac) {
        (Some(entries), Some(last_mac)) => Some(Head {
            org,
            entries,
            last_id: q.head_last_id,
            last_mac,
        }),
        (None, None) if q.head_last_id.is_none() => None,
        _ => {
            return Err(WebError::invalid(
                "head_entries",
                "give head_entries and head_last_mac together",
            ))
        }
    };
    may_read(&app, &auth, org).await?;
    let key = app.store.audit_key().cloned();
    Ok(Json(
        app.ask(&auth, org, Verify { key, head }).await?.into(),
    ))
}

/// An exported head to verify against (all of it, or none).
#[derive(Deserialize, IntoParams)]
pub struct VerifyQuery {
    #[param(minimum = 0)]
    pub head_entries: Option<u64>,
    pub head_last_id: Option<i64>,
    #[param(max_length = 200)]
    pub head_last_mac: Option<String>,
}
