//! `GET /api/v1/orgs/{org}/audit`: every change and refused attempt, newest first: who, what,
//! target, when, outcome.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::audit::List;

/// Every change and refused attempt, newest first: who, what, target, when, outcome.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit", tag = "audit",
    params(InOrg, AuditQuery),
    responses((status = 200, body = crate::http::page::Page<AuditEventOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    may_read(&app, &auth, org).await?;
    let page = app.ask(&auth, org, List { paging }).await?;
    Ok(Json(AuditPage::shown(page, |r| AuditEventOut {
        id: r.id,
        at: rfc3339(Timestamp(r.at)),
        actor_member_id: r.actor_member_id,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        reason: r.reason,
        detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
        hash: r.hash,
        prev_hash: r.prev_hash,
    })))
}
