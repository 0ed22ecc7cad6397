//! What whoever runs the server sees: Prometheus metrics at `/metrics`, and a SIGTERM that
//! lets the request under way finish and writes its audit entry before the process exits.

use crate::harness::{email_of, TestServer};
use outlay_core::demo;
use reqwest::StatusCode;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn metrics_count_requests_by_route_pool_waits_and_throttled_logins() {
    let server = TestServer::start().await;
    let alice = server.login("alice").await;
    let acme = server.acme();
    for _ in 0..3 {
        let (status, _) = alice.get(&format!("/api/v1/orgs/{acme}/expenses")).await;
        assert_eq!(status, StatusCode::OK);
    }
    // Wrong passwords until the account is held back.
    let mut throttled = false;
    for _ in 0..10 {
        let (status, _) = server.try_login(&email_of("bob"), "not the password").await;
        throttled |= status == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(throttled, "ten wrong passwords in a row are throttled");

    let text = reqwest::get(format!("{}/metrics", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The route's pattern, never the concrete path.
    assert!(
        text.contains(
            "outlay_http_requests_total{method=\"GET\",route=\"/api/v1/orgs/{org}/expenses\",status=\"200\"} 3"
        ),
        "{text}"
    );
    assert!(text.contains(
        "outlay_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/orgs/{org}/expenses\",status=\"200\"} 3"
    ));
    assert!(!text.contains(&format!("/orgs/{acme}/")));
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing"))
            .parse()
            .unwrap()
    };
    assert!(value("outlay_logins_throttled_total") >= 1.0);
    assert!(value("outlay_pool_wait_seconds_count") >= 3.0);
    assert_eq!(value("outlay_pool_timeouts_total"), 0.0);
    assert!(value("outlay_audit_queue_depth") >= 0.0);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn sigterm_lets_the_request_under_way_finish_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "demo",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
            "demo.db",
            "--shutdown-grace",
            "10s",
        ])
        .current_dir(dir.path())
        .env_remove("OUTLAY_BIND")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("listening on") {
                let _ = tx.send(());
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while rx.try_recv().is_err() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("outlay demo did not start listening within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let base = format!("http://127.0.0.1:{port}");
    let alice = demo::ACME.people.iter().find(|p| p.key == "alice").unwrap();
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": demo::ACME.email(alice), "password": demo::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();

    // A request under way: headers and half its body are in when SIGTERM arrives.
    let body = serde_json::json!({"amount_minor": 4200, "currency": "EUR", "merchant": "Drained",
                                  "spent_on": "2026-11-20", "category": "meals"})
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/orgs/1/expenses HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    // The process exits by itself, cleanly, within the grace period.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("outlay did not exit after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");

    // The drained request is in the audit log, and the chain verifies.
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let store = outlay_store::Store::open(&url).await.unwrap();
    let mut conn = store.read().await.unwrap();
    let org = outlay_core::OrgId(1);
    let events = outlay_store::audit::list(&mut conn, org, None, 50)
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.action == "expense.create" && e.outcome == "allowed"),
        "the drained create is audited"
    );
    // The demo made its audit key beside its database, and sealed the log with it.
    let key = std::fs::read_to_string(dir.path().join("demo.db.audit-key")).unwrap();
    let key = outlay_store::audit_chain::AuditKey::new(&key).unwrap();
    let verified = outlay_store::audit::verify(&mut conn, org, Some(&key), None)
        .await
        .unwrap();
    assert!(
        matches!(
            verified,
            outlay_store::audit_chain::Verdict::Intact { unsealed: 0, .. }
        ),
        "the chain breaks: {verified:?}"
    );
    let unkeyed = outlay_store::audit::verify(&mut conn, org, None, None)
        .await
        .unwrap();
    assert!(
        matches!(unkeyed, outlay_store::audit_chain::Verdict::Broken { .. }),
        "without the key the sealed log cannot be verified: {unkeyed:?}"
    );
}
