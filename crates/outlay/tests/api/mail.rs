//! E-mail notices reach a real SMTP server on loopback (aiosmtpd, keeping what it receives in
//! a maildir): Alice's report asks Mark for approval, Mark asks for changes, Alice resubmits,
//! Mark approves, Fiona pays; and a step left waiting reminds, then escalates. One e-mail per
//! notice, to the right person. Needs Python with `aiosmtpd` (`.ci/run` installs it; the test
//! reads `OUTLAY_TEST_PYTHON`, default `python3`).

use crate::harness::TestServer;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// aiosmtpd on a free loopback port, writing each message into `dir/new`.
pub(crate) struct Smtp {
    pub(crate) port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Smtp {
    pub(crate) async fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let python = std::env::var("OUTLAY_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let child = std::process::Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("box"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{python} runs aiosmtpd (pip install aiosmtpd): {e}"));
        // Held from here: dropping it stops the server, whatever happens next.
        let smtp = Smtp { port, dir, child };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return smtp;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not listen on {port} within ten seconds ({python} -m aiosmtpd)");
    }

    /// The whole text of every message received, soft line breaks of quoted-printable
    /// bodies joined.
    pub(crate) fn texts(&self) -> Vec<String> {
        let new = self.dir.path().join("box").join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .map(|e| {
                std::fs::read_to_string(e.unwrap().path())
                    .unwrap()
                    .replace("=\r\n", "")
                    .replace("=\n", "")
            })
            .collect()
    }

    /// (to, subject) of every message received.
    pub(crate) fn received(&self) -> Vec<(String, String)> {
        let new = self.dir.path().join("box").join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = entries
            .map(|e| {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
                let header = |name: &str| {
                    text.lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default()
                };
                (header("To:"), header("Subject:"))
            })
            .collect();
        out.sort();
        out
    }

    pub(crate) async fn wait_for(&self, count: usize) -> Vec<(String, String)> {
        for _ in 0..100 {
            let got = self.received();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} e-mails not received within ten seconds: {:?}",
            self.received()
        );
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn has(mails: &[(String, String)], to: &str, subject: &str) -> usize {
    mails
        .iter()
        .filter(|(t, s)| t.contains(to) && s.contains(subject))
        .count()
}

#[tokio::test]
async fn every_notice_of_a_report_reaches_the_smtp_server_once() {
    let smtp = Smtp::start().await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let limits = outlay::Limits {
        jobs_every: Duration::from_millis(50),
        mail: Some(outlay_app::mail::Mailer::new(&url, "Outlay <outlay@acme.example>").unwrap()),
        ..outlay::Limits::default()
    };
    let (server, clock) = TestServer::start_with_clock_and_limits(limits).await;
    let org = server.acme();
    let (alice, mark, fiona) = (
        server.login("alice").await,
        server.login("mark").await,
        server.login("fiona").await,
    );
    let body = json!({"amount_minor": 9_000, "currency": "EUR", "merchant": "Rail", "spent_on": "2026-11-20"});
    let (_, e) = alice
        .post(&format!("/api/v1/orgs/{org}/expenses"), body)
        .await;
    let (_, r) = alice
        .post(
            &format!("/api/v1/orgs/{org}/reports"),
            json!({"title": "Rail to Hamburg"}),
        )
        .await;
    let report = format!("/api/v1/orgs/{org}/reports/{}", r["id"]);
    alice.patch(&report, json!({"add": [e["id"]]})).await;

    alice.post(&format!("{report}/submit"), json!({})).await;
    let note = json!({"note": "add the return ticket"});
    let (status, _) = mark.post(&format!("{report}/request-changes"), note).await;
    assert_eq!(status, StatusCode::OK);
    alice.post(&format!("{report}/submit"), json!({})).await;
    // Left waiting past two days, then five: a reminder, then Olivia's turn.
    clock.fetch_add(49 * 3600, Ordering::SeqCst);
    smtp.wait_for(4).await;
    clock.fetch_add(72 * 3600, Ordering::SeqCst);
    smtp.wait_for(5).await;
    let olivia = server.login("olivia").await;
    let (status, _) = olivia.post(&format!("{report}/approve"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = fiona
        .post(&format!("{report}/pay"), json!({"reference": "SEPA-1"}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let mails = smtp.wait_for(7).await;
    let requested = "A report \"Rail to Hamburg\" waits for your approval";
    assert_eq!(has(&mails, "mark@acme.example", requested), 2, "{mails:?}");
    assert_eq!(
        has(&mails, "alice@acme.example", "needs changes"),
        1,
        "{mails:?}"
    );
    assert_eq!(has(&mails, "mark@acme.example", "Reminder"), 1, "{mails:?}");
    assert_eq!(
        has(&mails, "olivia@acme.example", "now waits for your approval"),
        1,
        "{mails:?}"
    );
    assert_eq!(
        has(&mails, "alice@acme.example", "was approved"),
        1,
        "{mails:?}"
    );
    assert_eq!(
        has(&mails, "alice@acme.example", "was paid"),
        1,
        "{mails:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        smtp.received().len(),
        7,
        "each notice once: {:?}",
        smtp.received()
    );
    // Sent notices say so to their member.
    let (_, mine) = alice.get(&format!("/api/v1/orgs/{org}/notices")).await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|n| n["sent_at"].is_string()),
        "{mine}"
    );
}
