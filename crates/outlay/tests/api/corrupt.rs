//! A stored value the code does not know is a coded server fault, never a default: an
//! expense whose status was written by hand past its CHECK constraint is not shown as a
//! draft (which its owner could then edit or delete), the request answers 500
//! `corrupt_row` naming the table, column and value.

use crate::harness::{code, TestServer};
use reqwest::StatusCode;

/// Writes `value` into `expenses.status` of expense `id`, past the column's CHECK.
async fn corrupt_status(database_url: &str, id: i64, value: &str) {
    match database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let c = rusqlite::Connection::open(path).unwrap();
            c.execute_batch("PRAGMA ignore_check_constraints = ON")
                .unwrap();
            let n = c
                .execute(
                    "UPDATE expenses SET status = ?1 WHERE id = ?2",
                    rusqlite::params![value, id],
                )
                .unwrap();
            assert_eq!(n, 1);
        }
        None => {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(database_url).await.unwrap();
            let checks: Vec<String> = sqlx::query_scalar(
                "SELECT conname::text FROM pg_constraint WHERE conrelid = 'expenses'::regclass \
                 AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'",
            )
            .fetch_all(&mut c)
            .await
            .unwrap();
            for name in checks {
                sqlx::query(&format!("ALTER TABLE expenses DROP CONSTRAINT {name}"))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            let done = sqlx::query("UPDATE expenses SET status = $1 WHERE id = $2")
                .bind(value)
                .bind(id)
                .execute(&mut c)
                .await
                .unwrap();
            assert_eq!(done.rows_affected(), 1);
            c.close().await.unwrap();
        }
    }
}

#[tokio::test]
async fn an_expense_with_a_status_the_code_does_not_know_answers_corrupt_row_not_a_draft() {
    let server = TestServer::start().await;
    let acme = server.acme();
    let alice = server.login("alice").await;
    let mine = alice.all_expenses(acme, "").await;
    let id = mine[0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/orgs/{acme}/expenses/{id}");
    let (status, _) = alice.get(&path).await;
    assert_eq!(status, StatusCode::OK);

    corrupt_status(&server.database_url, id, "on_hold").await;

    let (status, body) = alice.get(&path).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(code(&body), "corrupt_row", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    for part in ["expenses", "status", "on_hold"] {
        assert!(message.contains(part), "`{message}` names {part}");
    }
    // Nor may it be acted on as a draft.
    let (status, body) = alice.delete(&path).await;
    assert_ne!(status, StatusCode::NO_CONTENT, "{body}");
    assert_ne!(status, StatusCode::OK, "{body}");
}
