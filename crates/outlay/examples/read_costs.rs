//! What the database part of an authorized read costs, piece by piece, with no HTTP around
//! it: on the demo database (SQLite file, WAL, in-place reads), as a GET makes them.
//!
//! - a checkout of a read connection, its snapshot begun and ended, nothing read;
//! - the same with SQLite's read lock taken (`PRAGMA data_version`, which reads no table);
//! - the session statement (with the company's access version), as every request reads it;
//! - the expense statement (with its owner's line and teams, as the viewer sees them);
//! - the first page of a manager's list (12 expenses), in the shape the server uses.
//!
//! `cargo run --release --example read_costs` (pin it with `taskset -c 0` for steadier
//! figures); see docs/benchmarks.md.
// An experiment beside the product: its setup SQL is its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use outlay_core::{ListScope, MemberId, OrgId, Timestamp};
use outlay_store::expenses::{ListFilter, Shape};
use outlay_store::{Read, Store};
use std::future::Future;
use std::time::Instant;

const RUNS: u32 = 200_000;

/// Nanoseconds per run of `step` on a fresh snapshot of a fresh checkout, best of 3 rounds.
async fn per_run<F, Fut>(store: &Store, step: F) -> f64
where
    F: Fn(Read) -> Fut,
    Fut: Future<Output = Read>,
{
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        for _ in 0..RUNS {
            let mut read = store.read().await.unwrap();
            read.snapshot().unwrap();
            drop(step(read).await);
        }
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(RUNS));
    }
    best
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!(
        "sqlite://{}",
        dir.path().join("demo.db").display()
    ))
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let now = Timestamp(1_800_000_000);
    outlay::demo::seed(&store, now, |_| {}).await.unwrap();

    // mark (a manager) reads alice's newest expense and his own first page, as in
    // docs/throughput.sh.
    let org = OrgId(1);
    let mut read = store.read().await.unwrap();
    let member_of = |email: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "SELECT m.id FROM members m JOIN persons p ON p.id = m.person_id \
             WHERE m.org_id = 1 AND p.email = $1",
        )
        .bind(email)
    };
    let mark = MemberId(
        member_of("mark@acme.example")
            .fetch_one(&mut *read)
            .await
            .unwrap(),
    );
    let alice = member_of("alice@acme.example")
        .fetch_one(&mut *read)
        .await
        .unwrap();
    let expense: i64 = sqlx::query_scalar(
        "SELECT id FROM expenses WHERE org_id = 1 AND owner_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(alice)
    .fetch_one(&mut *read)
    .await
    .unwrap();
    let person: i64 = sqlx::query_scalar("SELECT person_id FROM members WHERE id = $1")
        .bind(mark.0)
        .fetch_one(&mut *read)
        .await
        .unwrap();
    drop(read);
    let token_hash = "0".repeat(64);
    let mut w = store.write(now).await.unwrap();
    let start = outlay_core::permit::open_session(person, false).unwrap();
    outlay_store::auth::create_session(&mut w, start, &token_hash, Timestamp(now.0 + 3600))
        .await
        .unwrap();
    w.commit().await.unwrap();
    let reach = ListScope {
        own: true,
        direct: true,
        subtree: true,
        ..ListScope::default()
    };
    let filter = ListFilter {
        limit: 50,
        ..ListFilter::default()
    };

    let empty = per_run(&store, |read| async { read }).await;
    let locked = per_run(&store, |mut read| async {
        let _: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut *read)
            .await
            .unwrap();
        read
    })
    .await;
    let session = |mut read: Read| {
        let token_hash = &token_hash;
        async move {
            outlay_store::auth::live_session(&mut read, token_hash, now, Some(org))
                .await
                .unwrap()
                .unwrap();
            read
        }
    };
    let session_only = per_run(&store, session).await;
    let both = per_run(&store, |read| async move {
        let mut read = session(read).await;
        outlay_store::expenses::get(&mut read, org, mark, expense)
            .await
            .unwrap()
            .unwrap();
        read
    })
    .await;
    let page = per_run(&store, |mut read| {
        let (reach, filter) = (&reach, &filter);
        async move {
            let shape = Shape::Owners;
            let rows: Vec<outlay_store::expenses::ExpenseRow> =
                outlay_store::owned::list(&mut read, org, mark, &[], reach, filter, shape)
                    .await
                    .unwrap();
            assert_eq!(rows.len(), 12);
            read
        }
    })
    .await;

    println!("nanoseconds per read (best of 3 rounds of {RUNS}):");
    println!("  checkout, snapshot begun and ended, nothing read   {empty:>7.0}");
    println!("  + SQLite's read lock (PRAGMA data_version)         {locked:>7.0}");
    println!("  + the session statement instead                    {session_only:>7.0}");
    println!("  + the session, then the expense (a whole GET)     {both:>7.0}");
    println!("  + the list page instead (12 expenses)              {page:>7.0}");
}
