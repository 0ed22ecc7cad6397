//! A database that already holds the demo companies keeps every row through the tenancy
//! keys (migration 0007): seeded at 0006, migrated, the same rows after.

use crate::harness::fresh_database;
use outlay_core::Timestamp;
use outlay_store::{Backend, Store};
use std::borrow::Cow;

/// The tables 0007 rebuilds (SQLite) or re-checks (PostgreSQL), with their row counts.
async fn counts(store: &Store) -> Vec<(&'static str, i64)> {
    let mut conn = store.read().await.unwrap();
    let mut out = Vec::new();
    for table in [
        "members",
        "invitations",
        "teams",
        "team_members",
        "grants",
        "expenses",
        "delegations",
        "role_requests",
        "reporting_lines",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        out.push((table, n));
    }
    out
}

#[tokio::test]
async fn the_demo_companies_come_through_the_tenancy_keys() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let store = Store::open(&url).await.unwrap();
    let backend = match store.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let mut before_keys = sqlx::migrate::Migrator::new(std::path::Path::new(&format!(
        "{}/../outlay-store/migrations/{backend}",
        env!("CARGO_MANIFEST_DIR")
    )))
    .await
    .unwrap();
    let all = before_keys.migrations.len();
    before_keys.migrations = Cow::Owned(
        before_keys
            .migrations
            .iter()
            // Everything but the tenancy keys: today's seeding code also needs 0008 and 0009;
            // expense hands (0010) and everything after build on 0007's (org_id, id) pairs.
            .filter(|m| m.version < 10 && m.version != 7)
            .cloned()
            .collect(),
    );
    let skipped = all - before_keys.migrations.len();
    store.run_migrator(&before_keys).await.unwrap();

    outlay::demo::seed(&store, Timestamp(1_800_000_000), |_| {})
        .await
        .unwrap();
    let before = counts(&store).await;
    for (table, n) in &before {
        if !["invitations", "delegations", "role_requests"].contains(table) {
            assert!(*n > 0, "{table} is empty: {before:?}");
        }
    }

    assert_eq!(store.migrate().await.unwrap(), skipped);
    assert_eq!(counts(&store).await, before);
    store.close().await;
    if let Some((server, name)) = url.rsplit_once('/').filter(|_| backend == "postgres") {
        use sqlx::Connection;
        let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        // FORCE: a closed pool's server sessions can still be ending; cleanup never fails
        // the test.
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    }
}
