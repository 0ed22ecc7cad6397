//! The approval inbox, as Acme's managers work it: Mark sees what awaits him (Alice's report,
//! his team's submitted expenses), oldest first, each with the grant that makes it his, and
//! never his own; he decides them in one request, each item on its own; while he is away,
//! Nora, to whom he delegated his approvals, finds his team's items in her inbox.

use crate::harness::{code, Session, TestServer};
use outlay::clock::rfc3339;
use outlay_core::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn inbox(s: &Session, org: i64) -> Value {
    let (status, body) = s.get(&format!("/api/v1/orgs/{org}/approvals")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The (owner, id) of each item of `kind` (`reports` or `expenses`) in an inbox.
fn items(inbox: &Value, kind: &str) -> Vec<(i64, i64)> {
    let key = &kind[..kind.len() - 1];
    inbox[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i[key]["owner_id"].as_i64().unwrap(),
                i[key]["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Alice's submitted report holding one new draft of hers.
async fn alices_report(alice: &Session, org: i64) -> i64 {
    let body = json!({"amount_minor": 6_400, "currency": "EUR", "merchant": "Taxi",
                      "spent_on": "2026-11-21", "category": "travel"});
    let (_, e) = alice
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    let (status, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Client visit"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let path = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    let (status, body) = alice.patch(&path, json!({"add": [e["id"]]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = alice.post(&format!("{path}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    r["id"].as_i64().unwrap()
}

#[tokio::test]
async fn mark_sees_what_awaits_him_and_decides_it_in_one_request_item_by_item() {
    let server = TestServer::start().await;
    let org = server.acme();
    let [mark_id, alice_id, bob_id] = ["mark", "alice", "bob"].map(|p| server.member(p));
    let alice = server.login("alice").await;
    let report = alices_report(&alice, org).await;

    let mark = server.login("mark").await;
    let waiting = inbox(&mark, org).await;
    assert_eq!(
        items(&waiting, "reports"),
        vec![(alice_id, report)],
        "{waiting}"
    );
    let why = waiting["reports"][0]["why"].as_str().unwrap();
    assert!(why.contains("report.approve"), "{why}");
    assert!(waiting["reports"][0]["on_behalf_of"].is_null());
    // His team's submitted expenses, oldest first; his own is not his to approve.
    let expenses = items(&waiting, "expenses");
    let owners: Vec<i64> = expenses.iter().map(|e| e.0).collect();
    assert!(
        owners.contains(&alice_id) && owners.contains(&bob_id),
        "{waiting}"
    );
    assert!(!owners.contains(&mark_id), "{waiting}");
    assert!(expenses.windows(2).all(|w| w[0].1 < w[1].1), "{expenses:?}");
    // Alice awaits nothing of hers.
    let hers = inbox(&alice, org).await;
    assert!(items(&hers, "reports").is_empty() && items(&hers, "expenses").is_empty());

    let alices = expenses.iter().find(|e| e.0 == alice_id).unwrap().1;
    let bobs = expenses.iter().find(|e| e.0 == bob_id).unwrap().1;
    let (status, own) = mark
        .get(&format!(
            "/api/v1/orgs/{org}/expenses?owner={mark_id}&status=submitted"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let own = own["items"][0]["id"].as_i64().unwrap();
    let batch = json!({"items": [
        {"kind": "report", "id": report, "decision": "approve"},
        {"kind": "expense", "id": alices, "decision": "approve"},
        {"kind": "expense", "id": bobs, "decision": "reject"},
        {"kind": "expense", "id": bobs, "decision": "reject", "note": "no receipt"},
        {"kind": "expense", "id": own, "decision": "approve"},
        {"kind": "expense", "id": 987_654_321, "decision": "approve"},
    ]});
    let (status, out) = mark
        .post(&format!("/api/v1/orgs/{org}/approvals"), batch)
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        (out["done"].as_i64(), out["refused"].as_i64()),
        (Some(3), Some(3)),
        "{out}"
    );
    let r = &out["results"];
    assert_eq!(r[0]["status"], "approved");
    assert_eq!(r[1]["status"], "approved");
    assert_eq!(r[2]["error"]["code"], "invalid_input");
    assert_eq!(r[3]["status"], "rejected");
    assert_eq!(r[4]["error"]["code"], "four_eyes");
    assert_eq!(r[5]["error"]["code"], "not_found");
    // Each decision is in the trail on its own, with Mark as the actor.
    let olivia = server.login("olivia").await;
    let (status, trail) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit?limit=50"))
        .await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let decided = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor_member_id"] == mark_id && e["outcome"] == "allowed")
        .filter(|e| {
            ["report.approve", "expense.approve", "expense.reject"]
                .contains(&e["action"].as_str().unwrap())
        })
        .count();
    assert_eq!(decided, 3, "{trail}");

    let after = inbox(&mark, org).await;
    assert!(items(&after, "reports").is_empty(), "{after}");
    let left = items(&after, "expenses");
    assert!(
        !left.iter().any(|e| e.1 == alices || e.1 == bobs),
        "{after}"
    );

    // An item no request may hold refuses the whole batch, naming it; so do empty and
    // oversized batches.
    let bad = json!({"items": [
        {"kind": "expense", "id": 1, "decision": "approve"},
        {"kind": "invoice", "id": 1, "decision": "approve"},
    ]});
    let (status, body) = mark
        .post(&format!("/api/v1/orgs/{org}/approvals"), bad)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "items[1].kind", "{body}");
    let (status, body) = mark
        .post(
            &format!("/api/v1/orgs/{org}/approvals"),
            json!({"items": []}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_input")
    );
    let many: Vec<Value> = (1..=101)
        .map(|i| json!({"kind": "expense", "id": i, "decision": "approve"}))
        .collect();
    let (status, _) = mark
        .post(
            &format!("/api/v1/orgs/{org}/approvals"),
            json!({"items": many}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn nora_finds_marks_team_in_her_inbox_while_his_delegation_runs() {
    let server = TestServer::start().await;
    let org = server.acme();
    let [mark_id, nora_id] = ["mark", "nora"].map(|p| server.member(p));
    let alice = server.login("alice").await;
    let report = alices_report(&alice, org).await;
    let nora = server.login("nora").await;
    assert!(items(&inbox(&nora, org).await, "reports").is_empty());

    let mark = server.login("mark").await;
    let now = outlay::clock::system()().0;
    let until = rfc3339(Timestamp(now + 3_600));
    let (status, d) = mark
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": nora_id, "until": until, "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let waiting = inbox(&nora, org).await;
    let reports = &waiting["reports"];
    assert_eq!(
        items(&waiting, "reports")
            .iter()
            .map(|r| r.1)
            .collect::<Vec<_>>(),
        vec![report]
    );
    assert_eq!(reports[0]["on_behalf_of"], mark_id, "{waiting}");
    assert!(
        reports[0]["report"]["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "approve"),
        "{waiting}"
    );
    let (status, body) = nora
        .post(
            &format!("/api/v1/orgs/{org}/approvals"),
            json!({"items": [{"kind": "report", "id": report, "decision": "approve"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "approved", "{body}");
}
