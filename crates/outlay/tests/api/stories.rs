//! The acceptance stories of the foundation, told as the demo people live them: who sees
//! which expenses, who may approve, what auditors and admins may not do, what the owner
//! rule keeps, and how a change of manager moves access at once.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn owners(items: &[Value]) -> BTreeSet<i64> {
    items
        .iter()
        .map(|e| e["owner_id"].as_i64().unwrap())
        .collect()
}

fn ids(items: &[Value]) -> BTreeSet<i64> {
    items.iter().map(|e| e["id"].as_i64().unwrap()).collect()
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

/// A manager reads his whole list, then one report's: the second answer has that report's
/// expenses only, however the server remembered how to read the first.
#[tokio::test]
async fn a_list_filtered_by_owner_after_the_whole_list_shows_that_owner_only() {
    let server = TestServer::start().await;
    let org = server.acme();
    let [mark, bob, alice] = ["mark", "bob", "alice"].map(|p| server.member(p));
    let session = server.login("mark").await;

    let all = session.all_expenses(org, "").await;
    assert_eq!(owners(&all), BTreeSet::from([mark, alice, bob]));
    for (owner, status) in [(bob, None), (alice, None), (bob, Some("submitted"))] {
        let query = match status {
            Some(s) => format!("&owner={owner}&status={s}"),
            None => format!("&owner={owner}"),
        };
        let theirs = session.all_expenses(org, &query).await;
        assert!(!theirs.is_empty(), "{query}");
        assert_eq!(owners(&theirs), BTreeSet::from([owner]), "{query}");
        let expected = all
            .iter()
            .filter(|e| e["owner_id"] == owner)
            .filter(|e| status.is_none_or(|s| e["status"] == s))
            .count();
        assert_eq!(theirs.len(), expected, "{query}");
    }
    let again = session.all_expenses(org, "").await;
    assert_eq!(ids(&again), ids(&all), "the whole list is unchanged");
}

#[tokio::test]
async fn each_person_sees_the_expenses_their_scope_reaches() {
    let server = TestServer::start().await;
    let org = server.acme();
    let [alice, bob, mark, erin, nora] =
        ["alice", "bob", "mark", "erin", "nora"].map(|p| server.member(p));

    let fiona = server.login("fiona").await;
    let everything = fiona.all_expenses(org, "").await;
    let acme_owners = owners(&everything);
    assert!(
        acme_owners.is_superset(&BTreeSet::from([alice, bob, mark, erin, nora])),
        "fiona (finance) sees every employee's and manager's: {acme_owners:?}"
    );

    let seen = server.login("alice").await.all_expenses(org, "").await;
    assert!(!seen.is_empty());
    assert_eq!(
        owners(&seen),
        BTreeSet::from([alice]),
        "alice sees only hers"
    );

    let seen = server.login("mark").await.all_expenses(org, "").await;
    assert_eq!(
        owners(&seen),
        BTreeSet::from([mark, alice, bob]),
        "mark sees his own and his reports', not erin's"
    );

    let audrey = server.login("audrey").await.all_expenses(org, "").await;
    assert_eq!(
        ids(&audrey),
        ids(&everything),
        "audrey (auditor) sees all of Acme's"
    );

    // Nobody in Acme sees Globex's expenses, and Globex's owner sees none of Acme's.
    let gina = server.login("gina").await;
    let globex_expenses = gina.all_expenses(server.globex(), "").await;
    assert!(!globex_expenses.is_empty());
    assert!(ids(&globex_expenses).is_disjoint(&ids(&everything)));
    for id in ids(&everything).into_iter().take(10) {
        let (status, body) = gina.get(&format!("/api/v1/orgs/{org}/expenses/{id}")).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "gina must not see Acme's expense {id}: {body}"
        );
        // Nor through her own company's id in the path.
        let (status, _) = gina
            .get(&format!("/api/v1/orgs/{}/expenses/{id}", server.globex()))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = gina.get(&format!("/api/v1/orgs/{org}/expenses")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "Acme itself is invisible to gina"
    );
    let (status, _) = fiona
        .get(&format!("/api/v1/orgs/{}/expenses", server.globex()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Out of alice's sight is a 404, not a 403: no existence leaks.
    let erins = expense_of(&fiona, org, erin, "draft").await;
    let (status, _) = server
        .login("alice")
        .await
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", erins["id"]))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mark_approves_alices_expense_but_never_his_own() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark_id) = (server.member("alice"), server.member("mark"));
    let mark = server.login("mark").await;

    let submitted = expense_of(&mark, org, alice, "submitted").await;
    let actions = submitted["allowed_actions"].as_array().unwrap();
    assert!(actions.contains(&json!("approve")), "{submitted}");
    let (status, approved) = mark
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/approve", submitted["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], mark_id);

    let own = expense_of(&mark, org, mark_id, "submitted").await;
    assert!(
        !own["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve")),
        "no approve button on his own: {own}"
    );
    let (status, body) = mark
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/approve", own["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "four_eyes");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("four-eyes"));
    let (status, body) = mark
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/reject", own["id"]),
            json!({"reason": "no"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(code(&body), "four_eyes");

    // alice cannot approve anything, not even someone else's she could never see.
    let bobs = expense_of(&mark, org, server.member("bob"), "submitted").await;
    let (status, _) = server
        .login("alice")
        .await
        .post(
            &format!("/api/v1/orgs/{org}/expenses/{}/approve", bobs["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The refusal is in the audit log, with who, what, target and outcome.
    let olivia = server.login("olivia").await;
    let (status, audit) = olivia
        .get(&format!("/api/v1/orgs/{org}/audit?limit=500"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let refused = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["action"] == "expense.approve"
                && e["target"] == format!("expense:{}", own["id"])
                && e["actor_member_id"] == mark_id
        })
        .unwrap_or_else(|| panic!("the refused approval is audited: {audit}"));
    assert_ne!(refused["outcome"], "allowed");
    assert!(refused["reason"].as_str().unwrap().contains("four"));
}

#[tokio::test]
async fn audrey_reads_everything_and_changes_nothing() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.member("alice");
    let audrey = server.login("audrey").await;
    let submitted = expense_of(&audrey, org, alice, "submitted").await;
    let draft = expense_of(&audrey, org, alice, "draft").await;
    assert_eq!(submitted["allowed_actions"], json!([]), "{submitted}");
    let expense = |id: &Value, tail: &str| format!("/api/v1/orgs/{org}/expenses/{id}{tail}");

    let attempts = [
        audrey
            .post(
                &format!("/api/v1/orgs/{org}/expenses"),
                json!({"amount_minor": 1200, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-01"}),
            )
            .await,
        audrey
            .post(&expense(&submitted["id"], "/approve"), json!({}))
            .await,
        audrey
            .post(
                &expense(&submitted["id"], "/reject"),
                json!({"reason": "audit"}),
            )
            .await,
        audrey
            .patch(&expense(&draft["id"], ""), json!({"merchant": "X"}))
            .await,
        audrey.delete(&expense(&draft["id"], "")).await,
        audrey
            .post(
                &format!("/api/v1/orgs/{org}/members"),
                json!({"email": "new@acme.example", "name": "New", "grants": [{"role": "employee"}]}),
            )
            .await,
        audrey
            .put(
                &format!("/api/v1/orgs/{org}/members/{alice}/grants"),
                json!({"grants": [{"role": "finance"}]}),
            )
            .await,
        audrey
            .put(
                &format!("/api/v1/orgs/{org}/members/{alice}/manager"),
                json!({"manager_id": null}),
            )
            .await,
        audrey
            .post(&format!("/api/v1/orgs/{org}/members/{alice}/archive"), json!({}))
            .await,
        audrey
            .post(&format!("/api/v1/orgs/{org}/teams"), json!({"name": "Audit"}))
            .await,
        audrey
            .post(
                &format!("/api/v1/orgs/{org}/roles"),
                json!({"key": "peek", "name": "Peek", "permissions": ["expense.view.own"]}),
            )
            .await,
    ];
    for (i, (status, body)) in attempts.iter().enumerate() {
        assert_eq!(
            *status,
            StatusCode::FORBIDDEN,
            "audrey's write #{i} must be refused: {body}"
        );
    }
    // Nothing changed.
    let after = expense_of(&audrey, org, alice, "draft").await;
    assert_eq!(after, draft);
    let (_, member) = audrey
        .get(&format!("/api/v1/orgs/{org}/members/{alice}"))
        .await;
    assert_eq!(member["status"], "active");
    assert_eq!(member["grants"][0]["role"], "employee");
}

#[tokio::test]
async fn an_approved_expense_is_final_for_everyone() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice_id = server.member("alice");
    // alice owns it and olivia holds every right: both meet the rule itself (409). fiona and
    // mark lack the right to edit others' expenses at all (403). Nobody changes it.
    // Only an override (finance, owners) or a correction with a reason (finance, owners)
    // remains.
    for (who, refusal, actions) in [
        ("alice", StatusCode::CONFLICT, json!([])),
        (
            "olivia",
            StatusCode::CONFLICT,
            json!(["override", "correct"]),
        ),
        (
            "fiona",
            StatusCode::FORBIDDEN,
            json!(["override", "correct"]),
        ),
        ("mark", StatusCode::FORBIDDEN, json!([])),
    ] {
        let session = server.login(who).await;
        let approved = expense_of(&session, org, alice_id, "approved").await;
        assert_eq!(approved["allowed_actions"], actions, "{who}: {approved}");
        let path = format!("/api/v1/orgs/{org}/expenses/{}", approved["id"]);
        let (status, body) = session.patch(&path, json!({"amount_minor": 1})).await;
        assert_eq!(status, refusal, "{who} edits: {body}");
        let (status, body) = session.delete(&path).await;
        assert_eq!(status, refusal, "{who} deletes: {body}");
        if refusal == StatusCode::CONFLICT {
            assert_eq!(code(&body), "approved_immutable");
        }
        let (status, unchanged) = session.get(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(unchanged, approved);
    }
}

#[tokio::test]
async fn alice_creates_edits_submits_and_deletes_her_own_drafts() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let (status, created) = alice
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 4250, "currency": "EUR", "merchant": "Train", "spent_on": "2026-11-20", "category": "travel"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["owner_id"], server.member("alice"));
    assert_eq!(
        created["allowed_actions"],
        json!(["edit", "delete", "submit"])
    );
    let path = format!("/api/v1/orgs/{org}/expenses/{}", created["id"]);

    let (status, edited) = alice.patch(&path, json!({"amount_minor": 4300})).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["amount_minor"], 4300);
    assert_eq!(edited["merchant"], "Train");

    let (status, submitted) = alice.post(&format!("{path}/submit"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "submitted");

    // The newest comes first in her list.
    let (_, page) = alice
        .get(&format!("/api/v1/orgs/{org}/expenses?limit=1"))
        .await;
    assert_eq!(page["items"][0]["id"], created["id"]);
    assert!(page["next_cursor"].is_string());

    let (status, draft) = alice
        .post(
            &format!("/api/v1/orgs/{org}/expenses"),
            json!({"amount_minor": 100, "currency": "USD", "merchant": "Pens", "spent_on": "2026-11-21"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let draft_path = format!("/api/v1/orgs/{org}/expenses/{}", draft["id"]);
    let (status, _) = alice.delete(&draft_path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = alice.get(&draft_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let path = format!("/api/v1/orgs/{org}/expenses");
    let cases = [
        (
            json!({"amount_minor": -5, "currency": "EUR", "merchant": "M", "spent_on": "2026-11-01"}),
            "amount_minor",
        ),
        (
            json!({"amount_minor": 5, "currency": "euro", "merchant": "M", "spent_on": "2026-11-01"}),
            "currency",
        ),
        (
            json!({"amount_minor": 5, "currency": "EUR", "merchant": "", "spent_on": "2026-11-01"}),
            "merchant",
        ),
        (
            json!({"amount_minor": 5, "currency": "EUR", "merchant": "M", "spent_on": "2026-13-40"}),
            "spent_on",
        ),
        (
            json!({"amount_minor": 5.5, "currency": "EUR", "merchant": "M", "spent_on": "2026-11-01"}),
            "amount_minor",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = alice.post(&path, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} -> {err}");
        assert_eq!(err["error"]["code"], "invalid_input");
        assert_eq!(err["error"]["field"], field, "{body} -> {err}");
    }
    for query in ["?limit=0", "?limit=501", "?status=paid", "?cursor=zzz"] {
        let (status, err) = alice.get(&format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {err}");
    }
    let (status, _) = server.anonymous().get(&path).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_owners_make_admins_and_the_last_owner_stays() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, bob, olivia_id) = (
        server.member("alice"),
        server.member("bob"),
        server.member("olivia"),
    );
    let grants = |m: i64| format!("/api/v1/orgs/{org}/members/{m}/grants");

    let adam = server.login("adam").await;
    let (status, body) = adam
        .put(&grants(alice), json!({"grants": [{"role": "admin"}]}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let (status, body) = adam
        .put(&grants(alice), json!({"grants": [{"role": "owner"}]}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // adam may grant every other role.
    let (status, body) = adam
        .put(
            &grants(bob),
            json!({"grants": [{"role": "employee"}, {"role": "finance"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let olivia = server.login("olivia").await;
    let (status, body) = olivia
        .put(
            &grants(alice),
            json!({"grants": [{"role": "employee"}, {"role": "admin"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let roles: Vec<&str> = body["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["role"].as_str().unwrap())
        .collect();
    assert!(roles.contains(&"admin"), "{body}");

    // olivia is the only owner: she can neither drop the role nor be archived.
    let (status, body) = olivia
        .put(&grants(olivia_id), json!({"grants": [{"role": "admin"}]}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");
    let (status, body) = olivia
        .post(
            &format!("/api/v1/orgs/{org}/members/{olivia_id}/archive"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "last_owner");
    let (status, me) = olivia.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["memberships"][0]["roles"], json!(["owner"]));
}

#[tokio::test]
async fn moving_alice_to_nora_moves_her_expenses_at_once_and_deletes_nothing() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, nora_id) = (server.member("alice"), server.member("nora"));
    let (mark, nora, fiona) = (
        server.login("mark").await,
        server.login("nora").await,
        server.login("fiona").await,
    );
    let alices = ids(&fiona.all_expenses(org, &format!("&owner={alice}")).await);
    let total_before = fiona.all_expenses(org, "").await.len();
    assert!(ids(&mark.all_expenses(org, "").await).is_superset(&alices));
    assert!(ids(&nora.all_expenses(org, "").await).is_disjoint(&alices));

    let olivia = server.login("olivia").await;
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{alice}/manager"),
            json!({"manager_id": nora_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["manager_id"], nora_id);

    assert!(ids(&nora.all_expenses(org, "").await).is_superset(&alices));
    assert!(ids(&mark.all_expenses(org, "").await).is_disjoint(&alices));
    assert_eq!(fiona.all_expenses(org, "").await.len(), total_before);
    assert_eq!(
        ids(&fiona.all_expenses(org, &format!("&owner={alice}")).await),
        alices
    );

    // A reporting line that loops is refused.
    let (status, body) = olivia
        .put(
            &format!("/api/v1/orgs/{org}/members/{nora_id}/manager"),
            json!({"manager_id": alice}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "reporting_cycle");
}

#[tokio::test]
async fn explain_names_the_deciding_grant_or_rule() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark) = (server.member("alice"), server.member("mark"));
    let olivia = server.login("olivia").await;
    let submitted = expense_of(&olivia, org, alice, "submitted").await;
    let explain = |member: i64, action: &str, resource: &str| {
        format!(
            "/api/v1/orgs/{org}/authz/explain?member={member}&action={action}&resource={resource}"
        )
    };

    let (status, yes) = olivia
        .get(&explain(
            mark,
            "expense.approve",
            &format!("expense:{}", submitted["id"]),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{yes}");
    assert_eq!(yes["allowed"], true);
    assert_eq!(yes["role"], "manager");
    assert_eq!(yes["permission"], "expense.approve.team");
    assert!(yes["grant_id"].is_i64());

    let (_, no) = olivia
        .get(&explain(
            alice,
            "expense.approve",
            &format!("expense:{}", submitted["id"]),
        ))
        .await;
    assert_eq!(no["allowed"], false);
    assert_eq!(no["code"], "four_eyes", "{no}");

    let erins = expense_of(&olivia, org, server.member("erin"), "submitted").await;
    let (_, out) = olivia
        .get(&explain(
            mark,
            "expense.approve",
            &format!("expense:{}", erins["id"]),
        ))
        .await;
    assert_eq!(out["allowed"], false);
    assert_eq!(out["code"], "out_of_scope", "{out}");

    let (_, ro) = olivia
        .get(&format!(
            "/api/v1/orgs/{org}/authz/explain?member={}&action=member.invite",
            server.member("audrey")
        ))
        .await;
    assert_eq!(ro["allowed"], false);
    assert!(
        ["read_only_role", "no_permission"].contains(&ro["code"].as_str().unwrap()),
        "{ro}"
    );

    // A permission key asks about exactly that scope.
    let (_, team) = olivia
        .get(&format!(
            "/api/v1/orgs/{org}/authz/explain?member={mark}&action=expense.view.team"
        ))
        .await;
    assert_eq!(team["allowed"], true, "{team}");
    assert_eq!(team["permission"], "expense.view.team");
    let (_, all) = olivia
        .get(&format!(
            "/api/v1/orgs/{org}/authz/explain?member={mark}&action=expense.view.all"
        ))
        .await;
    assert_eq!(all["allowed"], false, "{all}");
    assert_eq!(all["code"], "out_of_scope");

    // alice may not ask about others.
    let (status, _) = server
        .login("alice")
        .await
        .get(&format!(
            "/api/v1/orgs/{org}/authz/explain?member={mark}&action=expense.view"
        ))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_permissions_page_lists_every_effective_permission_with_its_source() {
    let server = TestServer::start().await;
    let org = server.acme();
    let mark = server.member("mark");
    let olivia = server.login("olivia").await;
    let (status, catalog) = olivia.get(&format!("/api/v1/orgs/{org}/permissions")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, roles) = olivia.get(&format!("/api/v1/orgs/{org}/roles")).await;
    let manager = roles["items"]
        .as_array()
        .or(roles.as_array())
        .unwrap()
        .iter()
        .find(|r| r["key"] == "manager")
        .unwrap_or_else(|| panic!("{roles}"))
        .clone();

    let (status, perms) = olivia
        .get(&format!("/api/v1/orgs/{org}/members/{mark}/permissions"))
        .await;
    assert_eq!(status, StatusCode::OK, "{perms}");
    let items = perms["items"].as_array().unwrap();
    let listed: BTreeSet<&str> = items
        .iter()
        .map(|p| p["permission"].as_str().unwrap())
        .collect();
    let from_role: BTreeSet<&str> = manager["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(listed, from_role, "mark holds exactly the manager role");
    for p in items {
        assert!(!p["description"].as_str().unwrap().is_empty(), "{p}");
        assert_eq!(p["sources"][0]["role"], "manager", "{p}");
    }
    let catalog_keys: BTreeSet<&str> = catalog["items"]
        .as_array()
        .or(catalog.as_array())
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert!(catalog_keys.len() >= 50, "{}", catalog_keys.len());
    assert!(listed.is_subset(&catalog_keys));

    // alice sees her own page, not mark's.
    let alice = server.login("alice").await;
    let (status, _) = alice
        .get(&format!(
            "/api/v1/orgs/{org}/members/{}/permissions",
            server.member("alice")
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = alice
        .get(&format!("/api/v1/orgs/{org}/members/{mark}/permissions"))
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
        "{status}"
    );
}

#[tokio::test]
async fn an_invited_member_accepts_logs_in_and_an_archived_one_cannot() {
    let server = TestServer::start().await;
    let org = server.acme();
    let adam = server.login("adam").await;
    let (status, invited) = adam
        .post(
            &format!("/api/v1/orgs/{org}/members"),
            json!({"email": "dora@acme.example", "name": "Dora New", "grants": [{"role": "employee"}], "manager_id": server.member("mark")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let token = invited["invitation_token"].as_str().unwrap();
    let anon = server.anonymous();
    let (status, body) = anon
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "short"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "password");
    let (status, body) = anon
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "a long enough passphrase"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // An invitation is used once.
    let (status, _) = anon
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            json!({"password": "another long passphrase"}),
        )
        .await;
    assert_ne!(status, StatusCode::OK);

    let login = json!({"email": "dora@acme.example", "password": "a long enough passphrase"});
    let (status, body) = anon.post("/api/v1/auth/login", login.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let dora = anon.with_token(body["token"].as_str().unwrap());
    let (status, _) = dora.get(&format!("/api/v1/orgs/{org}/expenses")).await;
    assert_eq!(status, StatusCode::OK);
    // mark sees his new report's (empty) expenses and the member.
    let (status, _) = server
        .login("mark")
        .await
        .get(&format!("/api/v1/orgs/{org}/members/{}", invited["id"]))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, archived) = adam
        .post(
            &format!("/api/v1/orgs/{org}/members/{}/archive", invited["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["status"], "archived");
    let (status, body) = dora.get(&format!("/api/v1/orgs/{org}/expenses")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an archived member cannot act: {body}"
    );
    assert_eq!(code(&body), "archived");
    let (status, body) = anon.post("/api/v1/auth/login", login).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor log in: {body}");
    assert_eq!(code(&body), "archived");
    // Their member record stays.
    let (status, kept) = adam
        .get(&format!("/api/v1/orgs/{org}/members/{}", invited["id"]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kept["email"], "dora@acme.example");
}

#[tokio::test]
async fn logout_revokes_the_token_and_wrong_passwords_are_refused() {
    let server = TestServer::start().await;
    let alice = server.login("alice").await;
    let (status, _) = alice.post("/api/v1/auth/logout", json!({})).await;
    assert!(status.is_success(), "{status}");
    let (status, body) = alice.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = server.try_login("alice@acme.example", "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

#[tokio::test]
async fn a_session_ends_when_it_expires_in_a_company_and_outside_one() {
    let (server, clock) = TestServer::start_with_clock().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let expenses = format!("/api/v1/orgs/{org}/expenses");
    for path in [expenses.as_str(), "/api/v1/me"] {
        let (status, body) = alice.get(path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    clock.fetch_add(
        outlay::ops::sessions::SESSION_SECONDS,
        std::sync::atomic::Ordering::SeqCst,
    );
    for path in [expenses.as_str(), "/api/v1/me"] {
        let (status, _) = alice.get(path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn the_audit_log_is_scoped_to_those_who_may_read_it_and_verifies() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (status, _) = server
        .login("alice")
        .await
        .get(&format!("/api/v1/orgs/{org}/audit"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let audrey = server.login("audrey").await;
    let (status, page) = audrey.get(&format!("/api/v1/orgs/{org}/audit")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, verified) = audrey
        .get(&format!("/api/v1/orgs/{org}/audit/verify"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verified["intact"], true, "{verified}");
    let (status, _) = server
        .login("gina")
        .await
        .get(&format!("/api/v1/orgs/{org}/audit"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn refused_explanations_are_audited_against_what_was_asked_about() {
    let server = TestServer::start().await;
    let org = server.acme();
    let alice = server.login("alice").await;
    let erin = server.member("erin");
    let erins = server
        .login("erin")
        .await
        .all_expenses(org, &format!("&owner={erin}"))
        .await
        .into_iter()
        .next()
        .expect("erin has expenses");
    let explain = |member: i64, resource: &str| {
        format!(
            "/api/v1/orgs/{org}/authz/explain?member={member}&action=expense.view&resource={resource}"
        )
    };
    // alice asks about her own rights on an expense she may not see...
    let (status, _) = alice
        .get(&explain(
            server.member("alice"),
            &format!("expense:{}", erins["id"]),
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // ...and about erin's rights, which needs `role.view`.
    let (status, _) = alice.get(&explain(erin, "member:1")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, page) = server
        .login("audrey")
        .await
        .get(&format!("/api/v1/orgs/{org}/audit?limit=50"))
        .await;
    let refusals: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "authz.explain" && e["outcome"] != "allowed")
        .map(|e| {
            (
                e["target"].as_str().unwrap().to_string(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        refusals.contains(&(format!("expense:{}", erins["id"]), "not_visible".into())),
        "{refusals:?}"
    );
    assert!(
        refusals.contains(&(format!("member:{erin}"), "no_permission".into())),
        "{refusals:?}"
    );
}
