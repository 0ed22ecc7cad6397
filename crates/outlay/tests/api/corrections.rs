//! Finance corrects an approved expense before it is paid. Alice's dinner of 42.00, approved
//! by Mark in its report, was 39.00 by its receipt: Fiona corrects it with that reason. The
//! report's total follows, the audit log keeps the amount before and after, and Alice is
//! told. Without a reason, by Alice herself, or once the report is paid: refused.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// An expense of Alice's in a report Mark approved: (expense, report path).
async fn approved(alice: &Session, mark: &Session, org: i64) -> (Value, String) {
    let body = json!({"amount_minor": 4_200, "currency": "EUR", "merchant": "Borchardt",
                      "spent_on": "2026-11-18", "category": "meals"});
    let (status, e) = alice
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Dinner"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    let (status, r) = alice.patch(&report, json!({"add": [e["id"]]})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, r) = alice.post(&format!("{report}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, r) = mark.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{r}"
    );
    (e, report)
}

#[tokio::test]
async fn finance_corrects_an_approved_expense_with_a_reason_until_it_is_paid() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark, fiona, olivia) = (
        server.login("alice").await,
        server.login("mark").await,
        server.login("fiona").await,
        server.login("olivia").await,
    );
    let (e, report) = approved(&alice, &mark, org).await;
    let correct = format!("/api/v1/orgs/{org}/expenses/{}/correct", e["id"]);
    let fix = json!({"amount_minor": 3_900, "vat_minor": 623, "reason": "the receipt says 39.00"});

    // Not by its owner; never without a reason; only to a category of Acme's.
    let (status, body) = alice.post(&correct, fix.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = fiona.post(&correct, json!({"amount_minor": 3_900})).await;
    assert_eq!(
        (status, code(&body), body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, "invalid_input", Some("reason")),
        "{body}"
    );
    let (status, body) = fiona
        .post(
            &correct,
            json!({"category": "yachts", "reason": "wrong category"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("category")),
        "{body}"
    );

    // Fiona corrects it: still approved, 39.00 with 6.23 VAT; the report totals 39.00.
    let (status, fixed) = fiona.post(&correct, fix.clone()).await;
    assert_eq!(status, StatusCode::OK, "{fixed}");
    assert_eq!(
        (
            fixed["status"].as_str(),
            fixed["amount_minor"].as_i64(),
            fixed["vat_minor"].as_i64(),
            fixed["category"].as_str()
        ),
        (Some("approved"), Some(3_900), Some(623), Some("meals")),
        "{fixed}"
    );
    let (_, r) = alice.get(&report).await;
    assert_eq!(r["total_minor"], 3_900, "{r}");

    // The audit log keeps it before and after, with the reason.
    let (status, trail) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit?limit=50"))
        .await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let entry = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["action"] == "expense.correct" && x["outcome"] == "allowed")
        .unwrap_or_else(|| panic!("no correction in {trail}"))
        .clone();
    assert_eq!(entry["actor_member_id"], server.member("fiona"));
    let d = &entry["detail"];
    assert_eq!(
        (
            d["before"]["amount_minor"].as_i64(),
            d["after"]["amount_minor"].as_i64(),
            d["before"]["vat_minor"].is_null(),
            d["after"]["vat_minor"].as_i64(),
            d["correction_reason"].as_str()
        ),
        (
            Some(4_200),
            Some(3_900),
            true,
            Some(623),
            Some("the receipt says 39.00")
        ),
        "{entry}"
    );

    // Alice is told, with the reason.
    let (_, told) = alice.get(&format!("/api/v1/orgs/{org}/notices")).await;
    let notice = told
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "expense_corrected")
        .unwrap_or_else(|| panic!("no notice in {told}"));
    let body = notice["body"].as_str().unwrap();
    assert!(
        body.contains("the receipt says 39.00") && body.contains("39.00 EUR"),
        "{body}"
    );

    // Paid, it is final.
    let (status, paid) = fiona
        .post(&format!("{report}/pay"), json!({"reference": "SEPA-7"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    let (status, body) = fiona.post(&correct, fix).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "in_report"),
        "{body}"
    );
}
