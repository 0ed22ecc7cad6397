//! What wraps every request inside a connection: the whole-request timeout (a 503 with
//! `Retry-After`, so a stuck request frees its client and its connection), the body rules the
//! `Body` extractor applies, and the security headers on every response.

use super::error::WebError;
use super::limits::Limits;
use axum::extract::{Request, State};
use axum::http::header::{
    HeaderName, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// How much body a request may send and how long it may take, for the `Body` extractor.
#[derive(Clone, Copy, Debug)]
pub struct BodyRules {
    pub max_bytes: usize,
    pub timeout: Duration,
}

impl Default for BodyRules {
    fn default() -> BodyRules {
        let l = Limits::default();
        BodyRules {
            max_bytes: l.max_body_bytes,
            timeout: l.body_timeout,
        }
    }
}

/// The headers every response carries, unless a handler chose its own. The API serves JSON
/// only, so its content policy allows nothing at all; `no-store` because responses carry
/// bearer tokens (login), invitation tokens (invite) or someone's personal data, none of
/// which belongs in any cache.
pub const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (CONTENT_SECURITY_POLICY, "default-src 'none'"),
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (X_FRAME_OPTIONS, "DENY"),
    (REFERRER_POLICY, "no-referrer"),
    (CACHE_CONTROL, "no-store"),
];

pub fn secure(headers: &mut HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// The middleware: body rules in, timeout around, headers on the way out.
pub async fn edge(State(limits): State<Arc<Limits>>, mut req: Request, next: Next) -> Response {
    req.extensions_mut().insert(BodyRules {
        max_bytes: limits.max_body_bytes,
        timeout: limits.body_timeout,
    });
    let mut resp = match tokio::time::timeout(limits.request_timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!(
                timeout_ms = limits.request_timeout.as_millis(),
                "a request ran out of time"
            );
            WebError::Busy {
                retry_after: 1,
                message: "the request took too long; try again shortly",
            }
            .into_response()
        }
    };
    secure(resp.headers_mut());
    resp
}
