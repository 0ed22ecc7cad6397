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
    let login = sessions::Login {
        email,
        password: req.password,
        address: ip.map(address_text).unwrap_or_default(),
    };
    let session = sessions::login(&app, login).await?;
    Ok(Json(LoginResponse {
        token: session.token,
        expires_at: crate::clock::rfc3339(session.expires_at),
    }))
}
