//! `POST /api/v1/auth/password-reset`: ask for a password reset link by e-mail. Answers 202
//! whether the e-mail has an account or not.

use super::*;

/// Ask for a password reset link by e-mail.
///
/// Always 202, whether the e-mail has an account or not: the answer tells nobody who has
/// one. An account with a password gets a link, valid for an hour and usable once, to
/// `{public_url}/reset/{token}`; a newer request replaces an older link. Requests count
/// against the login throttle of the address and the account.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses((status = 202, description = "if the e-mail has an account with a password, a link is on its way"),
              (status = 400, body = ErrorBody),
              (status = 429, description = "too many attempts for this account or from this address; see `Retry-After`", body = ErrorBody)))]
pub async fn request_reset(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    Body(req): Body<ResetRequest>,
) -> Result<StatusCode, WebError> {
    let request = passwords::RequestReset {
        email: outlay_core::validate::email(&req.email)?,
        address: ip.map(address_text).unwrap_or_default(),
    };
    passwords::request_reset(&app, request).await?;
    Ok(StatusCode::ACCEPTED)
}
