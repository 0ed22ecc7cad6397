//! Logging in and out: operations of a person rather than of a member. Tokens are bearer
//! tokens; only their hash is stored. Logins are throttled per client address and per
//! account (`guard`, shared by every check of a secret), hash within the password gate
//! (`password::HashGate`), and go to the person-level trail: successes and logouts with the
//! change they make, failed and throttled attempts through the audit writer.

use super::guard::{Guard, Who};
use super::{Error, Result};
use crate::App;
use outlay_core::Timestamp;
use outlay_store::auth as people;
use outlay_store::person_audit::{self, NewPersonEvent, PersonEventKind};

/// How long a login lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;

/// Log in with a checked email and a password, from a client address (empty when unknown).
pub struct Login {
    pub email: String,
    pub password: String,
    pub address: String,
}

/// A new session: the token (shown once) and when it expires.
pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
}

pub async fn login(app: &App, cmd: Login) -> Result<Session> {
    let Login {
        email,
        password,
        address,
    } = cmd;
    let now = app.now();
    let guard = Guard::enter(app, Who::Email(&email), &address).await?;
    let hash = guard
        .person()
        .and_then(|p| p.password_hash.clone())
        .unwrap_or_else(|| crate::password::decoy().to_string());
    let ok = app.hashes.verify(password, hash).await?;
    let person = match guard.person() {
        Some(p) if ok && p.password_hash.is_some() => p.clone(),
        other => {
            let reason = match other {
                None => "unknown_email",
                Some(p) if p.password_hash.is_none() => "no_password",
                Some(_) => "wrong_password",
            };
            let refused = Error::Unauthenticated("wrong email or password");
            return Err(guard.failed(reason, refused));
        }
    };

    let mut w = app.store.write(now).await?;
    let memberships = outlay_store::members::memberships(&mut w, person.id).await?;
    let archived = !memberships.is_empty() && memberships.iter().all(|m| m.status == "archived");
    let start = match outlay_core::permit::open_session(person.id, archived) {
        Ok(start) => start,
        Err(r) => {
            guard.record(PersonEventKind::LoginFailed, "archived");
            guard.passed();
            return Err(r.into());
        }
    };
    // The right password: the account's streak ends; the address gets this attempt back.
    guard.passed();
    let (token, token_hash) = crate::tokens::issue();
    let expires_at = now.plus_seconds(SESSION_SECONDS);
    people::create_session(&mut w, start, &token_hash, expires_at).await?;
    person_audit::record(
        &mut w,
        &NewPersonEvent {
            at: now,
            last_at: now,
            count: 1,
            person: Some(person.id),
            email: &email,
            kind: PersonEventKind::Login,
            address: &address,
            reason: "password",
        },
    )
    .await?;
    w.commit().await?;
    Ok(Session { token, expires_at })
}

/// End the session whose token hashes to `token_hash`: the token stops working at once.
pub struct Logout<'a> {
    pub person: &'a people::PersonRow,
    pub token_hash: &'a str,
    pub address: String,
}

pub async fn logout(app: &App, now: Timestamp, cmd: Logout<'_>) -> Result<()> {
    let mut w = app.store.write(now).await?;
    people::revoke_session(&mut w, cmd.token_hash, now).await?;
    person_audit::record(
        &mut w,
        &NewPersonEvent {
            at: now,
            last_at: now,
            count: 1,
            person: Some(cmd.person.id),
            email: &cmd.person.email,
            kind: PersonEventKind::Logout,
            address: &cmd.address,
            reason: "token",
        },
    )
    .await?;
    w.commit().await?;
    Ok(())
}
