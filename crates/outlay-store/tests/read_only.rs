//! SQLite reads run in place on connections of the store's own, and those connections are
//! read-only: a write through one fails and changes nothing (a write escaping the write
//! lock, the permit and the audit entry cannot happen by mistake). The same connection still
//! reads afterwards. (PostgreSQL reads run on sqlx's pool, not in place.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_store::{seed, Backend};

#[tokio::test]
async fn a_write_through_an_in_place_read_connection_fails_and_changes_nothing() {
    for b in common::backends("read_only").await {
        if b.store.backend() != Backend::Sqlite {
            b.finish().await;
            continue;
        }
        let store = &b.store;
        let org = {
            let mut w = store.write(outlay_core::Timestamp(1)).await.unwrap();
            let org = seed::company(&mut w, "Acme", "outlay", "EUR")
                .await
                .unwrap();
            w.commit().await.unwrap();
            org
        };
        let mut conn = store.read().await.unwrap();
        for sql in [
            "UPDATE orgs SET name = 'Renamed' WHERE id = $1",
            "DELETE FROM orgs WHERE id = $1",
        ] {
            let err = sqlx::query(sql)
                .bind(org.0)
                .execute(&mut *conn)
                .await
                .expect_err(sql);
            assert!(
                err.to_string().contains("readonly") || err.to_string().contains("read-only"),
                "{sql}: {err}"
            );
        }
        let name: String = sqlx::query_scalar("SELECT name FROM orgs WHERE id = $1")
            .bind(org.0)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(name, "Acme");
        drop(conn);
        b.finish().await;
    }
}
