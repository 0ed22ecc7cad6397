//! A stored value the code does not know is an error, never a silent default: a row whose
//! expense status, delegation kind, member kind or grant bit set was written by hand (raw
//! SQL past the CHECK constraints, as a bad restore or a hand edit would) fails its read with
//! `CorruptRow` naming table, column and value. On SQLite, and on PostgreSQL when
//! `OUTLAY_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::money::Money;
use outlay_core::{GrantSpec, MemberId, MemberKind, OrgId};
use outlay_store::members::{self, MemberStatus, NewMember};
use outlay_store::{delegations, expenses, seed, Backend, Store, StoreError};

const NOW: outlay_core::Timestamp = outlay_core::Timestamp(1_800_000_000);

/// A company with an owner, an employee holding a grant, an expense of the employee's and a
/// delegation from the owner to the employee.
struct Company {
    org: OrgId,
    owner: MemberId,
    employee: MemberId,
    expense: i64,
    delegation: i64,
}

async fn company(store: &Store) -> Company {
    let mut w = store.write(NOW).await.unwrap();
    let org = seed::company(&mut w, "Acme", "outlay", "EUR")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (key, role) in [("owner", "owner"), ("employee", "employee")] {
        let person = outlay_store::auth::create_person(
            &mut w,
            &format!("{key}@acme.example"),
            key,
            None,
            NOW,
        )
        .await
        .unwrap();
        let m = seed::member(
            &mut w,
            org,
            &NewMember {
                person,
                name: key,
                status: MemberStatus::Active,
                manager: None,
                kind: MemberKind::Internal,
            },
        )
        .await
        .unwrap();
        seed::grant(&mut w, org, m, &GrantSpec::role(role))
            .await
            .unwrap();
        ids.push(m);
    }
    let input = ExpenseInput {
        money: Money::new(1200, "EUR").unwrap(),
        merchant: "Cafe".into(),
        spent_on: "2026-11-01".into(),
        category: "meals".into(),
        note: None,
        trip_id: None,
    };
    let expense = seed::expense(&mut w, org, ids[1], &input, ExpenseStatus::Draft, None)
        .await
        .unwrap();
    let delegation: i64 = sqlx::query_scalar(
        "INSERT INTO delegations (org_id, delegator_id, delegate_id, kind, valid_from, valid_until, created_by, created_at) \
         VALUES ($1, $2, $3, 'approve', $4, $5, $2, $4) RETURNING id",
    )
    .bind(org.0)
    .bind(ids[0].0)
    .bind(ids[1].0)
    .bind(NOW.0)
    .bind(NOW.0 + 3600)
    .fetch_one(&mut *w)
    .await
    .unwrap();
    w.commit().await.unwrap();
    Company {
        org,
        owner: ids[0],
        employee: ids[1],
        expense,
        delegation,
    }
}

/// Writes `value` into `table.column` of row `id`, past the column's CHECK constraint.
async fn corrupt(store: &Store, table: &str, column: &str, value: &str, id: i64) {
    let mut w = store.write(NOW).await.unwrap();
    match store.backend() {
        Backend::Sqlite => {
            sqlx::query("PRAGMA ignore_check_constraints = ON")
                .execute(&mut *w)
                .await
                .unwrap();
        }
        Backend::Postgres => {
            let checks: Vec<String> = sqlx::query_scalar(
                "SELECT conname::text FROM pg_constraint \
                 WHERE conrelid = $1::regclass AND contype = 'c' \
                 AND pg_get_constraintdef(oid) LIKE '%' || $2 || '%'",
            )
            .bind(table)
            .bind(column)
            .fetch_all(&mut *w)
            .await
            .unwrap();
            for name in checks {
                sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
                    .execute(&mut *w)
                    .await
                    .unwrap();
            }
        }
    }
    // Integers go in as integers, text as text: the value as it would sit in the column.
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    let q = sqlx::query(&sql);
    let q = match value.parse::<i64>() {
        Ok(n) => q.bind(n),
        Err(_) => q.bind(value),
    };
    let done = q.bind(id).execute(&mut *w).await.unwrap();
    assert_eq!(done.rows_affected(), 1);
    if store.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA ignore_check_constraints = OFF")
            .execute(&mut *w)
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
}

fn assert_corrupt<T: std::fmt::Debug>(
    label: &str,
    got: Result<T, StoreError>,
    (table, column, value): (&str, &str, &str),
) {
    match got {
        Err(e @ StoreError::CorruptRow { .. }) => {
            let StoreError::CorruptRow {
                table: t,
                column: c,
                value: v,
            } = &e
            else {
                unreachable!()
            };
            assert_eq!((*t, *c, v.as_str()), (table, column, value), "{label}");
            assert_eq!(e.code(), Some("corrupt_row"), "{label}");
            let text = e.to_string();
            for part in [table, column, value] {
                assert!(text.contains(part), "{label}: `{text}` names {part}");
            }
        }
        other => panic!("{label}: {table}.{column} = {value} read as {other:?}"),
    }
}

#[tokio::test]
async fn a_stored_value_the_code_does_not_know_fails_the_read_naming_table_column_and_value() {
    for b in common::backends("corrupt").await {
        let store = &b.store;
        let c = company(store).await;
        // Read as they were written, first.
        {
            let mut conn = store.read().await.unwrap();
            let e = expenses::get(&mut conn, c.org, c.employee, c.expense).await;
            assert_eq!(e.unwrap().unwrap().status(), ExpenseStatus::Draft);
        }
        corrupt(store, "expenses", "status", "on_hold", c.expense).await;
        corrupt(store, "delegations", "kind", "veto", c.delegation).await;
        corrupt(store, "members", "kind", "contractor", c.owner.0).await;
        let grant: i64 = {
            let mut conn = store.read().await.unwrap();
            sqlx::query_scalar("SELECT id FROM grants WHERE member_id = $1")
                .bind(c.employee.0)
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        };
        corrupt(store, "grants", "groups_off", "4096", grant).await;

        let mut conn = store.read().await.unwrap();
        let label = b.label;
        assert_corrupt(
            label,
            expenses::get(&mut conn, c.org, c.employee, c.expense).await,
            ("expenses", "status", "on_hold"),
        );
        assert_corrupt(
            label,
            delegations::get(&mut conn, c.org, c.delegation).await,
            ("delegations", "kind", "veto"),
        );
        assert_corrupt(
            label,
            members::get(&mut conn, c.org, c.owner).await,
            ("members", "kind", "contractor"),
        );
        assert_corrupt(
            label,
            members::grants(&mut conn, c.org, c.employee).await,
            ("grants", "groups_off", "4096"),
        );
        // The rows the code knows still read.
        let employee = members::get(&mut conn, c.org, c.employee)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(employee.kind(), MemberKind::Internal, "{label}");
        drop(conn);
        b.finish().await;
    }
}
