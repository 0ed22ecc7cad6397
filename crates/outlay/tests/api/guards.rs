//! The edges a careless client or a curious insider reaches: admins minting admins under
//! another name, members stretching their own access, team grants that reach too far,
//! malformed bodies, withdrawn invitations and questions that would leak who exists.

use crate::harness::{code, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn an_admin_cannot_mint_an_admin_under_another_name() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.member("alice");
    let adam = server.login("adam").await;
    let (_, perms) = adam
        .get(&format!(
            "/api/v1/orgs/{org}/members/{}/permissions",
            server.member("adam")
        ))
        .await;
    let everything: Vec<Value> = perms["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["permission"].clone())
        .collect();
    let (status, role) = adam
        .post(
            &format!("/api/v1/orgs/{org}/roles"),
            json!({"key": "deputy", "name": "Deputy", "permissions": everything}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    assert_eq!(
        role["allowed_actions"],
        json!([]),
        "no grant button for adam"
    );

    let grants = format!("/api/v1/orgs/{org}/members/{alice}/grants");
    let body = json!({"grants": [{"role": "employee"}, {"role": "deputy"}]});
    let (status, refused) = adam.put(&grants, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(code(&refused), "owner_only");
    let (status, granted) = server.login("olivia").await.put(&grants, body).await;
    assert_eq!(status, StatusCode::OK, "{granted}");
}

#[tokio::test]
async fn a_time_limited_bookkeeper_cannot_extend_her_own_access() {
    let server = TestServer::start().await;
    let org = server.acme();
    let bea = server.member("bea");
    let grants = format!("/api/v1/orgs/{org}/members/{bea}/grants");
    let (status, body) = server
        .login("adam")
        .await
        .put(
            &grants,
            json!({"grants": [{"role": "accountant_extended", "valid_until": "2999-01-01T00:00:00Z"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let bea_session = server.login("bea").await;
    let (status, body) = bea_session
        .put(
            &grants,
            json!({"grants": [{"role": "accountant_extended"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "self_grant");
    // She may still hand what she holds to someone else.
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{}/grants", server.member("bob")),
            json!({"grants": [{"role": "employee"}, {"role": "accountant"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_team_grant_cannot_stretch_someone_elses_approval_rights() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (bea, mark, bob) = (
        server.member("bea"),
        server.member("mark"),
        server.member("bob"),
    );
    let sales = server.team("Acme", "Sales");
    let adam = server.login("adam").await;
    let (status, body) = adam
        .put(
            &format!("/api/v1/orgs/{org}/members/{bea}/grants"),
            json!({"grants": [{"role": "accountant_extended", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = adam
        .put(
            &format!("/api/v1/orgs/{org}/members/{bob}/grants"),
            json!({"grants": [{"role": "employee"}, {"role": "finance"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // bea's role assigns employee, expense_reviewer and accountant, and only within Sales:
    // never a manager role, and never an unbound grant.
    let bea_session = server.login("bea").await;
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{mark}/grants"),
            json!({"grants": [{"role": "manager"}, {"role": "team_manager", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("team_manager"));
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{mark}/grants"),
            json!({"grants": [{"role": "manager"}, {"role": "expense_reviewer"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        code(&body),
        "not_assignable",
        "unbound grants are beyond a Sales-bound granter"
    );
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{mark}/grants"),
            json!({"grants": [{"role": "manager"}, {"role": "expense_reviewer", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "mark is in Sales: {body}");

    // Nor may she take away bob's finance, which she could not give back.
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{bob}/grants"),
            json!({"grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("finance"));
}

#[tokio::test]
async fn malformed_bodies_are_400s_that_name_the_field() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let expenses = format!("/api/v1/orgs/{org}/expenses");
    let valid =
        r#"{"amount_minor": 100, "currency": "EUR", "merchant": "M", "spent_on": "2026-11-01"}"#;
    let client = reqwest::Client::new();
    let raw = |path: &str, method: Method, text: String| {
        client
            .request(method, format!("{}{}", server.base, path))
            .bearer_auth(alice.token.clone().unwrap())
            .header("content-type", "application/json")
            .body(text)
            .send()
    };
    for (text, field) in [
        (format!("{valid} xyz"), "body"),
        (format!("{valid}}}"), "body"),
        ("{".to_string(), "body"),
        ("123".to_string(), "body"),
        ("[]".to_string(), "body"),
        (r#"{"currency": "EUR"}"#.to_string(), "amount_minor"),
    ] {
        let resp = raw(&expenses, Method::POST, text.clone()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{text}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{text} -> {body}");
    }
    let seen = alice.all_expenses(org, "").await;
    assert!(seen.iter().all(|e| e["merchant"] != "M"), "nothing created");

    let olivia = server.login("olivia").await;
    let member = server.member("bob");
    let grants = format!("/api/v1/orgs/{org}/members/{member}/grants");
    for (body, field) in [
        (json!({"grants": [{}]}), "grants[0].role"),
        (
            json!({"grants": [{"role": "employee"}, {"role": "finance", "valid_until": "2020-01-01T00:00:00Z"}]}),
            "grants[1].valid_until",
        ),
        (
            json!({"grants": [{"role": "finance", "valid_until": "next week"}]}),
            "grants[0].valid_until",
        ),
        (
            json!({"grants": [{"role": "team_manager"}]}),
            "grants[0].team_id",
        ),
        (json!({"grants": [{"role": "wizard"}]}), "grants[0].role"),
    ] {
        let (status, err) = olivia.put(&grants, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {err}");
        assert_eq!(err["error"]["field"], field, "{body} -> {err}");
    }

    // Leaving out manager_id is a mistake, not a request to clear the manager.
    let manager = format!("/api/v1/orgs/{org}/members/{member}/manager");
    for body in [json!({}), json!({"managerId": 9})] {
        let (status, err) = olivia.put(&manager, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {err}");
    }
    let (_, bob) = olivia
        .get(&format!("/api/v1/orgs/{org}/members/{member}"))
        .await;
    assert_eq!(bob["manager_id"], server.member("mark"));

    let (status, body) = olivia
        .call(Method::DELETE, &format!("/api/v1/orgs/{org}/members"), None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code(&body), "method_not_allowed");
}

#[tokio::test]
async fn archiving_an_invited_member_withdraws_the_invitation() {
    let server = TestServer::start().await;
    let org = server.acme();
    let adam = server.login("adam").await;
    let (status, invited) = adam
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "zed@acme.example", "name": "Zed", "grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let archive = format!("/api/v1/orgs/{org}/members/{}/archive", invited["id"]);
    let (status, archived) = adam.post(&archive, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["grants"][0]["active"], false, "{archived}");
    let (status, again) = adam.post(&archive, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(code(&again), "already_archived");

    let (status, body) = server
        .anonymous()
        .post(
            &format!(
                "/api/v1/invitations/{}/accept",
                invited["invitation_token"].as_str().unwrap()
            ),
            json!({"password": "a long enough passphrase"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "invitation_withdrawn");
    let (status, _) = server
        .try_login("zed@acme.example", "a long enough passphrase")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no password was set");
}

#[tokio::test]
async fn explain_never_tells_alice_who_exists() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice_id, erin) = (server.member("alice"), server.member("erin"));
    let alice = server.login("alice").await;
    let ask = |member: i64, rest: &str| {
        format!("/api/v1/orgs/{org}/authz/explain?member={member}&action={rest}")
    };
    // About someone else: refused the same way whether they exist or not.
    let (real, real_body) = alice.get(&ask(erin, "expense.view")).await;
    let (ghost, ghost_body) = alice.get(&ask(999_999, "expense.view")).await;
    assert_eq!(real, StatusCode::FORBIDDEN, "{real_body}");
    assert_eq!((ghost, code(&ghost_body)), (real, code(&real_body)));
    // About herself on members she cannot see: not found, whether they exist or not.
    let (real, _) = alice
        .get(&ask(
            alice_id,
            &format!("member.view&resource=member:{erin}"),
        ))
        .await;
    let (ghost, _) = alice
        .get(&ask(alice_id, "member.view&resource=member:999999"))
        .await;
    assert_eq!(real, StatusCode::NOT_FOUND);
    assert_eq!(ghost, StatusCode::NOT_FOUND);
}
