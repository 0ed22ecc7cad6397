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
