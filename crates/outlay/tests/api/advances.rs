//! Cash advances, as Acme lives them: Alice asks for 500.00 before a trip; Mark, her
//! manager, approves it (never his own); Fiona in finance pays it out, settles it against
//! Alice's approved 430.00 report, and closes it when the 70.00 left comes back.

use crate::harness::{code, TestServer};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_advance_of_500_settled_against_430_shows_70_to_return() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, bob, mark, fiona) = (
        server.login("alice").await,
        server.login("bob").await,
        server.login("mark").await,
        server.login("fiona").await,
    );
    let base = format!("/api/v1/orgs/{org}/advances");
    let ask = json!({"amount_minor": 50_000, "currency": "EUR", "purpose": "Lisbon fair", "needed_by": "2026-12-10"});
    let (status, a) = alice.post(&base, ask).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["status"], "requested");
    let one = format!("{base}/{}", a["id"]);

    // Bob does not see it; Alice does not approve her own; Mark does not pay it out.
    let (status, _) = bob.get(&one).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = alice.post(&format!("{one}/approve"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, a) = mark.post(&format!("{one}/approve"), json!({})).await;
    assert_eq!(
        (status, a["status"].as_str()),
        (StatusCode::OK, Some("unpaid")),
        "{a}"
    );
    let (status, body) = mark
        .post(&format!("{one}/disburse"), json!({"text": "WIRE-1"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, a) = fiona
        .post(&format!("{one}/disburse"), json!({"text": "WIRE-1"}))
        .await;
    assert_eq!(
        (status, a["status"].as_str()),
        (StatusCode::OK, Some("paid")),
        "{a}"
    );

    // Alice's 430.00 report, approved by Mark.
    let e = json!({"amount_minor": 43_000, "currency": "EUR", "merchant": "Hotel Lisboa",
                   "spent_on": "2026-12-12", "category": "travel"});
    let (_, e) = alice.post(&format!("/api/v1/orgs/{org}/expenses"), e).await;
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Lisbon"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    alice.patch(&report, json!({"add": [e["id"]]})).await;
    // Not approved yet: nothing to settle against.
    let settle = json!({"report_id": r["id"], "amount_minor": 43_000});
    let (status, body) = fiona.post(&format!("{one}/settle"), settle.clone()).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("report_id")),
        "{body}"
    );
    alice.post(&format!("{report}/submit"), json!({})).await;
    let (status, body) = mark.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, a) = fiona.post(&format!("{one}/settle"), settle).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(
        (
            a["status"].as_str(),
            a["claimed_minor"].as_i64(),
            a["unclaimed_minor"].as_i64()
        ),
        (Some("partly_claimed"), Some(43_000), Some(7_000)),
        "{a}"
    );
    // The report is covered: no more of it, and no more than the advance has left.
    let more = json!({"report_id": r["id"], "amount_minor": 1});
    let (status, body) = fiona.post(&format!("{one}/settle"), more).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{body}"
    );

    let (status, a) = fiona
        .post(&format!("{one}/return"), json!({"text": "REFUND-7"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(
        (a["status"].as_str(), a["returned_minor"].as_i64()),
        (Some("returned"), Some(7_000)),
        "{a}"
    );
    // Returned is final.
    let (status, body) = fiona
        .post(&format!("{one}/return"), json!({"text": "again"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status"),
        "{body}"
    );
}

#[tokio::test]
async fn a_request_is_withdrawn_by_its_owner_only_before_it_is_decided() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark) = (server.login("alice").await, server.login("mark").await);
    let base = format!("/api/v1/orgs/{org}/advances");
    let (status, body) = alice
        .post(
            &base,
            json!({"amount_minor": 100, "currency": "USD", "purpose": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("currency")),
        "{body}"
    );
    let ask = json!({"amount_minor": 20_000, "currency": "EUR", "purpose": "Training"});
    let (_, a) = alice.post(&base, ask.clone()).await;
    let (status, _) = alice.delete(&format!("{base}/{}", a["id"])).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, a) = alice.post(&base, ask).await;
    let (status, body) = mark
        .post(
            &format!("{base}/{}/reject", a["id"]),
            json!({"text": "not budgeted"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = alice.delete(&format!("{base}/{}", a["id"])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status"),
        "{body}"
    );
    let (status, list) = mark.get(&format!("{base}?status=rejected")).await;
    assert_eq!(
        (status, list["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "{list}"
    );
}
