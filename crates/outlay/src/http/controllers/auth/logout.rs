//! `POST /api/v1/auth/logout`: log out: the token stops working at once.

use super::*;

/// Log out: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "token revoked"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    auth: Auth,
) -> Result<StatusCode, WebError> {
    let logout = sessions::Logout {
        person: &auth.person,
        token_hash: &auth.token_hash,
        address: ip.map(address_text).unwrap_or_default(),
    };
    sessions::logout(&app, auth.now, logout).await?;
    Ok(StatusCode::NO_CONTENT)
}
