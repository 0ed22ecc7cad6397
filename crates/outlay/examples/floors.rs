//! Floors for `docs/throughput.sh`: what one primary-key `SELECT` costs on top of a bare axum
//! handler, by how the SQLite read is made. One server, same runtime settings as
//! `bare_axum` (Tokio's multi-threaded runtime, one worker per core it may run on):
//!
//! - `/hello`: the bare handler (no database);
//! - `/any/{id}`: one row through sqlx's Any pool (what Outlay's store uses);
//! - `/sqlite/{id}`: the same through a native `sqlx::SqlitePool`;
//! - `/inplace/{id}`: the same read synchronously on the request's thread, through a
//!   rusqlite connection per worker thread with its prepared statement cached.
//!
//! `cargo run --release --example floors -- ADDR`; `docs/throughput.sh` with `FLOORS=1`
//! measures each route side by side.
// An experiment beside the product: its SQL is its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::sync::Arc;

const SELECT: &str =
    "SELECT id, merchant, amount_minor, currency FROM expenses WHERE org_id = $1 AND id = $2";

struct Floors {
    any: sqlx::AnyPool,
    sqlite: sqlx::SqlitePool,
    path: String,
}

thread_local! {
    static CONN: RefCell<Option<(String, rusqlite::Connection)>> = const { RefCell::new(None) };
}

fn answer(id: i64, merchant: String, amount: i64, currency: String) -> Json<Value> {
    Json(json!({"id": id, "merchant": merchant, "amount_minor": amount, "currency": currency}))
}

async fn via_any(State(f): State<Arc<Floors>>, Path(id): Path<i64>) -> Json<Value> {
    let (id, merchant, amount, currency): (i64, String, i64, String) = sqlx::query_as(SELECT)
        .bind(1_i64)
        .bind(id)
        .fetch_one(&f.any)
        .await
        .unwrap();
    answer(id, merchant, amount, currency)
}

async fn via_sqlite(State(f): State<Arc<Floors>>, Path(id): Path<i64>) -> Json<Value> {
    let (id, merchant, amount, currency): (i64, String, i64, String) = sqlx::query_as(SELECT)
        .bind(1_i64)
        .bind(id)
        .fetch_one(&f.sqlite)
        .await
        .unwrap();
    answer(id, merchant, amount, currency)
}

async fn in_place(State(f): State<Arc<Floors>>, Path(id): Path<i64>) -> Json<Value> {
    CONN.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().map(|(p, _)| p != &f.path).unwrap_or(true) {
            let conn = rusqlite::Connection::open(&f.path).unwrap();
            conn.busy_timeout(std::time::Duration::from_secs(10))
                .unwrap();
            *cell = Some((f.path.clone(), conn));
        }
        let (_, conn) = cell.as_ref().unwrap();
        let mut stmt = conn.prepare_cached(SELECT).unwrap();
        let (id, merchant, amount, currency) = stmt
            .query_row((1_i64, id), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        answer(id, merchant, amount, currency)
    })
}

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18095".to_string());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floors.db").to_string_lossy().into_owned();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE expenses (org_id INTEGER NOT NULL, id INTEGER NOT NULL, merchant TEXT NOT NULL,
                 amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (org_id, id));",
        )
        .unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for i in 1..=1000_i64 {
            tx.execute(
                "INSERT INTO expenses VALUES (1, ?1, 'Cafe', ?2, 'EUR')",
                (i, i * 100),
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{path}");
    let floors = Arc::new(Floors {
        any: sqlx::any::AnyPoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect(&url)
            .await
            .unwrap(),
        sqlite: sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect(&url)
            .await
            .unwrap(),
        path,
    });
    let app = Router::new()
        .route(
            "/hello",
            get(|| async {
                Json(json!({"id": 1, "merchant": "Cafe", "amount_minor": 1200, "currency": "EUR"}))
            }),
        )
        .route("/any/{id}", get(via_any))
        .route("/sqlite/{id}", get(via_sqlite))
        .route("/inplace/{id}", get(in_place))
        .with_state(floors);
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    eprintln!("floors listening on http://{addr}");
    axum::serve(listener, app).await.unwrap();
}
