//! Trips and mileage, as Acme lives them: Alice asks to go to Lisbon for four days; Mark, her
//! manager, approves it (she cannot approve her own, Bob does not even see it). Fiona in
//! finance sets a per diem for Portugal, which Alice's trip then shows; Alice's expenses link
//! to her trip and it shows their total, while Bob cannot link his to hers. Fiona sets
//! mileage rates and Alice files 123.4 km by car at 0.30: 37.02 EUR.

use crate::harness::{code, TestServer};
use reqwest::StatusCode;
use serde_json::json;

fn field(body: &serde_json::Value) -> Option<&str> {
    body["error"]["field"].as_str()
}

#[tokio::test]
async fn alices_lisbon_trip_is_approved_by_mark_shows_its_per_diem_and_its_expenses() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, bob, mark, fiona) = (
        server.login("alice").await,
        server.login("bob").await,
        server.login("mark").await,
        server.login("fiona").await,
    );
    let base = format!("/api/v1/orgs/{org}/trips");
    let ask = json!({"destination": "Lisbon", "country": "pt", "purpose": "Web Summit",
                     "starts_on": "2026-11-10", "ends_on": "2026-11-13", "estimated_cost_minor": 120_000});
    let (status, t) = alice.post(&base, ask).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(
        (
            t["status"].as_str(),
            t["days"].as_i64(),
            t["country"].as_str()
        ),
        (Some("requested"), Some(4), Some("PT")),
        "{t}"
    );
    assert_eq!(t["per_diem_minor"], json!(null), "{t}");
    let one = format!("{base}/{}", t["id"]);

    // Bob does not see it; Alice does not approve her own; Mark does.
    let (status, _) = bob.get(&one).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = alice.post(&format!("{one}/approve"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, seen) = mark.get(&one).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(
        seen["allowed_actions"],
        json!(["approve", "reject"]),
        "{seen}"
    );
    let (status, t) = mark
        .post(&format!("{one}/approve"), json!({"text": "enjoy"}))
        .await;
    assert_eq!(
        (status, t["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{t}"
    );
    // Decided: no longer withdrawn.
    let (status, body) = alice.delete(&one).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "wrong_status"),
        "{body}"
    );

    // Fiona sets the allowance for Portugal; Alice may read them, not set them.
    let per_diems = format!("/api/v1/orgs/{org}/per-diems");
    let table = json!({"per_diems": [{"destination": "pt", "daily_minor": 5_000},
                                     {"destination": "New  York", "daily_minor": 9_000}]});
    let (status, body) = alice.put(&per_diems, table.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = fiona.put(&per_diems, table).await;
    assert_eq!(
        (status, body["count"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{body}"
    );
    let (status, list) = alice.get(&per_diems).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list[0]["destination"], "PT", "{list}");
    assert_eq!(list[1]["destination"], "new york", "{list}");
    let (_, t) = alice.get(&one).await;
    assert_eq!(t["per_diem_minor"].as_i64(), Some(20_000), "{t}");
    let bad = json!({"per_diems": [{"destination": "zz", "daily_minor": 5_000}]});
    let (status, body) = fiona.put(&per_diems, bad).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("per_diems[0].destination")),
        "{body}"
    );

    // Alice's hotel links to her trip; a second in dollars with no rate makes the total
    // unknown until it is unlinked.
    let expenses = format!("/api/v1/orgs/{org}/expenses");
    let hotel = json!({"amount_minor": 43_000, "currency": "EUR", "merchant": "Hotel Lisboa",
                       "spent_on": "2026-11-12", "category": "travel", "trip_id": t["id"]});
    let (status, e) = alice.post(&expenses, hotel).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(e["trip_id"], t["id"], "{e}");
    let taxi = json!({"amount_minor": 2_500, "currency": "EUR", "merchant": "Taxi",
                      "spent_on": "2026-11-10"});
    let (_, taxi) = alice.post(&expenses, taxi).await;
    let taxi_at = format!("{expenses}/{}", taxi["id"]);
    let (status, taxi) = alice.patch(&taxi_at, json!({"trip_id": t["id"]})).await;
    assert_eq!(
        (status, &taxi["trip_id"]),
        (StatusCode::OK, &t["id"]),
        "{taxi}"
    );
    let (_, t) = mark.get(&one).await;
    assert_eq!(
        (t["expense_count"].as_i64(), t["total_minor"].as_i64()),
        (Some(2), Some(45_500)),
        "{t}"
    );
    let usd = json!({"amount_minor": 1_000, "currency": "USD", "merchant": "Airport shop",
                     "spent_on": "2026-11-13", "trip_id": t["id"]});
    let (status, usd) = alice.post(&expenses, usd).await;
    assert_eq!(status, StatusCode::CREATED, "{usd}");
    let (_, t) = alice.get(&one).await;
    assert_eq!(t["total_minor"], json!(null), "{t}");
    let usd_at = format!("{expenses}/{}", usd["id"]);
    let (status, usd) = alice.patch(&usd_at, json!({"trip_id": null})).await;
    assert_eq!(
        (status, &usd["trip_id"]),
        (StatusCode::OK, &json!(null)),
        "{usd}"
    );
    let (_, t) = alice.get(&one).await;
    assert_eq!(t["total_minor"].as_i64(), Some(45_500), "{t}");

    // Bob cannot link his expense to Alice's trip, on create or edit.
    let lunch = json!({"amount_minor": 1_800, "currency": "EUR", "merchant": "Cafe",
                       "spent_on": "2026-11-11", "trip_id": t["id"]});
    let (status, body) = bob.post(&expenses, lunch).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("trip_id")),
        "{body}"
    );
    let mine = json!({"amount_minor": 1_800, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-11"});
    let (_, mine) = bob.post(&expenses, mine).await;
    let (status, body) = bob
        .patch(
            &format!("{expenses}/{}", mine["id"]),
            json!({"trip_id": t["id"]}),
        )
        .await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("trip_id")),
        "{body}"
    );

    // The list: Alice sees hers, Mark his line's approved ones.
    let (status, list) = mark.get(&format!("{base}?status=approved")).await;
    assert_eq!(
        (status, list["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "{list}"
    );
    let (_, list) = bob.get(&base).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");
}

#[tokio::test]
async fn a_trip_withdrawn_before_it_is_decided_unlinks_its_expenses() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, mark) = (server.login("alice").await, server.login("mark").await);
    let base = format!("/api/v1/orgs/{org}/trips");
    let backwards = json!({"destination": "Berlin", "purpose": "Fair", "starts_on": "2026-11-10",
                           "ends_on": "2026-11-09", "estimated_cost_minor": 50_000});
    let (status, body) = alice.post(&base, backwards).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("ends_on")),
        "{body}"
    );
    let ask = json!({"destination": "Berlin", "purpose": "Fair", "starts_on": "2026-11-10",
                     "ends_on": "2026-11-10", "estimated_cost_minor": 50_000});
    let (_, t) = alice.post(&base, ask.clone()).await;
    let e = json!({"amount_minor": 9_900, "currency": "EUR", "merchant": "Bahn",
                   "spent_on": "2026-11-10", "trip_id": t["id"]});
    let (_, e) = alice.post(&format!("/api/v1/orgs/{org}/expenses"), e).await;
    let (status, _) = alice.delete(&format!("{base}/{}", t["id"])).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, e) = alice
        .get(&format!("/api/v1/orgs/{org}/expenses/{}", e["id"]))
        .await;
    assert_eq!(
        (status, &e["trip_id"]),
        (StatusCode::OK, &json!(null)),
        "{e}"
    );

    // A rejection needs its reason.
    let (_, t) = alice.post(&base, ask).await;
    let reject = format!("{base}/{}/reject", t["id"]);
    let (status, body) = mark.post(&reject, json!({})).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("text")),
        "{body}"
    );
    let (status, t) = mark.post(&reject, json!({"text": "no budget"})).await;
    assert_eq!(
        (status, t["status"].as_str(), t["decision_note"].as_str()),
        (StatusCode::OK, Some("rejected"), Some("no budget")),
        "{t}"
    );
}

#[tokio::test]
async fn alice_files_123_4_km_by_car_at_0_30_as_37_02_euros() {
    let server = TestServer::start().await;
    let org = server.acme();
    let (alice, fiona) = (server.login("alice").await, server.login("fiona").await);
    let rates = format!("/api/v1/orgs/{org}/mileage-rates");
    let table = json!({"rates": [{"vehicle": "car", "unit": "km", "rate": "0.30"},
                                 {"vehicle": "bicycle", "unit": "km", "rate": "0.05"},
                                 {"vehicle": "car", "unit": "mile", "rate": "0.48"}]});
    let (status, body) = alice.put(&rates, table.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = fiona.put(&rates, table).await;
    assert_eq!(
        (status, body["count"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{body}"
    );
    let (status, list) = alice.get(&rates).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        list[1],
        json!({"vehicle": "car", "unit": "km", "rate": "0.3",
                               "set_by": list[1]["set_by"], "set_at": list[1]["set_at"]})
    );
    let twice = json!({"rates": [{"vehicle": "car", "unit": "km", "rate": "0.30"},
                                 {"vehicle": "car", "unit": "km", "rate": "0.31"}]});
    let (status, body) = fiona.put(&rates, twice).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("rates[1].vehicle")),
        "{body}"
    );

    let mileage = format!("/api/v1/orgs/{org}/expenses/mileage");
    let claim =
        json!({"distance": "123.4", "unit": "km", "vehicle": "car", "spent_on": "2026-11-20"});
    let (status, e) = alice.post(&mileage, claim).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(
        (
            e["amount_minor"].as_i64(),
            e["currency"].as_str(),
            e["category"].as_str(),
            e["status"].as_str()
        ),
        (Some(3_702), Some("EUR"), Some("mileage"), Some("draft")),
        "{e}"
    );
    assert_eq!(e["note"], "123.4 km by car at 0.3 per km", "{e}");

    // No rate for a motorbike, nor for bicycles in miles; no distance of nothing.
    for (vehicle, unit) in [("motorbike", "km"), ("bicycle", "mile")] {
        let claim =
            json!({"distance": "10", "unit": unit, "vehicle": vehicle, "spent_on": "2026-11-20"});
        let (status, body) = alice.post(&mileage, claim).await;
        assert_eq!(
            (status, field(&body)),
            (StatusCode::BAD_REQUEST, Some("vehicle")),
            "{body}"
        );
    }
    let claim = json!({"distance": "0", "unit": "km", "vehicle": "car", "spent_on": "2026-11-20"});
    let (status, body) = alice.post(&mileage, claim).await;
    assert_eq!(
        (status, field(&body)),
        (StatusCode::BAD_REQUEST, Some("distance")),
        "{body}"
    );
}
