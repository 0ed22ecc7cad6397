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
