//! A permit opens exactly the write it was decided for: its company, its action, and what
//! it carries (one transition of one expense, one member's grant set, one member's new
//! manager, one role definition). Every permit here comes from a real decision of the core
//! over facts the store loaded; offered anywhere else it is refused before any SQL runs,
//! decided over facts that changed since it is refused as stale, and a permitted change
//! never commits without its audit entry. On SQLite, and on PostgreSQL when
//! `OUTLAY_TEST_DATABASE_URL` is set. What the types already forbid (a permit of another
//! kind, a reused permit, a write on a read connection) is in `compile_fail/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_core::authorize::{self, Context, ExpenseAction, Request, ResourceRef};
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::invariants::{self, CustomRoleInput, GrantChange, GrantVia};
use outlay_core::money::Money;
use outlay_core::permit::{GrantSet, Permit, Transition};
use outlay_core::{Action, GrantSpec, Line, MemberId, MemberKind, OrgId, Principal, Target};
use outlay_core::{Reason, RoleBook};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::members::{self, MemberStatus, NewMember};
use outlay_store::{seed, Store, StoreError};

const NOW: outlay_core::Timestamp = outlay_core::Timestamp(1_800_000_000);

/// A company (preset `outlay`) with an owner and an employee who has a draft and a
/// submitted expense.
struct Company {
    org: OrgId,
    owner: MemberId,
    employee: MemberId,
    draft: i64,
    submitted: i64,
}

async fn company(store: &Store, name: &str) -> Company {
    let mut w = store.write(NOW).await.unwrap();
    let org = seed::company(&mut w, name, "outlay", "EUR").await.unwrap();
    let member = async |w: &mut outlay_store::Write, key: &str, role: &str| {
        let email = format!("{key}@{name}.example");
        let person = outlay_store::auth::create_person(w, &email, key, None, NOW)
            .await
            .unwrap();
        let m = seed::member(
            w,
            org,
            &NewMember {
                person,
                name: key,
                status: MemberStatus::Active,
                manager: None,
                kind: MemberKind::Internal,
            },
        )
        .await
        .unwrap();
        seed::grant(w, org, m, &GrantSpec::role(role))
            .await
            .unwrap();
        m
    };
    let owner = member(&mut w, "owner", "owner").await;
    let employee = member(&mut w, "employee", "employee").await;
    let input = ExpenseInput {
        money: Money::new(1200, "EUR").unwrap(),
        merchant: "Cafe".into(),
        spent_on: "2026-11-01".into(),
        category: "meals".into(),
        note: None,
        trip_id: None,
    };
    let draft = seed::expense(&mut w, org, employee, &input, ExpenseStatus::Draft, None)
        .await
        .unwrap();
    let submitted = seed::expense(
        &mut w,
        org,
        employee,
        &input,
        ExpenseStatus::Submitted,
        None,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    Company {
        org,
        owner,
        employee,
        draft,
        submitted,
    }
}

async fn principal(store: &Store, org: OrgId, member: MemberId) -> Principal {
    let mut conn = store.read().await.unwrap();
    let row = members::get(&mut conn, org, member).await.unwrap().unwrap();
    members::principal(&mut conn, org, &row).await.unwrap()
}

fn own(member: MemberId) -> Target<'static> {
    Target {
        member,
        line: Line::Own,
        teams: &[],
    }
}

fn audit_entry(org: OrgId) -> NewEvent<'static> {
    NewEvent {
        org,
        at: NOW,
        actor_member: None,
        actor_person: None,
        action: "test",
        target: "test",
        outcome: Outcome::Allowed,
        reason: "test",
        detail: serde_json::json!({}),
    }
}

async fn status(store: &Store, org: OrgId, viewer: MemberId, id: i64) -> String {
    let mut conn = store.read().await.unwrap();
    outlay_store::expenses::get(&mut conn, org, viewer, id)
        .await
        .unwrap()
        .unwrap()
        .status
}

#[tokio::test]
async fn a_permit_opens_only_the_write_it_was_decided_for() {
    for b in common::backends("permits").await {
        let (backend, store) = (b.label, &b.store);
        let acme = company(store, "acme").await;
        let globex = company(store, "globex").await;
        let employee = principal(store, acme.org, acme.employee).await;
        let ctx = Context::at(NOW);
        let create_own = || {
            authorize::permit(&Request {
                principal: &employee,
                action: Action::ExpenseCreate,
                resource: ResourceRef::of_member(own(acme.employee)),
                context: ctx,
            })
            .unwrap()
            .0
        };

        // Nor does it open a write in another company, even with that company locked.
        let mut w = store.write_for(globex.org, NOW).await.unwrap();
        let input = ExpenseInput {
            money: Money::new(500, "EUR").unwrap(),
            merchant: "Taxi".into(),
            spent_on: "2026-11-02".into(),
            category: "travel".into(),
            note: None,
            trip_id: None,
        };
        let refused =
            outlay_store::expenses::create(&mut w, globex.org, &input, None, create_own()).await;
        assert!(
            matches!(refused, Err(StoreError::WrongPermit { .. })),
            "{backend}: {refused:?}"
        );
        // A write of a company whose lock the transaction does not hold is refused too.
        let refused =
            outlay_store::expenses::create(&mut w, acme.org, &input, None, create_own()).await;
        assert!(
            matches!(refused, Err(StoreError::NotLocked(_))),
            "{backend}: {refused:?}"
        );
        drop(w);

        // A permit to submit one expense does not submit another.
        let facts = |id: i64| authorize::ExpenseFacts {
            id,
            owner: own(acme.employee),
            status: ExpenseStatus::Draft,
            amount_minor: Some(1200),
            category: Some("meals"),
            hands: &[],
            report: None,
        };
        let submit_draft = || {
            authorize::permit(&Request {
                principal: &employee,
                action: Action::ExpenseSubmit,
                resource: facts(acme.draft).resource(),
                context: ctx,
            })
            .unwrap()
            .0
            .into_transition(ExpenseAction::Submit)
            .unwrap()
        };
        // Nor does a permit to submit one expense approve another.
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused =
            outlay_store::expenses::decide(&mut w, acme.org, acme.submitted, None, submit_draft())
                .await;
        assert!(
            matches!(refused, Err(StoreError::WrongPermit { .. })),
            "{backend}: {refused:?}"
        );
        drop(w);
        assert_eq!(
            status(store, acme.org, acme.owner, acme.submitted).await,
            "submitted"
        );
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused =
            outlay_store::expenses::submit(&mut w, acme.org, acme.submitted, submit_draft()).await;
        assert!(
            matches!(refused, Err(StoreError::WrongPermit { .. })),
            "{backend}: {refused:?}"
        );
        drop(w);

        // The right permit works, but the change commits only with its audit entry.
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        outlay_store::expenses::submit(&mut w, acme.org, acme.draft, submit_draft())
            .await
            .unwrap();
        assert!(matches!(w.commit().await, Err(StoreError::Unaudited)));
        assert_eq!(
            status(store, acme.org, acme.owner, acme.draft).await,
            "draft"
        );

        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        outlay_store::expenses::submit(&mut w, acme.org, acme.draft, submit_draft())
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(
            status(store, acme.org, acme.owner, acme.draft).await,
            "submitted"
        );
        b.finish().await;
    }
}

/// Seats another member in `org` holding `role`, reporting to `manager`.
async fn seat(
    store: &Store,
    org: OrgId,
    key: &str,
    role: &str,
    manager: Option<MemberId>,
) -> MemberId {
    let mut w = store.write(NOW).await.unwrap();
    let email = format!("{key}.{}@test.example", org.0);
    let person = outlay_store::auth::create_person(&mut w, &email, key, None, NOW)
        .await
        .unwrap();
    let m = seed::member(
        &mut w,
        org,
        &NewMember {
            person,
            name: key,
            status: MemberStatus::Active,
            manager,
            kind: MemberKind::Internal,
        },
    )
    .await
    .unwrap();
    seed::grant(&mut w, org, m, &GrantSpec::role(role))
        .await
        .unwrap();
    w.commit().await.unwrap();
    m
}

/// `actor`'s real decision to give `target` exactly `roles`, over what the store holds now.
async fn grant_permit(
    store: &Store,
    org: OrgId,
    actor: MemberId,
    target: MemberId,
    roles: &[&str],
) -> Result<Permit<GrantSet>, Reason> {
    let by = principal(store, org, actor).await;
    let mut conn = store.read().await.unwrap();
    let book: RoleBook = outlay_store::roles::book(&mut conn, org).await.unwrap();
    let row = members::get(&mut conn, org, target).await.unwrap().unwrap();
    let now_held = members::principal(&mut conn, org, &row).await.unwrap();
    let facts = outlay_store::scope::target(&mut conn, org, actor, target)
        .await
        .unwrap();
    let specs: Vec<GrantSpec> = roles.iter().map(|r| GrantSpec::role(r)).collect();
    let proposed = invariants::resolve_grants(&book, &specs).unwrap();
    let current: Vec<_> = now_held.stored_grants().cloned().collect();
    let preset = book.preset();
    let change = GrantChange {
        target: facts.target(),
        target_archived: row.is_archived(),
        target_kind: row.kind(),
        current: &current,
        proposed: &proposed,
        other_permanent_tops: members::other_permanent_tops(
            &mut conn, org, target, preset.top, NOW,
        )
        .await
        .unwrap(),
        other_tops: members::other_tops(&mut conn, org, target, preset.top)
            .await
            .unwrap(),
        top_role: preset.top,
        base_role: preset.base,
    };
    invariants::change_grants(&by, Context::at(NOW), GrantVia::Assign, &change)
}

async fn roles_of(store: &Store, org: OrgId, member: MemberId) -> Vec<String> {
    let mut conn = store.read().await.unwrap();
    let mut roles: Vec<String> = members::grants(&mut conn, org, member)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.spec.role)
        .collect();
    roles.sort();
    roles
}

fn wrong_permit<T: std::fmt::Debug>(backend: &str, r: outlay_store::Result<T>) {
    assert!(
        matches!(r, Err(StoreError::WrongPermit { .. })),
        "{backend}: {r:?}"
    );
}

#[tokio::test]
async fn a_grant_permit_writes_its_grant_set_for_its_member_and_nothing_else() {
    for b in common::backends("permits_grants").await {
        let (backend, store) = (b.label, &b.store);
        let acme = company(store, "acme").await;
        let admin = seat(store, acme.org, "adam", "admin", None).await;
        let carol = seat(store, acme.org, "carol", "viewer", None).await;

        // An admin's decision to make carol an employee carries exactly that grant set;
        // asking the core for `owner` instead gives no permit at all.
        let employee = grant_permit(store, acme.org, admin, carol, &["employee"])
            .await
            .unwrap();
        assert_eq!(employee.payload().member(), carol);
        let after: Vec<&str> = employee
            .payload()
            .after()
            .iter()
            .map(|s| s.role.as_str())
            .collect();
        assert_eq!(after, ["employee"], "{backend}");
        let owner = grant_permit(store, acme.org, admin, carol, &["owner"]).await;
        assert!(
            matches!(owner, Err(Reason::OwnerOnly { .. })),
            "{backend}: {owner:?}"
        );

        // Carol's permit does not open another member's grants.
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        wrong_permit(
            backend,
            members::replace_grants(&mut w, acme.org, acme.employee, employee).await,
        );
        drop(w);
        assert_eq!(roles_of(store, acme.org, acme.employee).await, ["employee"]);

        // A permit that takes a grant away is not one to add grants with.
        let swap = grant_permit(store, acme.org, admin, carol, &["employee"])
            .await
            .unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        wrong_permit(
            backend,
            members::add_grant(&mut w, acme.org, carol, swap).await,
        );
        drop(w);

        // Decided over grants carol no longer holds as they were: stale, nothing written.
        let stale = grant_permit(store, acme.org, admin, carol, &["employee"])
            .await
            .unwrap();
        let mut w = store.write(NOW).await.unwrap();
        seed::grant(&mut w, acme.org, carol, &GrantSpec::role("auditor"))
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused = members::replace_grants(&mut w, acme.org, carol, stale).await;
        assert!(
            matches!(refused, Err(StoreError::Stale)),
            "{backend}: {refused:?}"
        );
        drop(w);
        assert_eq!(
            roles_of(store, acme.org, carol).await,
            ["auditor", "viewer"]
        );

        // The right use writes the permit's grants: employee, and never owner.
        let employee = grant_permit(store, acme.org, admin, carol, &["employee"])
            .await
            .unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        members::replace_grants(&mut w, acme.org, carol, employee)
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(roles_of(store, acme.org, carol).await, ["employee"]);
        b.finish().await;
    }
}

#[tokio::test]
async fn a_manager_permit_names_one_member_and_never_closes_a_loop() {
    for b in common::backends("permits_manager").await {
        let (backend, store) = (b.label, &b.store);
        let acme = company(store, "acme").await;
        let mark = seat(store, acme.org, "mark", "manager", None).await;
        let alice = seat(store, acme.org, "alice", "employee", Some(mark)).await;
        let nora = seat(store, acme.org, "nora", "manager", None).await;
        let owner = principal(store, acme.org, acme.owner).await;
        let decide = async |member: MemberId, manager: MemberId| {
            let mut conn = store.read().await.unwrap();
            let facts = outlay_store::scope::target(&mut conn, acme.org, acme.owner, member)
                .await
                .unwrap();
            let line = members::manager_move(&mut conn, acme.org, member, Some(manager))
                .await
                .unwrap();
            invariants::set_manager(&owner, Context::at(NOW), facts.target(), &line)
        };

        // Mark under alice, who reports to him, or under himself: the core refuses, so no
        // permit exists to write it.
        assert_eq!(
            decide(mark, alice).await.unwrap_err(),
            Reason::ReportingCycle
        );
        assert_eq!(
            decide(mark, mark).await.unwrap_err(),
            Reason::ReportingCycle
        );

        // A permit to put alice under nora does not move anyone else.
        let alice_to_nora = decide(alice, nora).await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        wrong_permit(
            backend,
            members::set_manager(&mut w, acme.org, acme.employee, alice_to_nora).await,
        );
        drop(w);

        // Decided before nora was moved under mark... and then mark under nora would loop:
        // the store loads the line again and refuses the stale permit.
        let mark_to_nora = decide(mark, nora).await.unwrap();
        let mut w = store.write(NOW).await.unwrap();
        seed::move_under(&mut w, acme.org, nora, Some(alice))
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused = members::set_manager(&mut w, acme.org, mark, mark_to_nora).await;
        assert!(
            matches!(refused, Err(StoreError::Stale)),
            "{backend}: {refused:?}"
        );
        drop(w);
        let mut conn = store.read().await.unwrap();
        let row = members::get(&mut conn, acme.org, mark)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.manager_id, None, "{backend}");
        drop(conn);

        // The right use moves the one member the permit names, under its manager.
        let alice_to_owner = decide(alice, acme.owner).await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        members::set_manager(&mut w, acme.org, alice, alice_to_owner)
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        let mut conn = store.read().await.unwrap();
        let row = members::get(&mut conn, acme.org, alice)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.manager_id, Some(acme.owner.0), "{backend}");
        drop(conn);
        b.finish().await;
    }
}

#[tokio::test]
async fn a_role_permit_defines_that_role_only() {
    for b in common::backends("permits_roles").await {
        let (backend, store) = (b.label, &b.store);
        let acme = company(store, "acme").await;
        let owner = principal(store, acme.org, acme.owner).await;
        let mut conn = store.read().await.unwrap();
        let book = outlay_store::roles::book(&mut conn, acme.org)
            .await
            .unwrap();
        drop(conn);
        let define = |key: &str| {
            let input = CustomRoleInput::parse(
                &book,
                key,
                key,
                None,
                &["expense.view.all".to_string()],
                true,
                &[],
            )
            .unwrap();
            invariants::define_role(&owner, Context::at(NOW), &book, &input).unwrap()
        };

        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        wrong_permit(
            backend,
            outlay_store::roles::create(&mut w, acme.org, "role_b", define("role_a")).await,
        );
        drop(w);

        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        outlay_store::roles::create(&mut w, acme.org, "role_a", define("role_a"))
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        let mut conn = store.read().await.unwrap();
        let keys: Vec<String> = outlay_store::roles::custom(&mut conn, acme.org)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.key.to_string())
            .collect();
        assert_eq!(keys, ["role_a"], "{backend}");
        drop(conn);
        b.finish().await;
    }
}

#[tokio::test]
async fn an_approve_permit_moves_one_expense_one_step() {
    for b in common::backends("permits_transitions").await {
        let (backend, store) = (b.label, &b.store);
        let acme = company(store, "acme").await;
        // A second submitted expense of the employee.
        let mut w = store.write(NOW).await.unwrap();
        let input = ExpenseInput {
            money: Money::new(800, "EUR").unwrap(),
            merchant: "Train".into(),
            spent_on: "2026-11-03".into(),
            category: "travel".into(),
            note: None,
            trip_id: None,
        };
        let other = seed::expense(
            &mut w,
            acme.org,
            acme.employee,
            &input,
            ExpenseStatus::Submitted,
            None,
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let owner = principal(store, acme.org, acme.owner).await;
        // The owner's decision on the expense as the store holds it now.
        let permit = async |id: i64, step: ExpenseAction| -> Result<Permit<Transition>, Reason> {
            let mut conn = store.read().await.unwrap();
            let row = outlay_store::expenses::get(&mut conn, acme.org, acme.owner, id)
                .await
                .unwrap()
                .unwrap();
            let owner_facts = row.owner();
            let facts = row.facts(&owner_facts, "EUR");
            let (permit, _) = authorize::permit(&Request {
                principal: &owner,
                action: step.permission(),
                resource: facts.resource(),
                context: Context::at(NOW),
            })?;
            permit.into_transition(step)
        };
        let approve = || permit(acme.submitted, ExpenseAction::Approve);

        // The approve permit names expense 1, submitted -> approved.
        let p = approve().await.unwrap();
        assert_eq!(
            (p.payload().row(), p.payload().from()),
            (acme.submitted, ExpenseStatus::Submitted)
        );

        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        // It does not move expense 2 ...
        wrong_permit(
            backend,
            outlay_store::expenses::decide(&mut w, acme.org, other, None, approve().await.unwrap())
                .await,
        );
        // ... nor expense 1 along another step: to rejected, to submitted again, out of the
        // table by an override, or away altogether.
        wrong_permit(
            backend,
            outlay_store::expenses::decide(
                &mut w,
                acme.org,
                acme.submitted,
                Some("no"),
                approve().await.unwrap(),
            )
            .await,
        );
        wrong_permit(
            backend,
            outlay_store::expenses::submit(
                &mut w,
                acme.org,
                acme.submitted,
                approve().await.unwrap(),
            )
            .await,
        );
        wrong_permit(
            backend,
            outlay_store::expenses::override_decision(
                &mut w,
                acme.org,
                acme.submitted,
                false,
                "no",
                approve().await.unwrap(),
            )
            .await,
        );
        wrong_permit(
            backend,
            outlay_store::expenses::delete(
                &mut w,
                acme.org,
                acme.submitted,
                approve().await.unwrap(),
            )
            .await,
        );
        drop(w);
        for id in [acme.submitted, other] {
            assert_eq!(status(store, acme.org, acme.owner, id).await, "submitted");
        }
        // Nothing leads back to draft: the table has no such step for a submitted expense.
        let back = permit(acme.submitted, ExpenseAction::Edit).await;
        assert!(
            matches!(back, Err(Reason::WrongStatus { .. })),
            "{backend}: {back:?}"
        );

        // Decided while submitted, written after someone else rejected it: the write is
        // conditional on the status the decision saw.
        let decided_before = approve().await.unwrap();
        let reject = permit(acme.submitted, ExpenseAction::Reject).await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        outlay_store::expenses::decide(&mut w, acme.org, acme.submitted, Some("no"), reject)
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused =
            outlay_store::expenses::decide(&mut w, acme.org, acme.submitted, None, decided_before)
                .await;
        assert!(
            matches!(refused, Err(StoreError::Stale)),
            "{backend}: {refused:?}"
        );
        drop(w);
        assert_eq!(
            status(store, acme.org, acme.owner, acme.submitted).await,
            "rejected"
        );

        // The right use approves expense 2 and nothing else.
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let p = permit(other, ExpenseAction::Approve).await.unwrap();
        outlay_store::expenses::decide(&mut w, acme.org, other, None, p)
            .await
            .unwrap();
        w.audit(audit_entry(acme.org)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(status(store, acme.org, acme.owner, other).await, "approved");
        b.finish().await;
    }
}
