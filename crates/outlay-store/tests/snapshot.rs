//! A read connection made a snapshot reads the database as it was at its first statement,
//! whatever commits meanwhile, and goes back to the pool reading the present again. SQLite
//! only: there a snapshot is one read transaction; PostgreSQL connections read each
//! statement's own snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_core::Timestamp;
use outlay_store::Store;

async fn company_names(conn: &mut outlay_store::Conn) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM orgs ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

async fn found(store: &Store, name: &str) {
    let mut w = store.write(Timestamp(1_700_000_000)).await.unwrap();
    outlay_store::seed::company(&mut w, name, "outlay", "EUR")
        .await
        .unwrap();
    w.commit().await.unwrap();
}

#[tokio::test]
async fn a_snapshot_reads_one_moment_and_ends_with_its_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    found(&store, "Acme").await;

    let mut snapshot = store.read().await.unwrap();
    snapshot.snapshot().unwrap();
    assert_eq!(company_names(&mut snapshot).await, ["Acme"]);
    found(&store, "Globex").await;
    assert_eq!(
        company_names(&mut snapshot).await,
        ["Acme"],
        "a commit after the snapshot's first read is not seen in it"
    );
    let mut plain = store.read().await.unwrap();
    assert_eq!(company_names(&mut plain).await, ["Acme", "Globex"]);
    drop(plain);
    drop(snapshot);

    // Every connection back in the pool reads the present.
    let mut conns = Vec::new();
    for _ in 0..3 {
        let mut conn = store.read().await.unwrap();
        assert_eq!(company_names(&mut conn).await, ["Acme", "Globex"]);
        conns.push(conn);
    }
}
