//! Expense reports, as Acme's people live them: Alice groups her drafts into a report and
//! submits it; while it is submitted none of its expenses moves on its own; Mark, her
//! manager, approves it (and its expenses with it), asks for changes, or rejects it, but
//! never decides his own; Fiona in finance pays an approved report once, and paid is final.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A draft expense of the caller's own.
async fn draft(s: &Session, org: i64, amount_minor: i64) -> i64 {
    let body = json!({"amount_minor": amount_minor, "currency": "EUR", "merchant": "Hotel Adlon",
                      "spent_on": "2026-11-20", "category": "travel"});
    let (status, e) = s.post(&format!("/api/v1/orgs/{org}/expenses"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e["id"].as_i64().unwrap()
}

/// A report of the caller's own holding `expenses`, still a draft.
async fn report(s: &Session, org: i64, title: &str, expenses: &[i64]) -> Value {
    let (status, r) = s
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": title}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "draft");
    let (status, r) = s
        .patch(
            &format!("/api/v1/orgs/{org}/reports/{}", r["id"]),
            json!({"add": expenses}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}

/// `step` on report `id` with `body`.
async fn step(s: &Session, org: i64, id: &Value, step: &str, body: Value) -> (StatusCode, Value) {
    s.post(&format!("/api/v1/orgs/{org}/reports/{id}/{step}"), body)
        .await
}

async fn expense(s: &Session, org: i64, id: i64) -> Value {
    let (status, e) = s.get(&format!("/api/v1/orgs/{org}/expenses/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    e
}

fn allows(v: &Value, action: &str) -> bool {
    v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == action)
}

#[tokio::test]
async fn alice_submits_a_report_mark_approves_it_with_its_expenses_and_fiona_pays_it_once() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let (taxi, hotel) = (
        draft(&alice, org, 4_250).await,
        draft(&alice, org, 18_000).await,
    );
    let r = report(&alice, org, "Berlin customer visit", &[taxi, hotel]).await;
    let id = r["id"].clone();
    assert_eq!(r["expense_ids"], json!([taxi, hotel]));
    assert_eq!(r["total_minor"], 22_250);
    assert!(
        allows(&r, "submit") && allows(&r, "edit") && !allows(&r, "approve"),
        "{r}"
    );

    let (status, sent) = step(&alice, org, &id, "submit", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["status"], "submitted");
    // Its expenses are submitted with it and move only with it: no edit by Alice, no
    // approval of one of them by Mark.
    let e = expense(&alice, org, taxi).await;
    assert_eq!(e["status"], "submitted");
    assert!(!allows(&e, "edit"), "{e}");
    let (status, body) = alice
        .patch(
            &format!("/api/v1/orgs/{org}/expenses/{taxi}"),
            json!({"amount_minor": 1}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "in_report"),
        "{body}"
    );
    let mark = server.login("mark").await;
    let e = expense(&mark, org, taxi).await;
    assert!(!allows(&e, "approve"), "{e}");
    let (status, body) = mark
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{taxi}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "in_report"),
        "{body}"
    );

    // Mark sees it among his team's reports and approves it: both expenses are approved.
    let (status, list) = mark
        .get(&format!("/api/v1/orgs/{org}/reports?status=submitted"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id);
    assert!(listed.is_some_and(|r| allows(r, "approve")), "{list}");
    let (status, approved) = step(&mark, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], server.member("mark"));
    for e in [taxi, hotel] {
        assert_eq!(expense(&alice, org, e).await["status"], "approved");
    }
    // Approved is no longer Alice's to change.
    let (status, body) = alice
        .patch(
            &format!("/api/v1/orgs/{org}/reports/{id}"),
            json!({"title": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Mark may not pay; Fiona may, once.
    let (status, body) = step(&mark, org, &id, "pay", json!({"reference": "SEPA-1"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let fiona = server.login("fiona").await;
    let (status, body) = step(&fiona, org, &id, "pay", json!({})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{body}"
    );
    let (status, paid) = step(
        &fiona,
        org,
        &id,
        "pay",
        json!({"reference": "SEPA-2026-11-1"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["paid_reference"], "SEPA-2026-11-1");
    assert!(
        paid["allowed_actions"].as_array().unwrap().is_empty(),
        "{paid}"
    );
    let (status, body) = step(&fiona, org, &id, "pay", json!({"reference": "again"})).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status"),
        "{body}"
    );
}

#[tokio::test]
async fn mark_asks_for_changes_alice_edits_and_resubmits_then_he_rejects_it() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let mark = server.login("mark").await;
    let (lunch, train) = (
        draft(&alice, org, 3_100).await,
        draft(&alice, org, 8_900).await,
    );
    let id = report(&alice, org, "Trade fair", &[lunch, train]).await["id"].clone();
    step(&alice, org, &id, "submit", json!({})).await;

    // Asking for changes needs a note; with one, the expenses are Alice's drafts again.
    let (status, body) = step(&mark, org, &id, "request-changes", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let note = json!({"note": "the lunch was private: take it out"});
    let (status, back) = step(&mark, org, &id, "request-changes", note).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["status"], "changes_requested");
    assert_eq!(back["decision_note"], "the lunch was private: take it out");
    assert_eq!(expense(&alice, org, lunch).await["status"], "draft");

    let (status, edited) = alice
        .patch(
            &format!("/api/v1/orgs/{org}/reports/{id}"),
            json!({"remove": [lunch]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["expense_ids"], json!([train]));
    let (status, again) = step(&alice, org, &id, "submit", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["status"], "submitted");
    // The lunch is out of the report and Alice's to handle alone.
    let e = expense(&alice, org, lunch).await;
    assert_eq!(e["status"], "draft");
    assert!(allows(&e, "submit"), "{e}");

    let (status, rejected) = step(
        &mark,
        org,
        &id,
        "reject",
        json!({"note": "no trade fair budget"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(expense(&alice, org, train).await["status"], "rejected");
}

#[tokio::test]
async fn nobody_decides_their_own_report_and_others_outside_the_line_see_none() {
    let server = TestServer::start().await;
    let org = server.acme();
    // Mark holds report.approve for his team; his own report is still not his to decide.
    let mark = server.login("mark").await;
    let own = draft(&mark, org, 12_000).await;
    let id = report(&mark, org, "Client dinner", &[own]).await["id"].clone();
    let (status, sent) = step(&mark, org, &id, "submit", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert!(!allows(&sent, "approve"), "{sent}");
    let (status, body) = step(&mark, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes", "{body}");

    // Alice, in Mark's team but not above him, does not see it; nor does Nora, who manages
    // another team.
    for who in ["alice", "nora"] {
        let s = server.login(who).await;
        let (status, body) = s.get(&format!("/api/v1/orgs/{org}/reports/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {body}");
        let (status, body) = step(&s, org, &id, "approve", json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {body}");
    }
    // Olivia, above Mark, approves it.
    let olivia = server.login("olivia").await;
    let (status, body) = step(&olivia, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_report_takes_only_its_owners_free_drafts_and_needs_one_to_be_submitted() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let bob = server.login("bob").await;
    let mine = draft(&alice, org, 1_500).await;
    let bobs = draft(&bob, org, 2_500).await;

    let (status, empty) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "  "}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{empty}");
    let r = report(&alice, org, "November", &[]).await;
    assert_eq!(r["total_minor"], 0, "{r}");
    let id = r["id"].clone();
    let (status, body) = step(&alice, org, &id, "submit", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "expenses", "{body}");

    // Bob's expense is not Alice's to put in her report.
    let path = format!("/api/v1/orgs/{org}/reports/{id}");
    let (status, body) = alice.patch(&path, json!({"add": [bobs]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "add", "{body}");
    // One report at a time: an expense already in one goes into no other.
    let (status, _) = alice.patch(&path, json!({"add": [mine]})).await;
    assert_eq!(status, StatusCode::OK);
    let other = report(&alice, org, "Other", &[]).await;
    let (status, body) = alice
        .patch(
            &format!("/api/v1/orgs/{org}/reports/{}", other["id"]),
            json!({"add": [mine]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Nothing of the refused edit stayed.
    let (_, other) = alice
        .get(&format!("/api/v1/orgs/{org}/reports/{}", other["id"]))
        .await;
    assert_eq!(other["expense_ids"], json!([]));

    // Deleting the draft report frees its expense.
    let (status, _) = alice.delete(&path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = alice.get(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let e = expense(&alice, org, mine).await;
    assert!(allows(&e, "submit"), "{e}");
}

#[tokio::test]
async fn mark_rejects_one_expense_out_of_a_report_and_the_rest_goes_on() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let mark = server.login("mark").await;
    let (cab, gift) = (
        draft(&alice, org, 2_700).await,
        draft(&alice, org, 9_900).await,
    );
    let id = report(&alice, org, "Customer visit", &[cab, gift]).await["id"].clone();
    step(&alice, org, &id, "submit", json!({})).await;
    let out = |e: i64| format!("/api/v1/orgs/{org}/reports/{id}/expenses/{e}/reject");

    // Alice may not reject her own; a reason is required; Mark takes the gift out.
    let (status, body) = alice.post(&out(gift), json!({"note": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = mark.post(&out(gift), json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, r) = mark
        .post(&out(gift), json!({"note": "gifts are not reimbursed"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "submitted");
    assert_eq!(r["expense_ids"], json!([cab]));
    assert_eq!(r["total_minor"], 2_700);
    let e = expense(&alice, org, gift).await;
    assert_eq!(e["status"], "rejected");
    assert_eq!(e["reject_reason"], "gifts are not reimbursed");
    assert!(allows(&e, "edit"), "{e}");

    // The last one stays: rejecting it would be rejecting the report.
    let (status, body) = mark.post(&out(cab), json!({"note": "no"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // An expense not in the report is not found there.
    let (status, body) = mark.post(&out(gift), json!({"note": "again"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let (status, approved) = step(&mark, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(expense(&alice, org, cab).await["status"], "approved");
    assert_eq!(expense(&alice, org, gift).await["status"], "rejected");
}

#[tokio::test]
async fn those_with_a_part_in_a_report_discuss_it_and_an_auditor_only_reads() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let mark = server.login("mark").await;
    let taxi = draft(&alice, org, 3_300).await;
    let id = report(&alice, org, "Airport runs", &[taxi]).await["id"].clone();
    let path = format!("/api/v1/orgs/{org}/reports/{id}/comments");
    let (status, c) = alice
        .post(&path, json!({"body": "two runs, one receipt"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["author_id"], server.member("alice"));
    step(&alice, org, &id, "submit", json!({})).await;
    let (status, c) = mark.post(&path, json!({"body": "fine, approving"})).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let (status, body) = mark.post(&path, json!({"body": " "})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Audrey sees the report and its comments, and writes none.
    let audrey = server.login("audrey").await;
    let (status, all) = audrey.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let bodies: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["two runs, one receipt", "fine, approving"]);
    let (status, body) = audrey.post(&path, json!({"body": "noted"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Nora, outside the line, sees neither the report nor its comments.
    let nora = server.login("nora").await;
    let (status, _) = nora.get(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = nora.post(&path, json!({"body": "hi"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Eloope's roles, as its page states them: employees group expenses into reports and submit
/// them, and approve nothing; managers approve their team's reports and never pay; finance
/// sees every report and marks approved ones paid; auditors read everything and change
/// nothing; nobody outside the team sees a report.
#[tokio::test]
async fn eloope_employees_submit_managers_approve_finance_pays_auditors_only_read() {
    let server = TestServer::start().await;
    let org = server.org("Eloope Demo");
    let eve = eloope(&server, "eve").await;
    let taxi = draft(&eve, org, 5_600).await;
    let id = report(&eve, org, "Support summit", &[taxi]).await["id"].clone();
    let (status, sent) = step(&eve, org, &id, "submit", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let path = format!("/api/v1/orgs/{org}/reports/{id}");

    // Ian, an employee outside the team, and Nia, a manager of another team, see nothing.
    for who in ["ian", "nia"] {
        let s = eloope(&server, who).await;
        let (status, body) = s.get(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}: {body}");
    }
    // Aud reads it and changes nothing.
    let aud = eloope(&server, "aud").await;
    let (status, seen) = aud.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert!(
        seen["allowed_actions"].as_array().unwrap().is_empty(),
        "{seen}"
    );
    let (status, body) = step(&aud, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Max, her manager, approves it and may not pay it; Fred in finance pays it.
    let max = eloope(&server, "max").await;
    let (status, body) = step(&max, org, &id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = step(&max, org, &id, "pay", json!({"reference": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let fred = eloope(&server, "fred").await;
    let (status, all) = fred.get(&format!("/api/v1/orgs/{org}/reports")).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id),
        "{all}"
    );
    let (status, paid) = step(&fred, org, &id, "pay", json!({"reference": "BATCH-7"})).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "paid");
    // Paid is final for everyone; Aud may not even try.
    let (status, body) = step(&fred, org, &id, "pay", json!({"reference": "again"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = step(&aud, org, &id, "pay", json!({"reference": "y"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

async fn eloope(server: &TestServer, who: &str) -> Session {
    server.login(&format!("{who}@eloope.example")).await
}
