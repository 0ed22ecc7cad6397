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
    let app = Router::new().route(
        "/hello",
        get(|| async {
            Json(serde_json::json!({"id": 1, "merchant": "Cafe", "amount_minor": 1200, "currency": "EUR"}))
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    eprintln!("bare axum listening on http://{addr}");
    axum::serve(listener, app).await.unwrap();
}
