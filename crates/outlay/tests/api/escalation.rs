//! Reminders and escalation, as Acme lives them, with two servers on one database and a test
//! clock: Alice's report waits on Mark; after two days Mark is reminded, once; after five it
//! moves to Olivia, his manager, once, audited; Mark no longer takes it, Olivia does.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;

const HOUR: i64 = 3600;

/// Polls `check` until it returns something, for up to ten seconds.
async fn eventually<F, Fut>(mut check: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<Value>>,
{
    for _ in 0..100 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not within ten seconds");
}

async fn notices(s: &Session, org: i64, kind: &str) -> Vec<Value> {
    let (status, all) = s.get(&format!("/api/v1/orgs/{org}/notices")).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    all.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_waiting_step_is_reminded_then_moved_up_once_with_two_servers() {
    let limits = || outlay::Limits {
        jobs_every: Duration::from_millis(50),
        ..outlay::Limits::default()
    };
    let (server, clock) = TestServer::start_with_clock_and_limits(limits()).await;
    let twin = server.twin_on_clock(&clock, limits()).await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let (mark, olivia) = (server.login("mark").await, server.login("olivia").await);

    let body = json!({"amount_minor": 12_000, "currency": "EUR", "merchant": "Rail", "spent_on": "2026-11-20"});
    let (_, e) = alice
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Rail"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    alice.patch(&report, json!({"add": [e["id"]]})).await;
    let (status, r) = alice.post(&format!("{report}/submit"), json!({})).await;
    assert_eq!(
        (status, r["waiting_on"].as_str()),
        (StatusCode::OK, Some("the submitter's manager")),
        "{r}"
    );

    // A day on: nothing yet.
    clock.fetch_add(24 * HOUR, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(notices(&mark, org, "approval_reminder").await.is_empty());

    // Past two days: Mark is reminded, once, whichever server ran it.
    clock.fetch_add(25 * HOUR, Ordering::SeqCst);
    let reminded = eventually(|| async {
        let n = notices(&mark, org, "approval_reminder").await;
        (!n.is_empty()).then(|| json!(n))
    })
    .await;
    assert!(
        reminded[0]["subject"].as_str().unwrap().contains("Rail"),
        "{reminded}"
    );

    // Past five days: it moves to Olivia, Mark's manager.
    clock.fetch_add(72 * HOUR, Ordering::SeqCst);
    let moved = eventually(|| async {
        let (_, r) = alice.get(&report).await;
        r["waiting_on"]
            .as_str()
            .is_some_and(|w| w.contains("escalated"))
            .then_some(r)
    })
    .await;
    assert!(
        moved["waiting_on"]
            .as_str()
            .unwrap()
            .contains(&server.member("olivia").to_string()),
        "{moved}"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(notices(&mark, org, "approval_reminder").await.len(), 1);
    assert_eq!(notices(&olivia, org, "approval_escalated").await.len(), 1);

    // Mark no longer takes the step, on either server; Olivia does.
    let (status, body) = mark
        .at(&twin.base)
        .post(&format!("{report}/approve"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "not_your_step"),
        "{body}"
    );
    let (status, r) = olivia.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{r}"
    );

    // One reminder and one escalation on the trail, by no member: the clock and the policy.
    let (_, trail) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit?limit=100"))
        .await;
    let by_kind = |action: &str| -> Vec<Value> {
        trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .cloned()
            .collect()
    };
    let escalations = by_kind("report.escalate");
    assert_eq!(escalations.len(), 1, "{trail}");
    assert!(escalations[0]["actor_member_id"].is_null());
    assert_eq!(
        escalations[0]["detail"]["from"],
        json!([server.member("mark")])
    );
    assert_eq!(by_kind("report.remind").len(), 1, "{trail}");
    let (status, v) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit/verify"))
        .await;
    assert_eq!(
        (status, v["intact"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{v}"
    );
}

#[tokio::test]
async fn a_step_never_moves_up_to_someone_who_approved_the_report_already() {
    let limits = outlay::Limits {
        jobs_every: Duration::from_millis(50),
        ..outlay::Limits::default()
    };
    let (server, clock) = TestServer::start_with_clock_and_limits(limits).await;
    let org = server.acme();
    let (alice, adam) = (server.login("alice").await, server.login("adam").await);
    let olivia = server.login("olivia").await;
    // Olivia (two levels up) first, then Mark; escalation after an hour.
    let policy = json!({"escalation_hours": 1, "rules": [{"name": "top then direct", "steps": [
        {"kind": "manager", "levels": 2}, {"kind": "manager", "levels": 1}]}]});
    let (status, body) = adam
        .put(&format!("/api/v1/orgs/{org}/approval-policy"), policy)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let body = json!({"amount_minor": 5_000, "currency": "EUR", "merchant": "Taxi", "spent_on": "2026-11-20"});
    let (_, e) = alice
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Taxi"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    alice.patch(&report, json!({"add": [e["id"]]})).await;
    alice.post(&format!("{report}/submit"), json!({})).await;
    let (status, r) = olivia.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["current_step"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{r}"
    );

    // Mark's step waits past the hour: the next manager up is Olivia, who approved already.
    clock.fetch_add(2 * HOUR, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (_, r) = alice.get(&report).await;
    assert_eq!(r["waiting_on"], "the submitter's manager", "{r}");
    let mark = server.login("mark").await;
    let (status, r) = mark.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{r}"
    );
}
