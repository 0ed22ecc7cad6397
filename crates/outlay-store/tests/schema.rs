//! The two backends share one migration history: the same versions, and after migrating,
//! the same schema, compared fact by fact (`schema/catalog.rs` reads each backend's own
//! catalog into one vocabulary).
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

#[path = "schema/catalog.rs"]
mod catalog;

use catalog::{ForeignKey, Schema};

async fn migrated_sqlite(dir: &tempfile::TempDir) -> Store {
    let sqlite = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    sqlite
}

/// Runs where a PostgreSQL server is named (`OUTLAY_TEST_DATABASE_URL`, as in CI): after
/// migrating, both backends hold the same tables and columns, with the same types (SQLite's
/// declared types and PostgreSQL's in one vocabulary), nullability, defaults and generated
/// keys, the same primary keys, CHECK constraints, indexes (columns, uniqueness, partial
/// predicates) and foreign keys (columns -> table(columns), on delete, on update).
#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
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
    let sqlite = migrated_sqlite(&dir).await;

    let sqlite_schema = catalog::sqlite(&sqlite).await;
    let pg_schema = catalog::postgres(&pg).await;
    assert!(sqlite_schema.facts.len() > 150, "{sqlite_schema:#?}");
    let only_sqlite = sqlite_schema.missing_from(&pg_schema);
    let only_pg = pg_schema.missing_from(&sqlite_schema);
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "the backends' schemas differ\n  only on SQLite:\n    {}\n  only on PostgreSQL:\n    {}",
        only_sqlite.join("\n    "),
        only_pg.join("\n    ")
    );
    assert_tenancy(&pg_schema.foreign_keys);
    pg.close().await;
    sqlite.close().await;
    // FORCE: a closed pool's server sessions can still be ending; cleanup never fails a test.
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}

/// The comparison above is only as good as the reading of each catalog: on SQLite (always
/// run), every kind of fact is read, with the words the comparison uses.
#[tokio::test]
async fn the_sqlite_schema_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = migrated_sqlite(&dir).await;
    let schema: Schema = catalog::sqlite(&sqlite).await;
    for fact in [
        "expenses.id int64 NOT NULL IDENTITY",
        "expenses.note text",
        "members.kind text NOT NULL DEFAULT 'internal'",
        "grants.self_issue bool",
        "orgs.access_version int64 NOT NULL DEFAULT 0",
        "team_members PRIMARY KEY (team_id, member_id)",
        "expenses CHECK amount_minor > 0",
        "expenses CHECK status IN 'draft', 'submitted', 'approved', 'rejected'",
        "delegations CHECK delegator_id <> delegate_id",
        "expenses INDEX (org_id, owner_id, status, id)",
        "persons UNIQUE INDEX (email)",
        "members UNIQUE INDEX (org_id, external_id) WHERE external_id IS NOT NULL",
        "expense_hands FOREIGN KEY (org_id, expense_id) -> expenses(org_id, id) ON DELETE CASCADE ON UPDATE NO ACTION",
        "grants FOREIGN KEY (org_id, team_id) -> teams(org_id, id) ON DELETE NO ACTION ON UPDATE NO ACTION",
    ] {
        assert!(schema.has(fact), "{fact} is not among {:#?}", schema.facts);
    }
    sqlite.close().await;
}

#[test]
fn expressions_are_compared_as_both_backends_print_them() {
    assert_eq!(
        catalog::normalise("((status = ANY (ARRAY['open'::text, 'declined'::text])))"),
        catalog::normalise("status IN ('open', 'declined')")
    );
    assert_eq!(
        catalog::normalise("((max_amount_minor IS NULL) OR (max_amount_minor >= 0))"),
        catalog::normalise("max_amount_minor IS NULL OR max_amount_minor >= 0")
    );
    assert_ne!(
        catalog::normalise("(amount_minor > 0)"),
        catalog::normalise("amount_minor >= 0")
    );
    assert_eq!(
        catalog::sqlite_checks(
            "CREATE TABLE t (a TEXT CHECK (a IN ('x)', 'y')), b BIGINT, CHECK(b > (1)), checked INT)"
        ),
        ["a IN ('x)', 'y')", "b > (1)"]
    );
}

/// Every reference to a member, a team, an expense, a report or a category carries the company:
/// (org_id, x) -> (org_id, id).
fn assert_tenancy(keys: &BTreeSet<ForeignKey>) {
    let company_owned = |k: &&ForeignKey| {
        ["members", "teams", "expenses", "reports", "categories"].contains(&k.parent.as_str())
    };
    for key in keys.iter().filter(company_owned) {
        assert_eq!(key.columns.len(), 2, "{key:?}");
        assert_eq!(key.columns[0], "org_id", "{key:?}");
        assert_eq!(key.parent_columns, ["org_id", "id"], "{key:?}");
    }
    assert_eq!(keys.iter().filter(company_owned).count(), 52, "{keys:?}");
}

#[tokio::test]
async fn references_to_members_and_teams_carry_the_company() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = migrated_sqlite(&dir).await;
    assert_tenancy(&catalog::sqlite(&sqlite).await.foreign_keys);
    sqlite.close().await;
}
