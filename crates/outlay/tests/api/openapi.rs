//! The OpenAPI document is a snapshot: any change to the API shows up in review as a diff of
//! `tests/snapshots/openapi.json`. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test openapi`.

use crate::harness::TestServer;
use reqwest::StatusCode;

#[test]
fn openapi_document_matches_its_snapshot() {
    let doc = outlay::http::openapi::document().to_pretty_json().unwrap() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == doc,
        "openapi.json changed; review and rerun with UPDATE_SNAPSHOTS=1"
    );
}

#[tokio::test]
async fn the_served_document_is_openapi_3_1_and_lists_every_route() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/orgs/{org}/permissions",
        "/api/v1/orgs/{org}/roles",
        "/api/v1/orgs/{org}/members",
        "/api/v1/orgs/{org}/members/{id}/permissions",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/orgs/{org}/members/{id}/grants",
        "/api/v1/orgs/{org}/members/{id}/grants/preview",
        "/api/v1/orgs/{org}/members/{id}/manager",
        "/api/v1/orgs/{org}/members/{id}/archive",
        "/api/v1/orgs/{org}/teams",
        "/api/v1/orgs/{org}/teams/{id}/members/{member}",
        "/api/v1/orgs/{org}/expenses",
        "/api/v1/orgs/{org}/expenses/{id}",
        "/api/v1/orgs/{org}/expenses/{id}/submit",
        "/api/v1/orgs/{org}/expenses/{id}/approve",
        "/api/v1/orgs/{org}/expenses/{id}/reject",
        "/api/v1/orgs/{org}/authz/explain",
        "/api/v1/orgs/{org}/audit",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    // Every operation has its own id: a generated client gets one method per operation.
    let mut ids = std::collections::BTreeMap::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|i| i.as_str()) {
                if let Some(other) = ids.insert(id.to_string(), format!("{method} {path}")) {
                    panic!("operationId {id} is used by {other} and {method} {path}");
                }
            }
        }
    }
    assert!(ids.len() > 90, "{} operation ids", ids.len());
    assert!(ids.contains_key("expenses_create"), "{ids:?}");
}

/// Found by schemathesis: JSON Schema (and JSON) count `2.0` as the integer 2, so a body
/// that fits the document with a whole-number float must be read as that integer; a fraction
/// is still refused, naming the field.
#[tokio::test]
async fn a_whole_number_float_is_the_integer_it_spells() {
    let server = TestServer::start().await;
    let alice = server.login("alice").await;
    let path = format!("/api/v1/orgs/{}/expenses", server.acme());
    let body = |amount: serde_json::Value| {
        serde_json::json!({"amount_minor": amount, "currency": "EUR", "merchant": "Taxi",
                           "spent_on": "2026-11-02"})
    };
    let (status, created) = alice.post(&path, body(serde_json::json!(4200.0))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["amount_minor"], 4200);
    let (status, refused) = alice.post(&path, body(serde_json::json!(42.5))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["field"], "amount_minor");
}

/// Found by schemathesis: serde reads a struct from an array of its fields in order, so
/// `[null, null]` was taken as an empty profile change. Every body is a JSON object.
#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused() {
    let server = TestServer::start().await;
    let olivia = server.login("olivia").await;
    let path = format!(
        "/api/v1/orgs/{}/members/{}",
        server.acme(),
        server.member("alice")
    );
    for body in [serde_json::json!([null, null]), serde_json::json!(0)] {
        let (status, refused) = olivia.patch(&path, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(refused["error"]["field"], "body");
    }
}

#[tokio::test]
async fn a_path_id_that_is_not_a_positive_number_names_nothing() {
    let server = TestServer::start().await;
    let olivia = server.login("olivia").await;
    let acme = server.acme();
    for path in [
        "/api/v1/orgs/0/expenses".to_string(),
        "/api/v1/orgs/-1/members".to_string(),
        "/api/v1/orgs/abc/members".to_string(),
        format!("/api/v1/orgs/{acme}/expenses/0"),
        format!("/api/v1/orgs/{acme}/members/-7"),
        format!("/api/v1/orgs/{acme}/members/99999999999999999999"),
    ] {
        let (status, body) = olivia.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    let (status, _) = olivia.get(&format!("/api/v1/orgs/{acme}/expenses")).await;
    assert_eq!(status, StatusCode::OK);
}

/// A body that says two things is refused: `{"amount_minor": 1, "amount_minor": 100000}`
/// might be read one way by Outlay and another by whatever sits in front of it.
#[tokio::test]
async fn a_body_with_a_key_twice_is_refused_naming_the_key() {
    let server = TestServer::start().await;
    let alice = server.login("alice").await;
    let body = r#"{"amount_minor": 1, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-01", "amount_minor": 100000}"#;
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/orgs/{}/expenses",
            alice.base,
            server.acme()
        ))
        .bearer_auth(alice.token.as_deref().unwrap())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let refused: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(refused["error"]["field"], "amount_minor", "{refused}");
    let (_, mine) = alice
        .get(&format!(
            "/api/v1/orgs/{}/expenses?limit=500",
            server.acme()
        ))
        .await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["amount_minor"] != 100000 && e["amount_minor"] != 1),
        "nothing was created"
    );
}

/// A misspelt filter lists everything the caller may see, which reads as "the filter
/// matched all": it is refused, naming the parameter, wherever it is given.
#[tokio::test]
async fn an_unknown_query_parameter_is_refused_naming_it() {
    let server = TestServer::start().await;
    let mark = server.login("mark").await;
    let acme = server.acme();
    let (status, refused) = mark
        .get(&format!("/api/v1/orgs/{acme}/expenses?stauts=approved"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["error"]["field"], "stauts");
    // An operation that takes no parameters at all refuses one too.
    let (status, refused) = mark.get(&format!("/api/v1/orgs/{acme}?verbose=1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["error"]["field"], "verbose");
    // Known ones still work.
    let (status, _) = mark
        .get(&format!(
            "/api/v1/orgs/{acme}/expenses?status=submitted&limit=5"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
}
