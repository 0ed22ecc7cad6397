//! A permit opens exactly the write it was decided for: its company, its action, its
//! subject. Offered anywhere else it is refused before any SQL runs, and a permitted change
//! never commits without its audit entry. On SQLite, and on PostgreSQL when
//! `OUTLAY_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_core::authorize::{self, Context, Request, ResourceRef};
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::money::Money;
use outlay_core::{Action, GrantSpec, Line, MemberId, MemberKind, OrgId, Principal, Target};
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

        // The employee's permit to create their own expense does not approve one.
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused =
            outlay_store::expenses::decide(&mut w, acme.org, acme.submitted, None, create_own())
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

        // Nor does it open a write in another company, even with that company locked.
        let mut w = store.write_for(globex.org, NOW).await.unwrap();
        let input = ExpenseInput {
            money: Money::new(500, "EUR").unwrap(),
            merchant: "Taxi".into(),
            spent_on: "2026-11-02".into(),
            category: "travel".into(),
            note: None,
        };
        let refused =
            outlay_store::expenses::create(&mut w, globex.org, &input, create_own()).await;
        assert!(
            matches!(refused, Err(StoreError::WrongPermit { .. })),
            "{backend}: {refused:?}"
        );
        // A write of a company whose lock the transaction does not hold is refused too.
        let refused = outlay_store::expenses::create(&mut w, acme.org, &input, create_own()).await;
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
        };
        let submit_draft = authorize::permit(&Request {
            principal: &employee,
            action: Action::ExpenseSubmit,
            resource: facts(acme.draft).resource(),
            context: ctx,
        })
        .unwrap()
        .0;
        let mut w = store.write_for(acme.org, NOW).await.unwrap();
        let refused =
            outlay_store::expenses::submit(&mut w, acme.org, acme.submitted, submit_draft).await;
        assert!(
            matches!(refused, Err(StoreError::WrongPermit { .. })),
            "{backend}: {refused:?}"
        );
        drop(w);

        // The right permit works, but the change commits only with its audit entry.
        let submit_draft = || {
            authorize::permit(&Request {
                principal: &employee,
                action: Action::ExpenseSubmit,
                resource: facts(acme.draft).resource(),
                context: ctx,
            })
            .unwrap()
            .0
        };
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
