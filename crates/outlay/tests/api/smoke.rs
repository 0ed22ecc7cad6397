//! The server boots, and a demo person logs in and sees who they are.

use crate::harness::TestServer;
use reqwest::StatusCode;

#[tokio::test]
async fn alice_logs_in_and_sees_her_membership() {
    let server = TestServer::start().await;
    let alice = server.login("alice").await;
    let (status, me) = alice.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["person"]["email"], "alice@acme.example");
    assert_eq!(me["memberships"][0]["org_name"], "Acme");
    assert_eq!(me["memberships"][0]["roles"][0], "employee");
}

/// Every answer carries a request id, the caller's own when it sent a plain one, so that a
/// person reporting a problem can quote it and the operator find the access-log line.
#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/me", server.anonymous().base);
    let a = client.get(&url).send().await.unwrap();
    let b = client.get(&url).send().await.unwrap();
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(a.status(), 401);
    assert_eq!(id(&a).len(), 24);
    assert_ne!(id(&a), id(&b), "each request gets its own id");
    let mine = client
        .get(&url)
        .header("x-request-id", "proxy-req.42")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&mine), "proxy-req.42");
    let odd = client
        .get(&url)
        .header("x-request-id", "has spaces and is long".repeat(4))
        .send()
        .await
        .unwrap();
    assert_eq!(id(&odd).len(), 24, "an unusable id is replaced");
}
