//! Two servers on one database behave as one: what one changes the other sees at once, and
//! concurrent changes through both leave only states the invariants allow, with an intact
//! audit chain. (Runs on the SQLite file and, in CI, on PostgreSQL.)

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn intact(session: &Session, org: i64) {
    let (status, verified) = session
        .get(&format!("/api/v1/orgs/{org}/audit/verify"))
        .await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["intact"], true, "{verified}");
}

fn active_owner_grants(member: &Value) -> usize {
    member["grants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["role"] == "owner" && g["active"] == true && g["valid_until"].is_null())
        .count()
}

#[tokio::test]
async fn a_grant_change_on_one_server_is_seen_at_once_on_the_other() {
    let server = TestServer::start().await;
    let twin = server.twin().await;
    let org = server.acme();
    let olivia = server.login("olivia").await;
    let bob_on_a = server.login("bob").await;
    let bob_on_b = bob_on_a.at(&twin.base);
    let expenses = format!("/api/v1/orgs/{org}/expenses?status=submitted");

    // Both servers give bob the same answer: his own expenses only.
    let (_, a) = bob_on_a.get(&expenses).await;
    let (_, b) = bob_on_b.get(&expenses).await;
    assert_eq!(a, b);
    assert_eq!(a["items"].as_array().unwrap().len(), 1, "{a}");

    // olivia makes bob finance through server A; server B answers with finance's reach at once.
    let bob = server.member("bob");
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{bob}/grants"),
            json!({"grants": [{"role": "employee"}, {"role": "finance"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, b) = bob_on_b.get(&expenses).await;
    assert!(b["items"].as_array().unwrap().len() > 1, "{b}");
    let (_, a) = bob_on_a.get(&expenses).await;
    assert_eq!(a, b);

    // A logout on server B ends the session on server A too.
    let (status, _) = bob_on_b.post("/api/v1/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = bob_on_a.get(&expenses).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn owners_demoting_each_other_through_two_servers_never_leave_the_company_ownerless() {
    let server = TestServer::start().await;
    let twin = server.twin().await;
    let org = server.acme();
    let (olivia_id, adam_id) = (server.member("olivia"), server.member("adam"));
    let olivia = server.login("olivia").await;
    let adam = server.login("adam").await.at(&twin.base);
    let grants = |id: i64| format!("/api/v1/orgs/{org}/members/{id}/grants");
    let member = |id: i64| format!("/api/v1/orgs/{org}/members/{id}");

    for round in 0..20 {
        // Whoever holds the owner role makes the other an owner again.
        let (_, o) = olivia.get(&member(olivia_id)).await;
        let (granter, other) = if active_owner_grants(&o) == 1 {
            (&olivia, adam_id)
        } else {
            (&adam, olivia_id)
        };
        let (status, body) = granter
            .put(&grants(other), json!({"grants": [{"role": "owner"}]}))
            .await;
        assert_eq!(status, StatusCode::OK, "round {round}: {body}");

        // Now each, on a different server, demotes the other at the same moment.
        let demote = json!({"grants": [{"role": "admin"}]});
        let (to_adam, to_olivia) = (grants(adam_id), grants(olivia_id));
        let (a, b) = tokio::join!(
            olivia.put(&to_adam, demote.clone()),
            adam.put(&to_olivia, demote.clone()),
        );
        let wins = [&a, &b].iter().filter(|r| r.0 == StatusCode::OK).count();
        assert_eq!(
            wins, 1,
            "round {round}: exactly one demotion lands: {a:?} {b:?}"
        );
        for (status, body) in [&a, &b] {
            if *status != StatusCode::OK {
                assert!(
                    ["owner_only", "last_owner"].contains(&code(body)),
                    "round {round}: {body}"
                );
            }
        }
        let (_, o) = olivia.get(&member(olivia_id)).await;
        let (_, d) = olivia.get(&member(adam_id)).await;
        assert_eq!(
            active_owner_grants(&o) + active_owner_grants(&d),
            1,
            "round {round}: one owner remains"
        );
        intact(&olivia, org).await;
    }

    // Last, each tries to archive the other at once: the company keeps an owner.
    let (_, o) = olivia.get(&member(olivia_id)).await;
    let (owner, other, other_id) = if active_owner_grants(&o) == 1 {
        (&olivia, &adam, adam_id)
    } else {
        (&adam, &olivia, olivia_id)
    };
    let owner_id = if other_id == adam_id {
        olivia_id
    } else {
        adam_id
    };
    let (status, body) = owner
        .put(&grants(other_id), json!({"grants": [{"role": "owner"}]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (first, second) = (
        format!("{}/archive", member(other_id)),
        format!("{}/archive", member(owner_id)),
    );
    let (a, b) = tokio::join!(
        owner.post(&first, json!({})),
        other.post(&second, json!({})),
    );
    let wins = [&a, &b].iter().filter(|r| r.0 == StatusCode::OK).count();
    assert_eq!(wins, 1, "exactly one archive lands: {a:?} {b:?}");
    let survivor = if a.0 == StatusCode::OK { owner } else { other };
    intact(survivor, org).await;
}

#[tokio::test]
async fn two_approvers_on_two_servers_decide_an_expense_once() {
    let server = TestServer::start().await;
    let twin = server.twin().await;
    let org = server.acme();
    let mark = server.login("mark").await;
    let fiona = server.login("fiona").await.at(&twin.base);
    let (_, page) = mark
        .get(&format!(
            "/api/v1/orgs/{org}/expenses?status=submitted&owner={}",
            server.member("alice")
        ))
        .await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/orgs/{org}/expenses/{id}");
    let (approve, reject) = (format!("{path}/approve"), format!("{path}/reject"));
    let (a, b) = tokio::join!(
        mark.post(&approve, json!({})),
        fiona.post(&reject, json!({"reason": "no receipt"})),
    );
    let wins = [&a, &b].iter().filter(|r| r.0 == StatusCode::OK).count();
    assert_eq!(wins, 1, "{a:?} {b:?}");
    let loser = if a.0 == StatusCode::OK { &b } else { &a };
    assert_eq!(loser.0, StatusCode::CONFLICT, "{loser:?}");
    let (_, expense) = mark.get(&path).await;
    let decided = if a.0 == StatusCode::OK {
        "approved"
    } else {
        "rejected"
    };
    assert_eq!(expense["status"], decided, "{expense}");
    intact(&server.login("audrey").await, org).await;
}
