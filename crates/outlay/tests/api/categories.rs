//! Expense categories and the checks at submit, as Acme lives them. Fiona in finance keeps
//! the list: she adds "Client dinners" with a limit of 100.00 per expense and a receipt
//! required above 50.00. Alice's expenses name a category of the list; her dinner of 120.00
//! with no receipt is flagged when she submits its report, and Mark, approving it, sees why,
//! as Audrey the auditor does. Two expenses alike (merchant, day, amount) are flagged as
//! duplicates. Once Adam's policy blocks on the limit, such a report is not submitted at all.

use crate::harness::{code, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A draft expense of the caller's own.
async fn expense(s: &Session, org: i64, body: Value) -> (StatusCode, Value) {
    s.post(&format!("/api/v1/orgs/{org}/expenses"), body).await
}

fn dinner(amount_minor: i64, category: &str) -> Value {
    json!({"amount_minor": amount_minor, "currency": "EUR", "merchant": "Borchardt",
           "spent_on": "2026-11-18", "category": category})
}

/// A report of the caller's holding `expenses`, and what submitting it answers.
async fn submit(s: &Session, org: i64, expenses: &[&Value]) -> (StatusCode, Value) {
    let (status, r) = s
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Dinners"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let path = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    let ids: Vec<&Value> = expenses.iter().map(|e| &e["id"]).collect();
    let (status, r) = s.patch(&path, json!({"add": ids})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    s.post(&format!("{path}/submit"), json!({})).await
}

/// The flag codes on expense `e` as `s` sees it.
async fn flags(s: &Session, org: i64, e: &Value) -> Vec<String> {
    let (status, seen) = s
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", e["id"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    seen["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn invalid(answer: (StatusCode, Value), field: &str) -> Value {
    let (status, body) = answer;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        (code(&body), body["error"]["field"].as_str()),
        ("invalid_input", Some(field)),
        "{body}"
    );
    body
}

#[tokio::test]
async fn finance_keeps_the_list_and_an_expense_over_its_limit_is_flagged_for_the_approver() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona, mark, audrey) = (
        server.login("alice").await,
        server.login("fiona").await,
        server.login("mark").await,
        server.login("audrey").await,
    );
    let list = format!("/api/v1/orgs/{org}/categories");

    // Every member reads the list Acme was founded with; only finance changes it.
    let (status, all) = alice.get(&list).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for name in ["general", "travel", "lodging", "meals", "office", "mileage"] {
        assert!(names.contains(&name), "{name}: {all}");
    }
    let rule =
        json!({"name": "Client dinners", "limit_minor": 10_000, "receipt_above_minor": 5_000});
    let (status, body) = alice.post(&list, rule.clone()).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "no_permission"),
        "{body}"
    );
    let (status, dinners) = fiona.post(&list, rule.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{dinners}");
    assert_eq!(
        (
            dinners["limit_minor"].as_i64(),
            dinners["archived"].as_bool()
        ),
        (Some(10_000), Some(false))
    );
    let (status, body) = fiona.post(&list, rule).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "category_exists"),
        "{body}"
    );

    // Not on the list: refused, naming the field.
    invalid(
        expense(&alice, org, dinner(4_000, "snacks")).await,
        "category",
    );

    // 120.00 with no receipt: submitted, and flagged twice for Mark and for Audrey.
    let (status, big) = expense(&alice, org, dinner(12_000, "Client dinners")).await;
    assert_eq!(status, StatusCode::CREATED, "{big}");
    assert_eq!(big["flags"], json!([]), "{big}");
    let (status, report) = submit(&alice, org, &[&big]).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    for who in [&mark, &audrey, &alice] {
        assert_eq!(
            flags(who, org, &big).await,
            ["over_limit", "missing_receipt"]
        );
    }
    let (_, seen) = mark
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", big["id"]))
        .await;
    assert_eq!(
        seen["flags"][0]["message"],
        "120.00 EUR is above the limit of 100.00 EUR per expense in `Client dinners`",
        "{seen}"
    );
    // Within both: no flag.
    let (_, small) = expense(&alice, org, dinner(4_000, "Client dinners")).await;
    let (status, _) = submit(&alice, org, &[&small]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(flags(&mark, org, &small).await.is_empty());

    // Archived: it stays on Alice's expenses and takes no new one.
    let (status, archived) = fiona
        .post(&format!("{list}/{}/archive", dinners["id"]), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["archived"], true);
    invalid(
        expense(&alice, org, dinner(4_000, "Client dinners")).await,
        "category",
    );
    let (_, kept) = alice
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", big["id"]))
        .await;
    assert_eq!(kept["category"], "Client dinners");

    // Renamed: its expenses carry the new name.
    let (status, renamed) = fiona
        .patch(
            &format!("{list}/{}", dinners["id"]),
            json!({"name": "Client meals", "limit_minor": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(
        (renamed["name"].as_str(), renamed["limit_minor"].as_i64()),
        (Some("Client meals"), None)
    );
    let (_, kept) = alice
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", big["id"]))
        .await;
    assert_eq!(kept["category"], "Client meals");
    let (status, body) = alice
        .patch(
            &format!("{list}/{}", dinners["id"]),
            json!({"name": "Mine"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn duplicates_are_flagged_and_a_policy_that_blocks_refuses_the_submit() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona, mark, adam) = (
        server.login("alice").await,
        server.login("fiona").await,
        server.login("mark").await,
        server.login("adam").await,
    );
    let list = format!("/api/v1/orgs/{org}/categories");
    let (status, c) = fiona
        .post(&list, json!({"name": "Taxis", "limit_minor": 5_000}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");

    // The same ride twice: both flagged as duplicates of each other.
    let ride = json!({"amount_minor": 2_300, "currency": "EUR", "merchant": "Taxi Berlin",
                      "spent_on": "2026-11-19", "category": "Taxis"});
    let (_, one) = expense(&alice, org, ride.clone()).await;
    let (_, two) = expense(&alice, org, ride).await;
    let (status, report) = submit(&alice, org, &[&one, &two]).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(flags(&mark, org, &one).await, ["duplicate"]);
    assert_eq!(flags(&mark, org, &two).await, ["duplicate"]);

    // Adam's policy blocks on the limit and flags weekends; its rules stay Acme's default.
    let path = format!("/api/v1/orgs/{org}/approval-policy");
    let (_, current) = adam.get(&path).await;
    assert_eq!(
        current["checks"],
        json!({"over_limit": "flag", "missing_receipt": "flag", "duplicate": "flag", "weekend": "off"}),
        "{current}"
    );
    let mut policy = json!({"rules": current["rules"], "reminder_hours": current["reminder_hours"],
                            "escalation_hours": current["escalation_hours"],
                            "checks": {"over_limit": "block", "weekend": "flag"}});
    let (status, saved) = adam.put(&path, policy.clone()).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["checks"]["over_limit"], "block");
    assert_eq!(saved["checks"]["missing_receipt"], "flag");

    // 60.00 in Taxis: the submit is refused, naming the expense and the check; the report
    // stays a draft.
    let (_, over) = expense(
        &alice,
        org,
        json!({"amount_minor": 6_000, "currency": "EUR", "merchant": "Taxi Berlin",
               "spent_on": "2026-11-20", "category": "Taxis"}),
    )
    .await;
    let body = invalid(submit(&alice, org, &[&over]).await, "expenses");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("expense {}", over["id"])) && message.contains("over_limit"),
        "{message}"
    );
    let (_, draft) = alice
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", over["id"]))
        .await;
    assert_eq!(draft["status"], "draft", "{draft}");
    // On a Saturday, within the limit: flagged, not blocked.
    let (_, saturday) = expense(
        &alice,
        org,
        json!({"amount_minor": 1_500, "currency": "EUR", "merchant": "Taxi Berlin",
               "spent_on": "2026-11-21", "category": "Taxis"}),
    )
    .await;
    let (status, _) = submit(&alice, org, &[&saturday]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(flags(&mark, org, &saturday).await, ["weekend"]);

    // A policy naming a category Acme does not have is refused, naming where.
    policy["rules"][0]["when"] = json!({"categories": ["yachts"]});
    invalid(adam.put(&path, policy).await, "rules[0].when.categories");
}
