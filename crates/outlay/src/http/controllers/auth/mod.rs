//! Logging in and out. Tokens are bearer tokens; only their hash is stored. Logins are
//! throttled per client address and per account (`http::throttle`), hash within the
//! password gate (`password::HashGate`), and go to the person-level trail: successes and
//! logouts with the change they make, failed and throttled attempts through the audit writer.

mod login;
mod logout;

use crate::http::audit_writer::LoginEvent;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, ClientAddr};
use crate::http::throttle::{address_text, Key, Throttle, Verdict};
use crate::http::App;
use crate::password::GateError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::Timestamp;
use outlay_store::auth as people;
use outlay_store::person_audit::{self, NewPersonEvent, PersonEventKind};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// How long a login lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(schema_with = crate::http::schema::email)]
    pub email: String,
    #[schema(min_length = 1)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_at: String,
}

/// Attempts charged to the throttle, taken back when dropped unless `keep` was called: an
/// attempt that never reached a verdict (an error, a busy gate, a client that went away)
/// costs nothing.
struct Charged<'a> {
    throttle: &'a Throttle,
    keys: Vec<Key>,
    kept: bool,
}

impl Charged<'_> {
    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Charged<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.throttle.refund(&self.keys);
        }
    }
}

fn throttled(wait: Duration) -> WebError {
    WebError::Throttled {
        retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(login::login))
        .routes(utoipa_axum::routes!(logout::logout))
}
