//! `POST /api/v1/auth/login`: log in with email and password; returns a bearer token.

use super::*;

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
