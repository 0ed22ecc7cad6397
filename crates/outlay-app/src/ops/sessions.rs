//! Logging in and out: operations of a person rather than of a member. Tokens are bearer
//! tokens; only their hash is stored. Logins are throttled per client address and per
//! account (`crate::throttle`), hash within the password gate (`password::HashGate`), and go
//! to the person-level trail: successes and logouts with the change they make, failed and
//! throttled attempts through the audit writer.

use super::{Error, Result};
use crate::audit_writer::LoginEvent;
use crate::throttle::{Key, Throttle, Verdict};
use crate::App;
use outlay_core::Timestamp;
use outlay_store::auth as people;
use outlay_store::person_audit::{self, Failures, FailuresOf, NewPersonEvent, PersonEventKind};
use std::time::Duration;

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

/// Attempts charged to the throttle, taken back when dropped unless `keep` was called: an
/// attempt that never reached a verdict (an error, a busy gate, a client that went away)
/// costs nothing.
struct Charged<'a> {
    throttle: &'a Throttle,
    keys: Vec<Key>,
    kept: bool,
}

impl Charged<'_> {
    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Charged<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.throttle.refund(&self.keys);
        }
    }
}

/// Charges one attempt to `key`: how long to wait before answering, and the charge (taken
/// back unless kept); or, when the key is held back, the refusal, after `on_throttled`.
fn charge<'a>(
    app: &'a App,
    key: Key,
    on_throttled: impl FnOnce(),
) -> Result<(Duration, Charged<'a>)> {
    match app
        .throttle
        .attempt(std::slice::from_ref(&key), tokio::time::Instant::now())
    {
        Verdict::Go(wait) => Ok((
            wait,
            Charged {
                throttle: &app.throttle,
                keys: vec![key],
                kept: false,
            },
        )),
        Verdict::Wait(wait) => Err(throttled(app, wait, on_throttled)),
    }
}

/// The refusal of an attempt held back for `wait`, after `on_throttled`.
fn throttled(app: &App, wait: Duration, on_throttled: impl FnOnce()) -> Error {
    on_throttled();
    app.metrics.throttled_login();
    Error::Throttled {
        retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

/// Raises this server's count for `key` to the failures the trail holds for it.
fn observe(app: &App, key: &Key, seen: Failures, now: Timestamp) {
    let Some(last_at) = seen.last_at else {
        return;
    };
    let failures = u32::try_from(seen.count).unwrap_or(u32::MAX);
    // Times are whole seconds: the latest failure is taken as late as it may have been, so
    // a delay is never cut short (it may last up to a second longer).
    let ago = Duration::from_secs(u64::try_from(now.0 - last_at.0 - 1).unwrap_or(0));
    let instant = tokio::time::Instant::now();
    let latest = instant.checked_sub(ago).unwrap_or(instant);
    app.throttle.observe(key, failures, latest, instant);
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

pub async fn login(app: &App, cmd: Login) -> Result<Session> {
    let Login {
        email,
        password,
        address,
    } = cmd;
    let now = app.now();
    let trail = |kind: PersonEventKind, person: Option<i64>, reason: &str| {
        app.audit.login(LoginEvent {
            kind,
            email: email.clone(),
            person,
            address: address.clone(),
            reason: reason.to_string(),
            // When the attempt was answered, after any served delay: other servers time
            // their delays from it (`observe`).
            at: app.now(),
        })
    };

    let throttled_kind = PersonEventKind::LoginThrottled;
    let address_key = Key::Address(address.clone());
    // The address first: a flood from one address this server already holds back costs no
    // database work.
    if let Some(wait) = app.throttle.held(&address_key, tokio::time::Instant::now()) {
        return Err(throttled(app, wait, || {
            trail(throttled_kind, None, "address")
        }));
    }
    let (person, known, from_address, on_account) = {
        let mut conn = app.checkout().await?;
        let person = people::person_by_email(&mut conn, &email).await?;
        let known = match &person {
            Some(p) if !address.is_empty() => {
                let since = Timestamp(now.0 - secs(app.limits.login.known_address_for));
                person_audit::logged_in_from(&mut conn, p.id, &address, since).await?
            }
            _ => false,
        };
        // What every server on this database recorded lately: failures from this address,
        // and on this account (from this address alone when it is one the account knows).
        let since = Timestamp(now.0 - secs(app.limits.login.forget_after));
        let from_address = match address.as_str() {
            "" => Failures::default(),
            a => person_audit::failures(&mut conn, FailuresOf::Address(a), since).await?,
        };
        let of = match known {
            true => FailuresOf::EmailFrom(&email, &address),
            false => FailuresOf::Email(&email),
        };
        let on_account = person_audit::failures(&mut conn, of, since).await?;
        (person, known, from_address, on_account)
    };
    let person_id = person.as_ref().map(|p| p.id);
    // From an address this account logged in from lately, only failures from there count:
    // someone guessing elsewhere cannot hold the real user back.
    let account = if known {
        Key::Known(email.clone(), address.clone())
    } else {
        Key::Account(email.clone())
    };
    observe(app, &address_key, from_address, now);
    observe(app, &account, on_account, now);
    let (address_wait, charged_address) =
        charge(app, address_key, || trail(throttled_kind, None, "address"))?;
    let (account_wait, charged_account) = charge(app, account.clone(), || {
        trail(throttled_kind, person_id, "account")
    })?;
    let wait = address_wait.max(account_wait);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }

    let hash = person
        .as_ref()
        .and_then(|p| p.password_hash.clone())
        .unwrap_or_else(|| crate::password::decoy().to_string());
    let ok = app.hashes.verify(password, hash).await?;
    let person = match person {
        Some(p) if ok && p.password_hash.is_some() => p,
        other => {
            charged_address.keep();
            charged_account.keep();
            let reason = match other {
                None => "unknown_email",
                Some(p) if p.password_hash.is_none() => "no_password",
                Some(_) => "wrong_password",
            };
            trail(PersonEventKind::LoginFailed, person_id, reason);
            return Err(Error::Unauthenticated("wrong email or password"));
        }
    };
    // The right password: the account's streak ends; the address gets this attempt back.
    app.throttle.clear(&account);
    drop(charged_account);
    drop(charged_address);

    let mut w = app.store.write(now).await?;
    let memberships = outlay_store::members::memberships(&mut w, person.id).await?;
    let archived = !memberships.is_empty() && memberships.iter().all(|m| m.status == "archived");
    let start = match outlay_core::permit::open_session(person.id, archived) {
        Ok(start) => start,
        Err(r) => {
            trail(PersonEventKind::LoginFailed, Some(person.id), "archived");
            return Err(r.into());
        }
    };
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
