//! Creation quotas: one signed-in person scripting company after company is held back with
//! 429 and `Retry-After` once past the quota (100 a minute), before anything is written;
//! someone else goes on, and the next minute the first may found again.

use crate::harness::TestServer;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn the_101st_company_founded_by_one_person_in_a_minute_is_429() {
    let (server, clock) = TestServer::start_with_clock_and_limits(outlay::Limits::default()).await;
    // The start of a minute, held still: all 101 fall in one window.
    let start = clock.load(Ordering::SeqCst);
    clock.store(start - start.rem_euclid(60) + 60, Ordering::SeqCst);
    let bob = server.login("bob").await;
    for i in 0..100 {
        let (status, body) = bob
            .post("/api/v1/orgs", json!({"name": format!("Shell {i}")}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "company {i}: {body}");
    }
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/orgs", bob.base))
        .bearer_auth(bob.token.as_deref().unwrap())
        .json(&json!({"name": "Shell 100"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()["retry-after"], "60");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "quota_exceeded", "{body}");
    let (_, me) = bob.get("/api/v1/me").await;
    let shells = me["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["org_name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Shell"))
        })
        .count();
    assert_eq!(shells, 100, "the refused one was not founded: {me}");

    // Someone else is not held back by bob's flood.
    let alice = server.login("alice").await;
    let (status, _) = alice
        .post("/api/v1/orgs", json!({"name": "Alice Ltd"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A minute later bob may found again.
    clock.fetch_add(60, Ordering::SeqCst);
    let (status, _) = bob.post("/api/v1/orgs", json!({"name": "Shell 101"})).await;
    assert_eq!(status, StatusCode::CREATED);
}
