//! A session's and an invitation's key, the hash of its token, is never NULL on either
//! backend (migration 0011: SQLite's TEXT PRIMARY KEY alone let a NULL in), and a database
//! made before that migration keeps its sessions and invitations through it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_store::Conn;

/// A person with a session, and a company with a member invited, through plain SQL as a
/// database of any version holds them; `token` is the session's and the invitation's key.
async fn rows(conn: &mut Conn, token: Option<&str>) -> sqlx::Result<()> {
    for sql in [
        "INSERT INTO persons (id, email, name, created_at) VALUES (1, 'kim@example.com', 'Kim', 0) \
         ON CONFLICT DO NOTHING",
        "INSERT INTO orgs (id, name, created_at) VALUES (1, 'Acme', 0) ON CONFLICT DO NOTHING",
        "INSERT INTO members (id, org_id, person_id, name, status, created_at) \
         VALUES (1, 1, 1, 'Kim', 'invited', 0) ON CONFLICT DO NOTHING",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    sqlx::query(
        "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, 1, 0, 9)",
    )
    .bind(token)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO invitations (token_hash, org_id, member_id, created_at, expires_at) \
         VALUES ($1, 1, 1, 0, 9)",
    )
    .bind(token)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn keys(conn: &mut Conn) -> Vec<(String, i64, i64)> {
    sqlx::query_as(
        "SELECT token_hash, person_id, expires_at FROM sessions \
         UNION ALL SELECT token_hash, member_id, expires_at FROM invitations ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_session_or_an_invitation_without_a_token_is_refused() {
    for backend in common::backends("token_keys_null").await {
        let mut tx = backend
            .store
            .write(outlay_core::Timestamp(0))
            .await
            .unwrap();
        let refused = rows(&mut tx, None).await;
        assert!(
            refused.is_err(),
            "{}: a NULL token was stored",
            backend.label
        );
        drop(tx);
        let mut tx = backend
            .store
            .write(outlay_core::Timestamp(0))
            .await
            .unwrap();
        rows(&mut tx, Some("abc")).await.unwrap();
        tx.commit().await.unwrap();
        backend.finish().await;
    }
}

#[tokio::test]
async fn sessions_and_invitations_move_over_to_the_keys_that_refuse_null() {
    for backend in common::backends_before("token_keys_before", 11).await {
        let mut tx = backend
            .store
            .write(outlay_core::Timestamp(0))
            .await
            .unwrap();
        rows(&mut tx, Some("abc")).await.unwrap();
        tx.commit().await.unwrap();
        let before = keys(&mut backend.store.read().await.unwrap()).await;
        assert_eq!(before.len(), 2);

        // 0011 and every migration after it.
        let pending = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/source"))
            .unwrap()
            .filter(|f| f.as_ref().unwrap().file_name().to_string_lossy().as_ref() >= "0011")
            .count();
        assert_eq!(
            backend.store.migrate().await.unwrap(),
            pending,
            "{}",
            backend.label
        );
        let after = keys(&mut backend.store.read().await.unwrap()).await;
        assert_eq!(before, after, "{}", backend.label);
        let mut tx = backend
            .store
            .write(outlay_core::Timestamp(0))
            .await
            .unwrap();
        assert!(rows(&mut tx, None).await.is_err(), "{}", backend.label);
        drop(tx);
        backend.finish().await;
    }
}
