//! The two backends share one migration history: the same versions, and after migrating,
//! the same tables with the same columns and the same foreign keys.
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

    let sqlite_keys = sqlite_foreign_keys(&sqlite).await;
    let pg_keys = pg_foreign_keys(&pg).await;
    assert_eq!(sqlite_keys, pg_keys);
    assert_tenancy(&sqlite_keys);
    pg.close().await;
    // FORCE: a closed pool's server sessions can still be ending; cleanup never fails a test.
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}

/// Every reference to a member, a team or an expense carries the company: (org_id, x) ->
/// (org_id, id).
fn assert_tenancy(keys: &BTreeSet<ForeignKey>) {
    let company_owned =
        |k: &&ForeignKey| ["members", "teams", "expenses"].contains(&k.parent.as_str());
    for key in keys.iter().filter(company_owned) {
        assert_eq!(key.columns.len(), 2, "{key:?}");
        assert_eq!(key.columns[0], "org_id", "{key:?}");
        assert_eq!(key.parent_columns, ["org_id", "id"], "{key:?}");
    }
    assert_eq!(keys.iter().filter(company_owned).count(), 20, "{keys:?}");
}

#[tokio::test]
async fn references_to_members_and_teams_carry_the_company() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    assert_tenancy(&sqlite_foreign_keys(&sqlite).await);
    sqlite.close().await;
}

/// One foreign key: the child table and columns, and the parent table and columns they
/// point at, column for column.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    table: String,
    columns: Vec<String>,
    parent: String,
    parent_columns: Vec<String>,
}

async fn sqlite_foreign_keys(store: &Store) -> BTreeSet<ForeignKey> {
    let mut conn = store.read().await.unwrap();
    let rows: Vec<(String, i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\" \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut keys = std::collections::BTreeMap::<(String, i64), ForeignKey>::new();
    for (table, id, _, parent, from, to) in rows {
        let key = keys.entry((table.clone(), id)).or_insert(ForeignKey {
            table,
            columns: Vec::new(),
            parent,
            parent_columns: Vec::new(),
        });
        key.columns.push(from);
        key.parent_columns.push(to);
    }
    keys.into_values().collect()
}

async fn pg_foreign_keys(store: &Store) -> BTreeSet<ForeignKey> {
    let mut conn = store.read().await.unwrap();
    // conkey and confkey pair the columns by position.
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT CAST(c.conname AS TEXT), CAST(t.relname AS TEXT), CAST(a.attname AS TEXT), \
                CAST(p.relname AS TEXT), CAST(pa.attname AS TEXT) \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class p ON p.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, pcol, pos) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol \
         WHERE c.contype = 'f' AND n.nspname = 'public' \
         ORDER BY t.relname, c.conname, k.pos",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut keys = std::collections::BTreeMap::<(String, String), ForeignKey>::new();
    for (name, table, column, parent, parent_column) in rows {
        let key = keys.entry((table.clone(), name)).or_insert(ForeignKey {
            table,
            columns: Vec::new(),
            parent,
            parent_columns: Vec::new(),
        });
        key.columns.push(column);
        key.parent_columns.push(parent_column);
    }
    keys.into_values().collect()
}
