//! Approval policies, as Acme lives them. Acme follows Outlay's default until Adam writes its
//! own: up to 500.00 Mark (Alice's manager) approves alone; above, Mark then Fiona in
//! finance; above 5,000.00 also an admin or owner. Nobody takes two steps of one report, and
//! nobody a step of their own. Adam then writes rules of Acme's own: N of M approvers, travel
//! to a named approver; reports submitted before keep their route until he re-routes them.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A submitted report of the caller's own with one expense of `amount_minor` in `category`.
async fn submitted(s: &Session, org: i64, amount_minor: i64, category: &str) -> Value {
    let body = json!({"amount_minor": amount_minor, "currency": "EUR", "merchant": "Lufthansa",
                      "spent_on": "2026-11-20", "category": category});
    let (status, e) = s.post(&format!("/api/v1/orgs/{org}/expenses"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let (status, r) = s
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Trip"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let path = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    let (status, r) = s.patch(&path, json!({"add": [e["id"]]})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, r) = s.post(&format!("{path}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "submitted");
    r
}

async fn approve(s: &Session, org: i64, report: &Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/orgs/{org}/reports/{}/approve", report["id"]);
    s.post(&path, json!({})).await
}

async fn route(s: &Session, org: i64, report: &Value) -> Value {
    let path = format!("/api/v1/orgs/{org}/reports/{}/route", report["id"]);
    let (status, r) = s.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}

/// Approves and expects the report to go on (still submitted, now at `next`).
async fn approves_step(s: &Session, org: i64, report: &Value, next: i64) {
    let (status, r) = approve(s, org, report).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "submitted", "{r}");
    assert_eq!(r["current_step"], next, "{r}");
}

async fn approves_last(s: &Session, org: i64, report: &Value) {
    let (status, r) = approve(s, org, report).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "approved", "{r}");
}

fn refused(answer: (StatusCode, Value), why: &str) {
    let (status, body) = answer;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, why),
        "{body}"
    );
}

#[tokio::test]
async fn acme_follows_outlays_default_tiers_by_amount() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark, fiona, adam) = (
        server.login("alice").await,
        server.login("mark").await,
        server.login("fiona").await,
        server.login("adam").await,
    );
    let (status, policy) = adam
        .get(&format!("/api/v1/orgs/{org}/approval-policy"))
        .await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(
        (policy["version"].as_i64(), policy["source"].as_str()),
        (Some(0), Some("preset"))
    );

    // 300.00: Mark alone. Fiona, who approves everyone's reports, is not asked.
    let small = submitted(&alice, org, 30_000, "travel").await;
    assert_eq!(small["waiting_on"], "the submitter's manager");
    refused(approve(&fiona, org, &small).await, "not_your_step");
    approves_last(&mark, org, &small).await;
    let r = route(&alice, org, &small).await;
    assert_eq!(r["policy_version"], 0);
    let states: Vec<&str> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "skipped", "skipped"], "{r}");

    // 2,000.00: Mark, then finance. Fiona cannot take Mark's step, Mark not finance's.
    let mid = submitted(&alice, org, 200_000, "travel").await;
    refused(approve(&fiona, org, &mid).await, "not_your_step");
    approves_step(&mark, org, &mid, 1).await;
    refused(approve(&mark, org, &mid).await, "one_step_each");
    refused(approve(&adam, org, &mid).await, "not_your_step");
    approves_last(&fiona, org, &mid).await;

    // 10,000.00: also an admin. Alice, waiting, sees whom on at each step.
    let big = submitted(&alice, org, 1_000_000, "travel").await;
    approves_step(&mark, org, &big, 1).await;
    approves_step(&fiona, org, &big, 2).await;
    let (_, seen) = alice
        .get(&format!("/api/v1/orgs/{org}/reports/{}", big["id"]))
        .await;
    assert_eq!(
        seen["waiting_on"], "a holder of role admin or owner reaching the submitter",
        "{seen}"
    );
    approves_last(&adam, org, &big).await;
    let r = route(&alice, org, &big).await;
    let by: Vec<i64> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["approvals"][0]["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        by,
        [
            server.member("mark"),
            server.member("fiona"),
            server.member("adam")
        ]
    );
}

#[tokio::test]
async fn nobody_takes_a_step_of_their_own_report_even_holding_every_role() {
    let server = TestServer::start().await;
    let org = server.acme();
    let olivia = server.login("olivia").await;
    // Olivia owns Acme and has no manager: the manager step falls to anyone who may
    // approve her reports, which is never she.
    let own = submitted(&olivia, org, 30_000, "travel").await;
    let r = route(&olivia, org, &own).await;
    assert!(
        r["steps"][0]["waiting_on"]
            .as_str()
            .unwrap()
            .starts_with("anyone who may approve"),
        "{r}"
    );
    refused(approve(&olivia, org, &own).await, "four_eyes");
    let adam = server.login("adam").await;
    approves_last(&adam, org, &own).await;
}

#[tokio::test]
async fn adam_writes_acmes_own_rules_n_of_m_and_travel_to_a_named_approver() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark, fiona, adam) = (
        server.login("alice").await,
        server.login("mark").await,
        server.login("fiona").await,
        server.login("adam").await,
    );
    let (m, f, a) = (
        server.member("mark"),
        server.member("fiona"),
        server.member("adam"),
    );
    let policy = json!({"rules": [
        {"name": "Travel goes to the travel approver", "when": {"categories": ["travel"]},
         "steps": [{"kind": "member", "member_id": f}]},
        {"name": "Everything else: two of three", "steps": [{"kind": "members", "member_ids": [m, f, a], "needed": 2}]},
    ]});
    let path = format!("/api/v1/orgs/{org}/approval-policy");
    // Alice and Mark do not manage policies.
    let (status, body) = mark.put(&path, policy.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, saved) = adam.put(&path, policy).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["version"].as_i64(), saved["source"].as_str()),
        (Some(1), Some("company"))
    );

    // Travel: Fiona, and not Mark although he is Alice's manager.
    let trip = submitted(&alice, org, 30_000, "travel").await;
    refused(approve(&mark, org, &trip).await, "not_your_step");
    approves_last(&fiona, org, &trip).await;

    // Two distinct people of three: Mark's approval counts once.
    let meals = submitted(&alice, org, 4_000, "meals").await;
    approves_step(&mark, org, &meals, 0).await;
    refused(approve(&mark, org, &meals).await, "one_step_each");
    let r = route(&alice, org, &meals).await;
    assert_eq!(
        (
            r["steps"][0]["needed"].as_i64(),
            r["steps"][0]["approvals"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1)),
        "{r}"
    );
    approves_last(&adam, org, &meals).await;
}

#[tokio::test]
async fn a_policy_change_leaves_submitted_reports_alone_until_adam_reroutes_them() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark, fiona, adam) = (
        server.login("alice").await,
        server.login("mark").await,
        server.login("fiona").await,
        server.login("adam").await,
    );
    let before = submitted(&alice, org, 30_000, "meals").await;
    let f = server.member("fiona");
    let policy = json!({"rules": [{"name": "Finance approves everything", "steps": [{"kind": "member", "member_id": f}]}]});
    let (status, saved) = adam
        .put(&format!("/api/v1/orgs/{org}/approval-policy"), policy)
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");

    // Submitted before: still Mark's, by version 0.
    assert_eq!(route(&alice, org, &before).await["policy_version"], 0);
    refused(approve(&fiona, org, &before).await, "not_your_step");
    // Submitted after: Fiona's, by version 1.
    let after = submitted(&alice, org, 30_000, "meals").await;
    assert_eq!(route(&alice, org, &after).await["policy_version"], 1);

    // Mark cannot re-route; Adam can, and the trail says from what to what.
    let reroute = format!("/api/v1/orgs/{org}/reports/{}/reroute", before["id"]);
    let (status, body) = mark.post(&reroute, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, r) = adam.post(&reroute, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["policy_version"].as_i64(), r["current_step"].as_i64()),
        (Some(1), Some(0)),
        "{r}"
    );
    refused(approve(&mark, org, &before).await, "not_your_step");
    approves_last(&fiona, org, &before).await;
    let (status, trail) = adam
        .get(&format!("/api/v1/orgs/{org}/audit?limit=50"))
        .await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let entry = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "report.reroute" && e["outcome"] == "allowed")
        .expect("the re-route is on the trail");
    assert_eq!(entry["detail"]["from"]["policy_version"], 0, "{trail}");
    assert_eq!(entry["detail"]["to"]["policy_version"], 1, "{trail}");

    // An approved report is not re-routed.
    let (status, body) = adam.post(&reroute, json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status"),
        "{body}"
    );
}

#[tokio::test]
async fn a_policy_that_names_what_acme_lacks_is_refused_with_its_field() {
    let server = TestServer::start().await;
    let org = server.acme();
    let adam = server.login("adam").await;
    let path = format!("/api/v1/orgs/{org}/approval-policy");
    let globex_member = server.member("gina");
    for (steps, field) in [
        (
            json!([{"kind": "role", "roles": ["pilot"]}]),
            "rules[0].steps[0].roles",
        ),
        (
            json!([{"kind": "member", "member_id": globex_member}]),
            "rules[0].steps[0].member_id",
        ),
        (json!([{"kind": "manager"}]), "rules[0].steps[0].levels"),
        (
            json!([{"kind": "manager", "levels": 1, "member_id": 1}]),
            "rules[0].steps[0].member_id",
        ),
        (
            json!([{"kind": "members", "member_ids": [1, 2], "needed": 3}]),
            "rules[0].steps[0].needed",
        ),
        (json!([]), "rules[0].steps"),
    ] {
        let (status, body) = adam
            .put(&path, json!({"rules": [{"name": "r", "steps": steps}]}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    // Nothing was saved: still the preset's.
    let (_, policy) = adam.get(&path).await;
    assert_eq!(policy["version"], 0);
}
