//! Identity and account recovery, as people live them: an invitation's token travels only in
//! the e-mail, so nobody who invites an address can take its account; guessing tokens is
//! throttled like guessing passwords, and leaves a trail; a forgotten password is reset by a
//! link read from a real SMTP server on loopback (aiosmtpd, see `mail.rs`), once; a changed
//! password ends the other sessions; archived members come back; resent and revoked
//! invitations leave their old tokens useless.

use crate::harness::{code, TestServer};
use crate::mail::Smtp;
use outlay_core::demo::PASSWORD;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// A server that e-mails through `smtp` and shows no token to anyone but the mail's reader.
async fn mailing(smtp: &Smtp) -> TestServer {
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let limits = outlay::Limits {
        jobs_every: Duration::from_millis(50),
        mail: Some(outlay_app::mail::Mailer::new(&url, "Outlay <outlay@example.com>").unwrap()),
        public_url: "https://outlay.example/".into(),
        ..outlay::Limits::default()
    };
    TestServer::start_with_clock_and_limits(limits).await.0
}

/// The token of the link to `https://outlay.example{path}TOKEN` in the one mail to `to`
/// whose subject holds `subject`, once it arrived.
async fn link_token(smtp: &Smtp, to: &str, subject: &str, path: &str) -> String {
    for _ in 0..100 {
        let found: Vec<String> = smtp
            .texts()
            .into_iter()
            .filter(|t| t.contains(&format!("To: {to}")) || t.contains(&format!("<{to}>")))
            .filter(|t| t.contains(subject))
            .collect();
        assert!(found.len() <= 1, "one mail: {found:?}");
        if let Some(text) = found.first() {
            let prefix = format!("https://outlay.example{path}");
            let at = text
                .find(&prefix)
                .unwrap_or_else(|| panic!("a link: {text}"));
            return text[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no mail to {to} about {subject}: {:?}", smtp.received());
}

/// Rows of the person-level trail: the sum of `count` of `kind` with `reason`, once the
/// audit writer wrote at least `at_least` (it writes in batches).
async fn trail(server: &TestServer, kind: &str, reason: &str, at_least: i64) -> i64 {
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut sum = 0;
    for _ in 0..100 {
        let mut conn = store.read().await.unwrap();
        sum = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM person_events \
             WHERE kind = $1 AND reason = $2",
        )
        .bind(kind)
        .bind(reason)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        if sum >= at_least {
            break;
        }
        drop(conn);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    store.close().await;
    sum
}

#[tokio::test]
async fn guessing_invitation_tokens_is_throttled_like_logins_and_leaves_a_trail() {
    let server = TestServer::start().await;
    let client = reqwest::Client::builder()
        .local_address("127.0.0.9".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let mut refused = None;
    for i in 0..200 {
        let resp = client
            .post(format!(
                "{}/api/v1/invitations/guess{i:04}/accept",
                server.base
            ))
            .json(&json!({"password": "a long enough passphrase"}))
            .send()
            .await
            .unwrap();
        match resp.status() {
            StatusCode::NOT_FOUND => continue,
            StatusCode::TOO_MANY_REQUESTS => {
                let retry: u64 = resp.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(retry >= 1, "{retry}");
                refused = Some(i);
                break;
            }
            other => panic!("guess {i}: {other}"),
        }
    }
    // 20 free guesses per address, then a second, two, and a wait of four: a 429.
    let refused = refused.expect("a 429 within 200 guesses");
    assert!((20..40).contains(&refused), "refused at guess {refused}");
    // The same throttle holds logins from that address back.
    let resp = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"email": "alice@acme.example", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    // Each wrong guess is a failed attempt in the trail; the refusals are there too.
    let failed = trail(&server, "login_failed", "invitation_token", refused).await;
    assert_eq!(failed, refused, "one failure per guess let through");
    assert!(trail(&server, "login_throttled", "address", 1).await >= 1);
}

#[tokio::test]
async fn a_founder_inviting_someone_elses_email_can_neither_learn_nor_set_their_password() {
    let smtp = Smtp::start().await;
    let server = mailing(&smtp).await;
    // Mark founds a company of his own and invites Alice, who has an Outlay account.
    let mark = server.login("mark").await;
    let (status, company) = mark
        .post("/api/v1/orgs", json!({"name": "Squat Ltd"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    let org = company["id"].as_i64().unwrap();
    let invite =
        json!({"email": "alice@acme.example", "name": "Alice", "grants": [{"role": "employee"}]});
    let (status, invited) = mark
        .post(&format!("/api/v1/orgs/{org}/members"), invite)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    assert!(invited.get("invitation_token").is_none(), "{invited}");
    assert_eq!(invited["invitation"]["state"], "pending", "{invited}");
    assert_eq!(invited["invitation"]["member_id"], invited["id"]);

    // The token is only in Alice's mail; the answer never held it.
    let token = link_token(&smtp, "alice@acme.example", "Squat Ltd", "/invitations/").await;
    assert_eq!(token.len(), 43, "{token}");
    assert!(!invited.to_string().contains(&token));

    // Even holding the token, a new password does not take the account over.
    let anon = server.anonymous();
    let accept = format!("/api/v1/invitations/{token}/accept");
    let (status, body) = anon
        .post(&accept, json!({"password": "mark chose this one"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = server
        .try_login("alice@acme.example", "mark chose this one")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.try_login("alice@acme.example", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        trail(&server, "login_failed", "invitation_password", 1).await,
        1
    );

    // Alice's genuine acceptance, with her own password, works.
    let (status, accepted) = anon.post(&accept, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["org_id"], org);
    let alice = server.login("alice").await;
    let (status, _) = alice.get(&format!("/api/v1/orgs/{org}/expenses")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_the_link_in_the_mail() {
    let smtp = Smtp::start().await;
    let server = mailing(&smtp).await;
    let before = server.login("alice").await;
    let anon = server.anonymous();
    for email in ["alice@acme.example", "nobody@acme.example"] {
        let (status, body) = anon
            .post("/api/v1/auth/password-reset", json!({"email": email}))
            .await;
        assert_eq!(
            status,
            StatusCode::ACCEPTED,
            "the same answer for {email}: {body}"
        );
        assert_eq!(body, Value::Null);
    }
    let (status, body) = anon
        .post(
            "/api/v1/auth/password-reset",
            json!({"email": "not an email"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "email");

    let token = link_token(
        &smtp,
        "alice@acme.example",
        "Reset your Outlay password",
        "/reset/",
    )
    .await;
    let confirm = format!("/api/v1/auth/password-reset/{token}");
    let (status, body) = anon.post(&confirm, json!({"password": "short"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "password");
    let new = "a brand new passphrase";
    let (status, body) = anon.post(&confirm, json!({"password": new})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Once.
    let (status, body) = anon
        .post(&confirm, json!({"password": "yet another passphrase"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "reset_used");
    let (status, _) = anon
        .post(
            "/api/v1/auth/password-reset/not-a-real-token",
            json!({"password": new}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every session ended; the old password is refused, the new one works.
    let (status, _) = before.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.try_login("alice@acme.example", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.try_login("alice@acme.example", new).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trail(&server, "password_set", "reset", 1).await, 1);

    // Nobody without an account got mail, and the outbox kept no usable link.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails = smtp.received();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let store = outlay_store::Store::open(&server.database_url)
        .await
        .unwrap();
    let mut conn = store.read().await.unwrap();
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mails WHERE link IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(links, 0);
}

#[tokio::test]
async fn changing_a_password_ends_the_other_sessions() {
    let server = TestServer::start().await;
    let (here, elsewhere) = (server.login("alice").await, server.login("alice").await);
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let new = "a brand new passphrase";
    let (status, body) = here
        .post("/api/v1/auth/password", change("not my password", new))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "current_password");
    let (status, body) = here
        .post("/api/v1/auth/password", change(PASSWORD, "short"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "new_password");
    let (status, body) = here
        .post("/api/v1/auth/password", change(PASSWORD, new))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = elsewhere.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the other session ended");
    let (status, _) = here.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "this one stays");
    let (status, _) = server.try_login("alice@acme.example", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = server.try_login("alice@acme.example", new).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        trail(&server, "login_failed", "current_password", 1).await,
        1
    );
    assert_eq!(trail(&server, "password_set", "change", 1).await, 1);
}

#[tokio::test]
async fn an_archived_member_comes_back_and_old_invitation_tokens_stop_working() {
    // A development server: the inviter sees tokens, so the story needs no mail server.
    let server = TestServer::start().await;
    let org = server.acme();
    let adam = server.login("adam").await;
    let alice = server.member("alice");
    let member = format!("/api/v1/orgs/{org}/members/{alice}");

    let (status, body) = adam.post(&format!("{member}/unarchive"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "not_archived");
    let (status, _) = adam.post(&format!("{member}/archive"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.try_login("alice@acme.example", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Inviting her e-mail again says who she is: she is unarchived, not invited twice.
    let again =
        json!({"email": "alice@acme.example", "name": "Alice", "grants": [{"role": "employee"}]});
    let (status, body) = adam
        .post(&format!("/api/v1/orgs/{org}/members"), again)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "member_archived");
    assert!(
        body.to_string().contains(&format!("member {alice}")),
        "{body}"
    );
    // Only who may archive unarchives.
    let mark = server.login("mark").await;
    let (status, _) = mark.post(&format!("{member}/unarchive"), json!({})).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
        "{status}"
    );
    let (status, back) = adam.post(&format!("{member}/unarchive"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["status"], "active");
    let alice = server.login("alice").await;
    let (status, _) = alice.get(&format!("/api/v1/orgs/{org}/expenses")).await;
    assert_eq!(status, StatusCode::OK);

    // Dora's invitation: resent, the first token names nothing; revoked, the second is
    // withdrawn; resent again, the third works.
    let invite =
        json!({"email": "dora@acme.example", "name": "Dora", "grants": [{"role": "employee"}]});
    let (status, invited) = adam
        .post(&format!("/api/v1/orgs/{org}/members"), invite)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let first = invited["invitation_token"].as_str().unwrap().to_string();
    let invitation = format!("/api/v1/orgs/{org}/members/{}/invitation", invited["id"]);
    let (status, body) = alice.post(&format!("{invitation}/resend"), json!({})).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
        "only who may invite resends: {body}"
    );
    let (status, resent) = adam.post(&format!("{invitation}/resend"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{resent}");
    assert_eq!(resent["state"], "pending");
    let second = resent["invitation_token"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let anon = server.anonymous();
    let password = json!({"password": "dora's long passphrase"});
    let accept = |token: &str| format!("/api/v1/invitations/{token}/accept");
    let (status, _) = anon.post(&accept(&first), password.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, revoked) = adam.delete(&invitation).await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["state"], "revoked");
    assert!(revoked.get("invitation_token").is_none());
    let (status, body) = adam.delete(&invitation).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = anon.post(&accept(&second), password.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "invitation_withdrawn");

    let (status, resent) = adam.post(&format!("{invitation}/resend"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{resent}");
    let third = resent["invitation_token"].as_str().unwrap();
    let (status, body) = anon.post(&accept(third), password.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = adam.post(&format!("{invitation}/resend"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "accepted: {body}");
    assert_eq!(code(&body), "invitation_used");
}
