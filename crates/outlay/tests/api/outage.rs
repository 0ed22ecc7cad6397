//! The database goes away: a PostgreSQL server that does not answer. Requests are answered
//! 503 with Retry-After (try again shortly), never 500 (a fault in Outlay), and the
//! readiness check says not ready.

use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_database_that_cannot_be_reached_answers_503_with_retry_after() {
    // Nothing listens on this port: the database server is down.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://outlay:outlay@127.0.0.1:{port}/outlay");
    let store = outlay_store::Store::open(&url).await.unwrap();
    let app = outlay::App::new(store, outlay::clock::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = outlay::serve(listener, app).await;
    });
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "alice@acme.example", "password": "outlay-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(login.headers().contains_key("retry-after"));
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["error"]["code"], "busy", "{body}");

    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    // The process itself is alive.
    let live = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    server.abort();
}

/// PostgreSQL goes away while the server holds open connections to it: the next requests
/// fail on a dead connection mid-conversation, and are answered 503 too. The outage is a
/// TCP relay on loopback between Outlay and the real PostgreSQL, cut in the middle.
#[tokio::test]
async fn postgres_going_away_mid_service_answers_503_not_500() {
    let real = crate::harness::TestServer::start().await;
    let Some(rest) = real.database_url.strip_prefix("postgres://") else {
        return; // SQLite has no server to lose.
    };
    let (creds, after) = rest.split_once('@').unwrap();
    let (hostport, db) = after.split_once('/').unwrap();
    let upstream = hostport.to_string();
    let relay = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let relay_addr = relay.local_addr().unwrap();
    let (cut, cut_rx) = tokio::sync::watch::channel(false);
    let relaying = tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = relay.accept().await else {
                return;
            };
            let upstream = upstream.clone();
            let mut cut_rx = cut_rx.clone();
            tokio::spawn(async move {
                let mut outbound = tokio::net::TcpStream::connect(upstream).await.unwrap();
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                    _ = cut_rx.wait_for(|c| *c) => {}
                }
            });
        }
    });
    let url = format!("postgres://{creds}@{relay_addr}/{db}");
    let store = outlay_store::Store::open(&url).await.unwrap();
    let app = outlay::App::new(store, outlay::clock::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = outlay::serve(listener, app).await;
    });
    let client = reqwest::Client::new();
    let login = || {
        client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": "alice@acme.example", "password": "outlay-demo"}))
            .send()
    };
    assert_eq!(login().await.unwrap().status(), StatusCode::OK);

    // The database server goes away as PostgreSQL does when stopped: it takes no new
    // connection (the relay stops accepting) and ends every open one with "terminating
    // connection due to administrator command" (57P01), which reaches Outlay's pooled
    // connections through the relay.
    relaying.abort();
    let admin = outlay_store::Store::open(&real.database_url).await.unwrap();
    let mut conn = admin.read().await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert!(!ended.is_empty(), "Outlay held connections");
    drop(conn);
    let _ = cut;
    for _ in 0..3 {
        let resp = login().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(resp.headers().contains_key("retry-after"));
    }
    server.abort();
}
