//! Previewing an access change: what a member would gain and lose, and whether the caller
//! may make the change, with nothing changed.

use crate::harness::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn olivia_previews_making_alice_finance_and_nothing_changes() {
    let server = TestServer::start().await;
    let (org, alice) = (server.acme(), server.member("alice"));
    let olivia = server.login("olivia").await;
    let path = format!("/api/v1/orgs/{org}/members/{alice}/grants/preview");
    let (status, preview) = olivia
        .post(
            &path,
            json!({"grants": [{"role": "employee"}, {"role": "finance"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], true);
    let gained: Vec<&str> = preview["gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(gained.contains(&"expense.view.all"), "{gained:?}");
    assert!(gained.contains(&"expense.approve.all"), "{gained:?}");
    assert!(
        !gained.contains(&"expense.view.own"),
        "already held: {gained:?}"
    );
    assert_eq!(preview["lost"], json!([]));

    // Nothing was applied: alice still sees only her own expenses.
    let alice_session = server.login("alice").await;
    let seen = alice_session.all_expenses(org, "").await;
    assert!(seen.iter().all(|e| e["owner_id"] == alice));
}

#[tokio::test]
async fn a_preview_names_the_rule_that_would_refuse_and_what_would_be_lost() {
    let server = TestServer::start().await;
    let (org, alice, olivia_id) = (
        server.acme(),
        server.member("alice"),
        server.member("olivia"),
    );
    let adam = server.login("adam").await;
    let (status, preview) = adam
        .post(
            &format!("/api/v1/orgs/{org}/members/{alice}/grants/preview"),
            json!({"grants": [{"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], false);
    assert_eq!(preview["code"], "owner_only");

    let olivia = server.login("olivia").await;
    let (status, preview) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/members/{olivia_id}/grants/preview"),
            json!({"grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], false);
    assert_eq!(preview["code"], "last_owner");
    let lost: Vec<&str> = preview["lost"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        lost.contains(&"account.close") && lost.contains(&"role.assign"),
        "{lost:?}"
    );

    // An employee may not preview others' access at all.
    let bob = server.login("bob").await;
    let (status, _) = bob
        .post(
            &format!("/api/v1/orgs/{org}/members/{alice}/grants/preview"),
            json!({"grants": []}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
