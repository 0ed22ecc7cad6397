//! The two backends share one migration history: the same versions, and after migrating,
//! the same tables with the same columns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_store::Store;
use std::collections::BTreeSet;

fn versions(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_history() {
    let sqlite = versions("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("postgres"));
}

async fn columns(store: &Store, sql: &str) -> BTreeSet<(String, String)> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_as::<_, (String, String)>(sql)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|(t, _)| !t.starts_with("_sqlx") && !t.starts_with("sqlite_"))
        .collect()
}

/// Runs where a PostgreSQL server is named (`OUTLAY_TEST_DATABASE_URL`, as in CI).
#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_and_columns() {
    let Ok(server) = std::env::var("OUTLAY_TEST_DATABASE_URL") else {
        eprintln!("OUTLAY_TEST_DATABASE_URL is not set: only SQLite is checked here");
        return;
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let server = server.trim_end_matches('/');
    let name = format!("outlay_schema_{}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let pg = Store::open(&format!("{server}/{name}")).await.unwrap();
    pg.migrate().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    let sqlite_columns = columns(
        &sqlite,
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
    )
    .await;
    let pg_columns = columns(
        &pg,
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .await;
    assert!(sqlite_columns.len() > 50, "{sqlite_columns:?}");
    assert_eq!(sqlite_columns, pg_columns);
    pg.close().await;
}
