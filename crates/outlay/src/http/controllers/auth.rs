//! Logging in and out. Tokens are bearer tokens; only their hash is stored.

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body};
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_store::auth as people;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a login lasts.
pub const SESSION_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_at: String,
}

/// Log in with email and password; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "wrong email or password", body = ErrorBody),
              (status = 403, description = "every membership is archived", body = ErrorBody)))]
pub async fn login(
    State(app): State<App>,
    Body(req): Body<LoginRequest>,
) -> Result<Json<LoginResponse>, WebError> {
    let email = outlay_core::validate::email(&req.email)?;
    if req.password.is_empty() {
        return Err(WebError::invalid("password", "must not be empty"));
    }
    let now = app.now();
    let person = {
        let mut conn = app.store.read().await?;
        people::person_by_email(&mut conn, &email).await?
    };
    let hash = person
        .as_ref()
        .and_then(|p| p.password_hash.clone())
        .unwrap_or_else(|| crate::password::decoy().to_string());
    let password = req.password;
    let ok = tokio::task::spawn_blocking(move || crate::password::verify(&password, &hash))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let person = match person {
        Some(p) if ok && p.password_hash.is_some() => p,
        _ => return Err(WebError::Unauthorized("wrong email or password")),
    };
    let mut tx = app.store.write().await?;
    let memberships = outlay_store::members::memberships(&mut tx, person.id).await?;
    if !memberships.is_empty() && memberships.iter().all(|m| m.status == "archived") {
        return Err(WebError::Denied(outlay_core::Reason::Archived));
    }
    let (token, token_hash) = crate::tokens::issue();
    let expires_at = now.plus_seconds(SESSION_SECONDS);
    people::create_session(&mut tx, person.id, &token_hash, now, expires_at).await?;
    tx.commit().await?;
    Ok(Json(LoginResponse {
        token,
        expires_at: crate::clock::rfc3339(expires_at),
    }))
}

/// Log out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "token revoked"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(State(app): State<App>, auth: Auth) -> Result<StatusCode, WebError> {
    let mut tx = app.store.write().await?;
    people::revoke_session(&mut tx, &auth.token_hash, auth.now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
