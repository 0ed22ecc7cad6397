//! The rules of expenses, checked on the demo company Acme: who sees, edits, submits and
//! decides whose expenses, and why a refusal happens.
//!
//! Member ids are the demo person's index in `demo::ACME.people` plus one, team ids the
//! index in `demo::ACME.teams` plus one, grant ids `100 * member + position + 1`.

use super::*;
use crate::catalog::{Permission, ACTIONS};
use crate::decision::DenialKind;
use crate::demo::ACME;
use crate::grant::{Grant, GrantSpec};
use crate::ids::{GrantId, TeamId};
use crate::org::OrgChart;
use crate::principal::ResolvedGrant;
use crate::role::{builtin, BUILTIN_ROLES, TEAM_MANAGER};

const NOW: Timestamp = Timestamp(1_800_000_000);

use ExpenseStatus::{Approved, Draft, Rejected, Submitted};

fn member(key: &str) -> MemberId {
    let i = ACME
        .people
        .iter()
        .position(|p| p.key == key)
        .unwrap_or_else(|| panic!("no demo person `{key}`"));
    MemberId(i as i64 + 1)
}

fn team(name: &str) -> TeamId {
    let i = ACME
        .teams
        .iter()
        .position(|t| *t == name)
        .unwrap_or_else(|| panic!("no demo team `{name}`"));
    TeamId(i as i64 + 1)
}

/// A principal holding built-in roles as described by `specs`.
fn principal(member: MemberId, specs: &[GrantSpec]) -> Principal {
    let grants = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let role = builtin(&spec.role).unwrap_or_else(|| panic!("no role `{}`", spec.role));
            let id = GrantId(member.0 * 100 + i as i64 + 1);
            ResolvedGrant::new(
                Grant {
                    id,
                    spec: spec.clone(),
                },
                role,
            )
        })
        .collect();
    Principal {
        member,
        archived: false,
        grants,
    }
}

/// Acme as the rules see it: every person's principal and the org chart.
struct Acme {
    people: Vec<Principal>,
    chart: OrgChart,
}

fn acme() -> Acme {
    let people = ACME
        .people
        .iter()
        .map(|p| {
            let specs: Vec<GrantSpec> = p
                .grants
                .iter()
                .map(|(role, t)| match t {
                    Some(t) => GrantSpec::for_team(role, team(t)),
                    None => GrantSpec::role(role),
                })
                .collect();
            principal(member(p.key), &specs)
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
    Acme { people, chart }
}

impl Acme {
    fn who(&self, key: &str) -> &Principal {
        let id = member(key);
        self.people
            .iter()
            .find(|p| p.member == id)
            .unwrap_or_else(|| panic!("no principal `{key}`"))
    }

    fn who_mut(&mut self, key: &str) -> &mut Principal {
        let id = member(key);
        self.people
            .iter_mut()
            .find(|p| p.member == id)
            .unwrap_or_else(|| panic!("no principal `{key}`"))
    }

    /// How `owner`'s data relates to `actor`, as the org chart says now.
    fn relation_of(&self, actor: &Principal, owner: MemberId, now: Timestamp) -> Relation {
        self.chart
            .relation(actor.member, &actor.bound_teams(now), owner)
    }

    /// `actor` does `action` on an expense of `owner` in `status`, now.
    fn decide(
        &self,
        actor: &str,
        action: ExpenseAction,
        owner: &str,
        status: ExpenseStatus,
    ) -> Decision {
        decide_as(self, self.who(actor), NOW, action, member(owner), status)
    }

    fn actions(&self, actor: &str, owner: &str, status: ExpenseStatus) -> Vec<&'static str> {
        let actor = self.who(actor);
        let facts = ExpenseFacts {
            owner: member(owner),
            status,
        };
        expense_actions(actor, NOW, facts, self.relation_of(actor, facts.owner, NOW))
    }
}

fn decide_as(
    acme: &Acme,
    actor: &Principal,
    now: Timestamp,
    action: ExpenseAction,
    owner: MemberId,
    status: ExpenseStatus,
) -> Decision {
    let relation = acme.relation_of(actor, owner, now);
    expense(actor, now, action, ExpenseFacts { owner, status }, relation)
}

/// The role of the grant that allowed a decision, or a panic naming the refusal.
fn granted_role(d: &Decision) -> String {
    match (&d.allowed, &d.reason) {
        (true, Reason::Granted { role, .. }) => role.to_string(),
        _ => panic!("expected an allow, got {d:?}"),
    }
}

/// A member holding every built-in role at once (team manager bound to Sales).
fn everything(member: MemberId) -> Principal {
    let specs: Vec<GrantSpec> = BUILTIN_ROLES
        .iter()
        .map(|r| {
            if r.key == TEAM_MANAGER {
                GrantSpec::for_team(r.key, team("Sales"))
            } else {
                GrantSpec::role(r.key)
            }
        })
        .collect();
    principal(member, &specs)
}

fn out_of_scope(action: Action, held: Scope, needed: Scope) -> Decision {
    Decision::deny(Reason::OutOfScope {
        action,
        held,
        needed,
    })
}

// --- Who sees whose expenses ---------------------------------------------------------------

#[test]
fn an_employee_sees_her_own_expenses_and_nobody_elses() {
    let acme = acme();
    let d = acme.decide("alice", ExpenseAction::View, "alice", Draft);
    assert_eq!(granted_role(&d), "employee");
    for other in ["bob", "mark", "erin", "olivia", "fiona"] {
        assert_eq!(
            acme.decide("alice", ExpenseAction::View, other, Submitted),
            out_of_scope(Action::ExpenseView, Scope::Own, Scope::All),
            "alice viewing {other}'s expense"
        );
    }
    assert_eq!(
        list_scope(acme.who("alice"), NOW, Action::ExpenseView),
        Some(Scope::Own)
    );
}

#[test]
fn a_manager_sees_his_reports_expenses_through_the_reporting_line_and_no_one_elses() {
    let acme = acme();
    for report in ["alice", "bob"] {
        let d = acme.decide("mark", ExpenseAction::View, report, Submitted);
        assert_eq!(granted_role(&d), "manager", "mark viewing {report}'s");
        assert!(matches!(
            d.reason,
            Reason::Granted { permission, team: None, .. }
                if permission == Permission::scoped(Action::ExpenseView, Scope::Team)
        ));
    }
    for other in ["erin", "nora", "olivia", "fiona"] {
        assert_eq!(
            acme.decide("mark", ExpenseAction::View, other, Submitted),
            out_of_scope(Action::ExpenseView, Scope::Team, Scope::All),
            "mark viewing {other}'s"
        );
    }
    assert_eq!(
        list_scope(acme.who("mark"), NOW, Action::ExpenseView),
        Some(Scope::Team)
    );
}

#[test]
fn reports_of_reports_are_in_team_scope() {
    let acme = acme();
    // olivia manages mark and nora, who manage alice, bob and erin.
    let olivia = acme.who("olivia");
    for m in ["mark", "nora", "alice", "bob", "erin"] {
        assert_eq!(
            acme.relation_of(olivia, member(m), NOW),
            Relation::Team,
            "{m}"
        );
    }
    assert_eq!(
        acme.relation_of(olivia, member("fiona"), NOW),
        Relation::Other
    );
}

#[test]
fn finance_and_auditors_see_every_expense_in_the_company() {
    let acme = acme();
    for viewer in ["fiona", "audrey"] {
        for owner in ACME.people.iter().map(|p| p.key) {
            for status in ExpenseStatus::ALL {
                let d = acme.decide(viewer, ExpenseAction::View, owner, status);
                assert!(d.allowed, "{viewer} viewing {owner}'s {status:?}: {d:?}");
            }
        }
        assert_eq!(
            list_scope(acme.who(viewer), NOW, Action::ExpenseView),
            Some(Scope::All)
        );
    }
}

// --- Deciding expenses ---------------------------------------------------------------------

#[test]
fn a_manager_approves_and_rejects_his_reports_submitted_expense() {
    let acme = acme();
    for action in [ExpenseAction::Approve, ExpenseAction::Reject] {
        let d = acme.decide("mark", action, "alice", Submitted);
        assert_eq!(
            d,
            Decision::allow(Reason::Granted {
                permission: Permission::scoped(Action::ExpenseApprove, Scope::Team),
                grant: acme.who("mark").grants[0].grant.id,
                role: "manager".into(),
                team: None,
            })
        );
    }
    let mark = acme.who("mark");
    let facts = ExpenseFacts {
        owner: member("alice"),
        status: Submitted,
    };
    let (permit, _) = expense_permit(mark, NOW, ExpenseAction::Approve, facts, Relation::Team)
        .expect("mark may approve");
    assert_eq!(permit.actor(), mark.member);
    assert_eq!(permit.action(), Action::ExpenseApprove);
}

#[test]
fn a_manager_cannot_approve_outside_his_team_and_employees_approve_nothing() {
    let acme = acme();
    assert_eq!(
        acme.decide("mark", ExpenseAction::Approve, "erin", Submitted),
        out_of_scope(Action::ExpenseApprove, Scope::Team, Scope::All)
    );
    assert_eq!(
        acme.decide("alice", ExpenseAction::Approve, "bob", Submitted),
        Decision::deny(Reason::NoPermission {
            action: Action::ExpenseApprove
        })
    );
    assert!(
        acme.decide("fiona", ExpenseAction::Approve, "erin", Submitted)
            .allowed
    );
}

#[test]
fn nobody_approves_or_rejects_their_own_expense_whatever_their_roles() {
    let acme = acme();
    let mut actors: Vec<Principal> = acme.people.clone();
    actors.push(everything(MemberId(99)));
    for actor in &actors {
        for action in [ExpenseAction::Approve, ExpenseAction::Reject] {
            for status in ExpenseStatus::ALL {
                let d = decide_as(&acme, actor, NOW, action, actor.member, status);
                assert_eq!(
                    d,
                    Decision::deny(Reason::SelfApproval),
                    "member {} {action:?} own {status:?}",
                    actor.member
                );
                assert_eq!(d.reason.code(), "four_eyes");
                assert_eq!(d.reason.kind(), DenialKind::Forbidden);
            }
        }
    }
    // The owner's own submitted expense has no approve button either.
    assert_eq!(
        acme.actions("olivia", "olivia", Submitted),
        Vec::<&str>::new()
    );
}

// --- Read-only roles -----------------------------------------------------------------------

#[test]
fn an_auditor_is_refused_every_write_because_the_role_is_read_only() {
    let acme = acme();
    let audrey = acme.who("audrey");
    for info in ACTIONS.iter().filter(|a| a.mutates) {
        for needed in Scope::ALL {
            assert_eq!(
                audrey.check(NOW, info.action, needed),
                Err(Reason::ReadOnlyRole {
                    role: "auditor".into(),
                    action: info.action
                }),
                "{} at {needed}",
                info.key
            );
        }
    }
    for (action, status) in [
        (ExpenseAction::Edit, Draft),
        (ExpenseAction::Delete, Draft),
        (ExpenseAction::Submit, Draft),
        (ExpenseAction::Approve, Submitted),
        (ExpenseAction::Reject, Submitted),
    ] {
        let d = acme.decide("audrey", action, "alice", status);
        assert_eq!(d.reason.code(), "read_only_role", "{action:?}: {d:?}");
        assert!(!d.allowed);
    }
    // Reads are what an auditor is for.
    let auditor = builtin("auditor").expect("built-in auditor");
    for p in auditor.permissions.iter() {
        assert!(audrey.check(NOW, p.action, p.reach()).is_ok(), "{p}");
    }
    assert!(company(audrey, NOW, Action::AuditView).allowed);
}

#[test]
fn an_auditor_cannot_create_expenses_but_an_auditor_who_is_also_an_employee_can() {
    let auditor = principal(MemberId(50), &[GrantSpec::role("auditor")]);
    assert_eq!(
        create_expense(&auditor, NOW).map(|p| p.actor()),
        Err(Reason::ReadOnlyRole {
            role: "auditor".into(),
            action: Action::ExpenseCreate
        })
    );
    let both = principal(
        MemberId(51),
        &[GrantSpec::role("auditor"), GrantSpec::role("employee")],
    );
    let permit = create_expense(&both, NOW).expect("the employee grant allows creating");
    assert_eq!(permit.actor(), MemberId(51));
    assert_eq!(permit.action(), Action::ExpenseCreate);
    assert!(matches!(
        company(&both, NOW, Action::ExpenseCreate).reason,
        Reason::Granted { ref role, .. } if &**role == "employee"
    ));
}

// --- Approved is final ---------------------------------------------------------------------

#[test]
fn an_approved_expense_cannot_be_edited_or_deleted_by_anyone_not_even_the_owner_role() {
    let acme = acme();
    let mut actors: Vec<Principal> = acme.people.clone();
    actors.push(everything(MemberId(99)));
    for actor in &actors {
        for owner in ACME.people.iter().map(|p| member(p.key)) {
            for action in [ExpenseAction::Edit, ExpenseAction::Delete] {
                let d = decide_as(&acme, actor, NOW, action, owner, Approved);
                assert!(!d.allowed, "member {} {action:?} {owner}'s", actor.member);
            }
        }
    }
    // Those who could edit or delete it otherwise are told it is final, a conflict.
    for (actor, action, owner) in [
        ("alice", ExpenseAction::Edit, "alice"),
        ("alice", ExpenseAction::Delete, "alice"),
        ("olivia", ExpenseAction::Edit, "alice"),
        ("olivia", ExpenseAction::Delete, "alice"),
        ("olivia", ExpenseAction::Edit, "olivia"),
        ("adam", ExpenseAction::Delete, "erin"),
        ("bea", ExpenseAction::Edit, "bob"),
    ] {
        let d = acme.decide(actor, action, owner, Approved);
        assert_eq!(
            d,
            Decision::deny(Reason::ApprovedImmutable),
            "{actor} {action:?}"
        );
        assert_eq!(d.reason.kind(), DenialKind::Conflict);
        assert_eq!(d.reason.code(), "approved_immutable");
    }
}

// --- Status transitions --------------------------------------------------------------------

#[test]
fn an_expense_is_submitted_only_from_draft_or_rejected() {
    let acme = acme();
    for status in [Draft, Rejected] {
        assert!(
            acme.decide("alice", ExpenseAction::Submit, "alice", status)
                .allowed
        );
    }
    for status in [Submitted, Approved] {
        let d = acme.decide("alice", ExpenseAction::Submit, "alice", status);
        assert_eq!(
            d,
            Decision::deny(Reason::WrongStatus {
                status,
                action: "submit"
            })
        );
        assert_eq!(d.reason.kind(), DenialKind::Conflict);
    }
    // Submitting is for the owner: even the company owner cannot submit alice's expense.
    assert_eq!(
        acme.decide("olivia", ExpenseAction::Submit, "alice", Draft),
        out_of_scope(Action::ExpenseSubmit, Scope::Own, Scope::Team)
    );
}

#[test]
fn an_expense_is_approved_or_rejected_only_while_submitted() {
    let acme = acme();
    for action in [ExpenseAction::Approve, ExpenseAction::Reject] {
        assert!(acme.decide("mark", action, "alice", Submitted).allowed);
        for status in [Draft, Approved, Rejected] {
            assert_eq!(
                acme.decide("mark", action, "alice", status),
                Decision::deny(Reason::WrongStatus {
                    status,
                    action: action.as_str()
                }),
                "{action:?} from {status:?}"
            );
        }
    }
}

#[test]
fn an_expense_is_edited_or_deleted_only_as_draft_or_rejected() {
    let acme = acme();
    for action in [ExpenseAction::Edit, ExpenseAction::Delete] {
        for status in [Draft, Rejected] {
            assert!(acme.decide("alice", action, "alice", status).allowed);
        }
        assert_eq!(
            acme.decide("alice", action, "alice", Submitted),
            Decision::deny(Reason::WrongStatus {
                status: Submitted,
                action: action.as_str()
            })
        );
        assert_eq!(
            acme.decide("alice", action, "alice", Approved),
            Decision::deny(Reason::ApprovedImmutable)
        );
    }
}

#[test]
fn permission_is_checked_before_the_status_so_outsiders_learn_nothing_of_it() {
    let acme = acme();
    for status in ExpenseStatus::ALL {
        assert_eq!(
            acme.decide("alice", ExpenseAction::Edit, "bob", status),
            out_of_scope(Action::ExpenseEdit, Scope::Own, Scope::All)
        );
    }
}

// --- Archived members ----------------------------------------------------------------------

#[test]
fn an_archived_member_cannot_act_at_all() {
    let mut acme = acme();
    for key in ["alice", "olivia"] {
        acme.who_mut(key).archived = true;
        let p = acme.who(key).clone();
        for action in ExpenseAction::ALL {
            for status in ExpenseStatus::ALL {
                for owner in ["alice", "bob"] {
                    assert_eq!(
                        decide_as(&acme, &p, NOW, action, member(owner), status),
                        Decision::deny(Reason::Archived),
                        "{key} {action:?} {owner}'s {status:?}"
                    );
                }
            }
        }
        assert_eq!(
            create_expense(&p, NOW).map(|p| p.actor()),
            Err(Reason::Archived)
        );
        assert_eq!(acme.actions(key, key, Draft), Vec::<&str>::new());
        assert_eq!(list_scope(&p, NOW, Action::ExpenseView), None);
        assert_eq!(
            company(&p, NOW, Action::SettingsView),
            Decision::deny(Reason::Archived)
        );
        assert!(member_actions(&p, NOW, &p, Relation::Own).is_empty());
    }
}

// --- Reporting lines and team-bound grants -------------------------------------------------

#[test]
fn moving_alice_to_nora_moves_who_sees_and_approves_her_expenses_at_once() {
    let mut acme = acme();
    assert!(
        acme.decide("mark", ExpenseAction::Approve, "alice", Submitted)
            .allowed
    );
    assert!(!acme.chart.would_cycle(member("alice"), member("nora")));
    acme.chart
        .set_manager(member("alice"), Some(member("nora")));

    let (mark, nora) = (acme.who("mark"), acme.who("nora"));
    assert_eq!(
        acme.relation_of(mark, member("alice"), NOW),
        Relation::Other
    );
    assert_eq!(acme.relation_of(nora, member("alice"), NOW), Relation::Team);
    assert_eq!(
        acme.decide("mark", ExpenseAction::View, "alice", Submitted),
        out_of_scope(Action::ExpenseView, Scope::Team, Scope::All)
    );
    assert_eq!(
        acme.decide("mark", ExpenseAction::Approve, "alice", Submitted),
        out_of_scope(Action::ExpenseApprove, Scope::Team, Scope::All)
    );
    assert!(
        acme.decide("nora", ExpenseAction::Approve, "alice", Submitted)
            .allowed
    );
    // bob stays with mark.
    assert!(
        acme.decide("mark", ExpenseAction::Approve, "bob", Submitted)
            .allowed
    );
}

#[test]
fn a_team_manager_bound_to_a_team_reaches_that_teams_members() {
    let mut acme = acme();
    // bob, an employee in Sales, also manages the Engineering team's cards.
    *acme.who_mut("bob") = principal(
        member("bob"),
        &[
            GrantSpec::role("employee"),
            GrantSpec::for_team(TEAM_MANAGER, team("Engineering")),
        ],
    );
    let bob = acme.who("bob");
    assert_eq!(bob.bound_teams(NOW), vec![team("Engineering")]);
    for m in ["erin", "nora"] {
        assert_eq!(acme.relation_of(bob, member(m), NOW), Relation::Team, "{m}");
        let d = acme.decide("bob", ExpenseAction::View, m, Submitted);
        assert!(matches!(
            d.reason,
            Reason::Granted { ref role, team: Some(t), .. }
                if &**role == TEAM_MANAGER && t == team("Engineering")
        ));
        assert!(scoped(bob, NOW, Action::CardIssue, Relation::Team).allowed);
    }
    // A team manager is no approver, and Sales is not his team to manage.
    assert_eq!(
        acme.decide("bob", ExpenseAction::Approve, "erin", Submitted),
        Decision::deny(Reason::NoPermission {
            action: Action::ExpenseApprove
        })
    );
    assert_eq!(acme.relation_of(bob, member("alice"), NOW), Relation::Other);
    assert_eq!(
        acme.decide("bob", ExpenseAction::View, "alice", Submitted),
        out_of_scope(Action::ExpenseView, Scope::Team, Scope::All)
    );
}

#[test]
fn a_team_bound_finance_grant_reaches_its_team_and_not_the_company() {
    let mut acme = acme();
    *acme.who_mut("fiona") = principal(
        member("fiona"),
        &[GrantSpec::for_team("finance", team("Sales"))],
    );
    let fiona = acme.who("fiona");
    assert_eq!(
        list_scope(fiona, NOW, Action::ExpenseView),
        Some(Scope::Team)
    );
    assert_eq!(
        list_scope(fiona, NOW, Action::ExpenseApprove),
        Some(Scope::Team)
    );
    for m in ["mark", "alice", "bob"] {
        let d = acme.decide("fiona", ExpenseAction::Approve, m, Submitted);
        assert!(
            matches!(
                d.reason,
                Reason::Granted { permission, team: Some(t), .. }
                    if t == team("Sales")
                        && permission == Permission::scoped(Action::ExpenseApprove, Scope::Team)
            ),
            "{m}: {d:?}"
        );
    }
    for m in ["erin", "nora", "olivia"] {
        assert_eq!(
            acme.decide("fiona", ExpenseAction::View, m, Submitted),
            out_of_scope(Action::ExpenseView, Scope::Team, Scope::All),
            "{m}"
        );
    }
}

// --- Buttons -------------------------------------------------------------------------------

#[test]
fn expense_actions_lists_exactly_the_buttons_that_would_be_allowed() {
    let acme = acme();
    let none: Vec<&str> = vec![];
    for (actor, owner, status, expected) in [
        ("alice", "alice", Draft, vec!["edit", "delete", "submit"]),
        ("alice", "alice", Rejected, vec!["edit", "delete", "submit"]),
        ("alice", "alice", Submitted, none.clone()),
        ("alice", "alice", Approved, none.clone()),
        ("alice", "bob", Draft, none.clone()),
        ("mark", "alice", Submitted, vec!["approve", "reject"]),
        ("mark", "alice", Draft, none.clone()),
        ("mark", "erin", Submitted, none.clone()),
        ("mark", "mark", Draft, vec!["edit", "delete", "submit"]),
        ("fiona", "erin", Submitted, vec!["approve", "reject"]),
        ("olivia", "alice", Draft, vec!["edit", "delete"]),
        ("olivia", "alice", Submitted, vec!["approve", "reject"]),
        ("olivia", "alice", Approved, none.clone()),
        ("bea", "alice", Draft, vec!["edit"]),
        ("bea", "alice", Submitted, none.clone()),
        ("audrey", "alice", Submitted, none.clone()),
        ("audrey", "audrey", Draft, none.clone()),
    ] {
        assert_eq!(
            acme.actions(actor, owner, status),
            expected,
            "{actor} on {owner}'s {status:?}"
        );
    }
    // And in general: a button is listed iff its action is allowed.
    for actor in &acme.people {
        for owner in ACME.people.iter().map(|p| member(p.key)) {
            for status in ExpenseStatus::ALL {
                let relation = acme.relation_of(actor, owner, NOW);
                let facts = ExpenseFacts { owner, status };
                let expected: Vec<&str> = ExpenseAction::ALL
                    .into_iter()
                    .filter(|a| *a != ExpenseAction::View)
                    .filter(|a| expense(actor, NOW, *a, facts, relation).allowed)
                    .map(ExpenseAction::as_str)
                    .collect();
                assert_eq!(expense_actions(actor, NOW, facts, relation), expected);
            }
        }
    }
}

// --- Time-limited grants -------------------------------------------------------------------

#[test]
fn a_grant_valid_until_t_allows_at_t_minus_one_second_and_denies_at_t() {
    let acme = acme();
    let t = NOW.plus_seconds(3_600);
    let temp = principal(
        member("fiona"),
        &[
            GrantSpec::role("employee"),
            GrantSpec {
                valid_until: Some(t),
                ..GrantSpec::role("finance")
            },
        ],
    );
    let erin = member("erin");
    let before = Timestamp(t.0 - 1);
    let view = decide_as(&acme, &temp, before, ExpenseAction::View, erin, Submitted);
    assert_eq!(granted_role(&view), "finance");
    let approve = decide_as(
        &acme,
        &temp,
        before,
        ExpenseAction::Approve,
        erin,
        Submitted,
    );
    assert_eq!(granted_role(&approve), "finance");

    assert_eq!(
        decide_as(&acme, &temp, t, ExpenseAction::View, erin, Submitted),
        out_of_scope(Action::ExpenseView, Scope::Own, Scope::All)
    );
    assert_eq!(
        decide_as(&acme, &temp, t, ExpenseAction::Approve, erin, Submitted),
        Decision::deny(Reason::NoPermission {
            action: Action::ExpenseApprove
        })
    );
    // The employee grant has no end: her own expenses stay hers.
    assert!(decide_as(&acme, &temp, t, ExpenseAction::View, temp.member, Draft).allowed);
}

#[test]
fn a_grant_valid_from_t_denies_at_t_minus_one_second_and_allows_at_t() {
    let acme = acme();
    let t = NOW.plus_seconds(60);
    let later = principal(
        member("fiona"),
        &[GrantSpec {
            valid_from: Some(t),
            ..GrantSpec::role("finance")
        }],
    );
    let erin = member("erin");
    let before = Timestamp(t.0 - 1);
    assert_eq!(
        decide_as(&acme, &later, before, ExpenseAction::View, erin, Draft),
        Decision::deny(Reason::NoPermission {
            action: Action::ExpenseView
        })
    );
    assert!(decide_as(&acme, &later, t, ExpenseAction::View, erin, Draft).allowed);
}

#[test]
fn a_team_bound_grant_stops_widening_team_scope_when_it_expires() {
    let acme = acme();
    let t = NOW.plus_seconds(10);
    let p = principal(
        MemberId(70),
        &[GrantSpec {
            valid_until: Some(t),
            ..GrantSpec::for_team(TEAM_MANAGER, team("Engineering"))
        }],
    );
    assert_eq!(
        acme.relation_of(&p, member("erin"), Timestamp(t.0 - 1)),
        Relation::Team
    );
    assert_eq!(acme.relation_of(&p, member("erin"), t), Relation::Other);
    assert!(p.bound_teams(t).is_empty());
}

// --- Members, roles, teams -----------------------------------------------------------------

#[test]
fn only_owners_get_buttons_to_change_or_archive_owners_and_admins() {
    let acme = acme();
    let (olivia, adam, alice) = (acme.who("olivia"), acme.who("adam"), acme.who("alice"));
    assert_eq!(
        member_actions(adam, NOW, olivia, Relation::Other),
        vec!["view_permissions", "set_manager"]
    );
    assert_eq!(
        member_actions(olivia, NOW, adam, Relation::Other),
        vec!["view_permissions", "edit_grants", "set_manager", "archive"]
    );
    assert_eq!(
        member_actions(adam, NOW, alice, Relation::Other),
        vec!["view_permissions", "edit_grants", "set_manager", "archive"]
    );
    assert_eq!(
        member_actions(alice, NOW, alice, Relation::Own),
        vec!["view_permissions"]
    );
    assert!(member_actions(alice, NOW, olivia, Relation::Other).is_empty());
}

#[test]
fn role_buttons_show_only_roles_one_could_grant() {
    let acme = acme();
    let get = |k: &str| builtin(k).expect("built-in role");
    let (olivia, adam, bea) = (acme.who("olivia"), acme.who("adam"), acme.who("bea"));
    assert_eq!(role_actions(olivia, NOW, &get("admin")), vec!["grant"]);
    assert!(role_actions(adam, NOW, &get("admin")).is_empty());
    assert!(role_actions(adam, NOW, &get("owner")).is_empty());
    assert_eq!(role_actions(adam, NOW, &get("finance")), vec!["grant"]);
    assert!(
        role_actions(bea, NOW, &get("accountant")).is_empty(),
        "no role.assign"
    );
    assert_eq!(team_actions(adam, NOW), vec!["add_member", "remove_member"]);
    assert!(team_actions(acme.who("mark"), NOW).is_empty());
}

#[test]
fn company_wide_actions_need_the_unscoped_permission() {
    let acme = acme();
    assert!(company(acme.who("adam"), NOW, Action::SettingsManage).allowed);
    assert!(company(acme.who("olivia"), NOW, Action::AccountClose).allowed);
    assert_eq!(
        company(acme.who("adam"), NOW, Action::AccountClose),
        Decision::deny(Reason::NoPermission {
            action: Action::AccountClose
        })
    );
    assert_eq!(
        company_permit(acme.who("fiona"), NOW, Action::SettingsManage).map(|p| p.actor()),
        Err(Reason::NoPermission {
            action: Action::SettingsManage
        })
    );
    // A scoped action asked company-wide needs its `all` scope.
    assert_eq!(
        company(acme.who("mark"), NOW, Action::MemberView),
        out_of_scope(Action::MemberView, Scope::Team, Scope::All)
    );
}
