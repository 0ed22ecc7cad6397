//! The OpenAPI document is a snapshot: any change to the API shows up in review as a diff of
//! `tests/snapshots/openapi.json`. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test openapi`.

use crate::harness::TestServer;
use reqwest::StatusCode;
use utoipa::OpenApi;

#[test]
fn openapi_document_matches_its_snapshot() {
    let doc = outlay::http::openapi::ApiDoc::openapi()
        .to_pretty_json()
        .unwrap()
        + "\n";
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
}
