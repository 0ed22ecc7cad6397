//! The binary as a newcomer runs it: `outlay demo` serves the demo companies and every demo
//! person can log in; `outlay migrate` brings a fresh database up to date.

use outlay_core::demo;
use reqwest::StatusCode;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn outlay_demo_serves_and_every_demo_person_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args([
                "demo",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database",
                "demo.db",
            ])
            .current_dir(dir.path())
            .env_remove("OUTLAY_BIND")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // Wait for the server to say it listens (bounded: 60 s).
    let stderr = child.0.stderr.take().unwrap();
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
        assert!(
            Instant::now() < deadline,
            "outlay demo did not start listening within 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        dir.path().join("demo.db").exists(),
        "the demo database is a file in the current folder"
    );

    let client = reqwest::Client::new();
    for company in [&demo::ACME, &demo::GLOBEX] {
        for person in company.people {
            let resp = client
                .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
                .json(&serde_json::json!({"email": company.email(person), "password": demo::PASSWORD}))
                .send()
                .await
                .unwrap();
            assert_eq!(
                resp.status(),
                StatusCode::OK,
                "login as {}",
                company.email(person)
            );
        }
    }
}

#[test]
fn outlay_migrate_brings_a_fresh_database_up_to_date_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args(["migrate", "--database-url", &url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let migrations = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../outlay-store/migrations/sqlite"
    ))
    .unwrap()
    .count();
    let first = run();
    assert!(
        first.starts_with(&format!("{migrations} migration(s) applied")),
        "{first}"
    );
    assert!(run().starts_with("0 migration(s) applied"));
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args(["migrate", "--database-url", "mysql://nope"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database url"));
}

#[tokio::test]
async fn outlay_audit_verify_checks_every_chain_and_names_the_first_broken_entry() {
    let server = crate::harness::TestServer::start().await;
    let run = |args: Vec<String>| {
        std::process::Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args(args)
            .env(
                "OUTLAY_AUDIT_KEY",
                "test audit key: thirty-two bytes or more",
            )
            .output()
            .unwrap()
    };
    let url = server.database_url.clone();
    let all = run(vec![
        "audit".into(),
        "verify".into(),
        "--database-url".into(),
        url.clone(),
    ]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    let text = String::from_utf8_lossy(&all.stdout).to_string();
    assert_eq!(
        text.matches("intact").count(),
        server.seeded.companies.len(),
        "{text}"
    );

    // Someone edits an entry of Acme's log behind Outlay's back.
    let acme = server.acme();
    let store = outlay_store::Store::open(&url).await.unwrap();
    let mut conn = store.read().await.unwrap();
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM audit_events WHERE org_id = $1")
        .bind(acme)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    // Through a transaction of its own: read connections are read-only.
    let mut tamper = store.write(outlay::clock::system()()).await.unwrap();
    sqlx::query("UPDATE audit_events SET reason = 'edited' WHERE id = $1")
        .bind(first)
        .execute(&mut *tamper)
        .await
        .unwrap();
    tamper.commit().await.unwrap();
    let one = run(vec![
        "audit".into(),
        "verify".into(),
        "--org".into(),
        acme.to_string(),
        "--database-url".into(),
        url,
    ]);
    assert!(!one.status.success());
    let text = String::from_utf8_lossy(&one.stdout).to_string();
    assert!(
        text.contains(&format!("org {acme}: BROKEN at entry {first}:")),
        "{text}"
    );
}

#[tokio::test]
async fn outlay_bench_data_loads_a_company_whose_viewers_log_in_and_list() {
    let server = crate::harness::TestServer::start_empty().await;
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "bench-data",
            "--members",
            "400",
            "--expenses",
            "4000",
            "--seed",
            "5",
            "--database-url",
            &server.database_url,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let org: i64 = stdout
        .split("(org id ")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no org id in {stdout}"));
    assert!(stdout.contains("400 members"), "{stdout}");
    assert!(stdout.contains("4000 expenses"), "{stdout}");
    for label in [
        "employee",
        "manager",
        "director",
        "executive",
        "owner",
        "finance",
    ] {
        let email = format!("{label}@bench{org}.example");
        assert!(stdout.contains(&email), "{email} in {stdout}");
        let session = server.login(&email).await;
        let (status, page) = session
            .get(&format!("/api/v1/orgs/{org}/expenses?limit=5"))
            .await;
        assert_eq!(status, StatusCode::OK, "{label}: {page}");
        assert!(!page["items"].as_array().unwrap().is_empty(), "{label}");
        let (status, page) = session
            .get(&format!("/api/v1/orgs/{org}/members?limit=5"))
            .await;
        assert_eq!(status, StatusCode::OK, "{label}: {page}");
    }
}

/// The operator backs up a database while it serves, and restores it into a stopped one.
#[tokio::test]
async fn outlay_backup_snapshots_a_serving_database_and_restore_puts_it_back() {
    let server = crate::harness::TestServer::start().await;
    if !server.database_url.starts_with("sqlite://") {
        // PostgreSQL is backed up with pg_dump; the command says so (checked below).
        let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args([
                "backup",
                "/tmp/never.db",
                "--database-url",
                &server.database_url,
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alice = server.login("alice").await;
    let new_expense = |amount: i64| {
        let alice = alice.clone();
        let path = format!("/api/v1/orgs/{}/expenses", server.acme());
        async move {
            let (status, body) = alice
                .post(
                    &path,
                    serde_json::json!({"amount_minor": amount, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-01"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    };
    new_expense(4242).await;
    let backup = dir.path().join("acme.backup.db");
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "backup",
            backup.to_str().unwrap(),
            "--database-url",
            &server.database_url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Written after the backup: not in it.
    new_expense(5353).await;

    // A second backup to the same file is refused rather than overwriting it.
    let again = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "backup",
            backup.to_str().unwrap(),
            "--database-url",
            &server.database_url,
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());

    let restored = dir.path().join("restored.db");
    let url = format!("sqlite://{}", restored.display());
    let restore = |force: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_outlay"));
        c.args(["restore", backup.to_str().unwrap(), "--database-url", &url]);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let out = restore(false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = outlay_store::Store::open(&url).await.unwrap();
    let mut conn = store.read().await.unwrap();
    let amounts: Vec<i64> = sqlx::query_scalar(
        "SELECT amount_minor FROM expenses WHERE amount_minor IN (4242, 5353) ORDER BY amount_minor",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(amounts, vec![4242]);
    drop(conn);
    store.close().await;

    // Restoring over an existing database needs --force; a file that is not an Outlay
    // database is refused before anything is replaced.
    assert!(!restore(false).status.success());
    assert!(restore(true).status.success());
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args([
            "restore",
            junk.to_str().unwrap(),
            "--database-url",
            &url,
            "--force",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        outlay_store::backup::check(&restored).is_ok(),
        "the database is untouched"
    );
}

/// bench-data's people share the published demo password: it will not load them into a
/// database that serves people.
#[tokio::test]
async fn outlay_bench_data_refuses_a_database_that_serves_people() {
    let server = crate::harness::TestServer::start().await;
    let out = Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args(["bench-data", "--members", "50", "--expenses", "10"])
        .args(["--database-url", &server.database_url])
        .env_remove("OUTLAY_BENCH_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bench-data did not make"), "{err}");
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let bench: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs WHERE name = 'Bench Corp'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(bench, 0, "nothing was loaded");
}
