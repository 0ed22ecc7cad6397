//! Decision latency on the demo company Acme (preset `outlay`), warm: the checks every request
//! makes, the effective-permissions page of a member with ten grants, and a list's scope.
//!
//! Run: `cargo bench -p outlay-core --bench check -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use outlay_core::authorize::{self, Context, ExpenseAction, ExpenseFacts};
use outlay_core::catalog::{Action, PermSet, Permission, Scope, ACTIONS};
use outlay_core::demo::ACME;
use outlay_core::expense::ExpenseStatus;
use outlay_core::principal::MemberKind;
use outlay_core::{
    preset, Grant, GrantId, GrantSpec, MemberId, OrgChart, Principal, RoleBook, TeamId, Timestamp,
};
use std::hint::black_box;

const NOW: Timestamp = Timestamp(1_800_000_000);

/// Member ids are the index in `ACME.people` plus one, team ids the index in `ACME.teams`
/// plus one.
fn member(key: &str) -> MemberId {
    MemberId(ACME.people.iter().position(|p| p.key == key).unwrap() as i64 + 1)
}

fn team(name: &str) -> TeamId {
    TeamId(ACME.teams.iter().position(|t| *t == name).unwrap() as i64 + 1)
}

struct Acme {
    book: RoleBook,
    people: Vec<Principal>,
    chart: OrgChart,
}

fn acme() -> Acme {
    let book = RoleBook::new(preset::get(ACME.preset).unwrap(), vec![]);
    let people = ACME
        .people
        .iter()
        .map(|p| {
            let id = member(p.key);
            let grants = p
                .grants
                .iter()
                .enumerate()
                .map(|(i, (role, t))| Grant {
                    id: GrantId(id.0 * 100 + i as i64 + 1),
                    spec: match t {
                        Some(t) => GrantSpec::for_team(role, team(t)),
                        None => GrantSpec::role(role),
                    },
                })
                .collect();
            let kind = if p.external {
                MemberKind::External
            } else {
                MemberKind::Internal
            };
            Principal::load(outlay_core::OrgId(1), id, false, kind, grants, &book)
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
    Acme {
        book,
        people,
        chart,
    }
}

impl Acme {
    fn who(&self, key: &str) -> &Principal {
        let id = member(key);
        self.people.iter().find(|p| p.member() == id).unwrap()
    }
}

/// One request's full decision: the owner's place in the actor's reporting line and teams from
/// the org chart, then `decide` with each grant's reach.
#[inline(never)]
fn decide(chart: &OrgChart, actor: &Principal, owner: MemberId, status: ExpenseStatus) -> bool {
    let facts = ExpenseFacts {
        id: 1,
        owner: chart.target(actor.member(), owner),
        status,
        amount_minor: Some(12_80),
        category: None,
        hands: &[],
        report: None,
    };
    authorize::expense(actor, Context::at(NOW), ExpenseAction::Approve, &facts).is_allowed()
}

/// What `Principal::effective` could return instead: each permission with its sources as a bit
/// set of indexes into `Principal::grants`, nothing cloned, found by scanning the catalog action
/// by action with `PermSet::holds_at`. Public API only; not the engine's code.
#[inline(never)]
fn effective_by_action(p: &Principal, now: Timestamp) -> Vec<(Permission, u32)> {
    let live = !p.archived();
    let mut active: [(u32, PermSet); 32] = [(0, PermSet::EMPTY); 32];
    let mut n = 0;
    for (i, g) in p.grants().iter().enumerate().take(32) {
        if live && g.grant.spec.active_at(now) {
            active[n] = (1u32 << i, g.permissions);
            n += 1;
        }
    }
    let active = &active[..n];
    let union = active
        .iter()
        .fold(PermSet::EMPTY, |acc, (_, s)| acc.union(*s));
    let sources = |a: Action, sc: Scope| {
        active
            .iter()
            .filter(|(_, s)| s.holds_at(a, sc))
            .fold(0, |acc, (bit, _)| acc | bit)
    };
    let mut out = Vec::with_capacity(union.len());
    for a in Action::all() {
        if union.reach(a).is_none() {
            continue;
        }
        if !a.is_scoped() {
            out.push((Permission::unscoped(a), sources(a, Scope::All)));
            continue;
        }
        for sc in Scope::ALL {
            if union.holds_at(a, sc) {
                out.push((Permission::scoped(a, sc), sources(a, sc)));
            }
        }
    }
    out
}

/// `PermSet`'s layout: four bits per action (own, direct, team, all from the lowest; an
/// unscoped action uses its `all` bit), in 64-bit words.
const WORDS: usize = (ACTIONS.len() * 4).div_ceil(64);

/// Each grant's bit set as words, extracted before timing: the engine holds them as such.
struct Words(Vec<[u64; WORDS]>);

impl Words {
    fn of(p: &Principal) -> Words {
        Words(
            p.grants()
                .iter()
                .map(|g| {
                    let mut w = [0u64; WORDS];
                    for perm in g.permissions.iter() {
                        let level = perm.scope.map_or(3, |s| s as usize);
                        let bit = perm.action as usize * 4 + level;
                        w[bit / 64] |= 1 << (bit % 64);
                    }
                    w
                })
                .collect(),
        )
    }
}

/// The same result from the words: the union's set bits in order, each with the grants whose
/// word has that bit. A sketch of `effective` inside the crate, where `PermSet`'s words are at
/// hand; not the engine's code.
#[inline(never)]
fn effective_by_words(p: &Principal, words: &Words, now: Timestamp) -> Vec<(Permission, u32)> {
    let live = !p.archived();
    let mut active: [(u32, [u64; WORDS]); 32] = [(0, [0; WORDS]); 32];
    let mut n = 0;
    for (i, g) in p.grants().iter().enumerate().take(32) {
        if live && g.grant.spec.active_at(now) {
            active[n] = (1u32 << i, words.0[i]);
            n += 1;
        }
    }
    let active = &active[..n];
    let mut union = [0u64; WORDS];
    for (_, w) in active {
        for (u, x) in union.iter_mut().zip(w) {
            *u |= x;
        }
    }
    let mut out = Vec::with_capacity(union.iter().map(|w| w.count_ones() as usize).sum());
    for (wi, mut bits) in union.into_iter().enumerate() {
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let mut sources = 0;
            for (bit, w) in active {
                if (w[wi] >> b) & 1 != 0 {
                    sources |= bit;
                }
            }
            let index = wi * 64 + b;
            let action = ACTIONS[index / 4].action;
            let perm = if action.is_scoped() {
                Permission::scoped(action, Scope::ALL[index % 4])
            } else {
                Permission::unscoped(action)
            };
            out.push((perm, sources));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let acme = acme();
    let mark = acme.who("mark");
    let (alice, erin) = (member("alice"), member("erin"));
    let submitted = ExpenseStatus::Submitted;
    assert!(decide(&acme.chart, mark, alice, submitted));
    assert!(!decide(&acme.chart, mark, erin, submitted));

    c.bench_function("decide_allowed", |b| {
        b.iter(|| {
            decide(
                black_box(&acme.chart),
                black_box(mark),
                black_box(alice),
                black_box(submitted),
            )
        })
    });
    c.bench_function("decide_denied", |b| {
        b.iter(|| {
            decide(
                black_box(&acme.chart),
                black_box(mark),
                black_box(erin),
                black_box(submitted),
            )
        })
    });

    // One row of mark's expense list: alice's submitted expense, its owner looked up once.
    let row = ExpenseFacts {
        id: 1,
        owner: acme.chart.target(mark.member(), alice),
        status: submitted,
        amount_minor: Some(12_80),
        category: None,
        hands: &[],
        report: None,
    };
    assert_eq!(
        authorize::expense_actions(mark, Context::at(NOW), &row),
        vec!["approve", "reject"]
    );
    c.bench_function("expense_actions", |b| {
        b.iter(|| {
            authorize::expense_actions(
                black_box(mark),
                black_box(Context::at(NOW)),
                black_box(&row),
            )
        })
    });

    // Ten grants: every role of the preset but the owner's, one bound to Sales.
    let roles = [
        "admin",
        "manager",
        "employee",
        "finance",
        "accountant",
        "accountant_extended",
        "expense_reviewer",
        "auditor",
        "viewer",
    ];
    let mut grants: Vec<Grant> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| Grant {
            id: GrantId(i as i64 + 1),
            spec: GrantSpec::role(r),
        })
        .collect();
    grants.push(Grant {
        id: GrantId(10),
        spec: GrantSpec::for_team("team_manager", team("Sales")),
    });
    let ten = Principal::load(
        outlay_core::OrgId(1),
        MemberId(99),
        false,
        MemberKind::Internal,
        grants,
        &acme.book,
    );
    assert_eq!(ten.stored_grants().count(), 10);
    let effective = ten.effective(NOW);
    // 129 permissions from 303 (permission, grant) pairs on 2026-11-25.
    assert!(effective.len() > 100);
    c.bench_function("effective_permissions_10_grants", |b| {
        b.iter(|| black_box(&ten).effective(black_box(NOW)))
    });
    let by_action = effective_by_action(&ten, NOW);
    assert_eq!(by_action.len(), effective.len());
    for ((p, sources), e) in by_action.iter().zip(effective.iter()) {
        assert_eq!(*p, e.permission);
        assert_eq!(sources.count_ones() as usize, e.sources().count());
    }
    c.bench_function("effective_permissions_10_grants_by_action", |b| {
        b.iter(|| effective_by_action(black_box(&ten), black_box(NOW)))
    });
    let words = Words::of(&ten);
    assert_eq!(effective_by_words(&ten, &words, NOW), by_action);
    c.bench_function("effective_permissions_10_grants_by_words", |b| {
        b.iter(|| effective_by_words(black_box(&ten), black_box(&words), black_box(NOW)))
    });

    assert!(mark.list_scope(NOW, Action::ExpenseView).is_some());
    c.bench_function("list_scope", |b| {
        b.iter(|| black_box(mark).list_scope(black_box(NOW), black_box(Action::ExpenseView)))
    });

    // Routing a report against a 50-rule policy, worst case: only the last rule matches, so
    // every rule's amount, category, team and role conditions are read; then its three steps
    // are resolved for the submitter's line.
    use outlay_core::policy::{Approvers, Match, Policy, RoutedStep, Rule, StepSpec, Submission};
    let step = |approvers| StepSpec {
        approvers,
        limit_minor: Some(50_000),
    };
    let mut rules: Vec<Rule> = (0..49)
        .map(|i| Rule {
            name: format!("rule {i}"),
            when: Match {
                above_minor: Some(1_000 * i),
                categories: vec![format!("category {i}"), format!("other {i}")],
                teams: vec![100 + i, 200 + i],
                roles: vec![format!("role {i}")],
                ..Match::default()
            },
            steps: vec![step(Approvers::Manager { levels: 1 })],
        })
        .collect();
    rules.push(Rule {
        name: "everything else".into(),
        when: Match::default(),
        steps: vec![
            step(Approvers::Manager { levels: 1 }),
            step(Approvers::Role {
                roles: vec!["finance".into()],
            }),
            step(Approvers::Members {
                member_ids: vec![1, 2, 3],
                needed: 2,
            }),
        ],
    });
    let policy = Policy {
        rules,
        ..Policy::default()
    };
    let categories: Vec<String> = ["travel", "meals", "hotel", "taxi", "fuel"]
        .map(String::from)
        .into();
    let roles: Vec<String> = ["employee", "approver"].map(String::from).into();
    let teams = [TeamId(7), TeamId(9)];
    let line = [MemberId(40), MemberId(12), MemberId(1)];
    let submission = Submission {
        total_minor: Some(200_000),
        categories: &categories,
        teams: &teams,
        roles: &roles,
    };
    assert_eq!(policy.route(&submission).map(|r| r.0), Some(49));
    c.bench_function("route_50_rules", |b| {
        b.iter(|| {
            let (_, rule) = black_box(&policy).route(black_box(&submission)).unwrap();
            let steps: Vec<RoutedStep> = rule
                .steps
                .iter()
                .map(|s| RoutedStep::resolve(s, &line))
                .collect();
            black_box(steps)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
