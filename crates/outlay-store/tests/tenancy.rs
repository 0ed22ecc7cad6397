//! Tenancy is in the schema: whatever a handler writes, the database refuses a row of one
//! company that points at a member or a team of another. For every composite foreign key,
//! the same statement succeeds pointing inside the company and fails pointing into the other
//! one with a foreign-key violation. On SQLite, and on PostgreSQL when
//! `OUTLAY_TEST_DATABASE_URL` is set. Raw SQL on purpose: the store's own functions would
//! never write these rows. Also: a database holding data before the tenancy keys (a bench
//! company and a row through every key) keeps all of it when they arrive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_store::{bench_data, Backend as Kind, Conn, Store};
use std::borrow::Cow;

/// A store per backend, with what it takes to clean it up afterwards.
struct Backend {
    label: &'static str,
    store: Store,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL server and test database, dropped at the end.
    pg: Option<(String, String)>,
}

async fn backends() -> Vec<Backend> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tenancy.db").display());
    let mut out = vec![Backend {
        label: "sqlite",
        store: Store::open(&url).await.unwrap(),
        _dir: Some(dir),
        pg: None,
    }];
    if let Ok(server) = std::env::var("OUTLAY_TEST_DATABASE_URL") {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let server = server.trim_end_matches('/').to_string();
        let name = format!("outlay_tenancy_{}", std::process::id());
        let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        out.push(Backend {
            label: "postgres",
            store: Store::open(&format!("{server}/{name}")).await.unwrap(),
            _dir: None,
            pg: Some((server, name)),
        });
    }
    for b in &out {
        b.store.migrate().await.unwrap();
    }
    out
}

async fn drop_database(server: &str, name: &str) {
    use sqlx::Connection;
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    // FORCE: a closed pool's server sessions can still be ending; cleanup never fails a test.
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}

async fn id(conn: &mut Conn, sql: &str, binds: &[i64]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(&mut *conn).await.unwrap()
}

/// One company: two members (the second reports to the first) and a team.
#[derive(Clone, Copy, Debug)]
struct Company {
    org: i64,
    first: i64,
    second: i64,
    team: i64,
}

async fn company(conn: &mut Conn, name: &str) -> Company {
    let org = id(
        conn,
        &format!("INSERT INTO orgs (name, created_at) VALUES ('{name}', 0) RETURNING id"),
        &[],
    )
    .await;
    let mut members = Vec::new();
    for who in ["first", "second"] {
        let person = id(
            conn,
            &format!(
                "INSERT INTO persons (email, name, created_at) \
                 VALUES ('{who}@{name}.example', '{who}', 0) RETURNING id"
            ),
            &[],
        )
        .await;
        members.push(
            id(
                conn,
                "INSERT INTO members (org_id, person_id, name, status, created_at) \
                 VALUES ($1, $2, 'm', 'active', 0) RETURNING id",
                &[org, person],
            )
            .await,
        );
    }
    let team = id(
        conn,
        "INSERT INTO teams (org_id, name, created_at) VALUES ($1, 'Team', 0) RETURNING id",
        &[org],
    )
    .await;
    Company {
        org,
        first: members[0],
        second: members[1],
        team,
    }
}

/// One composite foreign key and a statement that writes a row of company A through it:
/// `$1` is A's org id, `$2` the member or team the row points at; every other reference is
/// A's own.
struct Case {
    key: &'static str,
    sql: fn(&Company) -> String,
    /// The row pointed at: in A for the control, the same kind of row of B for the test.
    target: fn(&Company) -> i64,
}

fn cases() -> Vec<Case> {
    fn first(c: &Company) -> i64 {
        c.first
    }
    fn second(c: &Company) -> i64 {
        c.second
    }
    fn team(c: &Company) -> i64 {
        c.team
    }
    vec![
        Case {
            key: "members.manager_id",
            sql: |a| {
                format!(
                    "UPDATE members SET manager_id = $2 WHERE org_id = $1 AND id = {}",
                    a.second
                )
            },
            target: first,
        },
        Case {
            key: "invitations.member_id",
            sql: |_| {
                "INSERT INTO invitations (token_hash, org_id, member_id, created_at, expires_at) \
                      VALUES ('t', $1, $2, 0, 1)"
                    .into()
            },
            target: second,
        },
        Case {
            key: "team_members.team_id",
            sql: |a| {
                format!(
                    "INSERT INTO team_members (org_id, team_id, member_id) VALUES ($1, $2, {})",
                    a.first
                )
            },
            target: team,
        },
        Case {
            key: "team_members.member_id",
            sql: |a| {
                format!(
                    "INSERT INTO team_members (org_id, team_id, member_id) VALUES ($1, {}, $2)",
                    a.team
                )
            },
            target: second,
        },
        Case {
            key: "grants.member_id",
            sql: |_| {
                "INSERT INTO grants (org_id, member_id, role, created_at) VALUES ($1, $2, 'employee', 0)".into()
            },
            target: second,
        },
        Case {
            key: "grants.team_id",
            sql: |a| {
                format!(
                    "INSERT INTO grants (org_id, member_id, role, team_id, created_at) \
                 VALUES ($1, {}, 'team_manager', $2, 0)",
                    a.first
                )
            },
            target: team,
        },
        Case {
            key: "expenses.owner_id",
            sql: |_| expense("$2", "NULL", "NULL"),
            target: second,
        },
        Case {
            key: "expenses.decided_by",
            sql: |a| expense(&a.second.to_string(), "$2", "NULL"),
            target: first,
        },
        Case {
            key: "expenses.decided_on_behalf_of",
            sql: |a| expense(&a.second.to_string(), &a.first.to_string(), "$2"),
            target: first,
        },
        Case {
            key: "delegations.delegator_id",
            sql: |a| delegation("$2", &a.first.to_string(), &a.first.to_string(), "NULL"),
            target: second,
        },
        Case {
            key: "delegations.delegate_id",
            sql: |a| delegation(&a.first.to_string(), "$2", &a.first.to_string(), "NULL"),
            target: second,
        },
        Case {
            key: "delegations.created_by",
            sql: |a| delegation(&a.first.to_string(), &a.second.to_string(), "$2", "NULL"),
            target: first,
        },
        Case {
            key: "delegations.ended_by",
            sql: |a| {
                delegation(
                    &a.first.to_string(),
                    &a.second.to_string(),
                    &a.first.to_string(),
                    "$2",
                )
            },
            target: first,
        },
        Case {
            key: "role_requests.member_id",
            sql: |_| role_request("$2", "NULL", "NULL"),
            target: second,
        },
        Case {
            key: "role_requests.team_id",
            sql: |a| role_request(&a.second.to_string(), "$2", "NULL"),
            target: team,
        },
        Case {
            key: "role_requests.decided_by",
            sql: |a| role_request(&a.second.to_string(), "NULL", "$2"),
            target: first,
        },
        Case {
            key: "reporting_lines.ancestor_id",
            sql: |a| {
                format!(
                "INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth) VALUES ($1, $2, {}, 0)",
                a.first)
            },
            target: first,
        },
        Case {
            key: "reporting_lines.member_id",
            sql: |a| {
                format!(
                "INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth) VALUES ($1, {}, $2, 1)",
                a.first)
            },
            target: second,
        },
    ]
}

fn expense(owner: &str, decided_by: &str, on_behalf_of: &str) -> String {
    format!(
        "INSERT INTO expenses (org_id, owner_id, amount_minor, currency, merchant, spent_on, \
         category, status, created_at, updated_at, decided_by, decided_on_behalf_of) \
         VALUES ($1, {owner}, 100, 'EUR', 'Cafe', '2026-01-01', 'meals', 'approved', 0, 0, \
         {decided_by}, {on_behalf_of})"
    )
}

fn delegation(delegator: &str, delegate: &str, created_by: &str, ended_by: &str) -> String {
    format!(
        "INSERT INTO delegations (org_id, delegator_id, delegate_id, kind, valid_from, \
         valid_until, created_by, created_at, ended_by) \
         VALUES ($1, {delegator}, {delegate}, 'approve', 0, 10, {created_by}, 0, {ended_by})"
    )
}

fn role_request(member: &str, team: &str, decided_by: &str) -> String {
    format!(
        "INSERT INTO role_requests (org_id, member_id, role, team_id, reason, status, \
         created_at, decided_by) \
         VALUES ($1, {member}, 'finance', {team}, 'month end', 'open', 0, {decided_by})"
    )
}

/// Runs `sql` in a transaction that is rolled back; the database's error, if any.
async fn attempt(store: &Store, sql: &str, binds: &[i64]) -> Result<(), sqlx::Error> {
    let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let result = q.execute(&mut *tx).await.map(|_| ());
    drop(tx);
    result
}

fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

#[tokio::test]
async fn no_row_points_into_another_company() {
    for backend in backends().await {
        let store = &backend.store;
        let (a, b) = {
            let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
            let a = company(&mut tx, "a").await;
            let b = company(&mut tx, "b").await;
            tx.commit().await.unwrap();
            (a, b)
        };
        let cases = cases();
        assert_eq!(cases.len(), 18);
        for case in &cases {
            let sql = (case.sql)(&a);
            let inside = attempt(store, &sql, &[a.org, (case.target)(&a)]).await;
            assert!(
                inside.is_ok(),
                "{}: {}: pointing inside the company fails: {inside:?}",
                backend.label,
                case.key
            );
            let across = attempt(store, &sql, &[a.org, (case.target)(&b)]).await;
            match across {
                Err(e) if is_foreign_key_violation(&e) => {}
                other => panic!(
                    "{}: {}: pointing into another company gave {other:?}",
                    backend.label, case.key
                ),
            }
        }

        // Moving a row to another company is pointing across too: its references stay behind.
        {
            let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
            sqlx::query(&expense(&a.second.to_string(), "NULL", "NULL"))
                .bind(a.org)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let moved = attempt(
            store,
            "UPDATE expenses SET org_id = $1 WHERE org_id = $2",
            &[b.org, a.org],
        )
        .await;
        assert!(
            matches!(&moved, Err(e) if is_foreign_key_violation(e)),
            "{}: an expense moved to another company: {moved:?}",
            backend.label
        );

        store.close().await;
        if let Some((server, name)) = &backend.pg {
            drop_database(server, name).await;
        }
    }
}

/// The tables whose rows the tenancy migration copies (SQLite) or re-checks (PostgreSQL).
const TABLES: [&str; 9] = [
    "members",
    "invitations",
    "teams",
    "team_members",
    "grants",
    "expenses",
    "delegations",
    "role_requests",
    "reporting_lines",
];

/// A table's name, row count, rows as text, and the columns read.
type Contents = (String, i64, String, Vec<String>);

/// Every table's rows, as one text per table, in a stable order: equal before and after
/// means nothing was lost or changed. Only the columns of `before` when given: a later
/// migration may add columns, never change what was there.
async fn contents(conn: &mut Conn, before: Option<&[Contents]>) -> Vec<Contents> {
    let mut out = Vec::new();
    for (i, table) in TABLES.iter().enumerate() {
        // A row's text: every column, cast, so both backends agree on the shape.
        let columns: Vec<String> = match Kind::of(conn) {
            Kind::Sqlite => sqlx::query_scalar(&format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .fetch_all(&mut *conn)
            .await
            .unwrap(),
            Kind::Postgres => sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await
            .unwrap(),
        };
        let columns: Vec<String> = match before {
            Some(b) => columns.into_iter().filter(|c| b[i].3.contains(c)).collect(),
            None => columns,
        };
        let row = columns
            .iter()
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT {row} FROM {table} ORDER BY {row}"))
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        out.push((
            table.to_string(),
            rows.len() as i64,
            rows.join("\n"),
            columns,
        ));
    }
    out
}

#[tokio::test]
async fn existing_data_moves_over() {
    for backend in backends_before_tenancy().await {
        let store = &backend.store;
        let loaded = bench_data::load(
            store,
            &bench_data::Spec {
                members: 300,
                expenses: 3_000,
                seed: 7,
                name: "Before",
                password_hash: "x",
            },
            |_| {},
        )
        .await
        .unwrap();
        assert!(loaded.reporting_lines > loaded.members);
        // A row through every key, and an expense whose id must never come back.
        let (a, gone) = {
            let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
            let a = company(&mut tx, "a").await;
            for case in cases() {
                let sql = (case.sql)(&a);
                sqlx::query(&sql)
                    .bind(a.org)
                    .bind((case.target)(&a))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            let gone = id(
                &mut tx,
                &format!(
                    "{} RETURNING id",
                    expense(&a.first.to_string(), "NULL", "NULL")
                ),
                &[a.org],
            )
            .await;
            sqlx::query("DELETE FROM expenses WHERE id = $1")
                .bind(gone)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            (a, gone)
        };
        let before = contents(&mut store.read().await.unwrap(), None).await;
        assert!(before.iter().all(|(_, n, ..)| *n > 0), "{before:?}");

        // 0007 and every migration after it.
        let later = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().as_ref() >= "0007")
            .count();
        assert_eq!(store.migrate().await.unwrap(), later, "{}", backend.label);

        let after = contents(&mut store.read().await.unwrap(), Some(&before)).await;
        for (b, a) in before.iter().zip(&after) {
            assert!(
                b == a,
                "{}: {} changed in the migration",
                backend.label,
                b.0
            );
        }
        let mut tx = store.write(outlay_core::Timestamp(0)).await.unwrap();
        let next = id(
            &mut tx,
            &format!(
                "{} RETURNING id",
                expense(&a.first.to_string(), "NULL", "NULL")
            ),
            &[a.org],
        )
        .await;
        assert!(
            next > gone,
            "{}: expense id {next} handed out again",
            backend.label
        );
        tx.commit().await.unwrap();

        store.close().await;
        if let Some((server, name)) = &backend.pg {
            drop_database(server, name).await;
        }
    }
}

/// Like [`backends`], migrated only up to the version before the tenancy keys.
async fn backends_before_tenancy() -> Vec<Backend> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("before.db").display());
    out.push(Backend {
        label: "sqlite",
        store: Store::open(&url).await.unwrap(),
        _dir: Some(dir),
        pg: None,
    });
    if let Ok(server) = std::env::var("OUTLAY_TEST_DATABASE_URL") {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let server = server.trim_end_matches('/').to_string();
        let name = format!("outlay_tenancy_before_{}", std::process::id());
        let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        out.push(Backend {
            label: "postgres",
            store: Store::open(&format!("{server}/{name}")).await.unwrap(),
            _dir: None,
            pg: Some((server, name)),
        });
    }
    for b in &out {
        let dir = format!("{}/migrations/{}", env!("CARGO_MANIFEST_DIR"), b.label);
        let mut migrator = sqlx::migrate::Migrator::new(std::path::Path::new(&dir))
            .await
            .unwrap();
        migrator.migrations = Cow::Owned(
            migrator
                .migrations
                .iter()
                .filter(|m| m.version < 7)
                .cloned()
                .collect(),
        );
        b.store.run_migrator(&migrator).await.unwrap();
    }
    out
}
