//! One access-log line per request, with a request id that the answer carries too
//! (`x-request-id`), so a person reporting a problem can quote the id and the operator can
//! find the line. The id is the caller's own when it sends a sane one (a proxy's id
//! follows the request through), else a new random one.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::time::Instant;

pub const REQUEST_ID: &str = "x-request-id";

/// Logs the request when its answer is ready (method, path without the query, status,
/// time taken, peer, id) and sets the id on the answer.
pub async fn log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map(str::to_string)
        .unwrap_or_else(new_id);
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    tracing::info!(
        target: "outlay::access",
        request_id = %id,
        %method,
        path = %path,
        status = resp.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        peer = %peer,
        "request"
    );
    resp
}

/// An id a caller may choose: short, and only characters that cannot break a log line.
fn sane(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken_from_the_caller() {
        assert!(sane("req-42.a_b"));
        assert!(!sane(""));
        assert!(!sane("a b"));
        assert!(!sane("x\ny"));
        assert!(!sane(&"a".repeat(65)));
        assert_eq!(new_id().len(), 24);
    }
}
