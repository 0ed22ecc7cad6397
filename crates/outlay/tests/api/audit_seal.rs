//! The sealed audit log, as an operator uses it: they take a company's head and keep it
//! outside the database; later, someone with write access to the database but not the key
//! removes the newest entries, edits one and recomputes the chain, or appends a forged one;
//! `outlay audit verify` against the kept head finds each, naming the first bad entry.

use crate::harness::TestServer;
use outlay_store::audit_chain::{self, Sealed};
use serde_json::{json, Value};
use std::process::Output;

const KEY_TEXT: &str = "test audit key: thirty-two bytes or more";

/// Runs `outlay audit ...` on the server's database, with the server's key.
fn outlay(server: &TestServer, args: &[&str]) -> Output {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--database-url".into(), server.database_url.clone()]);
    std::process::Command::new(env!("CARGO_BIN_EXE_outlay"))
        .args(all)
        .env("OUTLAY_AUDIT_KEY", KEY_TEXT)
        .env_remove("OUTLAY_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Alice records fourteen expenses: fourteen entries in Acme's log.
async fn some_history(server: &TestServer) {
    let alice = server.login("alice@acme.example").await;
    for i in 0..14 {
        let (status, body) = alice
            .post(
                &format!("/api/v1/orgs/{}/expenses", server.acme()),
                json!({"amount_minor": 1200 + i, "currency": "EUR", "merchant": "Cafe", "spent_on": "2026-11-01"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
}

/// The operator takes Acme's head (after some history) and keeps it in a file.
async fn keep_head(server: &TestServer, dir: &std::path::Path) -> (std::path::PathBuf, Value) {
    some_history(server).await;
    let acme = server.acme().to_string();
    let out = outlay(server, &["audit", "head", "--org", &acme]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join("acme.head.json");
    std::fs::write(&path, &out.stdout).unwrap();
    let head: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(head["entries"].as_u64().unwrap() >= 12, "{head}");
    assert!(head["last_mac"].as_str().unwrap().starts_with("hmac:"));
    (path, head)
}

fn verify_against(server: &TestServer, head: &std::path::Path) -> Output {
    let acme = server.acme().to_string();
    outlay(
        server,
        &[
            "audit",
            "verify",
            "--org",
            &acme,
            "--head",
            head.to_str().unwrap(),
        ],
    )
}

/// Runs `sql` in a transaction of its own, as someone with database access would.
async fn tamper(server: &TestServer, sql: &str, binds: Vec<Value>) {
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut w = store.write(outlay::clock::system()()).await.unwrap();
    let mut q = sqlx::query(sql);
    for b in &binds {
        q = match b {
            Value::Number(n) => q.bind(n.as_i64().unwrap()),
            Value::String(s) => q.bind(s.clone()),
            _ => unreachable!(),
        };
    }
    q.execute(&mut *w).await.unwrap();
    w.commit().await.unwrap();
    store.close().await;
}

async fn acme_ids(server: &TestServer) -> Vec<i64> {
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let ids = sqlx::query_scalar("SELECT id FROM audit_events WHERE org_id = $1 ORDER BY id")
        .bind(server.acme())
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    ids
}

#[tokio::test]
async fn removing_the_newest_ten_entries_is_found_against_the_kept_head() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (head, kept) = keep_head(&server, dir.path()).await;

    let ids = acme_ids(&server).await;
    let tenth_newest = ids[ids.len() - 10];
    tamper(
        &server,
        "DELETE FROM audit_events WHERE org_id = $1 AND id >= $2",
        vec![server.acme().into(), tenth_newest.into()],
    )
    .await;

    // What is left still links: only the head shows what is missing.
    let acme = server.acme().to_string();
    let alone = outlay(&server, &["audit", "verify", "--org", &acme]);
    assert!(alone.status.success(), "{}", stdout(&alone));
    let out = verify_against(&server, &head);
    assert!(!out.status.success());
    let entries = kept["entries"].as_u64().unwrap();
    assert!(
        stdout(&out).contains(&format!(
            "TRUNCATED: {} entries, the head says {entries}",
            entries - 10
        )),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn an_edit_with_the_chain_recomputed_without_the_key_is_found() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (head, _) = keep_head(&server, dir.path()).await;

    // The forger edits the fifth entry and reseals it and every later one with the best
    // key they have: a guess.
    let guess = audit_chain::AuditKey::new(&"g".repeat(40)).unwrap();
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let entries =
        outlay_store::audit::entries_after(&mut conn, outlay_core::OrgId(server.acme()), 0, 10_000)
            .await
            .unwrap();
    drop(conn);
    let edited = entries[4].id;
    let mut w = store.write(outlay::clock::system()()).await.unwrap();
    let mut prev = entries[3].hash.clone();
    for e in &entries[4..] {
        let reason = if e.id == edited {
            "edited"
        } else {
            e.reason.as_str()
        };
        let hash = audit_chain::seal(
            Some(&guess),
            &prev,
            &Sealed {
                org: e.org_id,
                at: e.at,
                member: e.actor_member_id,
                person: e.actor_person_id,
                fields: [&e.action, &e.target, &e.outcome, reason, &e.detail],
            },
        );
        sqlx::query("UPDATE audit_events SET reason = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(reason)
            .bind(&prev)
            .bind(&hash)
            .bind(e.id)
            .execute(&mut *w)
            .await
            .unwrap();
        prev = hash;
    }
    w.commit().await.unwrap();
    store.close().await;

    let out = verify_against(&server, &head);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains(&format!(
            "BROKEN at entry {edited}: its seal does not match"
        )),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn a_forged_entry_appended_to_the_chain_is_found() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (head, kept) = keep_head(&server, dir.path()).await;

    // A forged approval, linked to the real newest entry, sealed without the key.
    let last = kept["last_mac"].as_str().unwrap().to_string();
    let fields = ["expense.approve", "expense:1", "allowed", "grant", "{}"];
    let hash = audit_chain::seal(
        None,
        &last,
        &Sealed {
            org: server.acme(),
            at: 1,
            member: Some(1),
            person: None,
            fields,
        },
    );
    tamper(
        &server,
        "INSERT INTO audit_events (org_id, at, actor_member_id, actor_person_id, action, target, outcome, reason, detail, prev_hash, hash) \
         VALUES ($1, 1, 1, NULL, 'expense.approve', 'expense:1', 'allowed', 'grant', '{}', $2, $3)",
        vec![server.acme().into(), last.into(), hash.into()],
    )
    .await;
    let forged = *acme_ids(&server).await.last().unwrap();

    let out = verify_against(&server, &head);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains(&format!(
            "BROKEN at entry {forged}: is unsealed after sealed entries"
        )),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn an_exported_chain_verifies_offline_with_the_key_and_a_company_that_does_not_exist_is_named(
) {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let acme = server.acme().to_string();
    let (head, kept) = keep_head(&server, dir.path()).await;

    let export = outlay(&server, &["audit", "export", "--org", &acme]);
    assert!(export.status.success());
    let file = dir.path().join("acme.jsonl");
    std::fs::write(&file, &export.stdout).unwrap();
    let lines = String::from_utf8_lossy(&export.stdout).lines().count() as u64;
    assert_eq!(lines, kept["entries"].as_u64().unwrap());

    let offline = |file: &std::path::Path, key: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_outlay"))
            .args(["audit", "verify", "--file", file.to_str().unwrap()])
            .args(["--head", head.to_str().unwrap()])
            // No database at all: the file and the key are enough.
            .args(["--database-url", "sqlite://does-not-exist.db?mode=ro"])
            .env("OUTLAY_AUDIT_KEY", key)
            .output()
            .unwrap()
    };
    let ok = offline(&file, KEY_TEXT);
    assert!(
        ok.status.success(),
        "{}{}",
        stdout(&ok),
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout(&ok).contains(&format!("org {acme}: intact ({lines} entries)")));

    // Another key does not vouch for it.
    let wrong = offline(&file, &"w".repeat(40));
    assert!(!wrong.status.success());

    // An edited line in the exported file is found too.
    let text =
        String::from_utf8_lossy(&export.stdout).replacen("\"reason\":\"", "\"reason\":\"x", 1);
    let edited = dir.path().join("edited.jsonl");
    std::fs::write(&edited, text).unwrap();
    let out = offline(&edited, KEY_TEXT);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("BROKEN at entry"), "{}", stdout(&out));

    let none = outlay(&server, &["audit", "verify", "--org", "99"]);
    assert!(!none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no such company: 99"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    assert!(!stdout(&none).contains("intact"));
}

#[tokio::test]
async fn an_auditor_takes_the_head_over_http_and_verifies_against_it() {
    let server = TestServer::start().await;
    let acme = server.acme();
    let audrey = server.login("audrey@acme.example").await;
    let (status, head) = audrey.get(&format!("/api/v1/orgs/{acme}/audit/head")).await;
    assert_eq!(status, 200, "{head}");
    let entries = head["head_entries"].as_u64().unwrap();
    let mac = head["head_last_mac"].as_str().unwrap().to_string();
    let query = format!(
        "head_entries={entries}&head_last_id={}&head_last_mac={}",
        head["head_last_id"],
        mac.replace(':', "%3A")
    );
    let (status, v) = audrey
        .get(&format!("/api/v1/orgs/{acme}/audit/verify?{query}"))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["unsealed"], 0);

    // A head from a longer chain than there is: entries were removed.
    let (_, v) = audrey
        .get(&format!(
            "/api/v1/orgs/{acme}/audit/verify?head_entries={}&head_last_mac={}",
            entries + 5_000,
            mac.replace(':', "%3A")
        ))
        .await;
    assert_eq!(v["intact"], false, "{v}");
    assert!(v["problem"]
        .as_str()
        .unwrap()
        .contains("newest entries were removed"));

    // Half a head is a bad request, naming the field.
    let (status, v) = audrey
        .get(&format!("/api/v1/orgs/{acme}/audit/verify?head_entries=3"))
        .await;
    assert_eq!(status, 400, "{v}");

    // An employee may not read the head.
    let alice = server.login("alice@acme.example").await;
    let (status, _) = alice.get(&format!("/api/v1/orgs/{acme}/audit/head")).await;
    assert_eq!(status, 403);
}
