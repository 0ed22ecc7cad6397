//! The yardstick for `docs/throughput.sh`: a bare axum handler answering a small JSON
//! object, on the same runtime settings as `outlay serve` (Tokio's multi-threaded runtime,
//! one worker per core it may run on). `cargo run --release --example bare_axum -- ADDR`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::routing::get;
use axum::{Json, Router};

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18090".to_string());
    let app = Router::new()
        .route(
            "/hello",
            get(|| async {
                Json(serde_json::json!({"id": 1, "merchant": "Cafe", "amount_minor": 1200, "currency": "EUR"}))
            }),
        )
        // A JSON body of `n` bytes, built once: the cost of sending an answer as large as a
        // page of Outlay's, without any of the work of making it.
        .route(
            "/bytes/{n}",
            get(|axum::extract::Path(n): axum::extract::Path<usize>| async move {
                let filler = "x".repeat(n.saturating_sub(8));
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    format!("{{\"f\":\"{filler}\"}}"),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    eprintln!("bare axum listening on http://{addr}");
    axum::serve(listener, app).await.unwrap();
}
