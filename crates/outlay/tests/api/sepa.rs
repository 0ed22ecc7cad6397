//! Reimbursing by SEPA credit transfer, as Acme lives it: Alice, Bob and Erin each have a
//! report approved by their manager and set their own payout accounts; Fiona in finance pays
//! all three with one pain.001.001.09 file, which a real XML schema validator accepts
//! (`xmllint` against the ISO 20022 XSD in `tests/data/sepa`), and the reports are paid with
//! the file's message id. A paid report is not paid twice, a member without an account
//! refuses the file naming the report, Mark (a manager) pays nothing, and nobody but the
//! member and finance sees a member's account.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// An approved report of `owner`'s holding one expense of `amount_minor`, decided by
/// `approver` (their manager: up to 500.00 one approval does it).
async fn approved_report(
    owner: &Session,
    approver: &Session,
    org: i64,
    title: &str,
    amount_minor: i64,
) -> i64 {
    let id = draft_report(owner, org, title, amount_minor).await;
    let (status, r) = owner
        .post(
            &format!("/api/v1/orgs/{org}/reports/{id}/submit"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, r) = approver
        .post(
            &format!("/api/v1/orgs/{org}/reports/{id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "approved", "{r}");
    id
}

/// A draft report of `owner`'s holding one expense of `amount_minor` in euros.
async fn draft_report(owner: &Session, org: i64, title: &str, amount_minor: i64) -> i64 {
    let body = json!({"amount_minor": amount_minor, "currency": "EUR", "merchant": "Deutsche Bahn",
                      "spent_on": "2026-03-02", "category": "travel"});
    let (status, e) = owner
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let (status, r) = owner
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": title}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    let (status, r) = owner
        .patch(
            &format!("/api/v1/orgs/{org}/reports/{id}"),
            json!({"add": [e["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    id
}

fn account_path(org: i64, member: i64) -> String {
    format!("/api/v1/orgs/{org}/members/{member}/bank-account")
}

/// A raw answer: status, headers, body text (the files are XML, not JSON).
struct Raw {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

async fn raw(s: &Session, method: reqwest::Method, path: &str, body: Option<Value>) -> Raw {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", s.base));
    if let Some(t) = &s.token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    Raw {
        status: resp.status(),
        headers: resp.headers().clone(),
        text: resp.text().await.unwrap(),
    }
}

fn header<'a>(r: &'a Raw, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The day after today, `YYYY-MM-DD`: an execution date no bank refuses as past.
fn tomorrow() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .date()
        .to_string()
}

/// Validates `xml` against the pain.001.001.09 XSD with `xmllint`, as a bank's gateway would.
fn assert_valid_pain001(xml: &str) {
    let xsd = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sepa/pain.001.001.09.xsd"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sepa.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", xsd])
        .arg(&file)
        .output()
        .expect("xmllint runs (Debian package libxml2-utils)");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "xmllint refused the file: {said}\n{xml}"
    );
    assert!(said.contains("validates"), "{said}");
}

#[tokio::test]
async fn fiona_pays_three_approved_reports_with_one_sepa_file_that_validates() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, bob, erin) = (
        server.login("alice").await,
        server.login("bob").await,
        server.login("erin").await,
    );
    let (mark, nora, fiona) = (
        server.login("mark").await,
        server.login("nora").await,
        server.login("fiona").await,
    );
    let alices = approved_report(&alice, &mark, org, "Berlin customer visit", 22_250).await;
    let bobs = approved_report(&bob, &mark, org, "Messe München & Hotel", 18_000).await;
    let erins = approved_report(&erin, &nora, org, "Team offsite", 4_990).await;
    let (alice_id, bob_id, erin_id) = (
        server.member("alice"),
        server.member("bob"),
        server.member("erin"),
    );

    // Each sets their own account; an invalid IBAN is a 400 naming `iban`.
    let (status, body) = alice
        .put(
            &account_path(org, alice_id),
            json!({"holder_name": "Alice Employee", "iban": "DE89 3704 0044 0532 0130 01"}),
        )
        .await;
    assert_eq!(
        (status, code(&body), body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, "invalid_input", Some("iban")),
        "{body}"
    );
    let (status, mine) = alice
        .put(
            &account_path(org, alice_id),
            json!({"holder_name": "Alice Employee", "iban": "de89 3704 0044 0532 0130 00"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["iban"], "DE89370400440532013000");
    let (status, body) = bob
        .put(
            &account_path(org, bob_id),
            json!({"holder_name": "Bob Müller", "iban": "NL91ABNA0417164300", "bic": "abnanl2a"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["bic"], "ABNANL2A");

    // Only the member sets their own: Alice cannot see Bob's (404), Fiona sees it but may
    // not change it (403).
    let bobs_account = json!({"holder_name": "Alice", "iban": "DE89370400440532013000"});
    let (status, body) = alice
        .put(&account_path(org, bob_id), bobs_account.clone())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = fiona.put(&account_path(org, bob_id), bobs_account).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Alice reads her own, not Bob's; Fiona reads Bob's; Mark, his manager, does not.
    let (status, body) = alice.get(&account_path(org, alice_id)).await;
    assert_eq!(
        (status, &body["holder_name"]),
        (StatusCode::OK, &json!("Alice Employee"))
    );
    let (status, body) = alice.get(&account_path(org, bob_id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = fiona.get(&account_path(org, bob_id)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["iban"], "NL91ABNA0417164300");
    let (status, body) = mark.get(&account_path(org, bob_id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let sepa = format!("/api/v1/orgs/{org}/reimbursements/sepa");
    let batch = |ids: &[i64]| {
        json!({"report_ids": ids, "execution_date": tomorrow(),
               "debtor": {"name": "Acme GmbH", "iban": "DE02120300000000202051", "bic": "BYLADEM1001"}})
    };
    let all = [alices, bobs, erins];

    // Mark approves reports but pays none.
    let (status, body) = mark.post(&sepa, batch(&all)).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "no_permission"),
        "{body}"
    );

    // Erin has no account yet: the file is refused naming her report, and nothing is paid.
    let (status, body) = fiona.post(&sepa, batch(&all)).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("report_ids[2]")),
        "{body}"
    );
    let (status, r) = fiona
        .get(&format!("/api/v1/orgs/{org}/reports/{alices}"))
        .await;
    assert_eq!(
        (status, &r["status"]),
        (StatusCode::OK, &json!("approved")),
        "{r}"
    );
    let (status, body) = erin
        .put(
            &account_path(org, erin_id),
            json!({"holder_name": "Erin Employee", "iban": "FR14 2004 1010 0505 0001 3M02 606"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Fiona pays all three with one file.
    let made = raw(&fiona, reqwest::Method::POST, &sepa, Some(batch(&all))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(header(&made, "content-type"), "application/xml");
    let location = header(&made, "location").to_string();
    let batch_id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let message_id = format!("SEPA-{org}-{batch_id}");
    assert_eq!(
        header(&made, "content-disposition"),
        format!("attachment; filename=\"{message_id}.xml\"")
    );
    assert_valid_pain001(&made.text);
    let xml = &made.text;
    for part in [
        format!("<MsgId>{message_id}</MsgId>"),
        "<NbOfTxs>3</NbOfTxs>".to_string(),
        "<CtrlSum>452.40</CtrlSum>".to_string(),
        format!("<ReqdExctnDt><Dt>{}</Dt></ReqdExctnDt>", tomorrow()),
        "<DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>".to_string(),
        format!("<EndToEndId>{alices}</EndToEndId>"),
        "<InstdAmt Ccy=\"EUR\">222.50</InstdAmt>".to_string(),
        "<Ustrd>Berlin customer visit</Ustrd>".to_string(),
        "<IBAN>DE89370400440532013000</IBAN>".to_string(),
        format!("<EndToEndId>{bobs}</EndToEndId>"),
        // Written in the SEPA character set, as banks take it.
        "<Nm>Bob Mueller</Nm>".to_string(),
        "<Ustrd>Messe Muenchen + Hotel</Ustrd>".to_string(),
        "<BICFI>ABNANL2A</BICFI>".to_string(),
        "<InstdAmt Ccy=\"EUR\">49.90</InstdAmt>".to_string(),
        "<IBAN>FR1420041010050500013M02606</IBAN>".to_string(),
    ] {
        assert!(xml.contains(&part), "{part} is not in\n{xml}");
    }

    // Each report is paid, by Fiona, with the file's message id as reference.
    for id in all {
        let (status, r) = fiona.get(&format!("/api/v1/orgs/{org}/reports/{id}")).await;
        assert_eq!(
            (status, &r["status"]),
            (StatusCode::OK, &json!("paid")),
            "{r}"
        );
        assert_eq!(r["paid_reference"], json!(message_id), "{r}");
        assert_eq!(r["paid_by"], server.member("fiona"), "{r}");
    }
    // Alice is told her report was paid.
    let (_, told) = alice.get(&format!("/api/v1/orgs/{org}/notices")).await;
    let paid_notices = told
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "report_paid")
        .count();
    assert_eq!(paid_notices, 1, "{told}");

    // The same bytes again for finance; to Alice and Mark the file is not there.
    let again = raw(&fiona, reqwest::Method::GET, &location, None).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.text, made.text);
    assert_eq!(header(&again, "content-type"), "application/xml");
    for who in [&alice, &mark] {
        let (status, body) = who.get(&location).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }

    // A paid report is not paid again: the second file is refused naming it.
    let fresh = approved_report(&alice, &mark, org, "Client dinner", 6_400).await;
    let (status, body) = fiona.post(&sepa, batch(&[fresh, bobs])).await;
    assert_eq!(
        (status, code(&body), body["error"]["field"].as_str()),
        (StatusCode::CONFLICT, "wrong_status", Some("report_ids[1]")),
        "{body}"
    );
    let (_, r) = fiona
        .get(&format!("/api/v1/orgs/{org}/reports/{fresh}"))
        .await;
    assert_eq!(r["status"], "approved", "{r}");

    // The trail has the file, by Fiona, and the refusals.
    let olivia = server.login("olivia").await;
    let (status, trail) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit?limit=200"))
        .await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let entries = trail["items"].as_array().unwrap();
    let paid = entries
        .iter()
        .find(|e| e["action"] == "reimbursement.sepa" && e["outcome"] == "allowed")
        .unwrap_or_else(|| panic!("no file in {trail}"));
    assert_eq!(paid["actor_member_id"], server.member("fiona"), "{paid}");
    assert!(
        !trail.to_string().contains("DE89370400440532013000"),
        "the trail keeps no whole IBAN: {trail}"
    );
}

#[tokio::test]
async fn a_file_pays_only_known_approved_reports_in_euros() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona) = (server.login("alice").await, server.login("fiona").await);
    let alice_id = server.member("alice");
    let (status, body) = alice
        .put(
            &account_path(org, alice_id),
            json!({"holder_name": "Alice Employee", "iban": "DE89370400440532013000"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let draft = draft_report(&alice, org, "Not sent yet", 1_000).await;
    let sepa = format!("/api/v1/orgs/{org}/reimbursements/sepa");
    let batch = |ids: Value, date: String| {
        json!({"report_ids": ids, "execution_date": date,
               "debtor": {"name": "Acme GmbH", "iban": "DE02120300000000202051"}})
    };
    for (ids, date, status, field) in [
        // A draft is not paid.
        (
            json!([draft]),
            tomorrow(),
            StatusCode::CONFLICT,
            "report_ids[0]",
        ),
        // An id that names nothing.
        (
            json!([999_999]),
            tomorrow(),
            StatusCode::BAD_REQUEST,
            "report_ids[0]",
        ),
        (
            json!([draft, draft]),
            tomorrow(),
            StatusCode::BAD_REQUEST,
            "report_ids[1]",
        ),
        (json!([]), tomorrow(), StatusCode::BAD_REQUEST, "report_ids"),
        (
            json!([draft]),
            "2000-01-01".into(),
            StatusCode::BAD_REQUEST,
            "execution_date",
        ),
    ] {
        let (got, body) = fiona.post(&sepa, batch(ids.clone(), date)).await;
        assert_eq!(
            (got, body["error"]["field"].as_str()),
            (status, Some(field)),
            "{ids}: {body}"
        );
    }
    let bad_debtor = json!({"report_ids": [draft], "execution_date": tomorrow(),
        "debtor": {"name": "Acme GmbH", "iban": "US12 3456"}});
    let (status, body) = fiona.post(&sepa, bad_debtor).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("debtor.iban")),
        "{body}"
    );
    let (status, body) = fiona
        .get(&format!("/api/v1/orgs/{org}/reimbursements/sepa/999999"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}
