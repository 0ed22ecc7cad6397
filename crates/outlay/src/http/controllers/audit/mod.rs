//! Reading the audit log and checking its hash chain. Needs `audit.view`.

mod head;
mod list;
mod verify;

use crate::clock::rfc3339;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::Timestamp;
use outlay_store::audit_chain::Verdict;
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

pub type AuditPage = crate::http::page::Page<AuditEventOut>;

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// Checks that the caller may read the log, then writes what the audit writer has queued,
/// so that they see every refusal made before the read. Only those who may read make it
/// flush; no connection is held while waiting.
async fn may_read(app: &App, auth: &Auth, org: i64) -> Result<(), WebError> {
    app.ask(auth, org, crate::ops::audit::Access).await?;
    if !app.audit.flush().await {
        tracing::warn!("the audit queue was not written in time; the log may lag");
    }
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct AuditVerification {
    /// Whether every event's seal and link to its predecessor hold, and the chain is at
    /// least as long as the head given.
    pub intact: bool,
    /// Events checked.
    pub events: u64,
    /// Of them, events written before the chain was sealed with a key.
    pub unsealed: u64,
    /// The first event that does not hold, when broken.
    pub first_broken_id: Option<i64>,
    /// Why the chain does not hold, when it does not.
    pub problem: Option<String>,
}

impl From<Verdict> for AuditVerification {
    fn from(v: Verdict) -> AuditVerification {
        match v {
            Verdict::Intact { entries, unsealed } => AuditVerification {
                intact: true,
                events: entries,
                unsealed,
                first_broken_id: None,
                problem: None,
            },
            Verdict::Broken { id, why } => AuditVerification {
                intact: false,
                events: 0,
                unsealed: 0,
                first_broken_id: Some(id),
                problem: Some(format!("entry {id}: {why}")),
            },
            Verdict::Truncated {
                entries,
                head_entries,
            } => AuditVerification {
                intact: false,
                events: entries,
                unsealed: 0,
                first_broken_id: None,
                problem: Some(format!(
                    "the chain has {entries} entries; the head given says {head_entries}: newest entries were removed"
                )),
            },
        }
    }
}

/// What the operator keeps to catch removed entries: `GET .../audit/head` answers it and
/// `GET .../audit/verify` takes it back.
#[derive(Serialize, ToSchema)]
pub struct AuditHead {
    /// Entries in the company's chain when the head was taken.
    pub head_entries: u64,
    /// The newest entry's id then.
    pub head_last_id: Option<i64>,
    /// The newest entry's seal then.
    pub head_last_mac: String,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list))
        .routes(utoipa_axum::routes!(verify::verify))
        .routes(utoipa_axum::routes!(head::head))
}
