//! A page of expenses costs the same number of statements whatever its size, with
//! delegations in force; so does a page of role requests. Nia (a manager who also views everything) lists Eve's expenses while
//! Max, Eve's manager, has delegated his approvals to her and Eve her submissions: every row's
//! delegated actions are decided on the row as Max and as Eve see it, and a page of 500 is
//! read in as many statements as a page of 10. The statements are counted where the store
//! sends them (`Store::statements`), on SQLite and, when `OUTLAY_TEST_DATABASE_URL` names a
//! server, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// The company is seeded without permits (seeding is for tests too) and the PostgreSQL test
// database made with plain SQL; what is measured goes through `App::ask` like any request.
#![allow(clippy::disallowed_methods)]

// The store's own test backends: a migrated store on SQLite, and on PostgreSQL when set.
#[path = "../../outlay-store/tests/common/mod.rs"]
mod common;

use outlay_app::clock::Clock;
use outlay_app::ops::expenses::ExpenseView;
use outlay_app::ops::owned::{Get, List};
use outlay_app::ops::{delegations, Page, Paging};
use outlay_app::{App, AppLimits, Session, Unobserved};
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::money::Money;
use outlay_core::{DelegationKind, GrantSpec, MemberId, MemberKind, OrgId, Timestamp};
use outlay_store::expenses::ListFilter;
use outlay_store::members::{MemberStatus, NewMember};
use outlay_store::{seed, Store};
use std::sync::Arc;

const NOW: Timestamp = Timestamp(1_800_000_000);

/// Statements a list page may cost once the actor is loaded: the company's access version
/// (the cached actor is checked against it) and the page itself.
const PAGE_STATEMENTS: u64 = 2;

/// The company: Ola owns it; Max manages Eve; Nia manages nobody here but views everything.
struct Company {
    org: OrgId,
    ola: i64,
    max: i64,
    nia: i64,
    eve: i64,
}

/// A member with a person of their own and the grants of `roles`; returns (person, member).
async fn member(
    w: &mut outlay_store::Write,
    org: OrgId,
    key: &str,
    manager: Option<MemberId>,
    roles: &[&str],
) -> (i64, MemberId) {
    let person =
        outlay_store::auth::create_person(w, &format!("{key}@lines.example"), key, None, NOW)
            .await
            .unwrap();
    let m = seed::member(
        w,
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
    for role in roles {
        seed::grant(w, org, m, &GrantSpec::role(role))
            .await
            .unwrap();
    }
    (person, m)
}

/// The company with `n` expenses of Eve's, every other one submitted, the rest drafts.
async fn company(store: &Store, n: usize) -> Company {
    let mut w = store.write(NOW).await.unwrap();
    let org = seed::company(&mut w, "Lines", "outlay", "EUR")
        .await
        .unwrap();
    let (ola_person, ola) = member(&mut w, org, "ola", None, &["owner"]).await;
    let (max, max_id) = member(&mut w, org, "max", Some(ola), &["manager"]).await;
    let (nia, _) = member(&mut w, org, "nia", Some(ola), &["manager", "viewer"]).await;
    let (eve, eve_id) = member(&mut w, org, "eve", Some(max_id), &["employee"]).await;
    for i in 0..n {
        let input = ExpenseInput {
            money: Money {
                amount_minor: 1_000 + i as i64,
                currency: "EUR".into(),
            },
            merchant: format!("Merchant {i}"),
            spent_on: "2026-11-01".into(),
            category: "travel".into(),
            note: None,
            trip_id: None,
        };
        let status = if i % 2 == 0 {
            ExpenseStatus::Submitted
        } else {
            ExpenseStatus::Draft
        };
        seed::expense(&mut w, org, eve_id, &input, status, None)
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
    Company {
        org,
        ola: ola_person,
        max,
        nia,
        eve,
    }
}

async fn session(store: &Store, person: i64) -> Session {
    let mut conn = store.read().await.unwrap();
    let person = outlay_store::auth::person(&mut conn, person)
        .await
        .unwrap()
        .unwrap();
    Session::new(person, String::new(), NOW, None, None)
}

/// `person` lets Nia act for them, of `kind`, for a day.
async fn delegate(app: &App, c: &Company, person: i64, nia: MemberId, kind: DelegationKind) {
    let by = session(&app.store, person).await;
    let create = delegations::Create {
        delegator: None,
        delegate: nia,
        kind,
        from: None,
        until: Timestamp(NOW.0 + 86_400),
    };
    let d = app.perform(&by, c.org.0, create).await.unwrap();
    assert!(d.active);
}

/// The first page of `limit` of Nia's list, and the statements it cost.
async fn page(app: &App, nia: &Session, org: OrgId, limit: i64) -> (Page<ExpenseView>, u64) {
    let list = List {
        filter: ListFilter::default(),
        paging: Paging {
            limit,
            cursor: None,
        },
    };
    let before = app.store.statements();
    let page = app.ask(nia, org.0, list).await.unwrap();
    (page, app.store.statements() - before)
}

fn allows(v: &ExpenseView, action: &str) -> bool {
    v.allowed_actions.contains(&action)
}

#[tokio::test]
async fn a_page_of_500_costs_the_statements_of_a_page_of_10_with_delegations_in_force() {
    for b in common::backends("list_statements").await {
        let label = b.label;
        let c = company(&b.store, 520).await;
        let clock: Clock = Arc::new(|| NOW);
        let app = App::new(
            b.store.clone(),
            clock,
            AppLimits::default(),
            Arc::new(Unobserved),
        );
        let nia = session(&b.store, c.nia).await;
        let nia_id = {
            let mut conn = b.store.read().await.unwrap();
            outlay_store::members::by_person(&mut conn, c.org, c.nia)
                .await
                .unwrap()
                .unwrap()
                .member_id()
        };
        delegate(&app, &c, c.max, nia_id, DelegationKind::Approve).await;
        delegate(&app, &c, c.eve, nia_id, DelegationKind::Submit).await;

        // The first read loads Nia with her delegations; from then on she comes from the cache.
        page(&app, &nia, c.org, 1).await;
        let (ten, small) = page(&app, &nia, c.org, 10).await;
        let (five_hundred, large) = page(&app, &nia, c.org, 500).await;
        assert_eq!(ten.items.len(), 10, "{label}");
        assert_eq!(five_hundred.items.len(), 500, "{label}");
        println!("{label}: a page of 10 cost {small} statements, a page of 500 {large}");
        assert_eq!(
            small, large,
            "{label}: a page of 500 costs {large} statements, a page of 10 {small}"
        );
        assert!(
            large <= PAGE_STATEMENTS,
            "{label}: a page costs {large} statements, at most {PAGE_STATEMENTS} expected"
        );

        // The delegations do show on every row: Max's approvals on Eve's submitted expenses,
        // Eve's submissions on her drafts; Nia's own rights give neither.
        for v in &five_hundred.items {
            let submitted = v.row.status() == ExpenseStatus::Submitted;
            assert_eq!(allows(v, "approve"), submitted, "{label}: {}", v.row.id);
            assert_eq!(allows(v, "submit"), !submitted, "{label}: {}", v.row.id);
        }

        // One expense too: read once, for Nia and her delegators together.
        let submitted = five_hundred
            .items
            .iter()
            .find(|v| v.row.status() == ExpenseStatus::Submitted)
            .unwrap();
        let id = submitted.row.id;
        let before = app.store.statements();
        let one = app.ask(&nia, c.org.0, Get::new(id)).await.unwrap();
        let cost = app.store.statements() - before;
        assert!(allows(&one, "approve"), "{label}");
        assert!(
            cost <= PAGE_STATEMENTS,
            "{label}: one expense costs {cost} statements"
        );
        b.finish().await;
    }
}

/// The first page of `limit` of `who`'s role requests, and the statements it cost.
async fn requests(
    app: &App,
    who: &Session,
    org: OrgId,
    limit: i64,
) -> (Page<outlay_app::ops::role_requests::RequestView>, u64) {
    let list = outlay_app::ops::role_requests::List {
        status: None,
        paging: Paging {
            limit,
            cursor: None,
        },
    };
    let before = app.store.statements();
    let page = app.ask(who, org.0, list).await.unwrap();
    (page, app.store.statements() - before)
}

#[tokio::test]
async fn a_page_of_role_requests_costs_the_same_statements_whatever_its_size() {
    for b in common::backends("list_statements_requests").await {
        let label = b.label;
        let c = company(&b.store, 0).await;
        let mut w = b.store.write(NOW).await.unwrap();
        let eve = outlay_store::members::by_person(&mut w, c.org, c.eve)
            .await
            .unwrap()
            .unwrap()
            .member_id();
        for i in 0..150 {
            let reason = format!("cover for a colleague, week {i}");
            let ask = outlay_store::role_requests::NewRoleRequest {
                role: "manager",
                team: None,
                reason: &reason,
                valid_from: None,
                valid_until: None,
            };
            seed::role_request(&mut w, c.org, eve, &ask).await.unwrap();
        }
        w.commit().await.unwrap();
        let clock: Clock = Arc::new(|| NOW);
        let app = App::new(
            b.store.clone(),
            clock,
            AppLimits::default(),
            Arc::new(Unobserved),
        );
        // Ola owns the company: she sees Eve's requests and may decide them; Eve sees her own.
        let ola = session(&b.store, c.ola).await;
        requests(&app, &ola, c.org, 1).await;
        let (ten, small) = requests(&app, &ola, c.org, 10).await;
        let (hundred, large) = requests(&app, &ola, c.org, 100).await;
        assert_eq!(ten.items.len(), 10, "{label}");
        assert_eq!(hundred.items.len(), 100, "{label}");
        assert!(hundred.items.iter().all(|v| v.may_decide), "{label}");
        println!("{label}: role requests, a page of 10 cost {small} statements, of 100 {large}");
        assert_eq!(small, large, "{label}: 10 cost {small}, 100 cost {large}");
        assert!(large <= PAGE_STATEMENTS, "{label}: a page costs {large}");
        let eve_s = session(&b.store, c.eve).await;
        let (own, _) = requests(&app, &eve_s, c.org, 100).await;
        assert_eq!(own.items.len(), 100, "{label}");
        assert!(own.items.iter().all(|v| !v.may_decide), "{label}");
        // Max manages Eve but may not give her the manager role: none of hers are his to see.
        let max = session(&b.store, c.max).await;
        let (none, _) = requests(&app, &max, c.org, 100).await;
        assert!(none.items.is_empty(), "{label}: {}", none.items.len());
        b.finish().await;
    }
}
