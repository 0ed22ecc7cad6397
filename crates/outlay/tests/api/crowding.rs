//! One address crowds the server: it opens 2,000 idle connections, more than the server's
//! 1,024 slots. It gets its share (a quarter) and no more, so another address still reaches
//! `/healthz` and the API.

use crate::harness::TestServer;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection to `server` from the loopback address `from` (all of 127/8 is loopback).
async fn connect_from(from: &str, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().unwrap())?;
    socket.connect(server).await
}

async fn get(from: &str, server: SocketAddr, path: &str) -> String {
    let mut s = connect_from(from, server).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: outlay\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut got)).await;
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn one_address_with_2000_idle_connections_does_not_keep_another_out() {
    let server = TestServer::start().await;
    let addr: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();

    let mut hoard = Vec::new();
    for _ in 0..2000 {
        match connect_from("127.0.0.2", addr).await {
            Ok(s) => hoard.push(s),
            Err(e) => panic!("the kernel refused a connection after {}: {e}", hoard.len()),
        }
    }
    // The hoarder's own next request is turned away: it holds its share. (503, or closed
    // unanswered while the server is busy turning away its other connections.)
    let hoarder = get("127.0.0.2", addr, "/healthz").await;
    assert!(
        hoarder.is_empty() || hoarder.starts_with("HTTP/1.1 503"),
        "{hoarder}"
    );

    // Someone else is served, health check and API alike.
    let health = get("127.0.0.3", addr, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let presets = get("127.0.0.3", addr, "/api/v1/presets").await;
    assert!(presets.starts_with("HTTP/1.1 200"), "{presets}");
    drop(hoard);
}
