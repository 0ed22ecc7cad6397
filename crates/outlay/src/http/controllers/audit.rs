//! Reading the audit log and checking its hash chain. Needs `audit.view`.

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::{authorize, Action, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AuditEventOut {
    pub id: i64,
    pub at: String,
    pub actor_member_id: Option<i64>,
    /// E.g. `expense.approve`, `role.assign`.
    pub action: String,
    /// E.g. `expense:12`, `member:4`.
    pub target: String,
    /// `allowed` or `denied`.
    pub outcome: String,
    pub reason: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub hash: String,
    pub prev_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEventOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

async fn check(app: &App, auth: &Auth, org: i64) -> Result<crate::http::actor::Actor, WebError> {
    let actor = app.reader(auth, org).await?;
    if let Err(r) =
        authorize::company(&actor.principal, actor.ctx(), Action::AuditView).into_result()
    {
        return Err(app.refused(&actor, "audit.view", "audit", r.into()).await);
    }
    // Refusals reach the log through the audit writer's queue: write what is queued first, so
    // the reader sees every refusal made before the read. No connection is held while waiting.
    if !app.audit.flush().await {
        tracing::warn!("the audit queue was not written in time; the log may lag");
    }
    Ok(actor)
}

/// Every change and refused attempt, newest first: who, what, target, when, outcome.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit", tag = "audit",
    params(("org" = i64, Path, description = "company id"), AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let actor = check(&app, &auth, org).await?;
    let mut conn = app.store.read().await?;
    let mut rows =
        outlay_store::audit::list(&mut conn, actor.org, paging.cursor, paging.fetch()).await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let items = rows
        .into_iter()
        .map(|r| AuditEventOut {
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
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}

#[derive(Serialize, ToSchema)]
pub struct AuditVerification {
    /// Whether every event's hash and link to its predecessor hold.
    pub intact: bool,
    pub events: usize,
    /// The first event that does not match, when broken.
    pub first_broken_id: Option<i64>,
}

/// Recomputes the company's audit hash chain: any edited or removed past event shows.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit/verify", tag = "audit",
    params(("org" = i64, Path, description = "company id")),
    responses((status = 200, body = AuditVerification), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn verify(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
) -> Result<Json<AuditVerification>, WebError> {
    let actor = check(&app, &auth, org).await?;
    let mut conn = app.store.read().await?;
    Ok(Json(
        match outlay_store::audit::verify(&mut conn, actor.org).await? {
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
        },
    ))
}
