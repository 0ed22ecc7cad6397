//! Probes for whoever runs the server: `/healthz` says the process answers at all; `/readyz`
//! says it can serve (a database connection within the pool wait, the database answering,
//! the audit queue being written). Both outside `/api/v1` and without a token, as load
//! balancers and orchestrators expect.

use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    /// `ok`, or what is wrong.
    pub status: &'static str,
    /// Distinct audit entries waiting to be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_queue: Option<usize>,
}

/// The process is up and answering.
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        audit_queue: None,
    })
}

/// Ready for traffic: 200 when the database answers within the pool wait and the audit queue
/// is not backing up; 503 otherwise.
pub async fn readyz(State(app): State<App>) -> (StatusCode, Json<Health>) {
    let depth = app.audit.depth();
    let audit_queue = Some(depth);
    let unready = |status| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status,
                audit_queue,
            }),
        )
    };
    let Ok(mut conn) = app.read_conn().await else {
        return unready("no database connection within the pool wait");
    };
    if outlay_store::ping(&mut conn).await.is_err() {
        return unready("the database does not answer");
    }
    // The writer writes at half the queue; a queue past that is not being written.
    if depth >= app.limits.audit.queue {
        return unready("the audit queue is not being written");
    }
    (
        StatusCode::OK,
        Json(Health {
            status: "ok",
            audit_queue,
        }),
    )
}
