//! "May Amy make Carl an admin?" asked of `authz/explain` with the role: the answer is the
//! same `role.assign` decision the grant change itself gets, naming the grant that allows it
//! or the rule that refuses (owner-only roles, roles the granter's grants do not list, caps
//! above the granter's own, a team-bound granter outside its team), and the change then does
//! exactly what the explanation said.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PLIANT: &str = "Pliant Demo";

fn pliant(who: &str) -> String {
    format!("{who}@pliant.example")
}

/// `asker` explains whether `who` may grant `role` (with `extra` query parameters) to `to`.
async fn may_grant(
    server: &TestServer,
    asker: &Session,
    org: i64,
    who: &str,
    role: &str,
    to: &str,
    extra: &str,
) -> Value {
    let path = format!(
        "/api/v1/orgs/{org}/authz/explain?member={}&action=role.assign&role={role}&resource=member:{}{extra}",
        server.member(who),
        server.member(to),
    );
    let (status, body) = asker.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// `session` replaces `whose` grants with `grants`.
async fn put_grants(
    server: &TestServer,
    session: &Session,
    org: i64,
    whose: &str,
    grants: Value,
) -> (StatusCode, Value) {
    let path = format!("/api/v1/orgs/{org}/members/{}/grants", server.member(whose));
    session.put(&path, json!({ "grants": grants })).await
}

#[tokio::test]
async fn explain_answers_who_may_grant_which_role_as_the_change_itself_decides() {
    let server = TestServer::start().await;
    let org = server.org(PLIANT);
    let otto = server.login(&pliant("otto")).await;
    let amy = server.login(&pliant("amy")).await;
    let (amy_, carl, cara) = (pliant("amy"), pliant("carl"), pliant("cara"));

    // Owners alone make admins: the owner asks, and the answer names the rule.
    let answer = may_grant(&server, &otto, org, &amy_, "admin", &carl, "").await;
    assert_eq!(answer["allowed"], false, "{answer}");
    assert_eq!(answer["code"], "owner_only");
    assert!(
        answer["reason"].as_str().unwrap().contains("top role"),
        "{answer}"
    );
    let (status, body) = put_grants(&server, &amy, org, &carl, json!([{"role": "admin"}])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "owner_only");
    let otto_may = may_grant(&server, &otto, org, &pliant("otto"), "admin", &carl, "").await;
    assert_eq!(otto_may["allowed"], true, "{otto_may}");

    // An accountant she may make: the answer names her admin grant and `role.assign`.
    let (_, amy_row) = amy
        .get(&format!(
            "/api/v1/orgs/{org}/members/{}",
            server.member(&amy_)
        ))
        .await;
    let answer = may_grant(&server, &amy, org, &amy_, "accountant", &carl, "").await;
    assert_eq!(answer["allowed"], true, "{answer}");
    assert_eq!(answer["code"], "granted");
    assert_eq!(answer["permission"], "role.assign");
    assert_eq!(answer["role"], "admin");
    assert_eq!(answer["grant_id"], amy_row["grants"][0]["id"], "{amy_row}");
    let (status, body) =
        put_grants(&server, &amy, org, &carl, json!([{"role": "accountant"}])).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A team manager sees their team but lists no role to assign.
    let tom = server.login(&pliant("tom")).await;
    let answer = may_grant(&server, &tom, org, &pliant("tom"), "accountant", &cara, "").await;
    assert_eq!(answer["code"], "not_assignable", "{answer}");
    let (status, body) =
        put_grants(&server, &tom, org, &cara, json!([{"role": "accountant"}])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");

    // Capped at 100,000 by the owner, Amy hands out no team manager above that cap.
    let (status, body) = put_grants(
        &server,
        &otto,
        org,
        &amy_,
        json!([{"role": "admin", "max_amount_minor": 100_000}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let field = server.team(PLIANT, "Field");
    let above = may_grant(
        &server,
        &otto,
        org,
        &amy_,
        "team_manager",
        &cara,
        &format!("&team_id={field}&amount_minor=200000"),
    )
    .await;
    assert_eq!(above["code"], "over_cap", "{above}");
    let manager =
        |cap: i64| json!([{"role": "team_manager", "team_id": field, "max_amount_minor": cap}]);
    let (status, body) = put_grants(&server, &amy, org, &cara, manager(200_000)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "over_cap");
    let within = may_grant(
        &server,
        &otto,
        org,
        &amy_,
        "team_manager",
        &cara,
        &format!("&team_id={field}&amount_minor=50000"),
    )
    .await;
    assert_eq!(within["allowed"], true, "{within}");
    let (status, body) = put_grants(&server, &amy, org, &cara, manager(50_000)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Revoking an auditor is the owner's too.
    let revoke = may_grant(
        &server,
        &otto,
        org,
        &amy_,
        "auditor",
        &pliant("aldo"),
        "&revoke=true",
    )
    .await;
    assert_eq!(revoke["code"], "owner_only", "{revoke}");

    // Bad questions are 400s naming the field.
    let bad = |q: &str| {
        format!(
            "/api/v1/orgs/{org}/authz/explain?member={}{q}",
            server.member(&amy_)
        )
    };
    for (q, field) in [
        ("&action=expense.approve&role=admin", "role"),
        ("&action=role.assign&role=nobody", "role"),
        ("&action=role.assign&role=team_manager", "team_id"),
        ("&action=role.assign&role=admin&resource=team:1", "resource"),
        ("&action=role.assign&revoke=true", "role"),
    ] {
        let (status, body) = otto.get(&bad(q)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(body["error"]["field"], field, "{q}: {body}");
    }
}

#[tokio::test]
async fn a_team_bound_granter_is_told_it_grants_only_within_its_team() {
    let server = TestServer::start().await;
    let org = server.acme();
    let olivia = server.login("olivia").await;
    let sales = server.team("Acme", "Sales");
    let (status, body) = put_grants(
        &server,
        &olivia,
        org,
        "bea",
        json!([{"role": "accountant_extended", "team_id": sales}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let bea = server.login("bea").await;
    let bound = format!("&team_id={sales}");

    // Mark is in Sales: a reviewer grant bound to Sales, named by bea's bound grant.
    let answer = may_grant(
        &server,
        &bea,
        org,
        "bea",
        "expense_reviewer",
        "mark",
        &bound,
    )
    .await;
    assert_eq!(answer["allowed"], true, "{answer}");
    assert_eq!(answer["permission"], "role.assign");
    assert_eq!(answer["team_id"], sales);
    // Unbound: not hers to give, and the change agrees.
    let unbound = may_grant(&server, &bea, org, "bea", "expense_reviewer", "mark", "").await;
    assert_eq!(unbound["code"], "not_assignable", "{unbound}");
    let reviewer = |team: Option<i64>| json!([{"role": "manager"}, {"role": "expense_reviewer", "team_id": team}]);
    let (status, body) = put_grants(&server, &bea, org, "mark", reviewer(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "not_assignable");
    let (status, body) = put_grants(&server, &bea, org, "mark", reviewer(Some(sales))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Erin is not in Sales (the owner asks: bea does not even see her).
    let erin = may_grant(
        &server,
        &olivia,
        org,
        "bea",
        "expense_reviewer",
        "erin",
        &bound,
    )
    .await;
    assert_eq!(erin["code"], "not_assignable", "{erin}");
    let hidden = format!(
        "/api/v1/orgs/{org}/authz/explain?member={}&action=role.assign&role=expense_reviewer&resource=member:{}",
        server.member("bea"),
        server.member("erin")
    );
    let (status, _) = bea.get(&hidden).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
