//! Servers cache who a member is under the company's access version. Which writes bump it is
//! decided by the typed action a permit carries (`Action::changes_access`, from the catalog's
//! `Resource`), not by the shape of its key: a change of spending data leaves the version as
//! it is, so cached actors stay; a change of who may do what bumps it, so every server
//! reloads. On SQLite, and on PostgreSQL when `OUTLAY_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use outlay_core::authorize::{self, Context, Request, ResourceRef};
use outlay_core::expense::ExpenseInput;
use outlay_core::invariants::{self, CustomRoleInput};
use outlay_core::money::Money;
use outlay_core::{Action, GrantSpec, Line, MemberKind, OrgId, Target};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::members::{self, MemberStatus, NewMember};
use outlay_store::{seed, Store};

const NOW: outlay_core::Timestamp = outlay_core::Timestamp(1_800_000_000);

async fn version(store: &Store, org: OrgId) -> i64 {
    let mut conn = store.read().await.unwrap();
    outlay_store::orgs::access_version(&mut conn, org)
        .await
        .unwrap()
        .unwrap()
}

fn entry(org: OrgId) -> NewEvent<'static> {
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

#[tokio::test]
async fn spending_leaves_the_access_version_and_a_new_role_bumps_it() {
    for b in common::backends("access_version").await {
        let (backend, store) = (b.label, &b.store);
        let mut w = store.write(NOW).await.unwrap();
        let org = seed::company(&mut w, "acme", "outlay", "EUR")
            .await
            .unwrap();
        let person =
            outlay_store::auth::create_person(&mut w, "olivia@acme.example", "Olivia", None, NOW)
                .await
                .unwrap();
        let owner = seed::member(
            &mut w,
            org,
            &NewMember {
                person,
                name: "Olivia",
                status: MemberStatus::Active,
                manager: None,
                kind: MemberKind::Internal,
            },
        )
        .await
        .unwrap();
        seed::grant(&mut w, org, owner, &GrantSpec::role("owner"))
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut conn = store.read().await.unwrap();
        let row = members::get(&mut conn, org, owner).await.unwrap().unwrap();
        let principal = members::principal(&mut conn, org, &row).await.unwrap();
        let book = outlay_store::roles::book(&mut conn, org).await.unwrap();
        drop(conn);
        let start = version(store, org).await;

        // An expense: data only.
        let (permit, _) = authorize::permit(&Request {
            principal: &principal,
            action: Action::ExpenseCreate,
            resource: ResourceRef::of_member(Target {
                member: owner,
                line: Line::Own,
                teams: &[],
            }),
            context: Context::at(NOW),
        })
        .unwrap();
        let input = ExpenseInput {
            money: Money::new(1200, "EUR").unwrap(),
            merchant: "Cafe".into(),
            spent_on: "2026-11-01".into(),
            category: "meals".into(),
            note: None,
            trip_id: None,
        };
        let mut w = store.write_for(org, NOW).await.unwrap();
        outlay_store::expenses::create(&mut w, org, &input, None, permit)
            .await
            .unwrap();
        w.audit(entry(org)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(
            version(store, org).await,
            start,
            "{backend}: an expense bumped it"
        );

        // A custom role: who may do what.
        let role = CustomRoleInput::parse(
            &book,
            "travel_desk",
            "Travel desk",
            None,
            &["expense.view.all".to_string()],
            true,
            &[],
        )
        .unwrap();
        let permit = invariants::define_role(&principal, Context::at(NOW), &book, &role).unwrap();
        let mut w = store.write_for(org, NOW).await.unwrap();
        outlay_store::roles::create(&mut w, org, "travel_desk", permit)
            .await
            .unwrap();
        w.audit(entry(org)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(
            version(store, org).await,
            start + 1,
            "{backend}: a new role left it"
        );
        b.finish().await;
    }
}
