//! The store's reach agrees with the core's: random companies (reporting forests up to 2,000
//! members, reshuffled by moves that the closure table must follow, teams, bound and unbound
//! grants with windows) where, for sampled viewers, the SQL answer to "where is this member in
//! my line, in which teams" and the members a list returns match the in-memory org chart and
//! the core's list scope. On SQLite, and on PostgreSQL when `OUTLAY_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_core::{
    preset, Action, GrantSpec, MemberId, MemberKind, OrgChart, OrgId, TeamId, Timestamp,
};
use outlay_store::members::{self, MemberStatus, NewMember};
use outlay_store::{seed, Store};
use std::collections::BTreeSet;

/// A small deterministic generator: the same seed gives the same company.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NOW: Timestamp = Timestamp(1_800_000_000);

/// Builds a random company; returns it with its in-memory chart.
async fn company(store: &Store, seed: u64, size: usize) -> (OrgId, Vec<MemberId>, OrgChart) {
    let mut rng = Rng(seed);
    let presets = preset::all();
    let preset = &presets[rng.below(presets.len())];
    let mut tx = store.write(NOW).await.unwrap();
    let person =
        outlay_store::auth::create_person(&mut tx, &format!("p{seed}@x.example"), "P", None, NOW)
            .await
            .unwrap();
    let founding = outlay_store::founding::Founding {
        name: "Random",
        preset,
        base_currency: "EUR",
        founder_name: "Founder",
        invitation: None,
    };
    let (org, founder) = outlay_store::founding::found(
        &mut tx,
        &founding,
        outlay_core::permit::found_company(person),
    )
    .await
    .unwrap();
    // Founding a company is a change like any other: it commits with its audit entry.
    tx.audit(outlay_store::audit::NewEvent {
        org,
        at: NOW,
        actor_member: Some(founder),
        actor_person: Some(person),
        action: "org.create",
        target: "org",
        outcome: outlay_store::audit::Outcome::Allowed,
        reason: "test",
        detail: serde_json::json!({}),
    })
    .await
    .unwrap();
    let mut ids = vec![founder];
    let mut managers: Vec<Option<MemberId>> = vec![None];
    for i in 1..size {
        // Mostly under a recent member, so lines grow deep; sometimes a new root.
        let manager = (rng.below(10) > 0).then(|| ids[ids.len() - 1 - rng.below(ids.len().min(8))]);
        let person = outlay_store::auth::create_person(
            &mut tx,
            &format!("p{seed}-{i}@x.example"),
            "P",
            None,
            NOW,
        )
        .await
        .unwrap();
        let m = seed::member(
            &mut tx,
            org,
            &NewMember {
                person,
                name: "M",
                status: MemberStatus::Active,
                manager,
                kind: MemberKind::Internal,
            },
        )
        .await
        .unwrap();
        ids.push(m);
        managers.push(manager);
    }
    // Reshuffle: moves the closure table must follow (never under one's own line).
    let mut chart = OrgChart::new(
        ids.iter()
            .zip(&managers)
            .map(|(m, mg)| (*m, *mg, vec![]))
            .collect(),
    );
    for _ in 0..size / 4 {
        let m = ids[rng.below(ids.len())];
        let to = (rng.below(5) > 0).then(|| ids[rng.below(ids.len())]);
        if to.is_some_and(|t| chart.would_cycle(m, t)) {
            continue;
        }
        seed::move_under(&mut tx, org, m, to).await.unwrap();
        chart.set_manager(m, to);
    }
    // Teams with random members.
    let mut teams_of: Vec<Vec<TeamId>> = vec![Vec::new(); ids.len()];
    for t in 0..rng.below(5) {
        let team = seed::team(&mut tx, org, &format!("T{t}")).await.unwrap();
        for (i, m) in ids.iter().enumerate() {
            if rng.below(6) == 0 {
                seed::team_member(&mut tx, org, team, *m).await.unwrap();
                teams_of[i].push(team);
            }
        }
    }
    // Grants of the preset's roles, bound and unbound, some ended, some not yet begun.
    let roles = preset.roles();
    let teams: Vec<TeamId> = teams_of
        .iter()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for m in ids.iter().skip(1) {
        for _ in 0..rng.below(3) {
            let role = &roles[rng.below(roles.len())];
            let team = match role.team_binding {
                outlay_core::role::TeamBinding::Never => None,
                _ if teams.is_empty() => None,
                outlay_core::role::TeamBinding::Required => Some(teams[rng.below(teams.len())]),
                outlay_core::role::TeamBinding::Optional => {
                    (rng.below(2) == 0).then(|| teams[rng.below(teams.len())])
                }
            };
            if role.team_binding == outlay_core::role::TeamBinding::Required && team.is_none() {
                continue;
            }
            let mut spec = GrantSpec {
                team,
                ..GrantSpec::role(&role.key)
            };
            match rng.below(6) {
                0 => spec.valid_until = Some(Timestamp(NOW.0 - 10)),
                1 => spec.valid_from = Some(Timestamp(NOW.0 + 10)),
                _ => {}
            }
            seed::grant(&mut tx, org, *m, &spec).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    let chart = OrgChart::new(
        ids.iter()
            .enumerate()
            .map(|(i, m)| (*m, chart.manager_of(*m), teams_of[i].clone()))
            .collect(),
    );
    (org, ids, chart)
}

/// Rows the reporting lines lack, and rows they hold too many, against the closure computed
/// afresh from each member's manager (depth included).
async fn closure_drift(conn: &mut outlay_store::Conn, org: OrgId) -> (i64, i64) {
    let lines = "WITH RECURSIVE lines(ancestor_id, member_id, depth) AS ( \
           SELECT id, id, 0 FROM members WHERE org_id = $1 \
           UNION ALL \
           SELECT m.manager_id, l.member_id, l.depth + 1 FROM lines l \
           JOIN members m ON m.org_id = $1 AND m.id = l.ancestor_id WHERE m.manager_id IS NOT NULL) ";
    let stored = "SELECT ancestor_id, member_id, depth FROM reporting_lines WHERE org_id = $1";
    let fresh = "SELECT ancestor_id, member_id, depth FROM lines";
    let count = |a: &str, b: &str| format!("{lines} SELECT COUNT(*) FROM ({a} EXCEPT {b}) d");
    let (missing, extra) = (count(fresh, stored), count(stored, fresh));
    let missing: i64 = sqlx::query_scalar(&missing)
        .bind(org.0)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let extra: i64 = sqlx::query_scalar(&extra)
        .bind(org.0)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    (missing, extra)
}

#[tokio::test]
async fn sql_reach_agrees_with_the_core_on_random_companies() {
    for b in common::backends("reach").await {
        let (backend, store) = (b.label, &b.store);
        for (seed, size, viewers, targets) in [
            (7u64, 40usize, 40usize, 40usize),
            (11, 300, 12, 120),
            (13, 2000, 6, 200),
        ] {
            let (org, ids, chart) = company(store, seed, size).await;
            let mut rng = Rng(seed * 31 + 1);
            let mut conn = store.read().await.unwrap();
            // After the moves, the closure table is exactly the one the managers define.
            let (missing, extra) = closure_drift(&mut conn, org).await;
            assert_eq!(
                (missing, extra),
                (0, 0),
                "{backend} seed {seed}: reporting lines drifted"
            );
            for _ in 0..viewers {
                let viewer = ids[rng.below(ids.len())];
                for _ in 0..targets {
                    let target = ids[rng.below(ids.len())];
                    let sql = outlay_store::scope::target(&mut conn, org, viewer, target)
                        .await
                        .unwrap();
                    let mut sql_teams = sql.teams.clone();
                    sql_teams.sort_unstable();
                    let model = chart.target(viewer, target);
                    let mut model_teams = model.teams.to_vec();
                    model_teams.sort_unstable();
                    assert_eq!(
                        (sql.line, sql_teams),
                        (model.line, model_teams),
                        "{backend} seed {seed}: {viewer} -> {target}"
                    );
                }
                // What a list returns is exactly what the core's list scope reaches.
                let row = members::get(&mut conn, org, viewer).await.unwrap().unwrap();
                let principal = members::principal(&mut conn, org, &row).await.unwrap();
                for action in [Action::MemberView, Action::ExpenseView] {
                    let Some(scope) = principal.list_scope(NOW, action) else {
                        continue;
                    };
                    let mut listed = Vec::new();
                    let mut cursor = None;
                    loop {
                        let page = members::list(&mut conn, org, viewer, &scope, cursor, 500)
                            .await
                            .unwrap();
                        let Some(last) = page.last().map(|r| r.id) else {
                            break;
                        };
                        listed.extend(page.iter().map(|r| r.member_id()));
                        cursor = Some(last);
                    }
                    let mut expected: Vec<MemberId> = ids
                        .iter()
                        .copied()
                        .filter(|t| scope.reaches(&chart.target(viewer, *t)))
                        .collect();
                    expected.sort_unstable_by(|a, b| b.cmp(a));
                    assert_eq!(
                        listed,
                        expected,
                        "{backend} seed {seed}: {} listed for {viewer}",
                        action.key()
                    );
                }
            }
        }
        b.finish().await;
    }
}
