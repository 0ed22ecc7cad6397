//! `GET /api/v1/orgs/{org}/notices`: what the servers told the caller in this company
//! (approval reminders, escalations), newest first.

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path, Query};
use crate::http::paths::InOrg;
use crate::http::App;
use crate::ops::notices::Mine;
use axum::extract::State;
use axum::Json;
use outlay_core::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    pub id: i64,
    /// `approval_reminder` or `approval_escalated`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub report_id: Option<i64>,
    pub created_at: String,
    /// When it went out by e-mail, if it did.
    pub sent_at: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct NoticesQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// The caller's notices in this company, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/notices", tag = "notices",
    params(InOrg, NoticesQuery),
    responses((status = 200, body = Vec<NoticeOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<NoticesQuery>,
) -> Result<Json<Vec<NoticeOut>>, WebError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(WebError::invalid("limit", "must be 1 to 200"));
    }
    let rows = app.ask(&auth, org, Mine { limit }).await?;
    let t = |s: i64| rfc3339(Timestamp(s));
    let out = rows.into_iter().map(|n| NoticeOut {
        id: n.id,
        kind: n.kind,
        subject: n.subject,
        body: n.body,
        report_id: n.report_id,
        created_at: t(n.created_at),
        sent_at: n.sent_at.map(t),
    });
    Ok(Json(out.collect()))
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(list))
}
