//! What moving a manager with a large subtree costs (`set_manager`'s reporting-lines work),
//! the move as the store did it before (cut every pair above the member, insert the new
//! line's) against the one it does now (keep shared rows, rename in place), side by side in
//! one run:
//! on a benchmark company (`outlay bench-data`, 100,000 members), a second-level manager with
//! the largest subtree moves under another first-level manager. Each move runs in its own
//! write transaction and is rolled back, so every run starts from the same tree; the two
//! take turns, several runs each, and the medians and their ratio are printed.
//!
//! `cargo run --release -p outlay --example move_subtree -- DATABASE_URL [RUNS]`; see
//! docs/benchmarks.md, "Moving a subtree".
// An experiment beside the product: its setup SQL is its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use outlay_core::{MemberId, OrgId, Timestamp};
use outlay_store::{seed, Store, Write};
use std::time::{Duration, Instant};

/// The cut `move_under` ran before it kept shared rows: every pair (ancestor above the
/// member, member of the subtree) deleted, per backend...
const OLD_CUT_SQLITE: &str = "DELETE FROM reporting_lines WHERE rowid IN ( \
       SELECT r.rowid FROM reporting_lines s JOIN reporting_lines r \
         ON r.org_id = s.org_id AND r.member_id = s.member_id AND r.depth > s.depth \
       WHERE s.org_id = $1 AND s.ancestor_id = $2)";
const OLD_CUT_POSTGRES: &str = "DELETE FROM reporting_lines WHERE org_id = $1 \
       AND member_id = ANY (ARRAY(SELECT member_id FROM reporting_lines \
                                  WHERE org_id = $1 AND ancestor_id = $2)) \
       AND ancestor_id = ANY (ARRAY(SELECT ancestor_id FROM reporting_lines \
                                    WHERE org_id = $1 AND member_id = $2 AND depth > 0))";

/// ...and every pair under the new manager's line inserted.
async fn old_move(w: &mut Write, org: OrgId, member: MemberId, manager: MemberId) {
    sqlx::query("UPDATE members SET manager_id = $3 WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(member.0)
        .bind(manager.0)
        .execute(&mut **w)
        .await
        .unwrap();
    let cut = match w.backend() {
        outlay_store::Backend::Sqlite => OLD_CUT_SQLITE,
        outlay_store::Backend::Postgres => OLD_CUT_POSTGRES,
    };
    sqlx::query(cut)
        .bind(org.0)
        .bind(member.0)
        .execute(&mut **w)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth) \
         SELECT a.org_id, a.ancestor_id, s.member_id, a.depth + s.depth + 1 \
         FROM reporting_lines a JOIN reporting_lines s ON s.org_id = a.org_id \
         WHERE a.org_id = $1 AND a.member_id = $3 AND s.ancestor_id = $2",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(manager.0)
    .execute(&mut **w)
    .await
    .unwrap();
}

async fn scalar(store: &Store, sql: &str, binds: &[i64]) -> i64 {
    let mut conn = store.read().await.unwrap();
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(&mut *conn).await.unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect(
        "usage: move_subtree DATABASE_URL [RUNS] (a database loaded by `outlay bench-data`)",
    );
    let runs: usize = args.next().map_or(7, |r| r.parse().unwrap());
    let store = Store::open(&url).await.unwrap();
    let org = OrgId(
        scalar(
            &store,
            "SELECT MAX(id) FROM orgs WHERE name = 'Bench Corp'",
            &[],
        )
        .await,
    );
    let members = scalar(
        &store,
        "SELECT COUNT(*) FROM members WHERE org_id = $1",
        &[org.0],
    )
    .await;
    // The top: the member with no manager above the most people.
    let top = scalar(
        &store,
        "SELECT ancestor_id FROM reporting_lines WHERE org_id = $1 \
         GROUP BY ancestor_id ORDER BY COUNT(*) DESC, ancestor_id LIMIT 1",
        &[org.0],
    )
    .await;
    let member = scalar(
        &store,
        "SELECT r.ancestor_id FROM reporting_lines r WHERE r.org_id = $1 AND r.ancestor_id IN \
           (SELECT member_id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2 AND depth = 2) \
         GROUP BY r.ancestor_id ORDER BY COUNT(*) DESC, r.ancestor_id LIMIT 1",
        &[org.0, top],
    )
    .await;
    let below = scalar(
        &store,
        "SELECT COUNT(*) FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2",
        &[org.0, member],
    )
    .await;
    let manager = scalar(
        &store,
        "SELECT member_id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2 AND depth = 1 \
           AND member_id NOT IN (SELECT ancestor_id FROM reporting_lines WHERE org_id = $1 AND member_id = $3) \
         ORDER BY member_id LIMIT 1",
        &[org.0, top, member],
    )
    .await;
    println!(
        "{:?}: company {} ({members} members); member {member} ({below} in their subtree, two levels below the top) moves under {manager}; {runs} runs each",
        store.backend(),
        org.0
    );
    let (member, manager) = (MemberId(member), MemberId(manager));
    let now = Timestamp(outlay_store::bench_data::END);
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut w = store.write_for(org, now).await.unwrap();
        let started = Instant::now();
        old_move(&mut w, org, member, manager).await;
        old.push(started.elapsed());
        drop(w);
        let mut w = store.write_for(org, now).await.unwrap();
        let started = Instant::now();
        seed::move_under(&mut w, org, member, Some(manager))
            .await
            .unwrap();
        new.push(started.elapsed());
        drop(w);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (o, n) = (median(old.clone()), median(new.clone()));
    println!(
        "old: median {:.1} ms (runs: {:?})",
        ms(o),
        old.iter()
            .map(|d| (ms(*d) * 10.0).round() / 10.0)
            .collect::<Vec<_>>()
    );
    println!(
        "new: median {:.1} ms (runs: {:?})",
        ms(n),
        new.iter()
            .map(|d| (ms(*d) * 10.0).round() / 10.0)
            .collect::<Vec<_>>()
    );
    println!("old / new: {:.1}x", o.as_secs_f64() / n.as_secs_f64());
    store.close().await;
}
