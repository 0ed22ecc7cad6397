//! The invariants that protect a company from its own members: owners stay in control, nobody
//! hands out more than they hold, read-only means read-only, and reporting lines never loop.

use super::*;
use crate::catalog::Action;
use crate::decision::DenialKind;
use crate::grant::Grant;
use crate::ids::{GrantId, TeamId};
use crate::org::OrgChart;
use crate::role::{builtin, builtins, ADMIN, EMPLOYEE, OWNER, TEAM_MANAGER};

const NOW: Timestamp = Timestamp(1_800_000_000);
const SALES: TeamId = TeamId(1);

const OLIVIA: MemberId = MemberId(1);
const ADAM: MemberId = MemberId(2);
const ALICE: MemberId = MemberId(3);
const ANNA: MemberId = MemberId(4);

fn role(key: &str) -> Role {
    builtin(key).unwrap_or_else(|| panic!("no built-in role `{key}`"))
}

fn resolved(member: MemberId, specs: &[GrantSpec]) -> Vec<ResolvedGrant> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            ResolvedGrant::new(
                Grant {
                    id: GrantId(member.0 * 100 + i as i64 + 1),
                    spec: spec.clone(),
                },
                RoleBook::default()
                    .get(&spec.role)
                    .unwrap_or_else(|| panic!("no role `{}`", spec.role)),
            )
        })
        .collect()
}

fn principal(member: MemberId, specs: &[GrantSpec]) -> Principal {
    Principal {
        member,
        archived: false,
        grants: resolved(member, specs),
    }
}

fn owner() -> Principal {
    principal(OLIVIA, &[GrantSpec::role(OWNER)])
}

fn admin() -> Principal {
    principal(ADAM, &[GrantSpec::role(ADMIN)])
}

/// A grant of `key`, bound to Sales when the role must be.
fn spec_of(key: &str) -> GrantSpec {
    if key == TEAM_MANAGER {
        GrantSpec::for_team(key, SALES)
    } else {
        GrantSpec::role(key)
    }
}

fn proposed(specs: &[GrantSpec]) -> Vec<(GrantSpec, Role)> {
    resolve_grants(&RoleBook::default(), specs).unwrap_or_else(|e| panic!("{e}"))
}

/// `actor` replaces `target`'s grants `current` by `new`.
fn change(
    actor: &Principal,
    target: MemberId,
    current: &[ResolvedGrant],
    new: &[GrantSpec],
    other_permanent_owners: usize,
) -> Result<Permit, Reason> {
    let new = proposed(new);
    change_grants(
        actor,
        NOW,
        GrantVia::Assign,
        &GrantChange {
            target,
            target_archived: false,
            current,
            proposed: &new,
            other_permanent_owners,
        },
    )
}

/// Reason of a refusal, ignoring the permit of an allow.
fn refusal(r: Result<Permit, Reason>) -> Option<Reason> {
    r.err()
}

// --- Owners control owner and admin --------------------------------------------------------

#[test]
fn an_admin_cannot_grant_admin_or_owner() {
    let alice = resolved(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    for key in [ADMIN, OWNER] {
        let r = change(
            &admin(),
            ALICE,
            &alice,
            &[GrantSpec::role(EMPLOYEE), GrantSpec::role(key)],
            1,
        );
        let reason = refusal(r).unwrap_or_else(|| panic!("admin granted {key}"));
        assert_eq!(
            reason,
            Reason::OwnerOnly {
                role: key.to_string()
            }
        );
        assert_eq!(reason.code(), "owner_only");
        assert_eq!(reason.kind(), DenialKind::Forbidden);
    }
}

#[test]
fn an_admin_cannot_revoke_admin_or_owner() {
    for key in [ADMIN, OWNER] {
        let current = resolved(ANNA, &[GrantSpec::role(key)]);
        let r = change(&admin(), ANNA, &current, &[GrantSpec::role(EMPLOYEE)], 1);
        assert_eq!(
            refusal(r),
            Some(Reason::OwnerOnly {
                role: key.to_string()
            })
        );
    }
    // Nor archive their holders.
    let olivia = owner();
    assert_eq!(
        refusal(archive_member(&admin(), NOW, &olivia, 1)),
        Some(Reason::OwnerOnly {
            role: OWNER.to_string()
        })
    );
}

#[test]
fn an_owner_grants_and_revokes_owner_and_admin() {
    let alice = resolved(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    for key in [ADMIN, OWNER] {
        let permit = change(
            &owner(),
            ALICE,
            &alice,
            &[GrantSpec::role(EMPLOYEE), GrantSpec::role(key)],
            1,
        )
        .expect("owners grant owner and admin");
        assert_eq!(permit.actor(), OLIVIA);
        assert_eq!(permit.action(), Action::RoleAssign);

        let anna = resolved(ANNA, &[GrantSpec::role(key)]);
        assert!(change(&owner(), ANNA, &anna, &[GrantSpec::role(EMPLOYEE)], 1).is_ok());
    }
    let adam = admin();
    assert!(archive_member(&owner(), NOW, &adam, 1).is_ok());
}

#[test]
fn an_admin_grants_every_other_built_in_role() {
    let others: Vec<Role> = builtins()
        .into_iter()
        .filter(|r| !r.is_owner_controlled())
        .collect();
    assert_eq!(others.len(), 9, "every built-in role but owner and admin");
    for r in others {
        let spec = spec_of(&r.key);
        let permit = change(&admin(), ALICE, &[], &[spec], 1);
        assert!(
            permit.is_ok(),
            "admin granting {}: {:?}",
            r.key,
            refusal(permit)
        );
        // And takes it away again.
        let held = resolved(ALICE, &[spec_of(&r.key)]);
        assert!(
            change(&admin(), ALICE, &held, &[], 1).is_ok(),
            "revoking {}",
            r.key
        );
    }
}

#[test]
fn a_member_without_role_assign_grants_nothing() {
    let bea = principal(MemberId(5), &[GrantSpec::role("accountant")]);
    assert_eq!(
        refusal(change(&bea, ALICE, &[], &[GrantSpec::role(EMPLOYEE)], 1)),
        Some(Reason::NoPermission {
            action: Action::RoleAssign
        })
    );
}

#[test]
fn a_custom_role_with_admin_grade_permissions_is_owner_controlled() {
    let grade = crate::role::admin_grade();
    assert!(!grade.is_empty());
    for r in builtins()
        .into_iter()
        .filter(|r| !r.is_owner() && !r.is_admin())
    {
        assert!(
            r.permissions.intersect(grade).is_empty(),
            "built-in `{}` holds admin-grade permissions",
            r.key
        );
    }
    // adam defines an admin in all but name: he may define it (he holds it all), but only
    // an owner may hand it out.
    let everything_adam_holds: Vec<String> =
        admin().permissions(NOW).iter().map(|p| p.key()).collect();
    let admin2 = CustomRoleInput::parse("admin2", "Admin 2", None, &everything_adam_holds, false)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_role();
    assert!(define_role(
        &admin(),
        NOW,
        &CustomRoleInput::parse("admin2", "Admin 2", None, &everything_adam_holds, false)
            .unwrap_or_else(|e| panic!("{e}"))
    )
    .is_ok());
    assert!(admin2.is_owner_controlled());
    let book = RoleBook::new(vec![admin2]);
    let new = resolve_grants(&book, &[GrantSpec::role("admin2")]).unwrap_or_else(|e| panic!("{e}"));
    let alice = resolved(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    let by = |actor: &Principal| {
        change_grants(
            actor,
            NOW,
            GrantVia::Assign,
            &GrantChange {
                target: ALICE,
                target_archived: false,
                current: &alice,
                proposed: &new,
                other_permanent_owners: 1,
            },
        )
    };
    assert_eq!(
        refusal(by(&admin())),
        Some(Reason::OwnerOnly {
            role: "admin2".to_string()
        })
    );
    assert!(by(&owner()).is_ok());

    // A custom role of ordinary permissions stays an admin's to grant.
    let travel = CustomRoleInput::parse(
        "travel_desk",
        "Travel desk",
        None,
        &["trip.view.all".to_string()],
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .into_role();
    assert!(!travel.is_owner_controlled());
}

#[test]
fn an_admin_changes_no_grant_of_an_owner_or_admin() {
    let olivia = owner();
    let r = change(
        &admin(),
        OLIVIA,
        &olivia.grants,
        &[GrantSpec::role(OWNER), GrantSpec::role("finance")],
        0,
    );
    assert_eq!(
        refusal(r),
        Some(Reason::OwnerOnly {
            role: OWNER.to_string()
        })
    );
    let other_admin = principal(ANNA, &[GrantSpec::role(ADMIN)]);
    let r = change(
        &admin(),
        ANNA,
        &other_admin.grants,
        &[GrantSpec::role(ADMIN), GrantSpec::role("viewer")],
        1,
    );
    assert!(matches!(refusal(r), Some(Reason::OwnerOnly { .. })));
}

#[test]
fn nobody_adds_to_their_own_grants_not_even_a_longer_window() {
    let until = |s: i64| GrantSpec {
        valid_until: Some(NOW.plus_seconds(s)),
        ..GrantSpec::role("accountant_extended")
    };
    // bea's extended bookkeeping ends in a day; she holds `role.assign` until then.
    let bea = principal(ANNA, &[until(86_400)]);
    for new in [
        vec![GrantSpec::role("accountant_extended")],
        vec![until(86_400 * 365)],
        vec![until(86_400), GrantSpec::role("accountant")],
    ] {
        let r = change(&bea, ANNA, &bea.grants, &new, 1);
        assert_eq!(refusal(r), Some(Reason::SelfGrant), "{new:?}");
    }
    assert_eq!(Reason::SelfGrant.code(), "self_grant");
    assert_eq!(Reason::SelfGrant.kind(), DenialKind::Forbidden);
    // Dropping her own access, or keeping it as it is, is fine.
    assert!(change(&bea, ANNA, &bea.grants, &[], 1).is_ok());
    assert!(change(&bea, ANNA, &bea.grants, &[until(86_400)], 1).is_ok());
    // Someone else may extend it.
    assert!(change(&admin(), ANNA, &bea.grants, &[until(86_400 * 365)], 1).is_ok());
    // An admin adds nothing to his own grants either.
    let adam = admin();
    let r = change(
        &adam,
        ADAM,
        &adam.grants,
        &[GrantSpec::role(ADMIN), GrantSpec::role("finance")],
        1,
    );
    assert!(refusal(r).is_some());
}

// --- No escalation -------------------------------------------------------------------------

#[test]
fn an_extended_accountant_grants_only_roles_within_their_own_permissions() {
    let acct = principal(MemberId(6), &[GrantSpec::role("accountant_extended")]);
    let held = role("accountant_extended").permissions;
    let mut grantable = Vec::new();
    for r in builtins().into_iter().filter(|r| !r.is_owner_controlled()) {
        let spec = spec_of(&r.key);
        let given = match spec.team {
            Some(_) => r.permissions.capped_at_team(),
            None => r.permissions,
        };
        match change(&acct, ALICE, &[], &[spec], 1) {
            Ok(_) => {
                assert!(given.within(held), "{} granted but exceeds", r.key);
                grantable.push(r.key.to_string());
            }
            Err(reason) => assert_eq!(
                reason,
                Reason::Escalation {
                    permissions: given.beyond(held)
                },
                "{}",
                r.key
            ),
        }
    }
    // From the real sets: only the accountants and the (team-bound) team manager fit.
    assert_eq!(
        grantable,
        vec!["team_manager", "accountant", "accountant_extended"]
    );
}

#[test]
fn an_extended_accountant_cannot_grant_finance_manager_or_expense_reviewer() {
    let acct = principal(MemberId(6), &[GrantSpec::role("accountant_extended")]);
    let keys = |r: Result<Permit, Reason>| match r {
        Err(Reason::Escalation { permissions }) => {
            permissions.iter().map(|p| p.key()).collect::<Vec<_>>()
        }
        other => panic!(
            "expected an escalation, got {:?}",
            other.map(|p| p.action())
        ),
    };
    // The reviewer approves, which the accountant never does.
    assert_eq!(
        keys(change(
            &acct,
            ALICE,
            &[],
            &[GrantSpec::role("expense_reviewer")],
            1
        )),
        vec!["expense.approve.all", "report.approve.all"]
    );
    // Bound to a team, it still approves.
    assert_eq!(
        keys(change(
            &acct,
            ALICE,
            &[],
            &[GrantSpec::for_team("expense_reviewer", SALES)],
            1
        )),
        vec!["expense.approve.team", "report.approve.team"]
    );
    let finance = keys(change(&acct, ALICE, &[], &[GrantSpec::role("finance")], 1));
    for p in [
        "expense.create",
        "expense.delete.own",
        "expense.submit.own",
        "expense.approve.all",
        "advance.disburse",
        "trip.view.all",
        "analytics.view.all",
    ] {
        assert!(
            finance.iter().any(|k| k == p),
            "finance escalation lacks {p}"
        );
    }
    for p in ["expense.view.all", "expense.reimburse", "export.create"] {
        assert!(
            !finance.iter().any(|k| k == p),
            "{p} is held by the accountant"
        );
    }
    let manager = keys(change(&acct, ALICE, &[], &[GrantSpec::role("manager")], 1));
    assert!(manager.iter().any(|k| k == "expense.approve.team"));
    assert!(!manager.iter().any(|k| k == "expense.view.team"));
}

#[test]
fn keeping_a_grant_the_actor_could_not_give_is_no_escalation() {
    // Keeping an existing grant is not granting it: only added grants are compared.
    let acct = principal(MemberId(6), &[GrantSpec::role("accountant_extended")]);
    let current = resolved(ALICE, &[GrantSpec::role("finance")]);
    assert!(change(
        &acct,
        ALICE,
        &current,
        &[GrantSpec::role("finance"), GrantSpec::role("accountant")],
        1
    )
    .is_ok());
}

#[test]
fn a_custom_role_cannot_exceed_its_definer() {
    let parse = |perms: &[&str]| {
        let perms: Vec<String> = perms.iter().map(|p| p.to_string()).collect();
        CustomRoleInput::parse("travel_desk", "Travel desk", None, &perms, false)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // The admin lacks closing the account, which only owners hold.
    let input = parse(&["trip.view.all", "account.close"]);
    assert_eq!(
        refusal(define_role(&admin(), NOW, &input)),
        Some(Reason::Escalation {
            permissions: vec![Permission::unscoped(Action::AccountClose)]
        })
    );
    assert!(define_role(&owner(), NOW, &input).is_ok());

    // A designer with a narrow custom role defines only within it.
    let designer_role = CustomRoleInput::parse(
        "role_designer",
        "Role designer",
        None,
        &["role.manage".to_string(), "trip.view.team".to_string()],
        false,
    )
    .expect("valid")
    .into_role();
    let designer = Principal {
        member: MemberId(7),
        archived: false,
        grants: vec![ResolvedGrant::new(
            Grant {
                id: GrantId(700),
                spec: GrantSpec::role("role_designer"),
            },
            designer_role,
        )],
    };
    assert!(define_role(&designer, NOW, &parse(&["trip.view.own"])).is_ok());
    assert!(define_role(&designer, NOW, &parse(&["trip.view.team"])).is_ok());
    assert_eq!(
        refusal(define_role(
            &designer,
            NOW,
            &parse(&["trip.view.all", "trip.approve.team"])
        )),
        Some(Reason::Escalation {
            permissions: vec![
                Permission::scoped(Action::TripView, Scope::All),
                Permission::scoped(Action::TripApprove, Scope::Team),
            ]
        })
    );
    // Without role.manage nobody defines roles at all.
    let fiona = principal(MemberId(8), &[GrantSpec::role("finance")]);
    assert_eq!(
        refusal(define_role(&fiona, NOW, &parse(&["trip.view.own"]))),
        Some(Reason::NoPermission {
            action: Action::RoleManage
        })
    );
}

#[test]
fn a_read_only_custom_role_refuses_permissions_that_change_data() {
    let perms: Vec<String> = ["expense.view.all", "audit.view", "expense.edit.own"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    let err = CustomRoleInput::parse("readers", "Readers", None, &perms, true)
        .expect_err("expense.edit changes data");
    assert_eq!(err.field, "permissions[2]");
    assert!(err.reason.contains("expense.edit.own"), "{}", err.reason);

    // Read-only with reads only is fine, and it stays read-only.
    let ok = CustomRoleInput::parse("readers", "Readers", None, &perms[..2], true)
        .expect("reads only")
        .into_role();
    assert!(ok.read_only && !ok.builtin);
    assert!(ok.permissions.iter().all(|p| !p.info().mutates));

    // The same permissions without the read-only flag are accepted.
    assert!(CustomRoleInput::parse("editors", "Editors", None, &perms, false).is_ok());
}

#[test]
fn custom_role_input_names_the_bad_field() {
    let one = |p: &str| vec![p.to_string()];
    let field = |r: Result<CustomRoleInput, ValidationError>| r.map_err(|e| e.field).err();
    assert_eq!(
        field(CustomRoleInput::parse(
            "finance",
            "F",
            None,
            &one("trip.view.own"),
            false
        )),
        Some("key".to_string()),
        "built-in keys are taken"
    );
    assert_eq!(
        field(CustomRoleInput::parse(
            "Bad Key",
            "F",
            None,
            &one("trip.view.own"),
            false
        )),
        Some("key".to_string())
    );
    assert_eq!(
        field(CustomRoleInput::parse(
            "travel",
            " ",
            None,
            &one("trip.view.own"),
            false
        )),
        Some("name".to_string())
    );
    assert_eq!(
        field(CustomRoleInput::parse("travel", "T", None, &[], false)),
        Some("permissions".to_string())
    );
    assert_eq!(
        field(CustomRoleInput::parse(
            "travel",
            "T",
            None,
            &one("trip.view"),
            false
        )),
        Some("permissions[0]".to_string()),
        "scoped actions need a scope"
    );
}

const ENGINEERING: TeamId = TeamId(2);

#[test]
fn a_team_bound_grant_needs_a_granter_who_reaches_that_team() {
    // bea keeps the books of the Sales team only; Engineering is not hers.
    let bea = principal(ANNA, &[GrantSpec::for_team("accountant_extended", SALES)]);
    let alice = resolved(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    let with = |team: TeamId| {
        [
            GrantSpec::role(EMPLOYEE),
            GrantSpec::for_team(TEAM_MANAGER, team),
        ]
    };
    assert!(change(&bea, ALICE, &alice, &with(SALES), 1).is_ok());
    let r = refusal(change(&bea, ALICE, &alice, &with(ENGINEERING), 1));
    assert!(
        matches!(&r, Some(Reason::Escalation { permissions }) if permissions.iter().all(|p| p.scope == Some(Scope::Team))),
        "{r:?}"
    );
    // Company-wide granters reach every team.
    assert!(change(&admin(), ALICE, &alice, &with(ENGINEERING), 1).is_ok());
}

#[test]
fn a_team_bound_grant_cannot_stretch_the_members_other_team_rights() {
    // nora approves for her reports. Binding her to Sales would let that approval reach
    // Sales too, which bea, who approves nothing, cannot give.
    let bea = principal(
        ANNA,
        &[
            GrantSpec::role("accountant_extended"),
            GrantSpec::for_team(TEAM_MANAGER, SALES),
        ],
    );
    let nora = resolved(ALICE, &[GrantSpec::role("manager")]);
    let new = [
        GrantSpec::role("manager"),
        GrantSpec::for_team(TEAM_MANAGER, SALES),
    ];
    let r = refusal(change(&bea, ALICE, &nora, &new, 1));
    let Some(Reason::Escalation { permissions }) = r else {
        panic!("{r:?}")
    };
    assert!(
        permissions.contains(&Permission::scoped(Action::ExpenseApprove, Scope::Team)),
        "{permissions:?}"
    );
    assert!(change(&admin(), ALICE, &nora, &new, 1).is_ok());
}

#[test]
fn nobody_revokes_what_they_could_not_grant() {
    let bea = principal(ANNA, &[GrantSpec::role("accountant_extended")]);
    let fiona = resolved(ALICE, &[GrantSpec::role("finance")]);
    let r = refusal(change(&bea, ALICE, &fiona, &[], 1));
    assert!(matches!(r, Some(Reason::Escalation { .. })), "{r:?}");
    assert!(change(&admin(), ALICE, &fiona, &[], 1).is_ok());
    // What she could give, she may take back.
    let clerk = resolved(ALICE, &[GrantSpec::role("accountant")]);
    assert!(change(&bea, ALICE, &clerk, &[], 1).is_ok());
}

// --- The last owner ------------------------------------------------------------------------

#[test]
fn the_last_owner_cannot_lose_the_owner_role() {
    let olivia = owner();
    let r = change(
        &olivia,
        OLIVIA,
        &olivia.grants,
        &[GrantSpec::role(ADMIN)],
        0,
    );
    let reason = refusal(r).expect("the last owner stays");
    assert_eq!(reason, Reason::LastOwner);
    assert_eq!(reason.kind(), DenialKind::Conflict);
    assert_eq!(reason.code(), "last_owner");
    assert_eq!(
        refusal(change(&olivia, OLIVIA, &olivia.grants, &[], 0)),
        Some(Reason::LastOwner)
    );
}

#[test]
fn the_last_owner_cannot_be_archived() {
    let olivia = owner();
    assert_eq!(
        refusal(archive_member(&olivia, NOW, &olivia, 0)),
        Some(Reason::LastOwner)
    );
    // Another owner whose grant ends is no permanent owner: olivia still is the last one.
    let temp = principal(
        ANNA,
        &[GrantSpec {
            valid_until: Some(NOW.plus_seconds(60)),
            ..GrantSpec::role(OWNER)
        }],
    );
    assert!(temp.is_owner(NOW));
    assert_eq!(
        refusal(archive_member(&temp, NOW, &olivia, 0)),
        Some(Reason::LastOwner)
    );
}

#[test]
fn an_owner_can_step_down_when_another_permanent_owner_exists() {
    let olivia = owner();
    assert!(change(
        &olivia,
        OLIVIA,
        &olivia.grants,
        &[GrantSpec::role(ADMIN)],
        1
    )
    .is_ok());
    assert!(archive_member(&olivia, NOW, &olivia, 1).is_ok());
}

#[test]
fn a_time_limited_owner_grant_does_not_count_as_a_permanent_owner() {
    let olivia = owner();
    let until = GrantSpec {
        valid_until: Some(NOW.plus_seconds(86_400)),
        ..GrantSpec::role(OWNER)
    };
    assert!(!until.is_permanent_from(NOW));
    assert_eq!(
        refusal(change(&olivia, OLIVIA, &olivia.grants, &[until], 0)),
        Some(Reason::LastOwner),
        "trading a permanent owner grant for a time-limited one"
    );
    let later = GrantSpec {
        valid_from: Some(NOW.plus_seconds(1)),
        ..GrantSpec::role(OWNER)
    };
    assert!(!later.is_permanent_from(NOW));
    assert_eq!(
        refusal(change(&olivia, OLIVIA, &olivia.grants, &[later], 0)),
        Some(Reason::LastOwner),
        "an owner grant that starts later leaves the company without one now"
    );
    // A permanent grant that started in the past counts.
    let since = GrantSpec {
        valid_from: Some(NOW),
        ..GrantSpec::role(OWNER)
    };
    assert!(since.is_permanent_from(NOW));
    assert!(change(&olivia, OLIVIA, &olivia.grants, &[since], 0).is_ok());
}

#[test]
fn a_member_whose_only_owner_grant_is_time_limited_is_no_last_owner() {
    let temp = principal(
        ANNA,
        &[GrantSpec {
            valid_until: Some(NOW.plus_seconds(60)),
            ..GrantSpec::role(OWNER)
        }],
    );
    assert!(change(&owner(), ANNA, &temp.grants, &[], 0).is_ok());
    assert!(archive_member(&owner(), NOW, &temp, 0).is_ok());
}

#[test]
fn inviting_needs_member_invite_and_obeys_the_same_rules() {
    let new = proposed(&[GrantSpec::role(ADMIN)]);
    let invite = |actor: &Principal| {
        change_grants(
            actor,
            NOW,
            GrantVia::Invite,
            &GrantChange {
                target: MemberId(42),
                target_archived: false,
                current: &[],
                proposed: &new,
                other_permanent_owners: 1,
            },
        )
    };
    assert_eq!(
        refusal(invite(&admin())),
        Some(Reason::OwnerOnly {
            role: ADMIN.to_string()
        })
    );
    assert_eq!(
        invite(&owner()).map(|p| p.action()).ok(),
        Some(Action::MemberInvite)
    );
    let mark = principal(MemberId(9), &[GrantSpec::role("manager")]);
    assert_eq!(
        refusal(invite(&mark)),
        Some(Reason::NoPermission {
            action: Action::MemberInvite
        })
    );
}

#[test]
fn an_archived_member_is_not_archived_twice() {
    let mut alice = principal(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    assert!(archive_member(&admin(), NOW, &alice, 1).is_ok());
    alice.archived = true;
    let reason = refusal(archive_member(&admin(), NOW, &alice, 1));
    assert_eq!(reason, Some(Reason::AlreadyArchived));
    assert_eq!(Reason::AlreadyArchived.kind(), DenialKind::Conflict);
    // Rights come first: an employee learns nothing of the member's state.
    let bob = principal(ANNA, &[GrantSpec::role(EMPLOYEE)]);
    assert!(matches!(
        refusal(archive_member(&bob, NOW, &alice, 1)),
        Some(Reason::NoPermission { .. })
    ));
}

// --- Resolving grants ----------------------------------------------------------------------

#[test]
fn resolving_grants_names_the_field_at_fault() {
    let book = RoleBook::default();
    let field = |specs: &[GrantSpec]| resolve_grants(&book, specs).map_err(|e| e.field).err();
    assert_eq!(
        field(&[GrantSpec::role("wizard")]),
        Some("grants[0].role".to_string())
    );
    assert_eq!(
        field(&[GrantSpec::role(EMPLOYEE), GrantSpec::role(TEAM_MANAGER)]),
        Some("grants[1].team_id".to_string()),
        "team managers are always bound to a team"
    );
    assert_eq!(
        field(&[GrantSpec::for_team(OWNER, SALES)]),
        Some("grants[0].team_id".to_string()),
        "owners are never bound to a team"
    );
    assert_eq!(
        field(&[GrantSpec::for_team(ADMIN, SALES)]),
        Some("grants[0].team_id".to_string())
    );
    let window = |from: i64, until: i64| GrantSpec {
        valid_from: Some(Timestamp(from)),
        valid_until: Some(Timestamp(until)),
        ..GrantSpec::role("finance")
    };
    assert_eq!(
        field(&[window(10, 10)]),
        Some("grants[0].valid_until".to_string())
    );
    assert_eq!(
        field(&[window(10, 9)]),
        Some("grants[0].valid_until".to_string())
    );
    assert_eq!(field(&[window(10, 11)]), None);
    assert_eq!(
        field(&[GrantSpec::role("finance"), GrantSpec::role("finance")]),
        Some("grants[1].role".to_string()),
        "duplicates"
    );
    assert_eq!(
        field(&[GrantSpec::role(EMPLOYEE), GrantSpec::role("cardholder")]),
        Some("grants[1].role".to_string()),
        "an alias duplicates its role"
    );
    // Different windows or teams are different grants.
    assert_eq!(
        field(&[
            GrantSpec::role("finance"),
            GrantSpec::for_team("finance", SALES),
            window(1, 2)
        ]),
        None
    );
}

#[test]
fn aliases_resolve_to_the_roles_own_key() {
    let resolved = proposed(&[
        GrantSpec::role("cardholder"),
        GrantSpec::for_team("approver", SALES),
        GrantSpec::role("account_holder"),
    ]);
    let keys: Vec<(&str, &str)> = resolved
        .iter()
        .map(|(s, r)| (s.role.as_str(), &*r.key))
        .collect();
    assert_eq!(
        keys,
        vec![(EMPLOYEE, EMPLOYEE), ("manager", "manager"), (OWNER, OWNER)]
    );
    assert_eq!(resolved[1].0.team, Some(SALES));
}

#[test]
fn custom_roles_of_the_company_resolve() {
    let custom = CustomRoleInput::parse(
        "travel_desk",
        "Travel desk",
        None,
        &["trip.view.all".to_string()],
        true,
    )
    .expect("valid")
    .into_role();
    let book = RoleBook::new(vec![custom]);
    let r = resolve_grants(&book, &[GrantSpec::for_team("travel_desk", SALES)]).expect("known");
    assert_eq!(&*r[0].1.key, "travel_desk");
    assert!(resolve_grants(&RoleBook::default(), &[GrantSpec::role("travel_desk")]).is_err());
}

#[test]
fn a_new_grant_that_has_already_ended_is_refused_but_an_old_one_may_stay() {
    let ended = GrantSpec {
        valid_until: Some(NOW),
        ..GrantSpec::role("finance")
    };
    let err = check_new_windows(
        &[],
        &proposed(&[GrantSpec::role(EMPLOYEE), ended.clone()]),
        NOW,
    )
    .err()
    .unwrap_or_else(|| panic!("a grant ending now was accepted"));
    assert_eq!(err.field, "grants[1].valid_until");
    let one_second_left = GrantSpec {
        valid_until: Some(NOW.plus_seconds(1)),
        ..GrantSpec::role("finance")
    };
    assert!(check_new_windows(&[], &proposed(&[one_second_left]), NOW).is_ok());
    // Kept as history, an ended grant is no mistake.
    let history = resolved(ALICE, std::slice::from_ref(&ended));
    assert!(check_new_windows(&history, &proposed(&[ended]), NOW).is_ok());
}

// --- Access diff ---------------------------------------------------------------------------

#[test]
fn an_access_diff_lists_gained_and_lost_permissions() {
    let alice = principal(ALICE, &[GrantSpec::role(EMPLOYEE)]);
    let diff = access_diff(
        &alice,
        &proposed(&[GrantSpec::role(EMPLOYEE), GrantSpec::role("manager")]),
        NOW,
    );
    assert!(diff.lost.is_empty());
    assert!(diff
        .gained
        .contains(&Permission::scoped(Action::ExpenseApprove, Scope::Team)));
    assert!(diff
        .gained
        .contains(&Permission::scoped(Action::ExpenseView, Scope::Team)));
    // What she holds already is not gained again.
    assert!(!diff
        .gained
        .contains(&Permission::scoped(Action::ExpenseView, Scope::Own)));
    let diff = access_diff(&alice, &[], NOW);
    assert!(diff.gained.is_empty());
    assert_eq!(
        diff.lost,
        role(EMPLOYEE).permissions.iter().collect::<Vec<_>>()
    );
}

// --- Reporting lines -----------------------------------------------------------------------

#[test]
fn a_reporting_line_never_loops() {
    // olivia <- mark <- alice
    let mark = MemberId(10);
    let chart = OrgChart::new(vec![
        (OLIVIA, None, vec![]),
        (mark, Some(OLIVIA), vec![]),
        (ALICE, Some(mark), vec![]),
    ]);
    let adam = admin();
    for (member, manager) in [
        (OLIVIA, ALICE),
        (OLIVIA, mark),
        (mark, ALICE),
        (ALICE, ALICE),
    ] {
        let r = set_manager(&adam, NOW, chart.would_cycle(member, manager));
        let reason = refusal(r).expect("a cycle");
        assert_eq!(reason, Reason::ReportingCycle);
        assert_eq!(reason.kind(), DenialKind::Conflict);
    }
    assert!(set_manager(&adam, NOW, chart.would_cycle(ALICE, OLIVIA)).is_ok());

    let manager = principal(mark, &[GrantSpec::role("manager")]);
    assert_eq!(
        refusal(set_manager(&manager, NOW, false)),
        Some(Reason::NoPermission {
            action: Action::MemberManage
        })
    );
}
