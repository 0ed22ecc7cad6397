//! The login throttle around every check of a secret, not only logins: a password at login,
//! at a change of password or when an existing person accepts an invitation, and the token of
//! an invitation or a reset link. Each check is charged as a failure up front to the client
//! address and, when it names one, to the account (`crate::throttle`), raised first to what
//! the person-level trail shows; a wrong guess keeps its charge and is recorded in the trail
//! (kind `login_failed`, with what was wrong as the reason), so guessing tokens and guessing
//! passwords are held back alike, on every server sharing the database.

use super::{Error, Result};
use crate::audit_writer::LoginEvent;
use crate::throttle::{Key, Throttle, Verdict};
use crate::App;
use outlay_core::Timestamp;
use outlay_store::auth::{self as people, PersonRow};
use outlay_store::person_audit::{self, Failures, FailuresOf, PersonEventKind};
use std::time::Duration;

/// Whose secret is checked.
pub enum Who<'a> {
    /// The account of this (normalised) e-mail, found here: a login.
    Email(&'a str),
    /// This person, found by the token or session that names them.
    Person(&'a PersonRow),
    /// Nobody: a token that names nothing. Only the address is charged.
    Nobody,
}

/// Attempts charged to the throttle, taken back when dropped unless `keep` was called: an
/// attempt that never reached a verdict (an error, a busy gate, a client that went away)
/// costs nothing.
struct Charged<'a> {
    throttle: &'a Throttle,
    keys: Vec<Key>,
    kept: bool,
}

impl Drop for Charged<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.throttle.refund(&self.keys);
        }
    }
}

/// One charged check, let through (after any served delay). Dropped without a verdict, its
/// charges are taken back.
pub struct Guard<'a> {
    app: &'a App,
    email: String,
    person: Option<PersonRow>,
    address: String,
    account: Option<Key>,
    charged: Vec<Charged<'a>>,
}

/// Refuses at once, with no database work, a client address this server holds back (an
/// attempt on `email`, empty when none is named).
pub fn screen(app: &App, email: &str, address: &str) -> Result<()> {
    let key = Key::Address(address.to_string());
    match app.throttle.held(&key, tokio::time::Instant::now()) {
        None => Ok(()),
        Some(wait) => Err(throttled(app, wait, || {
            trail(
                app,
                PersonEventKind::LoginThrottled,
                email,
                None,
                address,
                "address",
            )
        })),
    }
}

fn trail(
    app: &App,
    kind: PersonEventKind,
    email: &str,
    person: Option<i64>,
    address: &str,
    reason: &str,
) {
    app.audit.login(LoginEvent {
        kind,
        email: email.to_string(),
        person,
        address: address.to_string(),
        reason: reason.to_string(),
        // When the attempt was answered, after any served delay: other servers time their
        // delays from it (`observe`).
        at: app.now(),
    })
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

impl<'a> Guard<'a> {
    /// Charges one check of `who`'s secret from `address` (empty when unknown), after any
    /// delay the throttle serves; or refuses it, recorded, when held back longer.
    pub async fn enter(app: &'a App, who: Who<'_>, address: &str) -> Result<Guard<'a>> {
        let named = match &who {
            Who::Email(e) => e,
            Who::Person(p) => p.email.as_str(),
            Who::Nobody => "",
        };
        screen(app, named, address)?;
        let now = app.now();
        let (person, known, from_address, on_account) = {
            let mut conn = app.checkout().await?;
            let person = match who {
                Who::Email(email) => people::person_by_email(&mut conn, email).await?,
                Who::Person(p) => Some(p.clone()),
                Who::Nobody => None,
            };
            let email = match (&who, &person) {
                (Who::Email(e), _) => Some(e.to_string()),
                (_, Some(p)) => Some(p.email.clone()),
                _ => None,
            };
            let known = match &person {
                Some(p) if !address.is_empty() => {
                    let since = Timestamp(now.0 - secs(app.limits.login.known_address_for));
                    person_audit::logged_in_from(&mut conn, p.id, address, since).await?
                }
                _ => false,
            };
            // What every server on this database recorded lately: failures from this
            // address, and on this account (from this address alone when it is one the
            // account knows).
            let since = Timestamp(now.0 - secs(app.limits.login.forget_after));
            let from_address = match address {
                "" => Failures::default(),
                a => person_audit::failures(&mut conn, FailuresOf::Address(a), since).await?,
            };
            let on_account = match &email {
                None => None,
                Some(e) => {
                    let of = match known {
                        true => FailuresOf::EmailFrom(e, address),
                        false => FailuresOf::Email(e),
                    };
                    Some((
                        e.clone(),
                        person_audit::failures(&mut conn, of, since).await?,
                    ))
                }
            };
            (person, known, from_address, on_account)
        };
        let mut guard = Guard {
            app,
            email: on_account
                .as_ref()
                .map(|(e, _)| e.clone())
                .unwrap_or_default(),
            person,
            address: address.to_string(),
            account: None,
            charged: Vec::new(),
        };
        let person_id = guard.person.as_ref().map(|p| p.id);
        let address_key = Key::Address(address.to_string());
        observe(app, &address_key, from_address, now);
        let address_wait = guard.charge(address_key, None, "address")?;
        let mut wait = address_wait;
        if let Some((email, seen)) = on_account {
            // From an address this account logged in from lately, only failures from there
            // count: someone guessing elsewhere cannot hold the real user back.
            let account = match known {
                true => Key::Known(email, address.to_string()),
                false => Key::Account(email),
            };
            observe(app, &account, seen, now);
            wait = wait.max(guard.charge(account.clone(), person_id, "account")?);
            guard.account = Some(account);
        }
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(guard)
    }

    /// Charges one attempt to `key`: how long to wait before answering; or, when the key is
    /// held back, the refusal, recorded (the charges so far are taken back with the guard).
    fn charge(&mut self, key: Key, person: Option<i64>, reason: &str) -> Result<Duration> {
        let app = self.app;
        match app
            .throttle
            .attempt(std::slice::from_ref(&key), tokio::time::Instant::now())
        {
            Verdict::Go(wait) => {
                self.charged.push(Charged {
                    throttle: &app.throttle,
                    keys: vec![key],
                    kept: false,
                });
                Ok(wait)
            }
            Verdict::Wait(wait) => Err(throttled(app, wait, || {
                trail(
                    app,
                    PersonEventKind::LoginThrottled,
                    &self.email,
                    person,
                    &self.address,
                    reason,
                )
            })),
        }
    }

    /// The person the check is about, when one was found.
    pub fn person(&self) -> Option<&PersonRow> {
        self.person.as_ref()
    }

    /// The secret was wrong: the charges stay and the trail records why (`reason`, e.g.
    /// `wrong_password`, `invitation_token`); answers `error`.
    pub fn failed(mut self, reason: &str, error: Error) -> Error {
        for c in &mut self.charged {
            c.kept = true;
        }
        self.record(PersonEventKind::LoginFailed, reason);
        error
    }

    /// The secret was right: the account's streak ends; the address gets this attempt back
    /// (one success does not excuse its other failures).
    pub fn passed(self) {
        if let Some(account) = &self.account {
            self.app.throttle.clear(account);
        }
    }

    /// An attempt that is neither right nor wrong but still costs (a reset request): the
    /// charges stay, with nothing recorded as a failure.
    pub fn spent(mut self) {
        for c in &mut self.charged {
            c.kept = true;
        }
    }

    /// Records an event of this check's person and address in the trail, through the audit
    /// writer (for events that change nothing; changes record theirs in their transaction).
    pub fn record(&self, kind: PersonEventKind, reason: &str) {
        trail(
            self.app,
            kind,
            &self.email,
            self.person.as_ref().map(|p| p.id),
            &self.address,
            reason,
        );
    }
}
