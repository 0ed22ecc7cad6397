//! A company's life, as the people who found, run and close it live it: anyone logged in
//! founds a company on a preset and holds its top role; only the top role closes it, after
//! which nothing changes and only those who audit still read; a server operator creates a
//! company from the command line for someone who joins through a one-time link.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::process::Command;

fn keys(items: &Value, field: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_string())
        .collect()
}

/// The memberships of the session's person, from `/me`.
async fn memberships(session: &Session) -> Vec<Value> {
    let (status, me) = session.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    me["memberships"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_presets_list_shows_six_presets_with_their_roles() {
    let server = TestServer::start().await;
    let (status, body) = server.anonymous().get("/api/v1/presets").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["next_cursor"], Value::Null, "the list is whole");
    let items = &body["items"];
    assert_eq!(
        keys(items, "key"),
        ["outlay", "pleo", "eloope", "pliant", "qonto", "plane"]
    );
    let preset = |key: &str| -> &Value {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .unwrap()
    };
    let expected: [(&str, &[&str], &str, Option<&str>); 6] = [
        (
            "outlay",
            &[
                "owner",
                "admin",
                "manager",
                "team_manager",
                "employee",
                "finance",
                "accountant",
                "accountant_extended",
                "expense_reviewer",
                "auditor",
                "viewer",
            ],
            "owner",
            None,
        ),
        (
            "pleo",
            &[
                "employee",
                "admin",
                "expense_reviewer",
                "bookkeeper_limited",
                "bookkeeper_extended",
                "finance",
            ],
            "admin",
            None,
        ),
        (
            "eloope",
            &["employee", "manager", "finance", "auditor", "admin"],
            "admin",
            None,
        ),
        (
            "pliant",
            &[
                "owner",
                "admin",
                "accountant",
                "auditor",
                "cardholder",
                "team_manager",
            ],
            "owner",
            Some("cardholder"),
        ),
        (
            "qonto",
            &[
                "account_holder",
                "admin",
                "manager_basic",
                "manager_advanced",
                "employee",
                "accountant",
            ],
            "account_holder",
            None,
        ),
        (
            "plane",
            &[
                "admin",
                "manager",
                "full_access_manager",
                "direct_reports_payer",
                "payment_request_assistant",
                "viewer",
                "accountant",
                "worker",
            ],
            "admin",
            None,
        ),
    ];
    for (key, roles, top, base) in expected {
        let p = preset(key);
        assert_eq!(keys(&p["roles"], "key"), roles, "{key}");
        assert_eq!(p["top_role"], top, "{key}");
        assert_eq!(p["base_role"].as_str(), base, "{key}");
        // Each role says what it holds, so a person choosing can compare.
        for role in p["roles"].as_array().unwrap() {
            assert!(!role["name"].as_str().unwrap().is_empty(), "{key}: {role}");
            assert!(role["permissions"].is_array(), "{key}: {role}");
        }
    }
}

#[tokio::test]
async fn gus_founds_a_pliant_company_and_holds_its_owner_role() {
    let server = TestServer::start().await;
    let gus = server.login("gus@globex.example").await;
    let before = memberships(&gus).await.len();

    let (status, created) = gus
        .post(
            "/api/v1/orgs",
            json!({"name": "Gus Cards", "preset": "pliant", "base_currency": "USD"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["name"], "Gus Cards");
    assert_eq!(created["preset"], "pliant");
    assert_eq!(created["base_currency"], "USD");
    assert_eq!(created["role"], "owner");
    assert_eq!(created["closed_at"], Value::Null);
    let org = created["id"].as_i64().unwrap();
    let me = created["member_id"].as_i64().unwrap();

    // /me shows the new membership, active, as owner.
    let all = memberships(&gus).await;
    assert_eq!(all.len(), before + 1);
    let here = all
        .iter()
        .find(|m| m["org_id"] == org)
        .unwrap_or_else(|| panic!("gus is a member of his new company: {all:?}"));
    assert_eq!(here["member_id"], me);
    assert_eq!(here["status"], "active");
    assert_eq!(here["org_name"], "Gus Cards");
    assert!(
        here["roles"].as_array().unwrap().contains(&json!("owner")),
        "{here}"
    );

    // His grant: owner, company-wide, permanent, active.
    let (status, member) = gus.get(&format!("/api/v1/orgs/{org}/members/{me}")).await;
    assert_eq!(status, StatusCode::OK, "{member}");
    let grants = member["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "{member}");
    assert_eq!(grants[0]["role"], "owner");
    assert_eq!(grants[0]["team_id"], Value::Null);
    assert_eq!(grants[0]["valid_until"], Value::Null);
    assert_eq!(grants[0]["active"], true);

    let (status, company) = gus.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::OK, "{company}");
    assert_eq!(company["preset"], "pliant");

    // The owner invites: an admin, which only owners may.
    let (status, invited) = gus
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "ines@guscards.example", "name": "Ines Admin", "grants": [{"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    assert!(invited["invitation_token"].as_str().is_some());

    // Nobody else sees the new company, not even gus's own boss at Globex.
    let gina = server.login("gina").await;
    let (status, _) = gina.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = gina.get(&format!("/api/v1/orgs/{org}/members")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Without a login, nobody founds anything.
    let (status, _) = server
        .anonymous()
        .post("/api/v1/orgs", json!({"name": "Ghost", "preset": "outlay"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn founding_a_company_with_bad_input_names_the_field() {
    let server = TestServer::start().await;
    let gus = server.login("gus@globex.example").await;
    let before = memberships(&gus).await.len();
    let cases = [
        (
            json!({"name": "X", "preset": "banana", "base_currency": "EUR"}),
            "preset",
        ),
        (
            json!({"name": "X", "preset": "pliant", "base_currency": "EURO"}),
            "base_currency",
        ),
        (
            json!({"name": "X", "preset": "pliant", "base_currency": "eu"}),
            "base_currency",
        ),
        (
            json!({"name": "", "preset": "pliant", "base_currency": "EUR"}),
            "name",
        ),
        (
            json!({"name": "   ", "preset": "pliant", "base_currency": "EUR"}),
            "name",
        ),
        (json!({"preset": "pliant"}), "name"),
    ];
    for (body, field) in cases {
        let (status, err) = gus.post("/api/v1/orgs", body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
        assert_eq!(code(&err), "invalid_input", "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let (_, err) = gus
        .post("/api/v1/orgs", json!({"name": "X", "preset": "banana"}))
        .await;
    assert!(
        err["error"]["message"].as_str().unwrap().contains("pliant"),
        "the refusal lists the presets: {err}"
    );
    assert_eq!(
        memberships(&gus).await.len(),
        before,
        "no company was founded"
    );
}

#[tokio::test]
async fn only_qontos_account_holder_closes_it_and_then_nothing_changes() {
    let server = TestServer::start().await;
    let org = server.org("Qonto Demo");
    let close = format!("/api/v1/orgs/{org}/close");
    let holly = server.login("holly@qonto.example").await;
    let andy = server.login("andy@qonto.example").await;
    let tim = server.login("tim@qonto.example").await;

    // The admin holds every right of the holder but this one.
    let (status, body) = andy.post(&close, json!({"reason": "moving bank"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = tim.post(&close, json!({"reason": "bye"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // A closing needs a reason.
    let (status, body) = holly.post(&close, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "reason");
    let (status, company) = holly.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(company["closed_at"], Value::Null, "still open: {company}");

    let (status, closed) = holly
        .post(&close, json!({"reason": "moving to another bank"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(closed["closed_at"].is_string(), "{closed}");
    assert_eq!(closed["close_reason"], "moving to another bank");

    // Every change is refused with 409 `company_closed`.
    let (status, body) = holly
        .post(
            &format!("/api/v1/orgs/{org}/teams"),
            json!({"name": "Late"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");
    let (status, body) = tim
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 900, "currency": "EUR", "merchant": "Taxi", "spent_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");
    let emma = server.member("emma@qonto.example");
    let (status, body) = andy
        .put(
            &format!("/api/v1/orgs/{org}/members/{emma}/grants"),
            json!({"grants": [{"role": "accountant"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");
    // Closing twice is refused too, and keeps the first closing.
    let (status, body) = holly.post(&close, json!({"reason": "again"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");

    // The holder still reads: the company, its expenses, its audit log.
    let (status, company) = holly.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::OK, "{company}");
    assert_eq!(company["closed_at"], closed["closed_at"]);
    assert_eq!(company["close_reason"], "moving to another bank");
    assert!(!holly.all_expenses(org, "").await.is_empty());
    let (status, audit) = holly
        .get(&format!("/api/v1/orgs/{org}/audit?limit=500"))
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let items = audit["items"].as_array().unwrap();
    let closings: Vec<&Value> = items
        .iter()
        .filter(|e| e["action"] == "account.close")
        .collect();
    assert!(
        closings.iter().any(|e| e["outcome"] == "allowed"
            && e["actor_member_id"] == server.member("holly@qonto.example")),
        "the closing is audited: {closings:?}"
    );
    assert!(
        closings.iter().any(|e| e["outcome"] != "allowed"
            && e["actor_member_id"] == server.member("andy@qonto.example")),
        "andy's refused attempt is audited: {closings:?}"
    );
    let (status, verify) = holly.get(&format!("/api/v1/orgs/{org}/audit/verify")).await;
    assert_eq!(status, StatusCode::OK, "{verify}");
}

#[tokio::test]
async fn in_closed_acme_the_owner_and_the_auditor_still_read() {
    let server = TestServer::start().await;
    let org = server.acme();
    let olivia = server.login("olivia").await;
    let audrey = server.login("audrey").await;
    let before = audrey.all_expenses(org, "").await.len();
    assert!(before > 0);

    let (status, closed) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/close"),
            json!({"reason": "wound down"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");

    // audrey, the auditor, reads all of it as before, and the log.
    assert_eq!(audrey.all_expenses(org, "").await.len(), before);
    let (status, company) = audrey.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::OK, "{company}");
    assert!(company["closed_at"].is_string());
    let (status, _) = audrey
        .get(&format!("/api/v1/orgs/{org}/audit?limit=10"))
        .await;
    assert_eq!(status, StatusCode::OK);
    // olivia, the owner, reads too but changes nothing.
    assert_eq!(olivia.all_expenses(org, "").await.len(), before);
    let (status, body) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/teams"),
            json!({"name": "Late"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");

    // alice neither changes nor reads.
    let alice = server.login("alice").await;
    let (status, body) = alice
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 1200, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "company_closed");

    // Other companies go on as before.
    let gina = server.login("gina").await;
    let (status, body) = gina
        .post(
            &format!("/api/v1/orgs/{}/teams", server.globex()),
            json!({"name": "Still open"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn in_closed_acme_an_employee_reads_nothing() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (status, closed) = server
        .login("olivia")
        .await
        .post(
            &format!("/api/v1/orgs/{org}/close"),
            json!({"reason": "wound down"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let alice = server.login("alice").await;
    let alice_id = server.member("alice");
    for path in [
        format!("/api/v1/orgs/{org}/expenses"),
        format!("/api/v1/orgs/{org}/members"),
        format!("/api/v1/orgs/{org}/members/{alice_id}"),
        format!("/api/v1/orgs/{org}"),
    ] {
        let (status, body) = alice.get(&path).await;
        assert_eq!(status, StatusCode::CONFLICT, "{path}: {body}");
        assert_eq!(code(&body), "company_closed", "{path}: {body}");
    }
}

#[tokio::test]
async fn an_operator_creates_a_plane_company_and_its_admin_joins_by_the_link() {
    let server = TestServer::start_empty().await;
    let url = server.database_url.clone();
    let email = "pilot@crew.example";
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "org",
            "create",
            "--name",
            "Crew Co",
            "--preset",
            "plane",
            "--owner-email",
            email,
            "--database-url",
            &url,
            "--public-url",
            &server.base,
        ])
        .env_remove("OUTLAY_DATABASE_URL")
        .env_remove("OUTLAY_PUBLIC_URL")
        .env(
            "OUTLAY_AUDIT_KEY",
            "test audit key: thirty-two bytes or more",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("admin"), "names the role: {stdout}");
    let link = stdout
        .split_whitespace()
        .find(|w| w.starts_with(&server.base) && w.ends_with("/accept"))
        .unwrap_or_else(|| panic!("a one-time link: {stdout}"));
    let path = link.strip_prefix(&server.base).unwrap();

    // Before accepting, the person cannot log in.
    let password = "a long passphrase for the crew";
    let (status, _) = server.try_login(email, password).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let anon = server.anonymous();
    let (status, accepted) = anon.post(path, json!({"password": password})).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let org = accepted["org_id"].as_i64().unwrap();
    let member = accepted["member_id"].as_i64().unwrap();
    // The link works once.
    let (status, body) = anon.post(path, json!({"password": password})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "invitation_used");

    let (status, login) = server.try_login(email, password).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let pilot = anon.with_token(login["token"].as_str().unwrap());
    let all = memberships(&pilot).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["org_id"], org);
    assert_eq!(all[0]["member_id"], member);
    assert_eq!(all[0]["org_name"], "Crew Co");
    assert_eq!(all[0]["status"], "active");
    assert_eq!(all[0]["roles"], json!(["admin"]), "plane's top role");
    let (status, company) = pilot.get(&format!("/api/v1/orgs/{org}")).await;
    assert_eq!(status, StatusCode::OK, "{company}");
    assert_eq!(company["preset"], "plane");
    assert_eq!(company["base_currency"], "EUR");

    // As the top role, the new admin builds the company: a worker joins.
    let (status, invited) = pilot
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "wren@crew.example", "name": "Wren Worker", "grants": [{"role": "worker"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
}

#[test]
fn outlay_org_create_refuses_an_unknown_preset() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "org",
            "create",
            "--name",
            "Nope",
            "--preset",
            "banana",
            "--owner-email",
            "x@nope.example",
            "--database-url",
            &url,
        ])
        .env_remove("OUTLAY_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("banana"), "{stderr}");
    assert!(stderr.contains("plane"), "lists the presets: {stderr}");
}
