//! The seed presets as their own documents tell them (`/work/shared/seeds/*.txt`): one demo
//! company per preset (Pleo, Eloope, Pliant, Qonto, Plane), each story quoting the sentence it
//! checks, the seeds' tables checked cell by cell through `authz/explain`, and real actions
//! where the feature exists. Then Acme's regressions: team-bound grants that must not stretch,
//! caps and self-issuance, external members, and overriding a decision.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One demo company, by the preset it runs.
struct Co<'a> {
    server: &'a TestServer,
    org: i64,
    name: &'static str,
    domain: &'static str,
}

impl<'a> Co<'a> {
    fn of(server: &'a TestServer, preset: &str) -> Co<'a> {
        let seeded = server
            .seeded
            .companies
            .iter()
            .find(|c| c.preset == preset)
            .unwrap_or_else(|| panic!("no demo company runs preset {preset}"));
        let demo = outlay_core::demo::COMPANIES
            .iter()
            .find(|c| c.name == seeded.name)
            .unwrap_or_else(|| panic!("no demo data for {}", seeded.name));
        Co {
            server,
            org: seeded.org.0,
            name: seeded.name,
            domain: demo.domain,
        }
    }

    fn email(&self, key: &str) -> String {
        format!("{key}@{}", self.domain)
    }

    fn id(&self, key: &str) -> i64 {
        self.server.member(&self.email(key))
    }

    async fn login(&self, key: &str) -> Session {
        self.server.login(&self.email(key)).await
    }

    fn team(&self, name: &str) -> i64 {
        self.server.team(self.name, name)
    }

    fn path(&self, tail: &str) -> String {
        format!("/api/v1/orgs/{}{tail}", self.org)
    }

    fn grants(&self, key: &str) -> String {
        self.path(&format!("/members/{}/grants", self.id(key)))
    }

    /// `asker` explains `who`'s right to `action` (on `resource`).
    async fn explain(
        &self,
        asker: &Session,
        who: &str,
        action: &str,
        resource: Option<&str>,
    ) -> Value {
        explain(asker, self.org, self.id(who), action, resource, None).await
    }

    /// Like [`Co::explain`], asking about an amount.
    async fn explain_amount(
        &self,
        asker: &Session,
        who: &str,
        action: &str,
        resource: Option<&str>,
        amount: i64,
    ) -> Value {
        explain(
            asker,
            self.org,
            self.id(who),
            action,
            resource,
            Some(amount),
        )
        .await
    }

    fn member_res(&self, key: &str) -> String {
        format!("member:{}", self.id(key))
    }
}

async fn explain(
    asker: &Session,
    org: i64,
    member: i64,
    action: &str,
    resource: Option<&str>,
    amount: Option<i64>,
) -> Value {
    let mut path = format!("/api/v1/orgs/{org}/authz/explain?member={member}&action={action}");
    if let Some(r) = resource {
        path.push_str(&format!("&resource={r}"));
    }
    if let Some(a) = amount {
        path.push_str(&format!("&amount_minor={a}"));
    }
    let (status, body) = asker.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn allowed(answer: &Value) -> bool {
    answer["allowed"]
        .as_bool()
        .unwrap_or_else(|| panic!("no verdict: {answer}"))
}

fn expense_res(e: &Value) -> String {
    format!("expense:{}", e["id"])
}

/// The first expense of `owner` in `status`, as seen by `session`.
async fn expense_of(session: &Session, org: i64, owner: i64, status: &str) -> Value {
    session
        .all_expenses(org, &format!("&owner={owner}&status={status}"))
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {status} expense of member {owner}"))
}

async fn expense_by_id(session: &Session, org: i64, id: &Value) -> Value {
    let (status, body) = session
        .get(&format!("/api/v1/orgs/{org}/expenses/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn owners(items: &[Value]) -> BTreeSet<i64> {
    items
        .iter()
        .map(|e| e["owner_id"].as_i64().unwrap())
        .collect()
}

fn roles_of(member: &Value) -> Vec<String> {
    member["grants"]
        .as_array()
        .unwrap_or_else(|| panic!("no grants: {member}"))
        .iter()
        .map(|g| g["role"].as_str().unwrap().to_string())
        .collect()
}

/// The keys of `member`'s effective permissions, as `session` sees them.
async fn held(session: &Session, org: i64, member: i64) -> Vec<Value> {
    let (status, page) = session
        .get(&format!("/api/v1/orgs/{org}/members/{member}/permissions"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn keys(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|p| p["permission"].as_str().unwrap().to_string())
        .collect()
}

fn new_expense(merchant: &str) -> Value {
    json!({"amount_minor": 1500, "currency": "EUR", "merchant": merchant, "spent_on": "2026-11-05"})
}

// ---------------------------------------------------------------------------------------
// Pleo
// ---------------------------------------------------------------------------------------

/// "External bookkeepers: Do not have access to Pleo cards" — and "External bookkeepers are
/// third-party users (for example, accountants) invited to manage bookkeeping tasks without
/// being employees of the organisation."
#[tokio::test]
async fn pleo_external_bookkeepers_never_hold_cards() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let paula = pleo.login("paula").await;

    for who in ["lars", "xena"] {
        let request = pleo.explain(&paula, who, "card.request", None).await;
        assert!(!allowed(&request), "{who} requests no card: {request}");
        let own = pleo.explain(&paula, who, "card.view.own", None).await;
        assert_ne!(
            own["permission"], "card.view.own",
            "{who} holds no card of their own: {own}"
        );
        let perms = keys(&held(&paula, pleo.org, pleo.id(who)).await);
        for card in ["card.view.own", "card.request", "transaction.view.own"] {
            assert!(!perms.contains(card), "{who} holds {card}: {perms:?}");
        }
    }
    // An employee does: "Employee | Submits expenses and uses cards".
    let ed = pleo.explain(&paula, "ed", "card.request", None).await;
    assert!(allowed(&ed), "{ed}");
    let ed = pleo.explain(&paula, "ed", "card.view.own", None).await;
    assert_eq!(ed["permission"], "card.view.own", "{ed}");

    // Giving an external bookkeeper the employee role would give them cards.
    let (status, body) = paula
        .put(
            &pleo.grants("lars"),
            json!({"grants": [{"role": "bookkeeper_limited"}, {"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "external_no_cards");
    let (_, lars) = paula
        .get(&pleo.path(&format!("/members/{}", pleo.id("lars"))))
        .await;
    assert_eq!(roles_of(&lars), ["bookkeeper_limited"], "{lars}");
    assert_eq!(lars["kind"], "external");

    // Inviting an external bookkeeper works; inviting one as an employee does not.
    let (status, invited) = paula
        .post(
            &pleo.path("/members"),
            json!({"email": "kim@agency.example", "name": "Kim Bookkeeper", "kind": "external",
                   "grants": [{"role": "bookkeeper_limited"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let (status, kim) = paula
        .get(&pleo.path(&format!("/members/{}", invited["id"])))
        .await;
    assert_eq!(status, StatusCode::OK, "{kim}");
    assert_eq!(kim["kind"], "external");
    assert_eq!(kim["status"], "invited");
    assert_eq!(roles_of(&kim), ["bookkeeper_limited"]);
    let kims = keys(&held(&paula, pleo.org, kim["id"].as_i64().unwrap()).await);
    assert!(kims.contains("expense.reimburse"), "{kims:?}");
    assert!(!kims.contains("card.request"), "{kims:?}");

    let (status, body) = paula
        .post(
            &pleo.path("/members"),
            json!({"email": "kit@agency.example", "name": "Kit", "kind": "external",
                   "grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "external_no_cards");

    // Nor does an employee turn external while holding cards.
    let (status, body) = paula
        .patch(
            &pleo.path(&format!("/members/{}", pleo.id("ed"))),
            json!({"kind": "external"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "external_no_cards");
}

/// "Extended access: Includes all limited permissions, plus: Add employees and manage roles,
/// Configure spending limits, Order cards, Assign expense reviewer permissions" — while
/// "Admins are required to: ... Grant access to bookkeepers and reviewers".
#[tokio::test]
async fn pleo_extended_bookkeeper_adds_employees_and_reviewers_but_never_admins() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let xena = pleo.login("xena").await;
    let paula = pleo.login("paula").await;

    let (status, invited) = xena
        .post(
            &pleo.path("/members"),
            json!({"email": "nina@pleo.example", "name": "Nina New", "grants": [{"role": "employee"}],
                   "manager_id": pleo.id("paula"), "team_id": pleo.team("Marketing")}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "xena adds an employee: {invited}"
    );

    let (status, emil) = xena
        .put(
            &pleo.grants("emil"),
            json!({"grants": [{"role": "employee"}, {"role": "expense_reviewer"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "xena assigns a reviewer: {emil}");
    assert_eq!(roles_of(&emil), ["employee", "expense_reviewer"]);

    let (status, body) = xena
        .put(
            &pleo.grants("emil"),
            json!({"grants": [{"role": "employee"}, {"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = xena
        .put(
            &pleo.grants("emil"),
            json!({"grants": [{"role": "employee"}, {"role": "finance"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");
    let (_, emil) = paula
        .get(&pleo.path(&format!("/members/{}", pleo.id("emil"))))
        .await;
    assert_eq!(
        roles_of(&emil),
        ["employee", "expense_reviewer"],
        "unchanged"
    );

    // Spending limits and ordering cards are the extended level's; the limited level has
    // neither, and adds nobody.
    for (action, xena_may) in [
        ("card.limits", true),
        ("card.issue", true),
        ("wallet.top_up", true),
        ("member.invite", true),
        ("role.assign", true),
    ] {
        let x = pleo.explain(&paula, "xena", action, None).await;
        assert_eq!(allowed(&x), xena_may, "xena {action}: {x}");
        let l = pleo.explain(&paula, "lars", action, None).await;
        assert!(!allowed(&l), "lars {action}: {l}");
    }
    let lars = pleo.login("lars").await;
    let (status, body) = lars
        .post(
            &pleo.path("/members"),
            json!({"email": "nope@pleo.example", "name": "Nope", "grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

/// "Limited access: View and modify expense details; View invoices (cannot pay invoices);
/// Modify accounting settings; Export accounting entries; Reimburse out-of-pocket expenses;
/// Move funds through the Pleo wallet (optional)".
#[tokio::test]
async fn pleo_limited_bookkeeper_views_invoices_but_cannot_pay_them() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let paula = pleo.login("paula").await;
    for (action, may) in [
        ("expense.view.all", true),
        ("expense.edit.all", true),
        ("invoice.view", true),
        ("invoice.pay", false),
        ("accounting.manage", true),
        ("export.create", true),
        ("expense.reimburse", true),
        ("wallet.move_funds", true),
        ("wallet.top_up", false),
        ("expense.approve", false),
    ] {
        let answer = pleo.explain(&paula, "lars", action, None).await;
        assert_eq!(allowed(&answer), may, "lars {action}: {answer}");
    }

    // He modifies an employee's expense details, but decides nothing.
    let lars = pleo.login("lars").await;
    let draft = expense_of(&lars, pleo.org, pleo.id("ed"), "draft").await;
    let (status, edited) = lars
        .patch(
            &pleo.path(&format!("/expenses/{}", draft["id"])),
            json!({"merchant": "Office Depot GmbH"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["merchant"], "Office Depot GmbH");
    let submitted = expense_of(&lars, pleo.org, pleo.id("ed"), "submitted").await;
    let (status, body) = lars
        .post(
            &pleo.path(&format!("/expenses/{}/approve", submitted["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        expense_by_id(&paula, pleo.org, &submitted["id"]).await["status"],
        "submitted"
    );
}

/// "Expense reviewers: Review submitted expenses; Approve or reject expenses based on
/// policy; Control whether expenses become accounting-ready".
#[tokio::test]
async fn pleo_expense_reviewers_approve_or_reject_submitted_expenses() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let rita = pleo.login("rita").await;
    let rita_id = pleo.id("rita");

    let eds = expense_of(&rita, pleo.org, pleo.id("ed"), "submitted").await;
    let (status, approved) = rita
        .post(
            &pleo.path(&format!("/expenses/{}/approve", eds["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], rita_id);

    let emils = expense_of(&rita, pleo.org, pleo.id("emil"), "submitted").await;
    let (status, rejected) = rita
        .post(
            &pleo.path(&format!("/expenses/{}/reject", emils["id"])),
            json!({"reason": "outside the travel policy"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reject_reason"], "outside the travel policy");

    // Never her own.
    let own = expense_of(&rita, pleo.org, rita_id, "submitted").await;
    let (status, body) = rita
        .post(
            &pleo.path(&format!("/expenses/{}/approve", own["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");

    // Finance oversees and reports; it decides nothing.
    let fin = pleo.login("fin").await;
    let (status, body) = fin
        .post(
            &pleo.path(&format!("/expenses/{}/approve", own["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "read_only_role");
    // An employee reviews nobody's.
    let (status, _) = pleo
        .login("emil")
        .await
        .post(
            &pleo.path(&format!("/expenses/{}/approve", own["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// "Administrator | Full platform control | Required to configure integrations" and
/// "Finance | Financial oversight and reporting | Audit and analysis".
#[tokio::test]
async fn pleo_administrators_control_everything_and_finance_only_oversees() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let paula = pleo.login("paula").await;
    for action in [
        "integration.manage",
        "api_key.manage",
        "billing.manage",
        "member.invite",
        "role.assign",
        "card.issue.all",
        "wallet.top_up",
        "export.create",
    ] {
        let answer = pleo.explain(&paula, "paula", action, None).await;
        assert!(allowed(&answer), "paula {action}: {answer}");
    }
    for (action, may) in [
        ("audit.view", true),
        ("expense.view.all", true),
        ("analytics.view.all", true),
        ("expense.approve", false),
        ("member.invite", false),
        ("integration.manage", false),
    ] {
        let answer = pleo.explain(&paula, "fin", action, None).await;
        assert_eq!(allowed(&answer), may, "fin {action}: {answer}");
    }
    let fin = pleo.login("fin").await;
    let (status, _) = fin.get(&pleo.path("/audit")).await;
    assert_eq!(status, StatusCode::OK);
    let seen = owners(&fin.all_expenses(pleo.org, "").await);
    assert!(
        seen.is_superset(&BTreeSet::from([
            pleo.id("ed"),
            pleo.id("emil"),
            pleo.id("rita")
        ])),
        "{seen:?}"
    );

    // The administrator is the top role: the company keeps one.
    let (status, body) = paula
        .put(&pleo.grants("paula"), json!({"grants": []}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");
}

/// "Employees are scoped per company" and "External identifiers can be stored to reconcile
/// users across systems".
#[tokio::test]
async fn pleo_employees_are_scoped_per_company_and_carry_external_identifiers() {
    let server = TestServer::start().await;
    let pleo = Co::of(&server, "pleo");
    let paula = pleo.login("paula").await;
    let ed = pleo.id("ed");

    let (status, body) = paula
        .patch(
            &pleo.path(&format!("/members/{ed}")),
            json!({"external_id": "HR-1001"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["external_id"], "HR-1001");
    let (status, body) = paula
        .patch(
            &pleo.path(&format!("/members/{}", pleo.id("emil"))),
            json!({"external_id": "HR-1001"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "external_id_taken");
    let (status, invited) = paula
        .post(
            &pleo.path("/members"),
            json!({"email": "hal@pleo.example", "name": "Hal", "grants": [{"role": "employee"}],
                   "external_id": "HR-1002"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let (_, hal) = paula
        .get(&pleo.path(&format!("/members/{}", invited["id"])))
        .await;
    assert_eq!(hal["external_id"], "HR-1002");

    // Pleo's admin sees nothing of Acme, and Acme's owner nothing of Pleo.
    let (status, _) = paula
        .get(&format!("/api/v1/orgs/{}/members", server.acme()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .login("olivia")
        .await
        .get(&pleo.path(&format!("/members/{ed}")))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An employee sees their own expenses only.
    let seen = pleo.login("ed").await.all_expenses(pleo.org, "").await;
    assert!(!seen.is_empty());
    assert_eq!(owners(&seen), BTreeSet::from([ed]));
}

// ---------------------------------------------------------------------------------------
// Eloope
// ---------------------------------------------------------------------------------------

/// The seed's "Role comparison" table, every cell: "This table provides a quick reference
/// comparing what each role can do across key capabilities".
#[tokio::test]
async fn eloope_role_comparison_table_cell_by_cell() {
    let server = TestServer::start().await;
    let eloope = Co::of(&server, "eloope");
    let ada = eloope.login("ada").await;
    // | Capability | Employee | Manager | Finance | Auditor | Admin |
    let columns = ["eve", "max", "fred", "aud", "ada"];
    let table: [(&str, &str, [bool; 5]); 7] = [
        (
            "Submit own expenses",
            "expense.create",
            [true, true, true, false, true],
        ),
        (
            "View team expenses",
            "expense.view.team",
            [false, true, true, true, true],
        ),
        (
            "View all expenses",
            "expense.view.all",
            [false, false, true, true, true],
        ),
        (
            "Approve team reports",
            "report.approve.team",
            [false, true, true, false, true],
        ),
        (
            "Process reimbursements",
            "expense.reimburse",
            [false, false, true, false, true],
        ),
        (
            "Manage users",
            "member.invite",
            [false, false, false, false, true],
        ),
        (
            "Configure policies",
            "policy.manage",
            [false, false, false, false, true],
        ),
    ];
    let mut wrong = Vec::new();
    for (capability, permission, cells) in table {
        for (who, expected) in columns.iter().zip(cells) {
            let answer = eloope.explain(&ada, who, permission, None).await;
            if allowed(&answer) != expected {
                wrong.push(format!("{capability} / {who}: {answer}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "cells that differ from the seed: {wrong:#?}"
    );
}

/// "Important note: If auditors need to submit their own expenses, they must also be
/// assigned the Employee role. The Auditor role by itself provides no ability to create
/// expenses." — and "Auditors cannot create, edit, or delete anything in the system".
#[tokio::test]
async fn eloope_an_auditor_alone_creates_nothing_until_also_an_employee() {
    let server = TestServer::start().await;
    let eloope = Co::of(&server, "eloope");
    let aud = eloope.login("aud").await;
    let (status, body) = aud
        .post(&eloope.path("/expenses"), new_expense("Audit lunch"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "read_only_role");

    // Read-only: sees everything, decides nothing.
    let eves = expense_of(&aud, eloope.org, eloope.id("eve"), "submitted").await;
    let (status, body) = aud
        .post(
            &eloope.path(&format!("/expenses/{}/approve", eves["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = aud.get(&eloope.path("/audit")).await;
    assert_eq!(status, StatusCode::OK);

    let ada = eloope.login("ada").await;
    let (status, body) = ada
        .put(
            &eloope.grants("aud"),
            json!({"grants": [{"role": "auditor"}, {"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, created) = aud
        .post(&eloope.path("/expenses"), new_expense("Audit lunch"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["owner_id"], eloope.id("aud"));
    let why = eloope.explain(&ada, "aud", "expense.create", None).await;
    assert_eq!(why["role"], "employee", "{why}");
}

/// "In exceptional cases, finance team members have final approval authority with the
/// ability to override previous decisions." — yet "Finance team members cannot manage
/// users—they can't invite new users" and "finance cannot delete expenses or reports that
/// have already been approved".
#[tokio::test]
async fn eloope_finance_overrides_a_rejected_expense_with_a_reason() {
    let server = TestServer::start().await;
    let eloope = Co::of(&server, "eloope");
    let fred = eloope.login("fred").await;
    let rejected = expense_of(&fred, eloope.org, eloope.id("eve"), "rejected").await;
    let path = eloope.path(&format!("/expenses/{}/override", rejected["id"]));

    let (status, body) = fred.post(&path, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "reason");
    let (status, body) = fred
        .post(
            &path,
            json!({"decision": "approve", "reason": "the receipt turned up"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["override_reason"], "the receipt turned up");

    // Not his own, and not a manager's right.
    let own = expense_of(&fred, eloope.org, eloope.id("fred"), "rejected").await;
    let (status, body) = fred
        .post(
            &eloope.path(&format!("/expenses/{}/override", own["id"])),
            json!({"decision": "approve", "reason": "mine"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    let (status, body) = eloope
        .login("max")
        .await
        .post(
            &path,
            json!({"decision": "reject", "reason": "changed my mind"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        expense_by_id(&fred, eloope.org, &rejected["id"]).await["status"],
        "approved"
    );

    // No user management, and approved expenses stay.
    let (status, body) = fred
        .post(
            &eloope.path("/members"),
            json!({"email": "new@eloope.example", "name": "New", "grants": [{"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let approved = expense_of(&fred, eloope.org, eloope.id("eve"), "approved").await;
    let (status, body) = fred
        .delete(&eloope.path(&format!("/expenses/{}", approved["id"])))
        .await;
    assert!(status.is_client_error(), "{status}: {body}");
    assert_eq!(
        expense_by_id(&fred, eloope.org, &approved["id"]).await,
        approved
    );
}

/// "Managers cannot view expenses or reports from employees outside their team" while "they
/// can view all expenses and reports submitted by their team members" and "have the
/// authority to approve or reject expense reports from their direct reports". And
/// "Employees cannot view other people's expenses or reports ... They cannot approve
/// anything".
#[tokio::test]
async fn eloope_managers_see_and_approve_their_team_only() {
    let server = TestServer::start().await;
    let eloope = Co::of(&server, "eloope");
    let (max_id, eve, ian) = (eloope.id("max"), eloope.id("eve"), eloope.id("ian"));
    let max = eloope.login("max").await;
    let seen = owners(&max.all_expenses(eloope.org, "").await);
    assert_eq!(seen, BTreeSet::from([max_id, eve]));

    let eves = expense_of(&max, eloope.org, eve, "submitted").await;
    let (status, body) = max
        .post(
            &eloope.path(&format!("/expenses/{}/approve", eves["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_by"], max_id);

    let ada = eloope.login("ada").await;
    let ians = expense_of(&ada, eloope.org, ian, "submitted").await;
    let (status, _) = max
        .post(
            &eloope.path(&format!("/expenses/{}/approve", ians["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "ian is outside max's team");
    // nia manages nobody: her approvals reach nobody.
    let why = eloope
        .explain(&ada, "nia", "expense.approve", Some(&expense_res(&ians)))
        .await;
    assert!(!allowed(&why), "{why}");
    assert_eq!(why["code"], "out_of_scope");

    let eve_session = eloope.login("eve").await;
    let mine = eve_session.all_expenses(eloope.org, "").await;
    assert_eq!(owners(&mine), BTreeSet::from([eve]));
    let (status, _) = eve_session
        .get(&eloope.path(&format!("/expenses/{}", ians["id"])))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // eve may ask about her own rights, not about max's.
    let own = explain(&eve_session, eloope.org, eve, "expense.approve", None, None).await;
    assert!(!allowed(&own), "{own}");
    let (status, _) = eve_session
        .get(&eloope.path(&format!(
            "/authz/explain?member={max_id}&action=expense.approve"
        )))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// "Multiple roles. ... if you're assigned both the Employee and Manager roles, you can
/// submit your own expenses like any employee and also approve reports for your team
/// members." — and for temporary access, "specify the exact dates when you'll need the
/// additional permissions".
#[tokio::test]
async fn eloope_multiple_roles_combine_and_a_temporary_role_ends_on_its_date() {
    let server = TestServer::start().await;
    let eloope = Co::of(&server, "eloope");
    let ada = eloope.login("ada").await;
    let (ian, eve) = (eloope.id("ian"), eloope.id("eve"));
    let (status, body) = ada
        .put(
            &eloope.grants("ian"),
            json!({"grants": [{"role": "employee"},
                              {"role": "manager", "valid_until": "2999-01-01T00:00:00Z"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let temporary = body["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "manager")
        .unwrap_or_else(|| panic!("{body}"))
        .clone();
    assert!(temporary["valid_until"]
        .as_str()
        .unwrap()
        .starts_with("2999-01-01"));
    let (status, body) = ada
        .put(
            &eloope.path(&format!("/members/{eve}/manager")),
            json!({"manager_id": ian}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let ian_session = eloope.login("ian").await;
    let (status, created) = ian_session
        .post(&eloope.path("/expenses"), new_expense("Client dinner"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let eves = expense_of(&ian_session, eloope.org, eve, "submitted").await;
    let why = eloope
        .explain(&ada, "ian", "expense.approve", Some(&expense_res(&eves)))
        .await;
    assert!(allowed(&why), "{why}");
    assert_eq!(why["role"], "manager");
    assert_eq!(why["grant_id"], temporary["id"]);
    let (status, body) = ian_session
        .post(
            &eloope.path(&format!("/expenses/{}/approve", eves["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // He cannot make his temporary role permanent himself.
    let (status, body) = ian_session
        .put(
            &eloope.grants("ian"),
            json!({"grants": [{"role": "employee"}, {"role": "manager"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

// ---------------------------------------------------------------------------------------
// Pliant
// ---------------------------------------------------------------------------------------

/// "Cardholders: This is the default role for every member of an organization. It does not
/// need to be assigned and cannot be unassigned."
#[tokio::test]
async fn pliant_cardholder_is_everyones_base_role_never_granted_nor_removed() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let carl_id = pliant.id("carl");
    let carl = pliant.login("carl").await;

    let page = held(&carl, pliant.org, carl_id).await;
    let card = page
        .iter()
        .find(|p| p["permission"] == "card.view.own")
        .unwrap_or_else(|| panic!("carl holds his cards: {page:?}"));
    let sources = card["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1, "{card}");
    assert_eq!(sources[0]["grant_id"], 0, "{card}");
    assert_eq!(sources[0]["base"], true, "{card}");
    assert_eq!(sources[0]["role"], "cardholder", "{card}");
    let own = explain(&carl, pliant.org, carl_id, "card.request", None, None).await;
    assert!(allowed(&own), "{own}");
    assert_eq!(own["grant_id"], 0);
    assert_eq!(own["role"], "cardholder");
    // "Cardholders will only have access to their own cards".
    let otto = pliant.login("otto").await;
    let theirs = pliant
        .explain(&otto, "carl", "card.view", Some(&pliant.member_res("cara")))
        .await;
    assert!(!allowed(&theirs), "{theirs}");

    // Never granted...
    for granter in ["otto", "amy"] {
        let (status, body) = pliant
            .login(granter)
            .await
            .put(
                &pliant.grants("carl"),
                json!({"grants": [{"role": "cardholder"}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{granter}: {body}");
        assert_eq!(code(&body), "base_role");
    }
    // ...and never removed: an empty list of grants leaves it.
    let (status, body) = otto
        .put(&pliant.grants("carl"), json!({"grants": []}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let still = keys(&held(&carl, pliant.org, carl_id).await);
    assert!(
        still.contains("card.view.own") && still.contains("card.request"),
        "{still:?}"
    );
    // Every member holds it, the accountant too.
    let acc = held(&otto, pliant.org, pliant.id("acc")).await;
    assert!(acc
        .iter()
        .any(|p| p["permission"] == "card.request" && p["sources"][0]["base"] == true));
}

/// "Owners are the only ones who can assign or unassign the owner or admin roles to other
/// members." — "Admins can invite cardholders and accountants, but not other admins, who may
/// only be invited by owners." — "An organization must always have at least one owner".
#[tokio::test]
async fn pliant_only_owners_assign_admins_and_admins_assign_accountants() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let amy = pliant.login("amy").await;
    let otto = pliant.login("otto").await;

    let (status, body) = amy
        .put(
            &pliant.grants("carl"),
            json!({"grants": [{"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = amy
        .put(
            &pliant.grants("carl"),
            json!({"grants": [{"role": "accountant"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(roles_of(&body), ["accountant"]);

    let invite =
        |email: &str, grants: Value| json!({"email": email, "name": "Newcomer", "grants": grants});
    let (status, body) = amy
        .post(
            &pliant.path("/members"),
            invite("c1@pliant.example", json!([])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "a cardholder: {body}");
    let (status, body) = amy
        .post(
            &pliant.path("/members"),
            invite("a1@pliant.example", json!([{"role": "accountant"}])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "an accountant: {body}");
    let (status, body) = amy
        .post(
            &pliant.path("/members"),
            invite("x1@pliant.example", json!([{"role": "admin"}])),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not an admin: {body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = otto
        .post(
            &pliant.path("/members"),
            invite("x2@pliant.example", json!([{"role": "admin"}])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "owners invite admins: {body}");

    // The owner makes carl an admin; amy cannot unassign it.
    let (status, body) = otto
        .put(
            &pliant.grants("carl"),
            json!({"grants": [{"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = amy.put(&pliant.grants("carl"), json!({"grants": []})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");

    // The only owner stays.
    let (status, body) = otto
        .put(
            &pliant.grants("otto"),
            json!({"grants": [{"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");
}

/// "Card issuance permissions: The maximum limit the admin is allowed to grant when issuing
/// a new card or changing the limit of an existing card and whether he can issue a card for
/// himself. Please note that the maximum limit can only be changed by the Owner." — and
/// owners "can tailor access by modifying specific permissions: ... Accounting settings".
#[tokio::test]
async fn pliant_the_owner_sets_an_admins_card_cap_self_issuance_and_groups() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let otto = pliant.login("otto").await;
    let (status, body) = otto
        .put(
            &pliant.grants("amy"),
            json!({"grants": [{"role": "admin", "max_amount_minor": 100_000, "self_issue": false,
                               "disabled_groups": ["accounting_settings"]}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["grants"][0]["max_amount_minor"], 100_000);
    assert_eq!(body["grants"][0]["self_issue"], false);
    assert_eq!(
        body["grants"][0]["disabled_groups"],
        json!(["accounting_settings"])
    );

    let carl = pliant.member_res("carl");
    let above = pliant
        .explain_amount(&otto, "amy", "card.limits", Some(&carl), 100_001)
        .await;
    assert!(!allowed(&above), "{above}");
    assert_eq!(above["code"], "over_cap");
    let at = pliant
        .explain_amount(&otto, "amy", "card.limits", Some(&carl), 100_000)
        .await;
    assert!(allowed(&at), "{at}");
    assert_eq!(at["role"], "admin");
    let herself = pliant
        .explain(&otto, "amy", "card.issue", Some(&pliant.member_res("amy")))
        .await;
    assert!(!allowed(&herself), "{herself}");
    assert_eq!(herself["code"], "self_issue");
    let others = pliant
        .explain(&otto, "amy", "card.issue", Some(&carl))
        .await;
    assert!(allowed(&others), "{others}");
    let accounting = pliant
        .explain(&otto, "amy", "accounting.manage", None)
        .await;
    assert!(!allowed(&accounting), "switched off: {accounting}");
    let settings = pliant.explain(&otto, "amy", "settings.manage", None).await;
    assert!(allowed(&settings), "{settings}");

    // Only the owner changes the cap.
    let amy = pliant.login("amy").await;
    let (status, body) = amy
        .put(
            &pliant.grants("amy"),
            json!({"grants": [{"role": "admin", "max_amount_minor": 999_999_999}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (_, after) = otto
        .get(&pliant.path(&format!("/members/{}", pliant.id("amy"))))
        .await;
    assert_eq!(after["grants"][0]["max_amount_minor"], 100_000);
}

/// "The team manager role is always assigned for a specific team, but one member can be
/// assigned the team manager role for multiple teams." — team managers "issue new cards to
/// team members and change card limits, however only within the maximum limits previously
/// set by an owner or an admin" and "view all transactions made by members belonging to
/// their team".
#[tokio::test]
async fn pliant_team_managers_act_for_their_teams_within_caps() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let otto = pliant.login("otto").await;
    let (field, office) = (pliant.team("Field"), pliant.team("Office"));
    let (cara, carl) = (pliant.member_res("cara"), pliant.member_res("carl"));

    let sees = pliant
        .explain(&otto, "tom", "transaction.view", Some(&cara))
        .await;
    assert!(allowed(&sees), "{sees}");
    assert_eq!(sees["team_id"], field);
    assert_eq!(sees["role"], "team_manager");
    // carl is in Office, tom's own team as a member, not the team he manages.
    let not = pliant
        .explain(&otto, "tom", "transaction.view", Some(&carl))
        .await;
    assert!(!allowed(&not), "{not}");
    let not = pliant
        .explain(&otto, "tom", "card.issue", Some(&carl))
        .await;
    assert!(!allowed(&not), "{not}");

    // An admin sets his cap.
    let (status, body) = pliant
        .login("amy")
        .await
        .put(
            &pliant.grants("tom"),
            json!({"grants": [{"role": "team_manager", "team_id": field, "max_amount_minor": 50_000}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let above = pliant
        .explain_amount(&otto, "tom", "card.limits", Some(&cara), 50_001)
        .await;
    assert_eq!(above["code"], "over_cap", "{above}");
    let at = pliant
        .explain_amount(&otto, "tom", "card.limits", Some(&cara), 50_000)
        .await;
    assert!(allowed(&at), "{at}");

    // Always for a team...
    let (status, body) = otto
        .put(
            &pliant.grants("tom"),
            json!({"grants": [{"role": "team_manager"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "grants[0].team_id");
    // ...and for as many teams as needed.
    let (status, body) = otto
        .put(
            &pliant.grants("tom"),
            json!({"grants": [{"role": "team_manager", "team_id": field},
                              {"role": "team_manager", "team_id": office}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let office_card = pliant
        .explain(&otto, "tom", "card.issue", Some(&carl))
        .await;
    assert!(allowed(&office_card), "{office_card}");
    assert_eq!(office_card["team_id"], office);
    // A team manager's grant never reaches company settings.
    let settings = pliant.explain(&otto, "tom", "settings.view", None).await;
    assert!(!allowed(&settings), "{settings}");
}

/// "Accountants are not permitted to invite new members, change any of their details and
/// permissions. Accountants are also not allowed to issue cards, change limits ... Owners
/// and Admins can determine if an Accountant has the permission to modify accounting
/// settings." — "Auditors cannot make changes, issue cards, invite members, or modify
/// account settings" — and "a member with the accountant role can at the same time be a
/// team manager".
#[tokio::test]
async fn pliant_accountants_and_auditors_touch_no_members_nor_cards() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let otto = pliant.login("otto").await;
    for (action, may) in [
        ("card.issue", false),
        ("card.limits", false),
        ("member.invite", false),
        ("member.manage", false),
        ("accounting.manage", true),
        ("export.create", true),
    ] {
        let answer = pliant.explain(&otto, "acc", action, None).await;
        assert_eq!(allowed(&answer), may, "acc {action}: {answer}");
    }
    let acc = pliant.login("acc").await;
    let (status, body) = acc
        .post(
            &pliant.path("/members"),
            json!({"email": "z@pliant.example", "name": "Z", "grants": []}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = acc
        .patch(
            &pliant.path(&format!("/members/{}", pliant.id("carl"))),
            json!({"name": "Carl Renamed"}),
        )
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
        "{status}: {body}"
    );

    // An admin switches accounting settings off for the accountant.
    let amy = pliant.login("amy").await;
    let (status, body) = amy
        .put(
            &pliant.grants("acc"),
            json!({"grants": [{"role": "accountant", "disabled_groups": ["accounting_settings"]}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let manage = pliant
        .explain(&otto, "acc", "accounting.manage", None)
        .await;
    assert!(!allowed(&manage), "{manage}");
    let view = pliant.explain(&otto, "acc", "accounting.view", None).await;
    assert!(allowed(&view), "{view}");

    // An accountant who is also the Office team's manager issues its cards, none other.
    let (status, body) = amy
        .put(
            &pliant.grants("acc"),
            json!({"grants": [{"role": "accountant"},
                              {"role": "team_manager", "team_id": pliant.team("Office")}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let office = pliant
        .explain(&otto, "acc", "card.issue", Some(&pliant.member_res("carl")))
        .await;
    assert!(allowed(&office), "{office}");
    assert_eq!(office["role"], "team_manager");
    let field = pliant
        .explain(&otto, "acc", "card.issue", Some(&pliant.member_res("cara")))
        .await;
    assert!(!allowed(&field), "{field}");

    // The auditor sees member permissions and changes nothing.
    let aldo = pliant.login("aldo").await;
    let (status, _) = aldo
        .get(&pliant.path(&format!("/members/{}/permissions", pliant.id("carl"))))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = aldo
        .post(
            &pliant.path("/members"),
            json!({"email": "y@pliant.example", "name": "Y", "grants": []}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "read_only_role");
    let issue = pliant.explain(&otto, "aldo", "card.issue", None).await;
    assert!(!allowed(&issue), "{issue}");
}

/// "The maximum limit the admin is allowed to grant when issuing a new card or changing the
/// limit of an existing card ... Please note that the maximum limit can only be changed by
/// the Owner." — team managers work "only within the maximum limits previously set by an
/// owner or an admin": an admin capped by the owner cannot appoint a team manager with a
/// higher limit (or none) than her own, or her cap means nothing.
#[tokio::test]
async fn pliant_a_capped_admin_hands_out_no_higher_card_limit() {
    let server = TestServer::start().await;
    let pliant = Co::of(&server, "pliant");
    let field = pliant.team("Field");
    let (status, body) = pliant
        .login("otto")
        .await
        .put(
            &pliant.grants("amy"),
            json!({"grants": [{"role": "admin", "max_amount_minor": 100_000}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let amy = pliant.login("amy").await;
    let (status, body) = amy
        .put(
            &pliant.grants("tom"),
            json!({"grants": [{"role": "team_manager", "team_id": field, "max_amount_minor": 50_000}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "within her own cap: {body}");
    for grant in [
        json!({"role": "team_manager", "team_id": field, "max_amount_minor": 500_000}),
        json!({"role": "team_manager", "team_id": field}),
    ] {
        let (status, body) = amy
            .put(&pliant.grants("tom"), json!({"grants": [grant.clone()]}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{grant}: {body}");
    }
    let (_, tom) = amy
        .get(&pliant.path(&format!("/members/{}", pliant.id("tom"))))
        .await;
    assert_eq!(tom["grants"][0]["max_amount_minor"], 50_000, "{tom}");
}

// ---------------------------------------------------------------------------------------
// Qonto
// ---------------------------------------------------------------------------------------

/// "Account Holder: He can access all sections and perform any action. He has a full access
/// and can request the account closure" — "Admin: He is granted the same rights as the
/// Account Holder. However, is not allowed to request the account closure."
#[tokio::test]
async fn qonto_only_the_account_holder_may_close_the_account() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    let mut closers = Vec::new();
    for who in ["holly", "andy", "mia", "max", "emma", "tim", "abe"] {
        let answer = qonto.explain(&holly, who, "account.close", None).await;
        if allowed(&answer) {
            closers.push(who);
        }
    }
    assert_eq!(closers, ["holly"]);
    for action in [
        "settings.manage",
        "billing.manage",
        "member.invite",
        "role.assign",
        "api_key.manage",
        "transfer.approve.all",
        "expense.approve.all",
    ] {
        let answer = qonto.explain(&holly, "andy", action, None).await;
        assert!(allowed(&answer), "andy {action}: {answer}");
    }
}

/// "Admin: He is granted the same rights as the Account Holder" (making admins among them),
/// "However, is not allowed to request the account closure" — the account holder's role
/// stays the account holder's.
#[tokio::test]
async fn qonto_admins_make_admins_but_never_account_holders() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let andy = qonto.login("andy").await;
    let (status, body) = andy
        .put(
            &qonto.grants("tim"),
            json!({"grants": [{"role": "employee"}, {"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(roles_of(&body), ["employee", "admin"]);
    let (status, body) = andy
        .put(
            &qonto.grants("emma"),
            json!({"grants": [{"role": "employee"}, {"role": "account_holder"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = andy
        .put(&qonto.grants("holly"), json!({"grants": []}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = qonto
        .login("holly")
        .await
        .put(&qonto.grants("holly"), json!({"grants": []}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");
}

/// The Qonto preset's rule "exactly one account holder, the only one who may request the
/// account's closure", from the seed's "Account Holder ... can request the account closure"
/// while an admin "is not allowed to".
#[tokio::test]
async fn qonto_keeps_exactly_one_account_holder() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    let body = json!({"grants": [{"role": "admin"}, {"role": "account_holder"}]});
    let (status, preview) = holly
        .post(&format!("{}/preview", qonto.grants("andy")), body.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], false, "{preview}");
    assert_eq!(preview["code"], "single_holder", "{preview}");
    let (status, refused) = holly.put(&qonto.grants("andy"), body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(code(&refused), "single_holder");
    let andy = qonto.explain(&holly, "andy", "account.close", None).await;
    assert!(!allowed(&andy), "{andy}");
}

/// The same rule through an invitation: "exactly one account holder, the only one who may
/// request the account's closure".
#[tokio::test]
async fn qonto_invites_no_second_account_holder() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    let (status, body) = holly
        .post(
            &qonto.path("/members"),
            json!({"email": "second@qonto.example", "name": "Second Holder",
                   "grants": [{"role": "account_holder"}]}),
        )
        .await;
    if status == StatusCode::CREATED {
        let second = explain(
            &holly,
            qonto.org,
            body["id"].as_i64().unwrap(),
            "account.close",
            None,
            None,
        )
        .await;
        panic!("a second account holder was invited: {body}; may close the account: {second}");
    }
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "single_holder");
}

/// "Their scope of permissions will apply either on a Team level or at the Whole company
/// level."
#[tokio::test]
async fn qonto_managers_act_on_their_team_or_the_whole_company() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    let ops = qonto.team("Ops");
    let emmas = expense_of(&holly, qonto.org, qonto.id("emma"), "submitted").await;
    let tims = expense_of(&holly, qonto.org, qonto.id("tim"), "submitted").await;

    let ops_view = qonto
        .explain(&holly, "mia", "expense.view", Some(&expense_res(&emmas)))
        .await;
    assert!(allowed(&ops_view), "{ops_view}");
    assert_eq!(ops_view["team_id"], ops);
    let tech_view = qonto
        .explain(&holly, "mia", "expense.view", Some(&expense_res(&tims)))
        .await;
    assert!(!allowed(&tech_view), "{tech_view}");
    assert_eq!(tech_view["code"], "out_of_scope");
    let card = qonto
        .explain(&holly, "mia", "card.issue", Some(&qonto.member_res("emma")))
        .await;
    assert!(allowed(&card), "{card}");
    let card = qonto
        .explain(&holly, "mia", "card.issue", Some(&qonto.member_res("tim")))
        .await;
    assert!(!allowed(&card), "{card}");
    let mia = qonto.login("mia").await;
    let seen = owners(&mia.all_expenses(qonto.org, "").await);
    assert!(seen.contains(&qonto.id("emma")), "{seen:?}");
    assert!(!seen.contains(&qonto.id("tim")), "{seen:?}");

    // At the whole company level, the same role reaches Tech too.
    let (status, body) = qonto
        .login("andy")
        .await
        .put(
            &qonto.grants("mia"),
            json!({"grants": [{"role": "manager_basic"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let company = qonto
        .explain(&holly, "mia", "expense.view", Some(&expense_res(&tims)))
        .await;
    assert!(allowed(&company), "{company}");
    assert_eq!(company["team_id"], Value::Null);
    let seen = owners(&mia.all_expenses(qonto.org, "").await);
    assert!(seen.contains(&qonto.id("tim")), "{seen:?}");
}

/// "💡Good to know : All reviews and approval permissions are part of the Advanced Manager
/// role only."
#[tokio::test]
async fn qonto_reviews_and_approvals_belong_to_the_advanced_manager_only() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    let emma = qonto.id("emma");
    let emmas = expense_of(&holly, qonto.org, emma, "submitted").await;
    let approve = qonto.path(&format!("/expenses/{}/approve", emmas["id"]));

    let (status, body) = qonto.login("mia").await.post(&approve, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "no_permission");
    for action in [
        "transfer.approve",
        "card.request_approve",
        "transaction.review",
    ] {
        let answer = qonto
            .explain(&holly, "mia", action, Some(&qonto.member_res("emma")))
            .await;
        assert!(!allowed(&answer), "mia {action}: {answer}");
        let answer = qonto
            .explain(&holly, "max", action, Some(&qonto.member_res("emma")))
            .await;
        assert!(allowed(&answer), "max {action}: {answer}");
    }
    let (status, body) = qonto.login("max").await.post(&approve, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["decided_by"], qonto.id("max"));
    // His approvals are Ops's: tim (Tech) is beyond them.
    let tims = expense_of(&holly, qonto.org, qonto.id("tim"), "submitted").await;
    let answer = qonto
        .explain(&holly, "max", "expense.approve", Some(&expense_res(&tims)))
        .await;
    assert!(!allowed(&answer), "{answer}");
}

/// "Employee: Their access is limited to their own transactions, receipts and uploaded
/// invoices. If assigned, they can hold a card and make payments with it. Additionally ...
/// they can submit transfer requests." — "Accountant: ... designed to suit the needs of
/// your external accountant ... they are also able to make transfer requests."
#[tokio::test]
async fn qonto_employees_keep_to_their_own_and_accountants_request_transfers() {
    let server = TestServer::start().await;
    let qonto = Co::of(&server, "qonto");
    let holly = qonto.login("holly").await;
    for (action, may) in [
        ("card.view.own", true),
        ("card.request", true),
        ("transfer.request", true),
        ("expense.view.all", false),
        ("expense.approve", false),
        ("transaction.view.all", false),
    ] {
        let answer = qonto.explain(&holly, "emma", action, None).await;
        assert_eq!(allowed(&answer), may, "emma {action}: {answer}");
    }
    let emma = qonto.login("emma").await;
    let seen = emma.all_expenses(qonto.org, "").await;
    assert_eq!(owners(&seen), BTreeSet::from([qonto.id("emma")]));

    for (action, may) in [
        ("transfer.request", true),
        ("expense.view.all", true),
        ("transaction.view.all", true),
        ("export.create", true),
        ("expense.approve", false),
        ("transfer.approve", false),
        ("member.invite", false),
    ] {
        let answer = qonto.explain(&holly, "abe", action, None).await;
        assert_eq!(allowed(&answer), may, "abe {action}: {answer}");
    }
}

// ---------------------------------------------------------------------------------------
// Plane
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell {
    Yes,
    No,
    /// Allowed for a direct report, refused for an indirect one.
    Direct,
}

/// How a row of the table is asked.
#[derive(Clone, Copy)]
enum Ask {
    /// About a direct report of mo (will) and an indirect one (walt).
    Members,
    /// About their submitted expenses.
    Expenses,
    /// With no resource.
    Company,
}

/// The seed's "What each role can do" table, every row for Admin, Manager, Viewer,
/// Accountant and Worker: "Here is a summary of key capabilities by role."
#[tokio::test]
async fn plane_capability_table_cell_by_cell() {
    use Cell::{Direct, No, Yes};
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let pat = plane.login("pat").await;
    let wills = expense_of(&pat, plane.org, plane.id("will"), "submitted").await;
    let walts = expense_of(&pat, plane.org, plane.id("walt"), "submitted").await;
    // The worker column asks about wendy, who manages nobody.
    let columns = ["pat", "mo", "vic", "acct", "wendy"];
    let table: [(&str, &str, Ask, [Cell; 5]); 13] = [
        (
            "View all workers",
            "member.view",
            Ask::Members,
            [Yes, Direct, Yes, No, No],
        ),
        (
            "Manage workers",
            "member.manage",
            Ask::Members,
            [Yes, No, No, No, No],
        ),
        (
            "Run payroll",
            "payroll.run",
            Ask::Company,
            [Yes, No, No, No, No],
        ),
        (
            "Approve expense reports",
            "expense.approve",
            Ask::Expenses,
            [Yes, Direct, No, No, No],
        ),
        (
            "Approve expense reports",
            "report.approve",
            Ask::Members,
            [Yes, Direct, No, No, No],
        ),
        (
            "View reports",
            "analytics.view",
            Ask::Company,
            [Yes, No, Yes, Yes, No],
        ),
        (
            "Manage workspace settings",
            "settings.manage",
            Ask::Company,
            [Yes, No, No, No, No],
        ),
        (
            "Create API keys",
            "api_key.manage",
            Ask::Company,
            [Yes, No, No, No, No],
        ),
        (
            "Manage sandboxes",
            "sandbox.manage",
            Ask::Company,
            [Yes, No, No, No, No],
        ),
        (
            "Submit expense reports",
            "expense.submit.own",
            Ask::Company,
            [No, No, No, No, Yes],
        ),
        (
            "Submit expense reports",
            "report.submit.own",
            Ask::Company,
            [No, No, No, No, Yes],
        ),
        (
            "Accounting / GL exports",
            "export.create",
            Ask::Company,
            [Yes, No, No, Yes, No],
        ),
        (
            "Accounting / GL exports",
            "accounting.manage",
            Ask::Company,
            [Yes, No, No, Yes, No],
        ),
    ];
    let members = [plane.member_res("will"), plane.member_res("walt")];
    let expenses = [expense_res(&wills), expense_res(&walts)];
    let mut wrong = Vec::new();
    for (capability, action, ask, cells) in table {
        for (who, cell) in columns.iter().zip(cells) {
            let answers = match ask {
                Ask::Company => {
                    let a = plane.explain(&pat, who, action, None).await;
                    let v = allowed(&a);
                    if v != (cell == Yes) {
                        wrong.push(format!("{capability} ({action}) / {who}: {a}"));
                    }
                    continue;
                }
                Ask::Members => [
                    plane.explain(&pat, who, action, Some(&members[0])).await,
                    plane.explain(&pat, who, action, Some(&members[1])).await,
                ],
                Ask::Expenses => [
                    plane.explain(&pat, who, action, Some(&expenses[0])).await,
                    plane.explain(&pat, who, action, Some(&expenses[1])).await,
                ],
            };
            let expected = match cell {
                Yes => [true, true],
                No => [false, false],
                Direct => [true, false],
            };
            for (i, (answer, want)) in answers.iter().zip(expected).enumerate() {
                if allowed(answer) != want {
                    let target = ["direct report will", "indirect report walt"][i];
                    wrong.push(format!(
                        "{capability} ({action}) / {who} on {target}: {answer}"
                    ));
                }
            }
        }
    }
    // "View reports | Worker: Own payments only".
    let own = plane
        .explain(
            &pat,
            "wendy",
            "payment.view",
            Some(&plane.member_res("wendy")),
        )
        .await;
    if !allowed(&own) {
        wrong.push(format!("View reports / worker's own payments: {own}"));
    }
    let other = plane
        .explain(
            &pat,
            "wendy",
            "payment.view",
            Some(&plane.member_res("will")),
        )
        .await;
    if allowed(&other) {
        wrong.push(format!(
            "View reports / worker on another's payments: {other}"
        ));
    }
    // A worker with a report of their own is still a worker: will sees nothing of walt.
    for action in ["member.view", "expense.approve"] {
        let resource = if action == "member.view" {
            members[1].clone()
        } else {
            expenses[1].clone()
        };
        let a = plane.explain(&pat, "will", action, Some(&resource)).await;
        if allowed(&a) {
            wrong.push(format!("worker will {action} on walt: {a}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "cells that differ from the seed: {wrong:#?}"
    );
}

/// "Manager—can view and manage their assigned direct reports, including approving expense
/// reports and time off requests".
#[tokio::test]
async fn plane_a_manager_approves_direct_reports_only() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let pat = plane.login("pat").await;
    let mo = plane.login("mo").await;
    let (will, walt) = (plane.id("will"), plane.id("walt"));

    let wills = expense_of(&mo, plane.org, will, "submitted").await;
    assert!(
        wills["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve")),
        "{wills}"
    );
    let (status, body) = mo
        .post(
            &plane.path(&format!("/expenses/{}/approve", wills["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["decided_by"], plane.id("mo"));

    // walt reports to will, not to mo.
    let walts = expense_of(&pat, plane.org, walt, "submitted").await;
    let (status, body) = mo
        .post(
            &plane.path(&format!("/expenses/{}/approve", walts["id"])),
            json!({}),
        )
        .await;
    assert!(
        [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&status),
        "{status}: {body}"
    );
    assert_eq!(
        expense_by_id(&pat, plane.org, &walts["id"]).await["status"],
        "submitted"
    );
    let seen = owners(&mo.all_expenses(plane.org, "").await);
    assert!(seen.contains(&will) && !seen.contains(&walt), "{seen:?}");
    let time_off = plane
        .explain(
            &pat,
            "mo",
            "time_off.approve",
            Some(&plane.member_res("will")),
        )
        .await;
    assert!(allowed(&time_off), "{time_off}");
}

/// "Changing a worker's manager immediately updates access. The new manager gains
/// visibility and the previous manager loses access to that worker's data." — "No
/// historical data is deleted—the change only affects ongoing access."
#[tokio::test]
async fn plane_changing_a_workers_manager_moves_access_at_once() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let pat = plane.login("pat").await;
    let mo = plane.login("mo").await;
    let (will, walt) = (plane.id("will"), plane.id("walt"));
    let walts_before = pat
        .all_expenses(plane.org, &format!("&owner={walt}"))
        .await
        .len();

    let (status, body) = pat
        .put(
            &plane.path(&format!("/members/{walt}/manager")),
            json!({"manager_id": plane.id("mo")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let walts = expense_of(&mo, plane.org, walt, "submitted").await;
    let (status, body) = mo
        .post(
            &plane.path(&format!("/expenses/{}/approve", walts["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "mo now approves walt's: {body}");

    let wills = expense_of(&mo, plane.org, will, "submitted").await;
    let (status, body) = pat
        .put(
            &plane.path(&format!("/members/{will}/manager")),
            json!({"manager_id": plane.id("frank")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = mo
        .get(&plane.path(&format!("/expenses/{}", wills["id"])))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "mo lost will's data");
    let frank = plane
        .explain(&pat, "frank", "expense.approve", Some(&expense_res(&wills)))
        .await;
    assert!(allowed(&frank), "frank approves his new report's: {frank}");
    assert_eq!(
        pat.all_expenses(plane.org, &format!("&owner={walt}"))
            .await
            .len(),
        walts_before,
        "nothing deleted"
    );
}

/// "| Submit expense reports | No | No | No | No | Yes |" — "Workers ... access Plane
/// through a separate portal where they can view their own information, submit expense
/// reports, manage documents, and track payments."
#[tokio::test]
async fn plane_only_workers_submit_expenses() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    for who in ["pat", "mo", "vic", "acct", "frank"] {
        let (status, body) = plane
            .login(who)
            .await
            .post(&plane.path("/expenses"), new_expense("Fuel"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
    }
    let will = plane.login("will").await;
    let (status, created) = will
        .post(&plane.path("/expenses"), new_expense("Fuel"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, body) = will
        .post(
            &plane.path(&format!("/expenses/{}/submit", created["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "submitted");
    // And the viewer reads it, changing nothing.
    let vic = plane.login("vic").await;
    let seen = expense_by_id(&vic, plane.org, &created["id"]).await;
    assert_eq!(seen["allowed_actions"], json!([]));
    let (status, body) = vic
        .post(
            &plane.path(&format!("/expenses/{}/approve", created["id"])),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "read_only_role");
}

/// "Workers can only see their own data. They cannot view other workers' information,
/// payroll details, or organizational settings."
#[tokio::test]
async fn plane_workers_see_only_their_own_data() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let (will_id, walt) = (plane.id("will"), plane.id("walt"));
    let will = plane.login("will").await;
    let seen = will.all_expenses(plane.org, "").await;
    assert_eq!(owners(&seen), BTreeSet::from([will_id]), "not even walt's");
    let (status, _) = will.get(&plane.path(&format!("/members/{walt}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = will.get(&plane.path("/members")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let listed: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [will_id]);
    for action in ["payroll.view", "settings.view", "member.view.all"] {
        let answer = explain(&will, plane.org, will_id, action, None, None).await;
        assert!(!allowed(&answer), "will {action}: {answer}");
    }
}

/// "Full access manager—has broader visibility across workers beyond their own direct
/// reports" — "Direct reports payer—can initiate and approve payments for their direct
/// reports" — "Payment request assistant—can assist with payment requests".
#[tokio::test]
async fn plane_manager_subtypes_refine_what_a_manager_does() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let pat = plane.login("pat").await;
    let (walt, will, wendy) = (
        plane.member_res("walt"),
        plane.member_res("will"),
        plane.member_res("wendy"),
    );
    let walts = expense_of(&pat, plane.org, plane.id("walt"), "submitted").await;

    let sees = plane
        .explain(&pat, "frank", "member.view", Some(&walt))
        .await;
    assert!(allowed(&sees), "{sees}");
    let sees = plane
        .explain(&pat, "frank", "expense.view", Some(&expense_res(&walts)))
        .await;
    assert!(allowed(&sees), "{sees}");
    let approves = plane
        .explain(&pat, "frank", "expense.approve", Some(&expense_res(&walts)))
        .await;
    assert!(
        !allowed(&approves),
        "visibility is not approval: {approves}"
    );

    for action in ["payment.initiate", "payment.approve"] {
        let direct = plane.explain(&pat, "dora", action, Some(&wendy)).await;
        assert!(allowed(&direct), "dora {action} wendy: {direct}");
        let other = plane.explain(&pat, "dora", action, Some(&will)).await;
        assert!(!allowed(&other), "dora {action} will: {other}");
    }
    let approves = plane
        .explain(&pat, "dora", "expense.approve", Some(&wendy))
        .await;
    assert!(!allowed(&approves), "{approves}");

    let request = plane
        .explain(&pat, "pam", "payment.request.direct", None)
        .await;
    assert!(allowed(&request), "{request}");
    for action in ["payment.approve", "payment.initiate", "expense.approve"] {
        let answer = plane.explain(&pat, "pam", action, None).await;
        assert!(!allowed(&answer), "pam {action}: {answer}");
    }
}

/// "Every workspace has at least one admin—the account owner." — "How do I give my
/// accountant access to Plane? Invite them from Settings > Users and assign the Accountant
/// role. This gives them access to reports and accounting features without the ability to
/// manage workers or run payroll."
#[tokio::test]
async fn plane_keeps_an_admin_and_invites_accountants() {
    let server = TestServer::start().await;
    let plane = Co::of(&server, "plane");
    let pat = plane.login("pat").await;
    let (status, body) = pat.put(&plane.grants("pat"), json!({"grants": []})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");

    let (status, invited) = pat
        .post(
            &plane.path("/members"),
            json!({"email": "cpa@plane.example", "name": "Cee Pea", "grants": [{"role": "accountant"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let cpa = invited["id"].as_i64().unwrap();
    for (action, may) in [
        ("analytics.view.all", true),
        ("accounting.manage", true),
        ("export.create", true),
        ("member.manage", false),
        ("member.view.all", false),
        ("payroll.run", false),
    ] {
        let answer = explain(&pat, plane.org, cpa, action, None, None).await;
        assert_eq!(allowed(&answer), may, "accountant {action}: {answer}");
    }
    // A second admin makes the first one's role droppable.
    let (status, body) = pat
        .put(&plane.grants("vic"), json!({"grants": [{"role": "admin"}]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = pat
        .put(
            &plane.grants("pat"),
            json!({"grants": [{"role": "viewer"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

// ---------------------------------------------------------------------------------------
// Acme: regressions
// ---------------------------------------------------------------------------------------

/// Regression: "Nothing is merged across grants: each grant reaches its own targets, and a
/// decision names the one grant that allowed it." nora manages Engineering (erin reports to
/// her); a Sales-bound `employee` or `team_manager` grant must not turn her manager rights
/// onto Sales.
#[tokio::test]
async fn acme_a_sales_bound_grant_never_lets_nora_approve_sales_expenses() {
    let server = TestServer::start().await;
    let org = server.acme();
    let sales = server.team("Acme", "Sales");
    let [nora, mark, alice, bob, erin] =
        ["nora", "mark", "alice", "bob", "erin"].map(|p| server.member(p));
    let olivia = server.login("olivia").await;
    let grants = format!("/api/v1/orgs/{org}/members/{nora}/grants");
    let marks = expense_of(&olivia, org, mark, "submitted").await;
    let alices = expense_of(&olivia, org, alice, "submitted").await;
    let erins = expense_of(&olivia, org, erin, "submitted").await;

    // The preview shows what a Sales-bound team manager grant adds, with its team.
    let with_team_manager =
        json!({"grants": [{"role": "manager"}, {"role": "team_manager", "team_id": sales}]});
    let (status, preview) = olivia
        .post(&format!("{grants}/preview"), with_team_manager.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], true, "{preview}");
    let gained: Vec<&str> = preview["gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for p in ["expense.view.team", "card.issue.team", "member.view.team"] {
        assert!(
            gained.contains(&format!("{p}@{sales}").as_str()),
            "{p}: {gained:?}"
        );
    }
    assert!(
        !gained.iter().any(|g| g.starts_with("expense.approve")),
        "{gained:?}"
    );
    assert_eq!(preview["lost"], json!([]));
    let people: BTreeSet<i64> = preview["people_gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(people, BTreeSet::from([mark, alice, bob]), "{preview}");

    let nora_session = server.login("nora").await;
    for (label, body) in [
        (
            "employee@Sales",
            json!({"grants": [{"role": "manager"}, {"role": "employee", "team_id": sales}]}),
        ),
        ("team_manager@Sales", with_team_manager),
    ] {
        let (status, updated) = olivia.put(&grants, body).await;
        assert_eq!(status, StatusCode::OK, "{label}: {updated}");
        let manager_grant = updated["grants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["role"] == "manager")
            .unwrap()["id"]
            .clone();
        for e in [&marks, &alices] {
            let (status, body) = nora_session
                .post(
                    &format!("/api/v1/orgs/{org}/expenses/{}/approve", e["id"]),
                    json!({}),
                )
                .await;
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
                "{label}: nora approved {}: {status} {body}",
                e["owner_name"]
            );
            assert_eq!(
                expense_by_id(&olivia, org, &e["id"]).await["status"],
                "submitted"
            );
            let why = explain(
                &olivia,
                org,
                nora,
                "expense.approve",
                Some(&expense_res(e)),
                None,
            )
            .await;
            assert!(!allowed(&why), "{label}: {why}");
            assert_eq!(why["code"], "out_of_scope", "{label}: {why}");
        }
        // Her own report's: allowed by the grant that really allows it.
        let why = explain(
            &olivia,
            org,
            nora,
            "expense.approve",
            Some(&expense_res(&erins)),
            None,
        )
        .await;
        assert!(allowed(&why), "{label}: {why}");
        assert_eq!(why["grant_id"], manager_grant, "{label}: {why}");
        assert_eq!(why["role"], "manager");
        assert_eq!(why["permission"], "expense.approve.team");
        assert_eq!(why["team_id"], Value::Null);
    }
    // With the team manager grant she sees Sales's expenses, without an approve button.
    let seen = nora_session.all_expenses(org, "&status=submitted").await;
    let sales_seen: Vec<&Value> = seen.iter().filter(|e| e["owner_id"] == alice).collect();
    assert!(!sales_seen.is_empty(), "{seen:?}");
    for e in sales_seen {
        assert!(
            !e["allowed_actions"]
                .as_array()
                .unwrap()
                .contains(&json!("approve")),
            "{e}"
        );
    }
    let (status, body) = nora_session
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/approve", erins["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Regression, the preview's half: "Permissions the member would gain (not covered by what
/// they hold now); those of team-bound grants end in `@TEAM_ID`." A Sales-bound `employee`
/// grant adds nothing to a manager who holds all of it company-wide: one's own data is one's
/// own whatever team a grant names.
#[tokio::test]
async fn acme_a_sales_bound_employee_grant_gains_nora_nothing() {
    let server = TestServer::start().await;
    let org = server.acme();
    let sales = server.team("Acme", "Sales");
    let nora = server.member("nora");
    let (status, preview) = server
        .login("olivia")
        .await
        .post(
            &format!("/api/v1/orgs/{org}/members/{nora}/grants/preview"),
            json!({"grants": [{"role": "manager"}, {"role": "employee", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["allowed"], true);
    assert_eq!(preview["people_gained"], json!([]), "{preview}");
    assert_eq!(preview["gained"], json!([]), "{preview}");
    assert_eq!(preview["lost"], json!([]), "{preview}");
}

/// Regression: "a bound grant reaches the team's members and nothing else" — even for an
/// unscoped permission such as `member.archive`.
#[tokio::test]
async fn acme_a_sales_bound_custom_role_archives_in_sales_only() {
    let server = TestServer::start().await;
    let org = server.acme();
    let sales = server.team("Acme", "Sales");
    let [bea, bob, erin, fiona] = ["bea", "bob", "erin", "fiona"].map(|p| server.member(p));
    let olivia = server.login("olivia").await;
    let (status, role) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/roles"),
            json!({"key": "sales_archiver", "name": "Sales archiver", "permissions": ["member.archive"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{role}");
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{bea}/grants"),
            json!({"grants": [{"role": "accountant"}, {"role": "sales_archiver", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let why = explain(
        &olivia,
        org,
        bea,
        "member.archive",
        Some(&format!("member:{erin}")),
        None,
    )
    .await;
    assert!(!allowed(&why), "{why}");
    let why = explain(&olivia, org, bea, "member.archive", None, None).await;
    assert!(!allowed(&why), "not company-wide: {why}");
    let why = explain(
        &olivia,
        org,
        bea,
        "member.archive",
        Some(&format!("member:{bob}")),
        None,
    )
    .await;
    assert!(allowed(&why), "{why}");
    assert_eq!(why["team_id"], sales);

    // bea sees every member (accountant), so a refusal is a 403, not a 404.
    let bea_session = server.login("bea").await;
    for (who, id) in [("erin (Engineering)", erin), ("fiona (no team)", fiona)] {
        let (status, body) = bea_session
            .post(
                &format!("/api/v1/orgs/{org}/members/{id}/archive"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
        assert_eq!(code(&body), "out_of_scope", "{who}: {body}");
        let (_, member) = olivia
            .get(&format!("/api/v1/orgs/{org}/members/{id}"))
            .await;
        assert_eq!(member["status"], "active", "{who} unchanged: {member}");
    }
    let (status, body) = bea_session
        .post(
            &format!("/api/v1/orgs/{org}/members/{bob}/archive"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "archived");
}

/// Regression: "a team-bound grant needs a granter who reaches that team (company-wide, or
/// bound to it)": a Sales-bound extended accountant gives an Engineering member nothing.
#[tokio::test]
async fn acme_a_sales_bound_extended_accountant_gives_engineering_nothing() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (sales, engineering) = (
        server.team("Acme", "Sales"),
        server.team("Acme", "Engineering"),
    );
    let [bea, erin, alice] = ["bea", "erin", "alice"].map(|p| server.member(p));
    let adam = server.login("adam").await;
    let (status, body) = adam
        .put(
            &format!("/api/v1/orgs/{org}/members/{bea}/grants"),
            json!({"grants": [{"role": "accountant"},
                              {"role": "accountant_extended", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let bea_session = server.login("bea").await;
    let erins = format!("/api/v1/orgs/{org}/members/{erin}/grants");
    for extra in [
        json!({"role": "expense_reviewer", "team_id": sales}),
        json!({"role": "expense_reviewer", "team_id": engineering}),
        json!({"role": "expense_reviewer"}),
        json!({"role": "accountant"}),
        json!({"role": "employee", "team_id": engineering}),
    ] {
        let body = json!({"grants": [{"role": "employee"}, extra]});
        let (status, refused) = bea_session.put(&erins, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}: {refused}");
        assert_eq!(code(&refused), "not_assignable", "{body}: {refused}");
        let (status, preview) = bea_session.post(&format!("{erins}/preview"), body).await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        assert_eq!(preview["allowed"], false);
        assert_eq!(preview["code"], "not_assignable");
    }
    // Nor take anything away.
    let (status, refused) = bea_session.put(&erins, json!({"grants": []})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(code(&refused), "not_assignable");
    let (_, member) = adam
        .get(&format!("/api/v1/orgs/{org}/members/{erin}"))
        .await;
    assert_eq!(roles_of(&member), ["employee"], "{member}");

    // Within Sales she does.
    let (status, body) = bea_session
        .put(
            &format!("/api/v1/orgs/{org}/members/{alice}/grants"),
            json!({"grants": [{"role": "employee"}, {"role": "expense_reviewer", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // She invites into Sales only, with Sales-bound grants only.
    let invite = |email: &str, team: i64, grant: Value| json!({"email": email, "name": "Newcomer", "team_id": team, "grants": [grant]});
    let members = format!("/api/v1/orgs/{org}/members");
    let (status, body) = bea_session
        .post(
            &members,
            invite(
                "s1@acme.example",
                sales,
                json!({"role": "employee", "team_id": sales}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = bea_session
        .post(
            &members,
            invite(
                "e1@acme.example",
                engineering,
                json!({"role": "employee", "team_id": engineering}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = bea_session
        .post(
            &members,
            invite("s2@acme.example", sales, json!({"role": "employee"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");
}

/// Caps: "The maximum limit the admin is allowed to grant when issuing a new card or
/// changing the limit of an existing card and whether he can issue a card for himself" —
/// the owner sets them on any grant; `max_amount_minor` also caps approvals.
#[tokio::test]
async fn acme_caps_limit_amounts_and_self_issuance() {
    let server = TestServer::start().await;
    let org = server.acme();
    let sales = server.team("Acme", "Sales");
    let [fiona, mark, alice] = ["fiona", "mark", "alice"].map(|p| server.member(p));
    let olivia = server.login("olivia").await;
    let submitted = expense_of(&olivia, org, alice, "submitted").await;
    let amount = submitted["amount_minor"].as_i64().unwrap();
    let fiona_grants = format!("/api/v1/orgs/{org}/members/{fiona}/grants");

    let (status, body) = olivia
        .put(
            &fiona_grants,
            json!({"grants": [{"role": "finance", "max_amount_minor": amount - 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["grants"][0]["max_amount_minor"], amount - 1);
    let above = explain(&olivia, org, fiona, "expense.approve", None, Some(amount)).await;
    assert!(!allowed(&above), "{above}");
    assert_eq!(above["code"], "over_cap");
    let at = explain(
        &olivia,
        org,
        fiona,
        "expense.approve",
        None,
        Some(amount - 1),
    )
    .await;
    assert!(allowed(&at), "{at}");
    let on_it = explain(
        &olivia,
        org,
        fiona,
        "expense.approve",
        Some(&expense_res(&submitted)),
        None,
    )
    .await;
    assert_eq!(on_it["code"], "over_cap", "{on_it}");
    let fiona_session = server.login("fiona").await;
    let approve = format!("/api/v1/orgs/{org}/expenses/{}/approve", submitted["id"]);
    let (status, body) = fiona_session.post(&approve, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "over_cap");
    assert_eq!(
        expense_by_id(&olivia, org, &submitted["id"]).await["status"],
        "submitted"
    );

    let (status, body) = olivia
        .put(
            &fiona_grants,
            json!({"grants": [{"role": "finance", "max_amount_minor": amount}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = fiona_session.post(&approve, json!({})).await;
    assert_eq!(status, StatusCode::OK, "at the cap: {body}");

    // A team manager's cap and no cards for himself.
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{mark}/grants"),
            json!({"grants": [{"role": "manager"},
                              {"role": "team_manager", "team_id": sales, "max_amount_minor": 50_000,
                               "self_issue": false}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let alice_res = format!("member:{alice}");
    let mark_res = format!("member:{mark}");
    let above = explain(
        &olivia,
        org,
        mark,
        "card.issue",
        Some(&alice_res),
        Some(50_001),
    )
    .await;
    assert_eq!(above["code"], "over_cap", "{above}");
    let at = explain(
        &olivia,
        org,
        mark,
        "card.issue",
        Some(&alice_res),
        Some(50_000),
    )
    .await;
    assert!(allowed(&at), "{at}");
    assert_eq!(at["team_id"], sales);
    for action in ["card.issue", "card.limits"] {
        let own = explain(&olivia, org, mark, action, Some(&mark_res), None).await;
        assert!(!allowed(&own), "{own}");
        assert_eq!(own["code"], "self_issue", "{action}: {own}");
    }
    // He cannot lift either himself.
    let (status, body) = server
        .login("mark")
        .await
        .put(
            &format!("/api/v1/orgs/{org}/members/{mark}/grants"),
            json!({"grants": [{"role": "manager"}, {"role": "team_manager", "team_id": sales}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

/// Caps: `max_amount_minor` is "the highest card limit its holder may set, or amount they
/// may approve, in minor units of the company currency". An expense in another currency
/// cannot be shown to be within the cap, so a capped grant must not approve it.
#[tokio::test]
async fn acme_a_cap_holds_for_expenses_in_another_currency() {
    let server = TestServer::start().await;
    let org = server.acme();
    let fiona = server.member("fiona");
    let alice = server.login("alice").await;
    let (status, created) = alice
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 1_000_000, "currency": "USD", "merchant": "Big Hotel NYC",
                   "spent_on": "2026-11-06"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let path = format!("/api/v1/orgs/{org}/expenses/{}", created["id"]);
    let (status, body) = alice.post(&format!("{path}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let olivia = server.login("olivia").await;
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{fiona}/grants"),
            json!({"grants": [{"role": "finance", "max_amount_minor": 5_000}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let why = explain(
        &olivia,
        org,
        fiona,
        "expense.approve",
        Some(&expense_res(&created)),
        None,
    )
    .await;
    assert!(!allowed(&why), "USD 10,000 past a EUR 50 cap: {why}");
    let (status, body) = server
        .login("fiona")
        .await
        .post(&format!("{path}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        expense_by_id(&olivia, org, &created["id"]).await["status"],
        "submitted"
    );
}

/// External members in Acme too: "external bookkeepers are members of kind `external` and
/// never hold cards".
#[tokio::test]
async fn acme_external_members_hold_no_cards() {
    let server = TestServer::start().await;
    let org = server.acme();
    let olivia = server.login("olivia").await;
    let (status, invited) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "ext@books.example", "name": "Ext Books", "kind": "external",
                   "grants": [{"role": "accountant"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let ext = invited["id"].as_i64().unwrap();
    let request = explain(&olivia, org, ext, "card.request", None, None).await;
    assert!(!allowed(&request), "{request}");
    for role in ["employee", "manager", "finance"] {
        let (status, body) = olivia
            .put(
                &format!("/api/v1/orgs/{org}/members/{ext}/grants"),
                json!({"grants": [{"role": "accountant"}, {"role": role}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{role}: {body}");
        assert_eq!(code(&body), "external_no_cards");
    }
    // Internal again, the same grant is fine.
    let (status, body) = olivia
        .patch(
            &format!("/api/v1/orgs/{org}/members/{ext}"),
            json!({"kind": "internal"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{ext}/grants"),
            json!({"grants": [{"role": "accountant"}, {"role": "employee"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// "Finance: Sees all spending, has final approval authority and may override decisions"
/// — an override turns a rejected expense into an approved one, with a reason, never on
/// one's own expense and never by a manager.
#[tokio::test]
async fn acme_finance_overrides_a_rejected_expense_with_a_reason() {
    let server = TestServer::start().await;
    let org = server.acme();
    let [alice, bob] = ["alice", "bob"].map(|p| server.member(p));
    let fiona = server.login("fiona").await;
    let rejected = expense_of(&fiona, org, alice, "rejected").await;
    let path = format!("/api/v1/orgs/{org}/expenses/{}/override", rejected["id"]);

    for body in [
        json!({"decision": "approve"}),
        json!({"decision": "approve", "reason": "   "}),
    ] {
        let (status, err) = fiona.post(&path, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
        assert_eq!(err["error"]["field"], "reason", "{err}");
    }
    let (status, err) = fiona
        .post(&path, json!({"decision": "maybe", "reason": "x"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "decision");
    assert_eq!(
        expense_by_id(&fiona, org, &rejected["id"]).await["status"],
        "rejected"
    );

    let (status, body) = fiona
        .post(
            &path,
            json!({"decision": "approve", "reason": "receipt found in the shared drive"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["override_reason"], "receipt found in the shared drive");

    // A manager has no override.
    let bobs = expense_of(&fiona, org, bob, "rejected").await;
    let (status, body) = server
        .login("mark")
        .await
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/override", bobs["id"]),
            json!({"decision": "approve", "reason": "he is my report"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        expense_by_id(&fiona, org, &bobs["id"]).await["status"],
        "rejected"
    );

    // Never her own: she files one, olivia rejects it, fiona may not overturn it.
    let (status, own) = fiona
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            new_expense("Conference"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let own_path = format!("/api/v1/orgs/{org}/expenses/{}", own["id"]);
    let (status, body) = fiona.post(&format!("{own_path}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server
        .login("olivia")
        .await
        .post(
            &format!("{own_path}/reject"),
            json!({"reason": "not a business cost"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = fiona
        .post(
            &format!("{own_path}/override"),
            json!({"decision": "approve", "reason": "it was"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    assert_eq!(
        expense_by_id(&fiona, org, &own["id"]).await["status"],
        "rejected"
    );
}
