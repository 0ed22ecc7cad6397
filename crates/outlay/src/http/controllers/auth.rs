//! Logging in and out. Tokens are bearer tokens; only their hash is stored. Logins are
//! throttled per client address and per account (`http::throttle`), hash within the
//! password gate (`password::HashGate`), and go to the person-level trail: successes and
//! logouts with the change they make, failed and throttled attempts through the audit writer.

use crate::http::audit_writer::LoginEvent;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, ClientAddr};
use crate::http::throttle::{address_text, Key, Throttle, Verdict};
use crate::http::App;
use crate::password::GateError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::Timestamp;
use outlay_store::auth as people;
use outlay_store::person_audit::{self, NewPersonEvent, PersonEventKind};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// How long a login lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(schema_with = crate::http::schema::email)]
    pub email: String,
    #[schema(min_length = 1)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_at: String,
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

fn throttled(wait: Duration) -> WebError {
    WebError::Throttled {
        retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

/// Log in with email and password; returns a bearer token.
///
/// Repeated failures slow further attempts on the account and from the address, then answer
/// 429 for a while.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "wrong email or password", body = ErrorBody),
              (status = 403, description = "every membership is archived", body = ErrorBody),
              (status = 429, description = "too many failed attempts for this account or from this address; see `Retry-After`", body = ErrorBody)))]
pub async fn login(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    Body(req): Body<LoginRequest>,
) -> Result<Json<LoginResponse>, WebError> {
    let email = outlay_core::validate::email(&req.email)?;
    if req.password.is_empty() {
        return Err(WebError::invalid("password", "must not be empty"));
    }
    let now = app.now();
    let address = ip.map(address_text).unwrap_or_default();
    let trail = |kind: PersonEventKind, person: Option<i64>, reason: &str| {
        app.audit.login(LoginEvent {
            kind,
            email: email.clone(),
            person,
            address: address.clone(),
            reason: reason.to_string(),
            at: now,
        })
    };

    // The address first: a flood from one address is held back before any database work.
    let by_address = Key::Address(address.clone());
    let address_wait = match app.throttle.attempt(
        std::slice::from_ref(&by_address),
        tokio::time::Instant::now(),
    ) {
        Verdict::Go(wait) => wait,
        Verdict::Wait(wait) => {
            trail(PersonEventKind::LoginThrottled, None, "address");
            app.metrics.throttled_login();
            return Err(throttled(wait));
        }
    };
    let charged_address = Charged {
        throttle: &app.throttle,
        keys: vec![by_address],
        kept: false,
    };
    let (person, known) = {
        let mut conn = app.read_conn().await?;
        let person = people::person_by_email(&mut conn, &email).await?;
        let known = match &person {
            Some(p) if !address.is_empty() => {
                let since = Timestamp(now.0 - secs(app.limits.login.known_address_for));
                person_audit::logged_in_from(&mut conn, p.id, &address, since).await?
            }
            _ => false,
        };
        (person, known)
    };
    let person_id = person.as_ref().map(|p| p.id);
    // From an address this account logged in from lately, only failures from there count:
    // someone guessing elsewhere cannot hold the real user back.
    let account = if known {
        Key::Known(email.clone(), address.clone())
    } else {
        Key::Account(email.clone())
    };
    let account_wait = match app
        .throttle
        .attempt(std::slice::from_ref(&account), tokio::time::Instant::now())
    {
        Verdict::Go(wait) => wait,
        Verdict::Wait(wait) => {
            trail(PersonEventKind::LoginThrottled, person_id, "account");
            app.metrics.throttled_login();
            return Err(throttled(wait));
        }
    };
    let charged_account = Charged {
        throttle: &app.throttle,
        keys: vec![account.clone()],
        kept: false,
    };
    let wait = address_wait.max(account_wait);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }

    let hash = person
        .as_ref()
        .and_then(|p| p.password_hash.clone())
        .unwrap_or_else(|| crate::password::decoy().to_string());
    let ok = match app.hashes.verify(req.password, hash).await {
        Ok(ok) => ok,
        Err(GateError::Busy) => {
            return Err(WebError::Busy {
                retry_after: 1,
                message: "too many logins at once; try again shortly",
            })
        }
        Err(GateError::Failed(e)) => return Err(WebError::Internal(e)),
    };
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
            return Err(WebError::Unauthorized("wrong email or password"));
        }
    };
    // The right password: the account's streak ends; the address gets this attempt back.
    app.throttle.clear(&account);
    drop(charged_account);
    drop(charged_address);

    let mut tx = app.store.write(now).await?;
    let memberships = outlay_store::members::memberships(&mut tx, person.id).await?;
    if !memberships.is_empty() && memberships.iter().all(|m| m.status == "archived") {
        trail(PersonEventKind::LoginFailed, Some(person.id), "archived");
        return Err(WebError::Denied(outlay_core::Reason::Archived));
    }
    let (token, token_hash) = crate::tokens::issue();
    let expires_at = now.plus_seconds(SESSION_SECONDS);
    people::create_session(&mut tx, person.id, &token_hash, now, expires_at).await?;
    person_audit::record(
        &mut tx,
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
    tx.commit().await?;
    Ok(Json(LoginResponse {
        token,
        expires_at: crate::clock::rfc3339(expires_at),
    }))
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Log out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "token revoked"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    auth: Auth,
) -> Result<StatusCode, WebError> {
    let address = ip.map(address_text).unwrap_or_default();
    let mut tx = app.store.write(auth.now).await?;
    people::revoke_session(&mut tx, &auth.token_hash, auth.now).await?;
    person_audit::record(
        &mut tx,
        &NewPersonEvent {
            at: auth.now,
            last_at: auth.now,
            count: 1,
            person: Some(auth.person.id),
            email: &auth.person.email,
            kind: PersonEventKind::Logout,
            address: &address,
            reason: "token",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
