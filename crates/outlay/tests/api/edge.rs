//! The edge: no client can stall the server. A flood of refusals by one member stalls no other
//! company and is audited in full; an exhausted pool answers a fast 503; logins are throttled
//! per account and per address without locking the real user out; slow and idle clients are
//! timed out; connections are capped; every response carries the security headers; bodies
//! over the limit are 413 and bodies that are not JSON 415. Every load and fault here is
//! bounded in count and in time.

use crate::harness::{code, TestServer};
use outlay::Limits;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Every test here finishes within this, whatever the server does.
const BOUND: Duration = Duration::from_secs(60);

async fn bounded<T>(what: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, what)
        .await
        .expect("the test ran past its time bound")
}

fn host(base: &str) -> String {
    base.trim_start_matches("http://").to_string()
}

/// Sums the refusals of `member` on `action`/`target` in the audit log, aggregates by their
/// count; also checks the chain still verifies.
async fn refusals_in_log(
    reader: &crate::harness::Session,
    org: i64,
    member: i64,
    action: &str,
    target: &str,
) -> u64 {
    let (status, page) = reader
        .get(&format!("/api/v1/orgs/{org}/audit?limit=500"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, verified) = reader
        .get(&format!("/api/v1/orgs/{org}/audit/verify"))
        .await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["intact"], true, "{verified}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"] == action
                && e["target"] == target
                && e["actor_member_id"] == member
                && e["outcome"] == "denied"
        })
        .map(|e| e["detail"]["count"].as_u64().unwrap_or(1))
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_refusals_by_one_member_stalls_no_other_company_and_is_audited_in_full() {
    bounded(async {
        let server = TestServer::start().await;
        let (acme, globex) = (server.acme(), server.globex());
        let olivia = server.login("olivia").await;
        let erin = server.member("erin");
        let erins = olivia
            .all_expenses(acme, "")
            .await
            .into_iter()
            .find(|e| e["owner_id"] == erin)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let alice = server.login("alice").await;
        let gina = server.login("gina").await;

        // Globex keeps working throughout: gina lists her expenses while the flood runs.
        let flooding = Arc::new(AtomicBool::new(true));
        let watch = {
            let flooding = Arc::clone(&flooding);
            tokio::spawn(async move {
                let mut slowest = Duration::ZERO;
                let mut answered = 0u32;
                while flooding.load(Ordering::SeqCst) || answered < 3 {
                    let started = Instant::now();
                    let (status, body) = gina
                        .get(&format!("/api/v1/orgs/{globex}/expenses?limit=10"))
                        .await;
                    assert_eq!(status, StatusCode::OK, "{body}");
                    slowest = slowest.max(started.elapsed());
                    answered += 1;
                }
                (slowest, answered)
            })
        };
        // 64 at once: alice asks for erin's expense, which she may not see.
        let path = format!("/api/v1/orgs/{acme}/expenses/{erins}");
        let mut flood = tokio::task::JoinSet::new();
        for _ in 0..64 {
            let (alice, path) = (alice.clone(), path.clone());
            flood.spawn(async move { alice.get(&path).await.0 });
        }
        let mut statuses = Vec::new();
        while let Some(status) = flood.join_next().await {
            statuses.push(status.unwrap());
        }
        flooding.store(false, Ordering::SeqCst);
        let (slowest, answered) = watch.await.unwrap();

        eprintln!("flood: 64 refusals; globex answered {answered} requests, slowest {slowest:?}");
        assert!(
            statuses.iter().all(|s| *s == StatusCode::NOT_FOUND),
            "every refused request is a 404, none a 500 or 503: {statuses:?}"
        );
        assert!(
            slowest < Duration::from_secs(1),
            "another company's request took {slowest:?} during the flood ({answered} answered)"
        );
        // Every refusal is in the log, one by one or in an aggregate with its count.
        let logged = refusals_in_log(
            &olivia,
            acme,
            server.member("alice"),
            "expense.view",
            &format!("expense:{erins}"),
        )
        .await;
        assert_eq!(logged, 64);
    })
    .await;
}

#[tokio::test]
async fn an_exhausted_pool_answers_a_fast_503_with_retry_after_and_readyz_says_so() {
    bounded(async {
        let limits = Limits {
            pool_wait: Duration::from_millis(300),
            ..Limits::default()
        };
        let (server, store) = TestServer::start_with_limits(limits).await;
        let alice = server.login("alice").await;
        let token = alice.token.clone().unwrap();
        let me = format!("{}/api/v1/me", server.base);
        // Take every connection of the pool away from the server.
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(store.read().await.unwrap());
        }
        let client = reqwest::Client::new();
        let started = Instant::now();
        let resp = client.get(&me).bearer_auth(&token).send().await.unwrap();
        let took = started.elapsed();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()["retry-after"], "1");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(code(&body), "busy", "{body}");
        assert!(took < Duration::from_secs(2), "the 503 took {took:?}");
        // The probes say so too: alive, but not ready.
        let probe = |p: &str| client.get(format!("{}{p}", server.base)).send();
        assert_eq!(probe("/healthz").await.unwrap().status(), StatusCode::OK);
        assert_eq!(
            probe("/readyz").await.unwrap().status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        drop(held);
        let resp = client.get(&me).bearer_auth(&token).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let ready = probe("/readyz").await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK);
        assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ok");
    })
    .await;
}

/// A lock on the database taken by someone else, as another process or an operator's
/// session would hold it: SQLite in exclusive locking mode (no other connection may even
/// read), or a PostgreSQL transaction holding `sessions` in ACCESS EXCLUSIVE mode.
enum HeldLock {
    Sqlite(rusqlite::Connection),
    Postgres(sqlx::AnyConnection),
}

impl HeldLock {
    async fn take(database_url: &str) -> HeldLock {
        match database_url.strip_prefix("sqlite://") {
            Some(path) => {
                // The first read takes the file's lock, kept until the connection closes. It
                // is not waited for (no busy handler runs): the connections of the store
                // that seeded the file may still be closing, so try again for a while.
                for _ in 0..50 {
                    let c = rusqlite::Connection::open(path).unwrap();
                    let locked = c
                        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN IMMEDIATE;")
                        .and_then(|()| {
                            c.query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get::<_, i64>(0))
                        });
                    if locked.is_ok() {
                        return HeldLock::Sqlite(c);
                    }
                    drop(c);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                panic!("the database's lock never came free");
            }
            None => {
                use sqlx::Connection;
                let mut c = sqlx::AnyConnection::connect(database_url).await.unwrap();
                for sql in ["BEGIN", "LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE"] {
                    sqlx::query(sql).execute(&mut c).await.unwrap();
                }
                HeldLock::Postgres(c)
            }
        }
    }

    async fn release(self) {
        match self {
            HeldLock::Sqlite(c) => drop(c),
            HeldLock::Postgres(c) => {
                use sqlx::Connection;
                c.close().await.unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_read_that_meets_a_database_lock_held_past_the_lock_wait_answers_503_busy() {
    bounded(async {
        let limits = Limits {
            lock_wait: Duration::from_millis(300),
            ..Limits::default()
        };
        let (server, alice) = TestServer::start_unopened(limits, "alice").await;
        let held = HeldLock::take(&server.database_url).await;
        let me = format!("{}/api/v1/me", server.base);
        let client = reqwest::Client::new();
        let token = alice.token.clone().unwrap();
        let started = Instant::now();
        let resp = client.get(&me).bearer_auth(&token).send().await.unwrap();
        let took = started.elapsed();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()["retry-after"], "1");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(code(&body), "busy", "{body}");
        // It waited for the lock as long as the lock wait says, and no longer.
        assert!(
            took >= Duration::from_millis(250),
            "the 503 came after {took:?}"
        );
        assert!(took < Duration::from_secs(5), "the 503 took {took:?}");
        held.release().await;
        let (status, body) = alice.get("/api/v1/me").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    })
    .await;
}

/// Short throttling for tests: after the free failures, delays of 1 s and 2 s (served late),
/// then 429 for 4 s at most.
fn throttling(free_per_account: u32, free_per_address: u32) -> Limits {
    let mut l = Limits::default();
    l.login.free_per_account = free_per_account;
    l.login.free_per_address = free_per_address;
    l.login.base_delay = Duration::from_secs(1);
    l.login.inline_delay = Duration::from_millis(2500);
    l.login.max_delay = Duration::from_secs(4);
    l.audit.coalesce = Duration::from_millis(100);
    l
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// Wrong passwords until a 429; returns each answer's status and time, and the last body's
/// `Retry-After`. At most `max` attempts.
async fn fail_until_throttled(
    server: &TestServer,
    from: IpAddr,
    emails: impl Fn(usize) -> String,
    max: usize,
) -> (Vec<(StatusCode, Duration)>, u64) {
    let client = reqwest::Client::builder()
        .local_address(from)
        .build()
        .unwrap();
    let mut answers = Vec::new();
    for i in 0..max {
        let started = Instant::now();
        let resp = client
            .post(format!("{}/api/v1/auth/login", server.base))
            .json(&json!({"email": emails(i), "password": "not the password"}))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        answers.push((status, started.elapsed()));
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = resp.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let body: Value = resp.json().await.unwrap();
            assert_eq!(code(&body), "too_many_attempts", "{body}");
            return (answers, retry);
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    panic!("no 429 after {max} failed logins: {answers:?}");
}

#[tokio::test]
async fn failed_logins_on_an_account_slow_down_then_429_and_the_user_gets_back_in() {
    bounded(async {
        let (server, store) = TestServer::start_with_limits(throttling(3, 1000)).await;
        let bob = crate::harness::email_of("bob");
        let (answers, retry) =
            fail_until_throttled(&server, ip("127.0.0.2"), |_| bob.clone(), 10).await;
        // The free failures (three, and the fourth that sets the first delay) answer at once;
        // then the answers come 1 s and 2 s late; then 429.
        assert_eq!(answers.len(), 7, "{answers:?}");
        assert!(
            answers[..4]
                .iter()
                .all(|(_, t)| *t < Duration::from_millis(900)),
            "{answers:?}"
        );
        assert!(answers[4].1 >= Duration::from_millis(950), "{answers:?}");
        assert!(answers[5].1 >= Duration::from_millis(1950), "{answers:?}");
        assert!((1..=4).contains(&retry), "Retry-After {retry}");

        // The account is held back from an address it never logged in from, even with the
        // right password...
        let (status, _) = server.try_login(&bob, outlay_core::demo::PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // ...but only for a while: after Retry-After, the right password works.
        tokio::time::sleep(Duration::from_secs(retry)).await;
        let bob_session = server.login("bob").await;
        let (status, _) = bob_session.post("/api/v1/auth/logout", json!({})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        // The person-level trail: the failures (coalesced), the throttled tries, the login and
        // the logout.
        let kinds = wait_for_trail(&store, &bob, |kinds| {
            kinds.iter().any(|(k, _)| k == "login_throttled")
        })
        .await;
        let count = |kind: &str| -> i64 {
            kinds
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, n)| n)
                .sum()
        };
        assert_eq!(
            count("login_failed"),
            i64::try_from(answers.len() - 1).unwrap(),
            "{kinds:?}"
        );
        assert_eq!(count("login_throttled"), 2, "{kinds:?}");
        assert_eq!(count("login"), 1, "{kinds:?}");
        assert_eq!(count("logout"), 1, "{kinds:?}");
    })
    .await;
}

/// The person's trail as (kind, count), polled until `done` holds: failed and throttled
/// attempts arrive through the audit writer's queue.
async fn wait_for_trail(
    store: &outlay_store::Store,
    email: &str,
    done: impl Fn(&[(String, i64)]) -> bool,
) -> Vec<(String, i64)> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut conn = store.read().await.unwrap();
        let person = outlay_store::auth::person_by_email(&mut conn, email)
            .await
            .unwrap()
            .unwrap();
        let rows = outlay_store::person_audit::list(&mut conn, person.id, 100)
            .await
            .unwrap();
        drop(conn);
        let kinds: Vec<(String, i64)> = rows.into_iter().map(|r| (r.kind, r.count)).collect();
        if done(&kinds) || Instant::now() > deadline {
            return kinds;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn failures_elsewhere_never_hold_the_user_back_where_they_logged_in_before() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(throttling(3, 1000)).await;
        // alice logs in from 127.0.0.1 (so it is one of her addresses) ...
        server.login("alice").await;
        let alice = crate::harness::email_of("alice");
        // ... someone at 127.0.0.2 guesses her password until held back ...
        fail_until_throttled(&server, ip("127.0.0.2"), |_| alice.clone(), 10).await;
        let (status, _) = server
            .anonymous_from(ip("127.0.0.2"))
            .post(
                "/api/v1/auth/login",
                json!({"email": alice, "password": outlay_core::demo::PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // ... and alice, at her usual address, is not held back at all.
        let started = Instant::now();
        server.login("alice").await;
        assert!(started.elapsed() < Duration::from_millis(900));
        let (status, _) = server.try_login(&alice, "a wrong one").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

/// Two servers behind one balancer: failures on one hold the account, and the address,
/// back on the other, which never saw them itself.
#[tokio::test]
async fn failures_on_one_server_hold_the_client_back_on_every_server() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(throttling(3, 1000)).await;
        let twin = server.twin_with_limits(throttling(3, 1000)).await;
        let bob = crate::harness::email_of("bob");
        fail_until_throttled(&server, ip("127.0.0.2"), |_| bob.clone(), 10).await;

        let login_at = |base: &str, from: IpAddr, email: &str| {
            let (base, email) = (base.to_string(), email.to_string());
            async move {
                reqwest::Client::builder()
                    .local_address(from)
                    .build()
                    .unwrap()
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({"email": email, "password": "not the password"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        // The audit writer records failures within its short window: the twin reads them
        // from the trail.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            login_at(&twin.base, ip("127.0.0.3"), &bob).await,
            StatusCode::TOO_MANY_REQUESTS,
            "bob's account is held back on the twin, from another address too"
        );

        let (server, _store) = TestServer::start_with_limits(throttling(1000, 3)).await;
        let twin = server.twin_with_limits(throttling(1000, 3)).await;
        let from = ip("127.0.0.4");
        fail_until_throttled(&server, from, |i| format!("nobody{i}@acme.example"), 10).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            login_at(&twin.base, from, "someone-else@acme.example").await,
            StatusCode::TOO_MANY_REQUESTS,
            "the address is held back on the twin, whatever account it tries"
        );
        assert_eq!(
            login_at(&twin.base, ip("127.0.0.5"), "someone-else@acme.example").await,
            StatusCode::UNAUTHORIZED,
            "another address is not"
        );
    })
    .await;
}

#[tokio::test]
async fn failed_logins_from_one_address_over_many_accounts_are_throttled_there_only() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(throttling(1000, 3)).await;
        let from = ip("127.0.0.3");
        fail_until_throttled(&server, from, |i| format!("nobody{i}@acme.example"), 10).await;
        // That address is held back, whoever it logs in as...
        let (status, _) = server
            .anonymous_from(from)
            .post(
                "/api/v1/auth/login",
                json!({"email": crate::harness::email_of("alice"), "password": outlay_core::demo::PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // ...and every other address is not.
        server.login("alice").await;
    })
    .await;
}

/// A wrong-password login for `email` through `client`, naming `forwarded_for` as the client.
async fn login_via(
    server: &TestServer,
    client: &reqwest::Client,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> StatusCode {
    client
        .post(format!("{}/api/v1/auth/login", server.base))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

/// Wrong passwords for ever new accounts through `client`, the `i`th naming `forwarded(i)`
/// as the client, until the address throttle answers 429 (within 8 attempts).
async fn failures_until_throttled(
    server: &TestServer,
    client: &reqwest::Client,
    forwarded: impl Fn(usize) -> String,
) {
    let mut statuses = Vec::new();
    for i in 0..8 {
        let email = format!("nobody{i}@acme.example");
        let status = login_via(server, client, &forwarded(i), &email, "wrong").await;
        statuses.push(status);
        if status == StatusCode::TOO_MANY_REQUESTS {
            return;
        }
    }
    panic!("never throttled: {statuses:?}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_logins_are_throttled_by_the_client_it_names() {
    bounded(async {
        let mut limits = throttling(1000, 3);
        limits.trusted_proxies = outlay::http::proxy::TrustedProxies::parse("127.0.0.5").unwrap();
        let (server, _store) = TestServer::start_with_limits(limits).await;
        let proxy = reqwest::Client::builder()
            .local_address(ip("127.0.0.5"))
            .build()
            .unwrap();
        // One client behind the proxy is held back...
        failures_until_throttled(&server, &proxy, |_| "203.0.113.7".to_string()).await;
        // ...and everyone else behind the same proxy is not.
        let alice = crate::harness::email_of("alice");
        let status = login_via(
            &server,
            &proxy,
            "203.0.113.8",
            &alice,
            outlay_core::demo::PASSWORD,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_client_that_is_no_trusted_proxy_cannot_pick_its_address_by_header() {
    bounded(async {
        let mut limits = throttling(1000, 3);
        limits.trusted_proxies = outlay::http::proxy::TrustedProxies::parse("127.0.0.5").unwrap();
        let (server, _store) = TestServer::start_with_limits(limits).await;
        let client = reqwest::Client::builder()
            .local_address(ip("127.0.0.6"))
            .build()
            .unwrap();
        // A fresh made-up address each time: ignored, the connection's address counts.
        failures_until_throttled(&server, &client, |i| format!("198.51.100.{i}")).await;
    })
    .await;
}

/// Reads until the server closes the connection; returns how long that took and what came.
async fn until_closed(stream: &mut TcpStream) -> (Duration, String) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 20 s"),
        }
    }
    (
        started.elapsed(),
        String::from_utf8_lossy(&got).into_owned(),
    )
}

fn slow_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(3),
        ..Limits::default()
    }
}

#[tokio::test]
async fn half_sent_headers_are_closed_within_the_header_timeout() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(slow_limits()).await;
        let mut stream = TcpStream::connect(host(&server.base)).await.unwrap();
        stream
            .write_all(b"GET /api/v1/presets HTTP/1.1\r\nHost: outlay\r\nX-Slow: ")
            .await
            .unwrap();
        let (took, _) = until_closed(&mut stream).await;
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(3),
            "closed after {took:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(slow_limits()).await;
        let mut stream = TcpStream::connect(host(&server.base)).await.unwrap();
        stream
            .write_all(b"GET /api/v1/presets HTTP/1.1\r\nHost: outlay\r\n\r\n")
            .await
            .unwrap();
        // The answer comes, then the connection stays open while idle (longer than the
        // header timeout: idle is not "slow headers"), then closes.
        let (took, got) = until_closed(&mut stream).await;
        assert!(got.starts_with("HTTP/1.1 200"), "{got}");
        assert!(
            took >= Duration::from_millis(2500) && took < Duration::from_secs(6),
            "closed after {took:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_a_408() {
    bounded(async {
        let (server, _store) = TestServer::start_with_limits(slow_limits()).await;
        let mut stream = TcpStream::connect(host(&server.base)).await.unwrap();
        stream
            .write_all(
                b"POST /api/v1/auth/login HTTP/1.1\r\nHost: outlay\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
            )
            .await
            .unwrap();
        let (took, got) = until_closed(&mut stream).await;
        assert!(got.starts_with("HTTP/1.1 408"), "{got}");
        assert!(got.contains("request_timeout"), "{got}");
        assert!(took < Duration::from_secs(4), "answered after {took:?}");
    })
    .await;
}

/// Sends one request on `stream` and reads one answer's head (the connection stays open).
async fn request_head(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /api/v1/presets HTTP/1.1\r\nHost: outlay\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "closed before answering");
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn connections_beyond_the_cap_are_answered_503_and_closed() {
    bounded(async {
        let limits = Limits {
            max_connections: 4,
            idle_timeout: Duration::from_secs(30),
            ..Limits::default()
        };
        let (server, _store) = TestServer::start_with_limits(limits).await;
        let mut open = Vec::new();
        for _ in 0..4 {
            let mut s = TcpStream::connect(host(&server.base)).await.unwrap();
            let head = request_head(&mut s).await;
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            open.push(s);
        }
        let mut fifth = TcpStream::connect(host(&server.base)).await.unwrap();
        fifth
            .write_all(b"GET /api/v1/presets HTTP/1.1\r\nHost: outlay\r\n\r\n")
            .await
            .unwrap();
        let (_, got) = until_closed(&mut fifth).await;
        assert!(got.starts_with("HTTP/1.1 503"), "{got}");
        assert!(got.to_ascii_lowercase().contains("retry-after: 1"), "{got}");
        assert!(
            got.to_ascii_lowercase()
                .contains("x-content-type-options: nosniff"),
            "{got}"
        );
        // A slot comes free as soon as one of the four leaves.
        drop(open.pop());
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut s = TcpStream::connect(host(&server.base)).await.unwrap();
            let head = request_head(&mut s).await;
            if head.starts_with("HTTP/1.1 200") {
                break;
            }
            assert!(Instant::now() < deadline, "no slot came free: {head}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
}

fn assert_secure(resp: &reqwest::Response, what: &str) {
    let h = resp.headers();
    assert_eq!(h["content-security-policy"], "default-src 'none'", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_tokens_are_never_cached() {
    bounded(async {
        let server = TestServer::start().await;
        let client = reqwest::Client::new();
        let url = |p: &str| format!("{}{}", server.base, p);
        for (what, resp) in [
            ("presets", client.get(url("/api/v1/presets")).send().await.unwrap()),
            ("no route", client.get(url("/nowhere")).send().await.unwrap()),
            ("no token", client.get(url("/api/v1/me")).send().await.unwrap()),
            (
                "wrong method",
                client.delete(url("/api/v1/presets")).send().await.unwrap(),
            ),
        ] {
            assert_secure(&resp, what);
        }
        // The login answer carries a bearer token: never stored by any cache.
        let resp = client
            .post(url("/api/v1/auth/login"))
            .json(&json!({"email": "olivia@acme.example", "password": outlay_core::demo::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_secure(&resp, "login");
        assert_eq!(resp.headers()["cache-control"], "no-store");
        let token = resp.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        // So does an invitation.
        let resp = client
            .post(url(&format!("/api/v1/orgs/{}/members", server.acme())))
            .bearer_auth(&token)
            .json(&json!({"email": "newcomer@acme.example", "name": "Newcomer", "grants": [{"role": "employee"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        assert_secure(&resp, "invite");
        assert_eq!(resp.headers()["cache-control"], "no-store");
        let invitation = resp.json::<Value>().await.unwrap()["invitation_token"]
            .as_str()
            .unwrap()
            .to_string();
        let resp = client
            .post(url(&format!("/api/v1/invitations/{invitation}/accept")))
            .json(&json!({"password": "a long enough passphrase"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_secure(&resp, "accept");
        assert_eq!(resp.headers()["cache-control"], "no-store");
    })
    .await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_announced_or_chunked() {
    bounded(async {
        let limits = Limits {
            max_body_bytes: 1024,
            ..Limits::default()
        };
        let (server, _store) = TestServer::start_with_limits(limits).await;
        let big = json!({"email": "x@acme.example", "password": "p".repeat(4096)});
        let (status, body) = server
            .anonymous()
            .post("/api/v1/auth/login", big)
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(code(&body), "payload_too_large");
        // Without a length up front, the limit holds while reading.
        let mut stream = TcpStream::connect(host(&server.base)).await.unwrap();
        let chunk = "p".repeat(2048);
        let request = format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: outlay\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            chunk.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let (_, got) = until_closed(&mut stream).await;
        assert!(got.starts_with("HTTP/1.1 413"), "{got}");
        // Just under the limit is fine (a 401 for the wrong password).
        let (status, _) = server.try_login("x@acme.example", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    bounded(async {
        let server = TestServer::start().await;
        let client = reqwest::Client::new();
        let login = format!("{}/api/v1/auth/login", server.base);
        let json_text = r#"{"email":"olivia@acme.example","password":"outlay-demo"}"#;
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let mut req = client.post(&login).body(json_text);
            if let Some(t) = content_type {
                req = req.header("content-type", t);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(
                resp.status(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{content_type:?}"
            );
            let body: Value = resp.json().await.unwrap();
            assert_eq!(code(&body), "unsupported_media_type");
        }
        // JSON with parameters is JSON.
        let resp = client
            .post(&login)
            .header("content-type", "application/json; charset=utf-8")
            .body(json_text)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn shutdown_drains_the_audit_queue() {
    bounded(async {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::harness::fresh_database(&dir).await;
        let store = outlay_store::Store::open(&url)
            .await
            .unwrap()
            .with_audit_key(crate::harness::audit_key());
        store.migrate().await.unwrap();
        let clock = outlay::clock::system();
        let seeded = outlay::demo::seed(&store, clock(), |_| {}).await.unwrap();
        let acme = seeded.companies.iter().find(|c| c.name == "Acme").unwrap();
        let alice = acme
            .people
            .iter()
            .find(|(e, _, _)| e.starts_with("alice@"))
            .unwrap()
            .1;
        // A window of an hour: nothing is written before shutdown.
        let mut limits = Limits::default();
        limits.audit.coalesce = Duration::from_secs(3600);
        let app = outlay::App::with_limits(store.clone(), clock, limits);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(outlay::http::conn::serve(listener, app, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::new();
        let token = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": "alice@acme.example", "password": outlay_core::demo::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        for _ in 0..10 {
            let resp = client
                .get(format!("{base}/api/v1/orgs/{}/expenses/999999", acme.org.0))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        }
        stop.send(()).unwrap();
        serving.await.unwrap().unwrap();
        let mut conn = store.read().await.unwrap();
        let rows = outlay_store::audit::list(&mut conn, acme.org, None, 500)
            .await
            .unwrap();
        let logged: u64 = rows
            .iter()
            .filter(|r| r.target == "expense:999999" && r.actor_member_id == Some(alice.0))
            .map(|r| {
                serde_json::from_str::<Value>(&r.detail).unwrap()["count"]
                    .as_u64()
                    .unwrap_or(1)
            })
            .sum();
        assert_eq!(logged, 10);
        assert_eq!(
            outlay_store::audit::verify(&mut conn, acme.org, store.audit_key(), None)
                .await
                .unwrap(),
            outlay_store::audit_chain::Verdict::Intact {
                entries: rows.len() as u64,
                unsealed: 0
            }
        );
    })
    .await;
}
