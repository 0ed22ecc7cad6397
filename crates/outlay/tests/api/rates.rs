//! Currencies, as Acme (in euros) lives them: Fiona in finance keeps the exchange rates,
//! entered or imported from CSV; Alice's expense in dollars counts in euros at the rate of
//! its spending date, in her report's total and in who must approve it.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn expense(s: &Session, org: i64, amount_minor: i64, currency: &str, on: &str) -> Value {
    let body = json!({"amount_minor": amount_minor, "currency": currency, "merchant": "Delta",
                      "spent_on": on, "category": "travel"});
    let (status, e) = s.post(&format!("/api/v1/orgs/{org}/expenses"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e
}

#[tokio::test]
async fn fifty_dollars_at_0_92_count_as_46_euros_from_the_rate_of_their_date() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona) = (server.login("alice").await, server.login("fiona").await);
    let path = format!("/api/v1/orgs/{org}/rates");
    let rates = json!({"rates": [
        {"currency": "USD", "rate_on": "2026-11-01", "rate": "0.92"},
        {"currency": "USD", "rate_on": "2026-12-01", "rate": "0.95"},
    ]});
    // Alice reads rates but does not set them.
    let (status, body) = alice.put(&path, rates.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = fiona.put(&path, rates).await;
    assert_eq!(
        (status, body["count"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{body}"
    );
    let (status, listed) = alice.get(&format!("{path}?currency=usd")).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed[0]["rate"], "0.95");

    // Spent on 20 November: November's rate, not December's.
    let usd = expense(&alice, org, 5_000, "USD", "2026-11-20").await;
    assert_eq!(usd["base_amount_minor"], 4_600, "{usd}");
    assert_eq!(
        (usd["fx_rate"].as_str(), usd["fx_rate_on"].as_str()),
        (Some("0.92"), Some("2026-11-01"))
    );
    // Before any rate: not converted, and a report holding it has no total.
    let early = expense(&alice, org, 5_000, "USD", "2026-10-20").await;
    assert!(early["base_amount_minor"].is_null(), "{early}");
    let eur = expense(&alice, org, 10_000, "EUR", "2026-11-20").await;
    assert!(eur["base_amount_minor"].is_null(), "{eur}");

    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "NYC"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    let (status, r) = alice
        .patch(&report, json!({"add": [usd["id"], eur["id"]]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["total_minor"], 14_600, "{r}");
    let (_, r) = alice.patch(&report, json!({"add": [early["id"]]})).await;
    assert!(r["total_minor"].is_null(), "{r}");

    // Re-dated into November, the early one converts when saved.
    let (status, e) = alice
        .patch(
            &format!("/api/v1/orgs/{org}/expenses/{}", early["id"]),
            json!({"spent_on": "2026-11-02"}),
        )
        .await;
    assert_eq!(
        (status, e["base_amount_minor"].as_i64()),
        (StatusCode::OK, Some(4_600)),
        "{e}"
    );
}

#[tokio::test]
async fn converted_amounts_route_reports_by_the_policy_in_euros() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona) = (server.login("alice").await, server.login("fiona").await);
    let csv = json!({"csv": "currency,rate_on,rate\nUSD,2026-11-01,0.92\n"});
    let (status, body) = fiona
        .post(&format!("/api/v1/orgs/{org}/rates/import"), csv)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 700.00 dollars are 644.00 euros: above Mark's 500.00, so finance follows him.
    let usd = expense(&alice, org, 70_000, "USD", "2026-11-20").await;
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Boston"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    alice.patch(&report, json!({"add": [usd["id"]]})).await;
    let (status, r) = alice.post(&format!("{report}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let mark = server.login("mark").await;
    let (status, r) = mark.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{r}"
    );
    let (status, r) = fiona.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{r}"
    );
}

#[tokio::test]
async fn a_bad_rate_is_refused_with_its_place_and_nothing_is_set() {
    let server = TestServer::start().await;
    let org = server.acme();
    let fiona = server.login("fiona").await;
    let path = format!("/api/v1/orgs/{org}/rates");
    for (body, field) in [
        (
            json!({"rates": [{"currency": "USD", "rate_on": "2026-11-01", "rate": "0.92"},
                          {"currency": "GBP", "rate_on": "2026-11-01", "rate": "-1"}]}),
            "rates[1].rate",
        ),
        (
            json!({"rates": [{"currency": "EUR", "rate_on": "2026-11-01", "rate": "1"}]}),
            "rates[0].currency",
        ),
        (
            json!({"rates": [{"currency": "USD", "rate_on": "1 Nov", "rate": "1"}]}),
            "rates[0].rate_on",
        ),
        (
            json!({"rates": [{"currency": "USD", "rate_on": "2026-11-01", "rate": 0.92}]}),
            "rates[0].rate",
        ),
    ] {
        let (status, e) = fiona.put(&path, body).await;
        assert_eq!(
            (status, code(&e)),
            (StatusCode::BAD_REQUEST, "invalid_input"),
            "{e}"
        );
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    let csv = json!({"csv": "USD,2026-11-01,0.92\nUSD,2026-11-02,abc\n"});
    let (status, e) = fiona.post(&format!("{path}/import"), csv).await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("line 2.rate")),
        "{e}"
    );
    let (_, listed) = fiona.get(&path).await;
    assert_eq!(listed, json!([]));
}
