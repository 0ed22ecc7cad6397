//! Prometheus metrics at `/metrics`, in the text exposition format: requests and their
//! latency by route and status, waits for a database connection, the audit queue's depth
//! and throttled logins. Counted in memory per process; each server of several reports its
//! own, as Prometheus expects.

use super::App;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Clone, Debug, Default)]
struct Histogram {
    /// Observations at or under each bucket's bound (not yet cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, d: Duration) {
        let s = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| s <= *b) {
            self.buckets[i] += 1;
        }
        self.count += 1;
        self.sum += s;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(self.buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// One process's counters.
#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) -> latency.
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    pool_waits: Mutex<Histogram>,
    pool_timeouts: AtomicU64,
    throttled_logins: AtomicU64,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        if let Ok(mut map) = self.requests.lock() {
            map.entry((method.to_string(), route.to_string(), status))
                .or_default()
                .observe(took);
        }
    }
}

/// The application layer's waits for connections and throttled logins.
impl outlay_app::Observe for Metrics {
    /// A wait for a database connection, and whether it ended without one.
    fn pool_wait(&self, took: Duration, timed_out: bool) {
        if let Ok(mut h) = self.pool_waits.lock() {
            h.observe(took);
        }
        if timed_out {
            self.pool_timeouts.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn throttled_login(&self) {
        self.throttled_logins.fetch_add(1, Ordering::Relaxed);
    }
}

impl Metrics {
    fn render(&self, audit_queue: usize) -> String {
        let mut out = String::new();
        out.push_str("# HELP outlay_http_requests_total Requests answered, by route and status.\n");
        out.push_str("# TYPE outlay_http_requests_total counter\n");
        let requests = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        let label = |(method, route, status): &(String, String, u16)| {
            format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                route.replace('\\', "\\\\").replace('"', "\\\"")
            )
        };
        for (key, h) in &requests {
            let _ = writeln!(
                out,
                "outlay_http_requests_total{{{}}} {}",
                label(key),
                h.count
            );
        }
        out.push_str(
            "# HELP outlay_http_request_duration_seconds Time from a request's arrival to its answer.\n",
        );
        out.push_str("# TYPE outlay_http_request_duration_seconds histogram\n");
        for (key, h) in &requests {
            h.render(
                &mut out,
                "outlay_http_request_duration_seconds",
                &label(key),
            );
        }
        out.push_str(
            "# HELP outlay_pool_wait_seconds Waits of requests for a database connection.\n",
        );
        out.push_str("# TYPE outlay_pool_wait_seconds histogram\n");
        let waits = self
            .pool_waits
            .lock()
            .map(|h| h.clone())
            .unwrap_or_default();
        waits.render(&mut out, "outlay_pool_wait_seconds", "");
        out.push_str("# HELP outlay_pool_timeouts_total Requests answered 503: no database connection came free in time.\n");
        out.push_str("# TYPE outlay_pool_timeouts_total counter\n");
        let _ = writeln!(
            out,
            "outlay_pool_timeouts_total {}",
            self.pool_timeouts.load(Ordering::Relaxed)
        );
        out.push_str(
            "# HELP outlay_audit_queue_depth Distinct audit entries waiting to be written.\n",
        );
        out.push_str("# TYPE outlay_audit_queue_depth gauge\n");
        let _ = writeln!(out, "outlay_audit_queue_depth {audit_queue}");
        out.push_str("# HELP outlay_logins_throttled_total Login attempts held back by the throttle (429).\n");
        out.push_str("# TYPE outlay_logins_throttled_total counter\n");
        let _ = writeln!(
            out,
            "outlay_logins_throttled_total {}",
            self.throttled_logins.load(Ordering::Relaxed)
        );
        out
    }
}

/// Counts each routed request under its route's pattern (`/api/v1/orgs/{org}/expenses`),
/// never its concrete path, so the series stay few whatever ids clients send.
pub async fn track(State(app): State<App>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let resp = next.run(req).await;
    app.metrics
        .request(&method, &route, resp.status().as_u16(), started.elapsed());
    resp
}

/// `GET /metrics`.
pub async fn serve(State(app): State<App>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        app.metrics.render(app.audit.depth()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_render_cumulative_buckets() {
        let m = Metrics::default();
        m.request("GET", "/x", 200, Duration::from_millis(3));
        m.request("GET", "/x", 200, Duration::from_millis(30));
        m.request("GET", "/x", 404, Duration::from_secs(9));
        let text = m.render(7);
        assert!(text
            .contains("outlay_http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 2"));
        assert!(text.contains(
            "outlay_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\",status=\"200\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "outlay_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\",status=\"200\",le=\"0.05\"} 2"
        ));
        assert!(text.contains(
            "outlay_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\",status=\"404\",le=\"5\"} 0"
        ));
        assert!(text.contains(
            "outlay_http_request_duration_seconds_bucket{method=\"GET\",route=\"/x\",status=\"404\",le=\"+Inf\"} 1"
        ));
        assert!(text.contains("outlay_audit_queue_depth 7"));
    }
}
