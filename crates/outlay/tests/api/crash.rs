//! `kill -9` in the middle of concurrent writes loses nothing that was acknowledged: after a
//! restart every expense answered 201 is there and every audit chain verifies. (On the SQLite
//! file here and, in CI, on PostgreSQL.)

use crate::harness::fresh_database;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed when dropped.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `outlay serve` on `url`, answering on `port` once this returns.
async fn serve(url: &str, port: u16) -> Server {
    let child = Server(
        Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                url,
                // 800 expenses by one person within seconds, by design: no quota here.
                "--quota-factor",
                "0",
            ])
            .env_remove("OUTLAY_BIND")
            // PostgreSQL needs the key given; SQLite would make one beside its file.
            .env(
                "OUTLAY_AUDIT_KEY",
                "test audit key: thirty-two bytes or more",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let up = client
            .get(format!("http://127.0.0.1:{port}/api/v1/openapi.json"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK);
        if up {
            return child;
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn login(client: &reqwest::Client, base: &str, who: &str) -> String {
    let body: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": format!("{who}@acme.example"), "password": outlay_core::demo::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_killed_server_keeps_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let store = outlay_store::Store::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    let seeded = outlay::demo::seed(&store, outlay::clock::system()(), |_| {})
        .await
        .unwrap();
    store.close().await;
    let acme = seeded.companies[0].org.0;

    let port = free_port();
    let mut child = serve(&url, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let token = login(&client, &base, "alice").await;

    // Four writers create expenses as fast as they can; the server is killed mid-flight.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, base, token, acked) = (
            client.clone(),
            base.clone(),
            token.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0..200 {
                let sent = client
                    .post(format!("{base}/api/v1/orgs/{acme}/expenses"))
                    .bearer_auth(&token)
                    .json(&json!({"amount_minor": 100 + i, "currency": "EUR",
                                  "merchant": format!("writer {w}"), "spent_on": "2026-11-20"}))
                    .send()
                    .await;
                let Ok(resp) = sent else { return };
                if resp.status() != StatusCode::CREATED {
                    return;
                }
                let Ok(body) = resp.json::<Value>().await else {
                    return;
                };
                acked.lock().unwrap().push(body["id"].as_i64().unwrap());
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 20 {
        assert!(Instant::now() < deadline, "writes never got through");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.0.kill().unwrap(); // SIGKILL: no shutdown, no flush
    child.0.wait().unwrap();
    for w in writers {
        let _ = w.await;
    }
    let acked = acknowledged.lock().unwrap().clone();
    assert!(acked.len() >= 20);

    // Restarted, the server has every acknowledged expense and intact audit chains.
    let port = free_port();
    let child = serve(&url, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let token = login(&client, &base, "alice").await;
    for id in &acked {
        let resp = client
            .get(format!("{base}/api/v1/orgs/{acme}/expenses/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "acknowledged expense {id} is gone"
        );
    }
    drop(child);
    let verify = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args(["audit", "verify", "--database-url", &url])
        .env(
            "OUTLAY_AUDIT_KEY",
            "test audit key: thirty-two bytes or more",
        )
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}
