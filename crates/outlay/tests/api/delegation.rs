//! Acting for someone else, and asking for more: Eloope's manager away delegates his approvals
//! to another manager for a window and nobody approves their own through it; a delegation
//! lends reach, never a verb (employees and auditors receive none, and a manager who stops
//! being one stops acting under one); nobody decides an expense they had a hand in; Plane's
//! assistant prepares and submits a worker's drafts and never approves; employees ask for a
//! role with a reason and whoever may assign it decides; finance overrides a decision, never
//! on their own expense.

use crate::harness::{code, Session, TestServer};
use outlay::clock::rfc3339;
use outlay_core::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

const ELOOPE: &str = "Eloope Demo";
const PLANE: &str = "Plane Demo";

fn eloope(key: &str) -> String {
    format!("{key}@eloope.example")
}

fn plane(key: &str) -> String {
    format!("{key}@plane.example")
}

/// RFC 3339 text of a unix time.
fn at(secs: i64) -> String {
    rfc3339(Timestamp(secs))
}

fn now() -> i64 {
    outlay::clock::system()().0
}

/// The expenses of `owner` in `status`, as `session` sees them.
async fn expenses_of(session: &Session, org: i64, owner: i64, status: &str) -> Vec<Value> {
    session
        .all_expenses(org, &format!("&owner={owner}&status={status}"))
        .await
}

async fn expense_of(session: &Session, org: i64, owner: i64, status: &str) -> Value {
    expenses_of(session, org, owner, status)
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {status} expense of member {owner}"))
}

/// One expense as `session` sees it; panics unless visible.
async fn expense(session: &Session, org: i64, id: &Value) -> Value {
    let (status, body) = session
        .get(&format!("/api/v1/orgs/{org}/expenses/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "expense {id}: {body}");
    body
}

/// Creates a draft of the caller's own (or `on_behalf_of`'s) and submits it.
async fn submitted(session: &Session, org: i64, on_behalf_of: Option<i64>) -> Value {
    let mut body = json!({"amount_minor": 4_200, "currency": "EUR", "merchant": "Train",
                          "spent_on": "2026-11-20", "category": "travel"});
    if let Some(m) = on_behalf_of {
        body["on_behalf_of"] = json!(m);
    }
    let (status, draft) = session
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let (status, sent) = session
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/submit", draft["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["status"], "submitted");
    sent
}

async fn approve(session: &Session, org: i64, id: &Value) -> (StatusCode, Value) {
    session
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{id}/approve"),
            json!({}),
        )
        .await
}

/// The delegation `id` as `session` lists it.
async fn delegation(session: &Session, org: i64, id: &Value) -> Option<Value> {
    let (status, body) = session
        .get(&format!("/api/v1/orgs/{org}/delegations?limit=500"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == *id)
        .cloned()
}

/// Every audit entry of `org`, newest first, as `session` reads them.
async fn audit(session: &Session, org: i64) -> Vec<Value> {
    let (status, body) = session
        .get(&format!("/api/v1/orgs/{org}/audit?limit=500"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn nia_approves_for_max_only_inside_the_window_he_set() {
    let (server, clock) = TestServer::start_with_clock().await;
    let org = server.org(ELOOPE);
    let [max_id, nia_id, eve_id] = ["max", "nia", "eve"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let eve = server.login(&eloope("eve")).await;
    let ada = server.login(&eloope("ada")).await;

    let t0 = clock.load(Ordering::SeqCst);
    let (t1, t2) = (t0 + 3_600, t0 + 7_200);
    let later = submitted(&eve, org, None).await;
    let first = expenses_of(&max, org, eve_id, "submitted")
        .await
        .into_iter()
        .find(|e| e["id"] != later["id"])
        .unwrap();

    let (status, d) = max
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": nia_id, "from": at(t1), "until": at(t2), "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["delegator_id"], max_id);
    assert_eq!(d["delegate_id"], nia_id);
    assert_eq!(d["kind"], "approve");
    assert_eq!(d["from"], at(t1));
    assert_eq!(d["until"], at(t2));
    assert_eq!(d["created_by"], max_id);
    assert_eq!(d["active"], false, "not yet");
    let seen = delegation(&nia, org, &d["id"]).await;
    assert_eq!(
        seen.map(|s| s["active"].clone()),
        Some(json!(false)),
        "nia sees the delegation given to her"
    );

    // A second before the window: eve's expense is out of nia's sight, and stays as it was.
    clock.store(t1 - 1, Ordering::SeqCst);
    let (status, body) = approve(&nia, org, &first["id"]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = nia
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", first["id"]))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let unchanged = expense(&max, org, &first["id"]).await;
    assert_eq!(unchanged["status"], "submitted");
    assert_eq!(unchanged["decided_by"], Value::Null);

    // Inside it: nia approves for max, and it says so.
    clock.store(t1, Ordering::SeqCst);
    assert_eq!(
        delegation(&nia, org, &d["id"]).await.unwrap()["active"],
        true
    );
    expense(&nia, org, &first["id"]).await;
    let (status, approved) = approve(&nia, org, &first["id"]).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], nia_id);
    assert_eq!(approved["decided_on_behalf_of"], max_id);
    let as_max = expense(&max, org, &first["id"]).await;
    assert_eq!(as_max["decided_on_behalf_of"], max_id);
    let entry = audit(&ada, org)
        .await
        .into_iter()
        .find(|e| {
            e["action"] == "expense.approve"
                && e["target"] == format!("expense:{}", first["id"])
                && e["outcome"] == "allowed"
        })
        .expect("the approval is audited");
    assert_eq!(entry["actor_member_id"], nia_id);
    assert_eq!(entry["detail"]["on_behalf_of"], max_id, "{entry}");

    // Four-eyes: nia never approves nor rejects max's own expense through his delegation.
    let maxs = expense_of(&max, org, max_id, "submitted").await;
    let (status, body) = approve(&nia, org, &maxs["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = nia
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/reject", maxs["id"]),
            json!({"reason": "no"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let unchanged = expense(&max, org, &maxs["id"]).await;
    assert_eq!(unchanged["status"], "submitted");
    assert_eq!(unchanged["decided_by"], Value::Null);

    // At the end of the window it gives nothing any more.
    clock.store(t2, Ordering::SeqCst);
    assert_eq!(
        delegation(&nia, org, &d["id"]).await.unwrap()["active"],
        false
    );
    let (status, body) = approve(&nia, org, &later["id"]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let unchanged = expense(&max, org, &later["id"]).await;
    assert_eq!(unchanged["status"], "submitted");
    // ...while max himself still decides.
    let (status, body) = approve(&max, org, &later["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_on_behalf_of"], Value::Null);
}

#[tokio::test]

async fn a_delegation_shows_the_delegate_only_what_the_delegator_sees() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let (nia_id, ian_id) = (server.member(&eloope("nia")), server.member(&eloope("ian")));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let ada = server.login(&eloope("ada")).await;
    let (status, d) = max
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": nia_id, "until": at(now() + 3_600), "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");

    // ian reports to ada: max never sees his expenses, so nor does nia through max.
    let ians = expense_of(&ada, org, ian_id, "submitted").await;
    let path = format!("/api/v1/orgs/{org}/expenses/{}", ians["id"]);
    let (status, body) = max.get(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = nia.get(&path).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nia reads what max cannot: {body}"
    );
    let (status, body) = approve(&nia, org, &ians["id"]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // Nor does a submit delegation open the delegator's colleagues' expenses.
    let org = server.org(PLANE);
    let (pam_id, wendy_id) = (server.member(&plane("pam")), server.member(&plane("wendy")));
    let will = server.login(&plane("will")).await;
    let pam = server.login(&plane("pam")).await;
    let pat = server.login(&plane("pat")).await;
    let (status, d) = will
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": pam_id, "until": at(now() + 3_600), "kind": "submit"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let wendys = expense_of(&pat, org, wendy_id, "submitted").await;
    let (status, body) = pam
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", wendys["id"]))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "pam reads what will cannot: {body}"
    );
}

#[tokio::test]

async fn a_delegate_sees_the_approve_button_while_the_delegation_lasts() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let (nia_id, eve_id) = (server.member(&eloope("nia")), server.member(&eloope("eve")));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let (status, d) = max
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": nia_id, "until": at(now() + 3_600), "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["active"], true, "from defaults to now");
    let first = expense_of(&max, org, eve_id, "submitted").await;
    let seen = expense(&nia, org, &first["id"]).await;
    assert!(
        seen["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve")),
        "nia may approve it now, so it says so: {seen}"
    );
    let (status, body) = approve(&nia, org, &first["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn max_or_the_admin_end_a_delegation_early_nia_cannot() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [max_id, nia_id, eve_id, ada_id] =
        ["max", "nia", "eve", "ada"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let ada = server.login(&eloope("ada")).await;
    let eve = server.login(&eloope("eve")).await;
    let new = json!({"delegate_id": nia_id, "until": at(now() + 86_400), "kind": "approve"});
    let delegations = format!("/api/v1/orgs/{org}/delegations");

    let (status, d) = max.post(&delegations, new.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let end = format!("{delegations}/{}", d["id"]);

    // The delegate does not end it, nor does a colleague it does not concern.
    let (status, body) = nia.delete(&end).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = eve.delete(&end).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let still = delegation(&max, org, &d["id"]).await.unwrap();
    assert_eq!(still["active"], true);
    assert_eq!(still["ended_at"], Value::Null);

    // The delegator does, at once: nia no longer approves for him.
    let (status, body) = max.delete(&end).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let ended = delegation(&max, org, &d["id"]).await.unwrap();
    assert_eq!(ended["active"], false);
    assert!(ended["ended_at"].is_string(), "{ended}");
    assert_eq!(ended["ended_by"], max_id);
    let first = expense_of(&max, org, eve_id, "submitted").await;
    let (status, body) = approve(&nia, org, &first["id"]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = max.delete(&end).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "delegation_ended");

    // The admin ends anyone's.
    let (status, d) = max.post(&delegations, new).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert!(
        delegation(&ada, org, &d["id"]).await.is_some(),
        "the admin sees the company's delegations"
    );
    let (status, body) = ada.delete(&format!("{delegations}/{}", d["id"])).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let ended = delegation(&max, org, &d["id"]).await.unwrap();
    assert_eq!(ended["ended_by"], ada_id);
    assert_eq!(ended["active"], false);
}

#[tokio::test]
async fn a_delegation_to_oneself_or_to_someone_inactive_is_refused() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [max_id, nia_id, ian_id] = ["max", "nia", "ian"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let ada = server.login(&eloope("ada")).await;
    let eve = server.login(&eloope("eve")).await;
    let delegations = format!("/api/v1/orgs/{org}/delegations");
    let until = at(now() + 86_400);

    // ian leaves; a newcomer is invited but has not joined.
    let (status, body) = ada
        .post(
            &format!("/api/v1/orgs/{org}/members/{ian_id}/archive"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, invited) = ada
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "noa@eloope.example", "name": "Noa New", "grants": [{"role": "manager"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let acme_member = server.member("mark");

    let cases = [
        (
            json!({"delegate_id": max_id, "until": until, "kind": "approve"}),
            "delegate_id",
        ),
        (
            json!({"delegate_id": ian_id, "until": until, "kind": "approve"}),
            "delegate_id",
        ),
        (
            json!({"delegate_id": invited["id"], "until": until, "kind": "approve"}),
            "delegate_id",
        ),
        (
            json!({"delegate_id": acme_member, "until": until, "kind": "approve"}),
            "delegate_id",
        ),
        (
            json!({"delegate_id": nia_id, "until": until, "kind": "everything"}),
            "kind",
        ),
        (
            json!({"delegate_id": nia_id, "until": "next week", "kind": "approve"}),
            "until",
        ),
        (
            json!({"delegate_id": nia_id, "from": at(now() + 7_200), "until": at(now() + 3_600), "kind": "approve"}),
            "until",
        ),
        (
            json!({"delegate_id": nia_id, "from": at(now() - 7_200), "until": at(now() - 3_600), "kind": "approve"}),
            "until",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = max.post(&delegations, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    // eve cannot set one up for her manager.
    let (status, err) = eve
        .post(
            &delegations,
            json!({"delegate_id": nia_id, "until": until, "kind": "approve", "delegator_id": max_id}),
        )
        .await;
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
        "{status}: {err}"
    );
    let (status, list) = ada.get(&format!("{delegations}?limit=500")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"], json!([]), "nothing was created");
}

#[tokio::test]
async fn pam_submits_for_will_but_never_approves_through_it() {
    let server = TestServer::start().await;
    let org = server.org(PLANE);
    let [will_id, walt_id, pam_id, mo_id] =
        ["will", "walt", "pam", "mo"].map(|p| server.member(&plane(p)));
    let will = server.login(&plane("will")).await;
    let pam = server.login(&plane("pam")).await;
    let mo = server.login(&plane("mo")).await;
    let pat = server.login(&plane("pat")).await;
    let delegations = format!("/api/v1/orgs/{org}/delegations");
    let until = at(now() + 86_400);

    let (status, d) = will
        .post(
            &delegations,
            json!({"delegate_id": pam_id, "until": until, "kind": "submit"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["kind"], "submit");

    // will drafts an expense; pam prepares it (edits it) and submits it for him.
    let (status, draft) = will
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 4_200, "currency": "EUR", "merchant": "Train",
                   "spent_on": "2026-11-20", "category": "travel"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let seen = expense(&pam, org, &draft["id"]).await;
    let buttons = seen["allowed_actions"].as_array().unwrap();
    assert!(
        buttons.contains(&json!("edit")) && buttons.contains(&json!("submit")),
        "{seen}"
    );
    let (status, edited) = pam
        .patch(
            &format!("/api/v1/orgs/{org}/expenses/{}", draft["id"]),
            json!({"merchant": "Deutsche Bahn"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let (status, sent) = pam
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/submit", draft["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["status"], "submitted");
    assert_eq!(sent["owner_id"], will_id);
    assert_eq!(sent["merchant"], "Deutsche Bahn");
    let his = expense(&will, org, &sent["id"]).await;
    assert_eq!(his["status"], "submitted");
    let submit = audit(&pat, org)
        .await
        .into_iter()
        .find(|e| {
            e["action"] == "expense.submit"
                && e["target"] == format!("expense:{}", sent["id"])
                && e["outcome"] == "allowed"
        })
        .expect("the submission is audited");
    assert_eq!(submit["actor_member_id"], pam_id);
    assert_eq!(submit["detail"]["on_behalf_of"], will_id, "{submit}");
    // Creating expenses is the workers' own: pam creates none, for will or for herself.
    let (status, body) = pam
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 100, "currency": "EUR", "merchant": "X", "spent_on": "2026-11-20", "on_behalf_of": will_id}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "delegate_lacks_action");

    // She never approves it, and not what will's own report walt submits either.
    let (status, body) = approve(&pam, org, &sent["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let walts = expense_of(&pat, org, walt_id, "submitted").await;
    let (status, body) = approve(&pam, org, &walts["id"]).await;
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
        "{status}: {body}"
    );
    // Not for someone who delegated nothing to her, and not as herself.
    let (status, body) = pam
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 100, "currency": "EUR", "merchant": "X", "spent_on": "2026-11-20", "on_behalf_of": walt_id}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_delegated");
    let (status, body) = pam
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 100, "currency": "EUR", "merchant": "X", "spent_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Even when the delegator is an approver, a submit delegation approves nothing.
    let (status, d) = mo
        .post(
            &delegations,
            json!({"delegate_id": pam_id, "until": until, "kind": "submit"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let (status, body) = approve(&pam, org, &sent["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = pam
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/reject", sent["id"]),
            json!({"reason": "no"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let still = expense(&mo, org, &sent["id"]).await;
    assert_eq!(still["status"], "submitted");
    assert_eq!(still["decided_by"], Value::Null);

    // The manager decides, as ever.
    let (status, body) = approve(&mo, org, &sent["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_by"], mo_id);
}

#[tokio::test]
async fn employees_and_auditors_receive_no_delegation() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [eve_id, aud_id, nia_id] = ["eve", "aud", "nia"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let ada = server.login(&eloope("ada")).await;
    let eve = server.login(&eloope("eve")).await;
    let delegations = format!("/api/v1/orgs/{org}/delegations");
    let until = at(now() + 86_400);

    // "Employees cannot approve anything": max's approvals go to no employee...
    let (status, err) = max
        .post(
            &delegations,
            json!({"delegate_id": eve_id, "until": until, "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "delegate_id", "{err}");
    let message = err["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("member {eve_id} does not hold `expense.approve`")),
        "{err}"
    );
    // ...and auditors "cannot create, edit or delete anything": no approvals, no submitting.
    let (status, err) = max
        .post(
            &delegations,
            json!({"delegate_id": aud_id, "until": until, "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "delegate_id", "{err}");
    let (status, err) = eve
        .post(
            &delegations,
            json!({"delegate_id": aud_id, "until": until, "kind": "submit"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "delegate_id", "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("read-only"),
        "{err}"
    );
    // Not even the admin gives one for max.
    let max_id = server.member(&eloope("max"));
    let (status, err) = ada
        .post(
            &delegations,
            json!({"delegate_id": aud_id, "until": until, "kind": "approve", "delegator_id": max_id}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "delegate_id", "{err}");
    let (status, list) = ada.get(&format!("{delegations}?limit=500")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"], json!([]), "nothing was created");
    // Another manager takes them.
    let (status, d) = max
        .post(
            &delegations,
            json!({"delegate_id": nia_id, "until": until, "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
}

#[tokio::test]
async fn a_manager_who_stops_being_one_stops_approving_for_max() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [nia_id, eve_id] = ["nia", "eve"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let ada = server.login(&eloope("ada")).await;
    let (status, d) = max
        .post(
            &format!("/api/v1/orgs/{org}/delegations"),
            json!({"delegate_id": nia_id, "until": at(now() + 86_400), "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let eves = expense_of(&max, org, eve_id, "submitted").await;
    let explain = format!(
        "/api/v1/orgs/{org}/authz/explain?member={nia_id}&action=expense.approve&resource=expense:{}",
        eves["id"]
    );
    let (status, answer) = ada.get(&explain).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["allowed"], true, "nia approves for max: {answer}");

    // nia goes back to being an employee: the delegation still runs, but lends her no verb.
    let (status, body) = ada
        .put(
            &format!("/api/v1/orgs/{org}/members/{nia_id}/grants"),
            json!({"grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        delegation(&nia, org, &d["id"]).await.unwrap()["active"],
        true
    );
    let (status, body) = approve(&nia, org, &eves["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "delegate_lacks_action");
    let unchanged = expense(&max, org, &eves["id"]).await;
    assert_eq!(unchanged["status"], "submitted");
    assert_eq!(unchanged["decided_by"], Value::Null);
    let (status, answer) = ada.get(&explain).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["allowed"], false, "{answer}");
    assert_eq!(answer["code"], "delegate_lacks_action", "{answer}");
    assert!(
        answer["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("`expense.approve`"),
        "{answer}"
    );
    // Made a manager again, she approves for max again.
    let (status, body) = ada
        .put(
            &format!("/api/v1/orgs/{org}/members/{nia_id}/grants"),
            json!({"grants": [{"role": "manager"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = approve(&nia, org, &eves["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_on_behalf_of"], server.member(&eloope("max")));
}

#[tokio::test]
async fn nobody_decides_an_expense_they_made_for_someone_else() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [max_id, nia_id, eve_id, fred_id] =
        ["max", "nia", "eve", "fred"].map(|p| server.member(&eloope(p)));
    let max = server.login(&eloope("max")).await;
    let nia = server.login(&eloope("nia")).await;
    let eve = server.login(&eloope("eve")).await;
    let fred = server.login(&eloope("fred")).await;
    let delegations = format!("/api/v1/orgs/{org}/delegations");
    let until = at(now() + 86_400);

    // eve lets her manager max file her expenses; max lets nia approve while he is away.
    let (status, d) = eve
        .post(
            &delegations,
            json!({"delegate_id": max_id, "until": until, "kind": "submit"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let (status, d) = max
        .post(
            &delegations,
            json!({"delegate_id": nia_id, "until": until, "kind": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");

    // max creates and submits one of eve's: hers, made by his hand.
    let made = submitted(&max, org, Some(eve_id)).await;
    assert_eq!(made["owner_id"], eve_id);
    let seen = expense(&max, org, &made["id"]).await;
    assert!(
        !seen["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve")),
        "{seen}"
    );
    // He approves eve's expenses otherwise...
    let hers = expenses_of(&max, org, eve_id, "submitted")
        .await
        .into_iter()
        .find(|e| e["id"] != made["id"])
        .unwrap();
    let (status, body) = approve(&max, org, &hers["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // ...but not this one, nor rejects it.
    let (status, body) = approve(&max, org, &made["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    let (status, body) = max
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/reject", made["id"]),
            json!({"reason": "no"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    // Nor does nia approve it for him: max had a hand in it.
    let (status, body) = approve(&nia, org, &made["id"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    let unchanged = expense(&eve, org, &made["id"]).await;
    assert_eq!(unchanged["status"], "submitted");
    assert_eq!(unchanged["decided_by"], Value::Null);

    // Someone who had no hand in it decides.
    let (status, body) = approve(&fred, org, &made["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_by"], fred_id);
}

#[tokio::test]
async fn eve_asks_for_finance_and_ada_decides() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [eve_id, ada_id] = ["eve", "ada"].map(|p| server.member(&eloope(p)));
    let eve = server.login(&eloope("eve")).await;
    let ada = server.login(&eloope("ada")).await;
    let max = server.login(&eloope("max")).await;
    let requests = format!("/api/v1/orgs/{org}/role-requests");
    let (from, until) = (at(now() + 86_400), at(now() + 8 * 86_400));

    // A request needs a reason.
    for body in [
        json!({"role": "finance"}),
        json!({"role": "finance", "reason": "  "}),
    ] {
        let (status, err) = eve.post(&requests, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
        assert_eq!(err["error"]["field"], "reason", "{body}: {err}");
    }
    let (status, err) = eve
        .post(&requests, json!({"role": "wizard", "reason": "magic"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "role", "{err}");

    let (status, asked) = eve
        .post(
            &requests,
            json!({"role": "finance", "reason": "covering month-end close while fred is away",
                   "valid_from": from, "valid_until": until}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    assert_eq!(asked["member_id"], eve_id);
    assert_eq!(asked["status"], "open");
    assert_eq!(asked["valid_from"], from);
    assert_eq!(asked["valid_until"], until);
    assert_eq!(asked["allowed_actions"], json!([]));
    let id = asked["id"].clone();

    // The admin sees it among the open ones, and may decide it.
    let (status, open) = ada.get(&format!("{requests}?status=open")).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    let listed = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("ada sees eve's request: {open}"));
    assert_eq!(listed["allowed_actions"], json!(["approve", "decline"]));
    assert_eq!(
        listed["reason"],
        "covering month-end close while fred is away"
    );

    // Max, who may not assign finance, neither sees it nor decides it; eve not her own.
    let (status, seen) = max.get(&requests).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert!(
        !seen["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id),
        "{seen}"
    );
    let (status, body) = max
        .post(&format!("{requests}/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = max
        .post(&format!("{requests}/{id}/decline"), json!({"reason": "no"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = eve
        .post(&format!("{requests}/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "own_request");

    let (status, decided) = ada
        .post(&format!("{requests}/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["decided_by"], ada_id);
    let (status, body) = ada
        .post(&format!("{requests}/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "request_decided");
    let (status, open) = ada.get(&format!("{requests}?status=open")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!open["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id));

    // The grant exists, with the dates asked for.
    let (status, member) = ada
        .get(&format!("/api/v1/orgs/{org}/members/{eve_id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    let finance: Vec<&Value> = member["grants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["role"] == "finance")
        .collect();
    assert_eq!(finance.len(), 1, "{member}");
    assert_eq!(finance[0]["valid_from"], from);
    assert_eq!(finance[0]["valid_until"], until);
    assert_eq!(finance[0]["active"], false, "not before its start");

    // eve sees the outcome.
    let (status, mine) = eve.get(&requests).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let outcome = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("eve sees her request: {mine}"))
        .clone();
    assert_eq!(outcome["status"], "approved");

    // Another request, declined with a reason that eve reads.
    let (status, asked) = eve
        .post(
            &requests,
            json!({"role": "manager", "reason": "I lead the support rota"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let other = asked["id"].clone();
    let (status, body) = ada
        .post(&format!("{requests}/{other}/decline"), json!({}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "reason");
    let (status, declined) = ada
        .post(
            &format!("{requests}/{other}/decline"),
            json!({"reason": "max leads the rota"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    assert_eq!(declined["status"], "declined");
    let (status, mine) = eve.get(&format!("{requests}?status=declined")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let seen = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == other)
        .unwrap_or_else(|| panic!("eve sees the declined one: {mine}"))
        .clone();
    assert_eq!(seen["status"], "declined");
    assert_eq!(seen["decline_reason"], "max leads the rota");
    assert_eq!(seen["decided_by"], ada_id);
    let (status, member) = ada
        .get(&format!("/api/v1/orgs/{org}/members/{eve_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !member["grants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["role"] == "manager"),
        "a declined request grants nothing: {member}"
    );

    // Both decisions are in the log.
    let log = audit(&ada, org).await;
    for action in ["role_request.approve", "role_request.decline"] {
        assert!(
            log.iter()
                .any(|e| e["action"] == action && e["outcome"] == "allowed"),
            "{action} is audited"
        );
    }
}

#[tokio::test]
async fn nobody_asks_for_pliants_base_role() {
    let server = TestServer::start().await;
    let org = server.org("Pliant Demo");
    let cara = server.login("cara@pliant.example").await;
    let (status, body) = cara
        .post(
            &format!("/api/v1/orgs/{org}/role-requests"),
            json!({"role": "cardholder", "reason": "I want a card"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "base_role");
    let (status, mine) = cara.get(&format!("/api/v1/orgs/{org}/role-requests")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["items"], json!([]));
}

#[tokio::test]
async fn fred_overrides_a_rejection_with_a_reason_never_on_his_own() {
    let server = TestServer::start().await;
    let org = server.org(ELOOPE);
    let [eve_id, fred_id] = ["eve", "fred"].map(|p| server.member(&eloope(p)));
    let fred = server.login(&eloope("fred")).await;
    let max = server.login(&eloope("max")).await;
    let ada = server.login(&eloope("ada")).await;
    let path = |id: &Value| format!("/api/v1/orgs/{org}/expenses/{id}/override");

    let rejected = expense_of(&fred, org, eve_id, "rejected").await;
    assert!(
        rejected["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("override")),
        "{rejected}"
    );
    // A reason is required; the decision must be one of two.
    let (status, body) = fred
        .post(&path(&rejected["id"]), json!({"decision": "approve"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "reason");
    let (status, body) = fred
        .post(
            &path(&rejected["id"]),
            json!({"decision": "maybe", "reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "decision");
    // Max, eve's manager, decides but does not override.
    let (status, body) = max
        .post(
            &path(&rejected["id"]),
            json!({"decision": "approve", "reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, overridden) = fred
        .post(
            &path(&rejected["id"]),
            json!({"decision": "approve", "reason": "the receipt turned up"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{overridden}");
    assert_eq!(overridden["status"], "approved");
    assert_eq!(overridden["override_reason"], "the receipt turned up");
    assert_eq!(overridden["decided_by"], fred_id);
    let entry = audit(&ada, org)
        .await
        .into_iter()
        .find(|e| {
            e["action"] == "expense.override"
                && e["target"] == format!("expense:{}", rejected["id"])
                && e["outcome"] == "allowed"
        })
        .expect("the override is audited");
    assert_eq!(entry["actor_member_id"], fred_id);
    assert_eq!(
        entry["detail"]["override_reason"], "the receipt turned up",
        "{entry}"
    );
    // An override only turns a decision around: approving the approved is the wrong status.
    let (status, body) = fred
        .post(
            &path(&rejected["id"]),
            json!({"decision": "approve", "reason": "again"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "wrong_status");

    // Never his own.
    let own = expense_of(&fred, org, fred_id, "rejected").await;
    let (status, body) = fred
        .post(
            &path(&own["id"]),
            json!({"decision": "approve", "reason": "I say so"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    let still = expense(&fred, org, &own["id"]).await;
    assert_eq!(still["status"], "rejected");
    assert_eq!(still["override_reason"], Value::Null);
}
