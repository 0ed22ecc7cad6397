//! Decision latency on the demo company Acme, warm: the checks every request makes.
//!
//! Run: `cargo bench -p outlay-core --bench check -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use outlay_core::authorize::{self, ExpenseAction, ExpenseFacts};
use outlay_core::catalog::Action;
use outlay_core::demo::ACME;
use outlay_core::expense::ExpenseStatus;
use outlay_core::role::builtin;
use outlay_core::{
    Grant, GrantId, GrantSpec, MemberId, OrgChart, Principal, ResolvedGrant, Scope, TeamId,
    Timestamp,
};
use std::hint::black_box;

const NOW: Timestamp = Timestamp(1_800_000_000);

struct Company {
    people: Vec<Principal>,
    chart: OrgChart,
}

/// Member ids are the index in `ACME.people` plus one, team ids the index in `ACME.teams`
/// plus one.
fn member(key: &str) -> MemberId {
    MemberId(ACME.people.iter().position(|p| p.key == key).unwrap() as i64 + 1)
}

fn team(name: &str) -> TeamId {
    TeamId(ACME.teams.iter().position(|t| *t == name).unwrap() as i64 + 1)
}

fn acme() -> Company {
    let people = ACME
        .people
        .iter()
        .map(|p| {
            let id = member(p.key);
            let grants = p
                .grants
                .iter()
                .enumerate()
                .map(|(i, (role, t))| {
                    let spec = match t {
                        Some(t) => GrantSpec::for_team(role, team(t)),
                        None => GrantSpec::role(role),
                    };
                    ResolvedGrant::new(
                        Grant {
                            id: GrantId(id.0 * 100 + i as i64 + 1),
                            spec,
                        },
                        builtin(role).unwrap(),
                    )
                })
                .collect();
            Principal {
                member: id,
                archived: false,
                grants,
            }
        })
        .collect();
    let chart = OrgChart::new(
        ACME.people
            .iter()
            .map(|p| {
                (
                    member(p.key),
                    p.manager.map(member),
                    p.teams.iter().map(|t| team(t)).collect(),
                )
            })
            .collect(),
    );
    Company { people, chart }
}

impl Company {
    fn who(&self, key: &str) -> &Principal {
        let id = member(key);
        self.people.iter().find(|p| p.member == id).unwrap()
    }
}

/// One request's decision: the relation from the org chart, then the rules.
#[inline(never)]
fn decide(
    chart: &OrgChart,
    actor: &Principal,
    now: Timestamp,
    action: ExpenseAction,
    facts: ExpenseFacts,
) -> bool {
    let relation = chart.relation(actor.member, &actor.bound_teams(now), facts.owner);
    authorize::expense(actor, now, action, facts, relation).allowed
}

fn bench(c: &mut Criterion) {
    let acme = acme();
    let mark = acme.who("mark");
    let alices = ExpenseFacts {
        owner: member("alice"),
        status: ExpenseStatus::Submitted,
    };
    let erins = ExpenseFacts {
        owner: member("erin"),
        status: ExpenseStatus::Submitted,
    };
    assert!(decide(
        &acme.chart,
        mark,
        NOW,
        ExpenseAction::Approve,
        alices
    ));
    assert!(!decide(
        &acme.chart,
        mark,
        NOW,
        ExpenseAction::Approve,
        erins
    ));

    c.bench_function("expense_approve_allowed", |b| {
        b.iter(|| {
            decide(
                black_box(&acme.chart),
                black_box(mark),
                black_box(NOW),
                black_box(ExpenseAction::Approve),
                black_box(alices),
            )
        })
    });
    c.bench_function("expense_approve_denied", |b| {
        b.iter(|| {
            decide(
                black_box(&acme.chart),
                black_box(mark),
                black_box(NOW),
                black_box(ExpenseAction::Approve),
                black_box(erins),
            )
        })
    });
    c.bench_function("principal_check", |b| {
        b.iter(|| {
            black_box(mark).check(
                black_box(NOW),
                black_box(Action::ExpenseApprove),
                black_box(Scope::Team),
            )
        })
    });
    let relation = acme
        .chart
        .relation(mark.member, &mark.bound_teams(NOW), alices.owner);
    assert_eq!(
        authorize::expense_actions(mark, NOW, alices, relation),
        vec!["approve", "reject"]
    );
    c.bench_function("expense_actions", |b| {
        b.iter(|| {
            authorize::expense_actions(
                black_box(mark),
                black_box(NOW),
                black_box(alices),
                black_box(relation),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
