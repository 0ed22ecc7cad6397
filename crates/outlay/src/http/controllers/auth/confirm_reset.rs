//! `POST /api/v1/auth/password-reset/{token}`: set a new password with the token of a reset
//! link, once; every session of the person ends.

use super::*;
use crate::http::paths::TokenPath;

/// Set a new password with the token of a reset link.
///
/// A link sets a password once, within its hour; every session of the person ends, so whoever
/// held one signs in again. Wrong tokens count as failed logins from the address: repeated
/// ones slow further attempts, then answer 429.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/{token}", tag = "auth", request_body = NewPasswordRequest,
    params(TokenPath),
    responses((status = 204, description = "the password is set; every session of the person ended"),
              (status = 400, body = ErrorBody),
              (status = 404, description = "no such link", body = ErrorBody),
              (status = 409, description = "used (`reset_used`) or expired (`reset_expired`)", body = ErrorBody),
              (status = 429, description = "too many failed attempts from this address or on this account; see `Retry-After`", body = ErrorBody)))]
pub async fn confirm_reset(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    Path(TokenPath { token }): Path<TokenPath>,
    Body(req): Body<NewPasswordRequest>,
) -> Result<StatusCode, WebError> {
    let confirm = passwords::ConfirmReset {
        token_hash: crate::tokens::digest(&token),
        password: req.password,
        address: ip.map(address_text).unwrap_or_default(),
    };
    passwords::confirm_reset(&app, confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}
