//! `POST /api/v1/auth/password`: a signed-in person changes their password, giving the
//! current one; their other sessions end.

use super::*;

/// Change one's password, giving the current one.
///
/// The session it is changed in stays; every other session of the person ends. A wrong
/// current password is a 400 naming `current_password` and counts as a failed login:
/// repeated ones slow further attempts, then answer 429.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204, description = "the password is changed; the person's other sessions ended"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 429, description = "too many failed attempts on this account or from this address; see `Retry-After`", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn change_password(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    auth: Auth,
    Body(req): Body<ChangePasswordRequest>,
) -> Result<StatusCode, WebError> {
    // Let the session's read connection go: the change checks out its own.
    drop(auth.take_read());
    if req.current_password.is_empty() {
        return Err(WebError::invalid("current_password", "must not be empty"));
    }
    let change = passwords::ChangePassword {
        person: &auth.person,
        token_hash: &auth.token_hash,
        current: req.current_password,
        new: req.new_password,
        address: ip.map(address_text).unwrap_or_default(),
    };
    passwords::change_password(&app, change).await?;
    Ok(StatusCode::NO_CONTENT)
}
