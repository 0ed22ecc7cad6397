//! Every query shape lists exactly what the core's reach allows. A benchmark company small
//! enough to check by brute force (reach sizes on both sides of the owner-first limit, team
//! bound grants) is listed as each viewer, with and without a status filter, a cursor and an
//! owner filter, in every shape; each row carries its owner as the core's org chart places
//! them, for the viewer and for every other member the row is also read for (the delegators
//! of delegations in force, more of them than one statement carries). Runs on SQLite, and on
//! PostgreSQL when `OUTLAY_TEST_DATABASE_URL` names a server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_core::expense::ExpenseStatus;
use outlay_core::{Action, ListScope, MemberId, OrgChart, OrgId, TeamId, Timestamp};
use outlay_store::bench_data;
use outlay_store::expenses::{self, ExpenseRow, ListFilter, Shape, SEEN_AS_PER_STATEMENT};
use outlay_store::scope::TargetFacts;
use outlay_store::Store;
use std::collections::HashMap;

async fn fresh_store(dir: &tempfile::TempDir) -> Store {
    let url = match std::env::var("OUTLAY_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let server = server.trim_end_matches('/');
            let name = format!("outlay_shapes_{}", std::process::id());
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
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}", dir.path().join("shapes.db").display()),
    };
    let store = Store::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    store
}

struct Company {
    org: OrgId,
    chart: OrgChart,
    members: Vec<MemberId>,
    /// (id, owner, status), newest first.
    expenses: Vec<(i64, i64, String)>,
}

async fn company(store: &Store, org: OrgId) -> Company {
    let mut conn = store.read().await.unwrap();
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, manager_id FROM members WHERE org_id = $1 ORDER BY id")
            .bind(org.0)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let mut teams: HashMap<i64, Vec<TeamId>> = HashMap::new();
    for (team, member) in outlay_store::teams::memberships(&mut conn, org)
        .await
        .unwrap()
    {
        teams.entry(member).or_default().push(TeamId(team));
    }
    let chart = OrgChart::new(
        rows.iter()
            .map(|(id, manager)| {
                (
                    MemberId(*id),
                    manager.map(MemberId),
                    teams.remove(id).unwrap_or_default(),
                )
            })
            .collect(),
    );
    let expenses: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, owner_id, status FROM expenses WHERE org_id = $1 ORDER BY id DESC",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    Company {
        org,
        chart,
        members: rows.iter().map(|r| MemberId(r.0)).collect(),
        expenses,
    }
}

async fn scope_of(
    store: &Store,
    org: OrgId,
    viewer: MemberId,
    action: Action,
) -> Option<ListScope> {
    let mut conn = store.read().await.unwrap();
    let row = outlay_store::members::get(&mut conn, org, viewer)
        .await
        .unwrap()
        .unwrap();
    let principal = outlay_store::members::principal(&mut conn, org, &row)
        .await
        .unwrap();
    principal.list_scope(Timestamp(bench_data::END), action)
}

/// Members to read `rows` for besides the viewer: the owners of the first rows and everyone
/// above them (own, direct and indirect lines), then members from all over the company (most
/// of them `other`); more than one statement carries.
fn others_for(c: &Company, rows: &[ExpenseRow]) -> Vec<MemberId> {
    let mut out: Vec<MemberId> = Vec::new();
    for r in rows.iter().take(3) {
        let mut m = Some(MemberId(r.who.owner_id));
        while let Some(x) = m {
            if !out.contains(&x) {
                out.push(x);
            }
            m = c.chart.manager_of(x);
        }
    }
    for m in c.members.iter().step_by(97) {
        if out.len() > SEEN_AS_PER_STATEMENT + 3 {
            break;
        }
        if !out.contains(m) {
            out.push(*m);
        }
    }
    out
}

/// Each row carries its owner's place in the line of each of `others`, in their order.
fn check_seen_as(c: &Company, rows: &[ExpenseRow], others: &[MemberId], what: &str) {
    for r in rows {
        let owner = MemberId(r.who.owner_id);
        let want: Vec<_> = others
            .iter()
            .map(|o| Some(c.chart.line(*o, owner)))
            .collect();
        assert_eq!(r.who.seen_as.0, want, "{what}: row {} as {others:?}", r.id);
    }
}

async fn check_viewer(store: &Store, c: &Company, viewer: MemberId) -> (Shape, usize) {
    let mut conn = store.read().await.unwrap();
    let reaches =
        |scope: &ListScope, owner: i64| scope.reaches(&c.chart.target(viewer, MemberId(owner)));
    let mut auto_shape = Shape::Nothing;
    let mut listed = 0;
    if let Some(scope) = scope_of(store, c.org, viewer, Action::ExpenseView).await {
        let shapes: &[Shape] = if scope.all {
            &[Shape::All]
        } else {
            &[Shape::Owners, Shape::Scan, Shape::Probe]
        };
        let visible: Vec<&(i64, i64, String)> =
            c.expenses.iter().filter(|e| reaches(&scope, e.1)).collect();
        let some_owner = visible.get(visible.len() / 2).map(|e| e.1);
        let foreign = c.members.iter().map(|m| m.0).find(|m| !reaches(&scope, *m));
        for status in [
            None,
            Some(ExpenseStatus::Submitted),
            Some(ExpenseStatus::Draft),
        ] {
            for owner in [None, some_owner, foreign] {
                let expected_all: Vec<i64> = visible
                    .iter()
                    .filter(|e| status.is_none_or(|s| e.2 == s.as_str()))
                    .filter(|e| owner.is_none_or(|o| e.1 == o))
                    .map(|e| e.0)
                    .collect();
                for cursor in [None, expected_all.get(30).copied()] {
                    let filter = ListFilter {
                        status,
                        owner: owner.map(MemberId),
                        cursor,
                        limit: 26,
                        oldest_first: false,
                    };
                    let expected: Vec<i64> = expected_all
                        .iter()
                        .copied()
                        .filter(|id| cursor.is_none_or(|c| *id < c))
                        .take(26)
                        .collect();
                    let auto =
                        outlay_store::owned::shape(&mut conn, c.org, viewer, &scope, &filter)
                            .await
                            .unwrap();
                    if owner.is_none() && status.is_none() && cursor.is_none() {
                        auto_shape = auto;
                        listed = expected.len();
                    }
                    let mut tried = shapes.to_vec();
                    tried.push(auto);
                    if owner.is_some() {
                        tried = vec![Shape::Owner];
                    }
                    for shape in tried {
                        let rows = outlay_store::owned::list::<expenses::ExpenseRow>(
                            &mut conn,
                            c.org,
                            viewer,
                            &[],
                            &scope,
                            &filter,
                            shape,
                        )
                        .await
                        .unwrap();
                        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                        assert_eq!(
                            ids, expected,
                            "viewer {viewer} shape {shape:?} status {status:?} owner {owner:?} cursor {cursor:?}"
                        );
                        // The same rows walked oldest first, from the other end.
                        let oldest = ListFilter {
                            oldest_first: true,
                            ..filter.clone()
                        };
                        let want: Vec<i64> = expected_all
                            .iter()
                            .rev()
                            .copied()
                            .filter(|id| cursor.is_none_or(|c| *id > c))
                            .take(26)
                            .collect();
                        let walked = outlay_store::owned::list::<expenses::ExpenseRow>(
                            &mut conn,
                            c.org,
                            viewer,
                            &[],
                            &scope,
                            &oldest,
                            shape,
                        )
                        .await
                        .unwrap();
                        let walked: Vec<i64> = walked.iter().map(|r| r.id).collect();
                        assert_eq!(walked, want, "viewer {viewer} shape {shape:?} oldest first");
                        for r in &rows {
                            let model = c.chart.target(viewer, MemberId(r.who.owner_id));
                            assert_eq!(r.owner().target(), model, "row {} as {viewer}", r.id);
                        }
                        if status.is_some() || cursor.is_some() {
                            continue;
                        }
                        // The same page read for other members too: the same rows, and
                        // each owner as each of them sees them.
                        let others = others_for(c, &rows);
                        let seen: Vec<expenses::ExpenseRow> = outlay_store::owned::list(
                            &mut conn, c.org, viewer, &others, &scope, &filter, shape,
                        )
                        .await
                        .unwrap();
                        let seen_ids: Vec<i64> = seen.iter().map(|r| r.id).collect();
                        assert_eq!(seen_ids, expected, "viewer {viewer} shape {shape:?} seen");
                        let what = format!("viewer {viewer} shape {shape:?}");
                        check_seen_as(c, &seen, &others, &what);
                        for (a, b) in rows.iter().zip(&seen) {
                            assert_eq!(a.owner(), b.owner(), "{what}: row {}", a.id);
                        }
                    }
                }
            }
        }
        // A single expense carries its owner as the viewer sees them, reached or not.
        for e in c.expenses.iter().step_by(997) {
            let row = expenses::get(&mut conn, c.org, viewer, e.0)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                row.owner(),
                TargetFacts {
                    member: MemberId(e.1),
                    line: c.chart.line(viewer, MemberId(e.1)),
                    teams: c.chart.teams_of(MemberId(e.1)).to_vec(),
                }
            );
            let others = others_for(c, std::slice::from_ref(&row));
            let seen = outlay_store::owned::get::<expenses::ExpenseRow>(
                &mut conn, c.org, viewer, &others, e.0,
            )
            .await
            .unwrap()
            .unwrap();
            assert_eq!(seen.owner(), row.owner());
            check_seen_as(c, &[seen], &others, "get");
        }
    }
    if let Some(scope) = scope_of(store, c.org, viewer, Action::MemberView).await {
        let mut expected: Vec<MemberId> = c
            .members
            .iter()
            .copied()
            .filter(|m| scope.reaches(&c.chart.target(viewer, *m)))
            .collect();
        expected.reverse();
        for cursor in [None, expected.get(20).map(|m| m.0)] {
            let rows = outlay_store::members::list(&mut conn, c.org, viewer, &scope, cursor, 15)
                .await
                .unwrap();
            let ids: Vec<MemberId> = rows.iter().map(|r| r.member_id()).collect();
            let want: Vec<MemberId> = expected
                .iter()
                .copied()
                .filter(|m| cursor.is_none_or(|c| m.0 < c))
                .take(15)
                .collect();
            assert_eq!(ids, want, "members listed for {viewer} after {cursor:?}");
            for r in &rows {
                assert_eq!(
                    r.target_facts().target(),
                    c.chart.target(viewer, r.member_id()),
                    "member {} as {viewer}",
                    r.id
                );
            }
        }
    }
    (auto_shape, listed)
}

#[tokio::test]
async fn every_shape_lists_what_the_core_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(&dir).await;
    let loaded = bench_data::load(
        &store,
        &bench_data::Spec {
            members: 3_000,
            expenses: 30_000,
            seed: 11,
            name: "Shapes",
            password_hash: "not-a-hash",
        },
        |_| {},
    )
    .await
    .unwrap();
    // The same seed gives the same company on every backend.
    let labels: Vec<(&str, usize)> = loaded.viewers.iter().map(|v| (v.label, v.below)).collect();
    assert_eq!(
        labels,
        [
            ("employee", 0),
            ("manager", 12),
            ("director", 59),
            ("executive", 599),
            ("owner", 2_999),
            ("finance", 0),
            ("team_manager", 0),
        ]
    );
    let c = company(&store, loaded.org).await;
    let mut shapes = Vec::new();
    for v in &loaded.viewers {
        shapes.push((v.label, check_viewer(&store, &c, v.member).await));
    }
    // Every shape was chosen for someone.
    let chosen: Vec<Shape> = shapes.iter().map(|(_, (s, _))| *s).collect();
    for s in [Shape::All, Shape::Owners] {
        assert!(chosen.contains(&s), "{s:?} never chosen: {shapes:?}");
    }
    assert!(
        chosen.contains(&Shape::Scan) || chosen.contains(&Shape::Probe),
        "no walk chosen: {shapes:?}"
    );
    // Project team leads (team-bound grants) and a spread of other members.
    let mut conn = store.read().await.unwrap();
    let leads: Vec<i64> = sqlx::query_scalar(
        "SELECT member_id FROM grants WHERE org_id = $1 AND team_id IS NOT NULL ORDER BY id LIMIT 5",
    )
    .bind(loaded.org.0)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    for m in leads
        .into_iter()
        .map(MemberId)
        .chain(c.members.iter().copied().step_by(311))
    {
        check_viewer(&store, &c, m).await;
    }
    // The load recorded the company in its audit chain.
    let mut conn = store.read().await.unwrap();
    assert_eq!(
        outlay_store::audit::verify(&mut conn, loaded.org, None, None)
            .await
            .unwrap(),
        outlay_store::audit_chain::Verdict::Intact {
            entries: 1,
            unsealed: 1
        }
    );
}
