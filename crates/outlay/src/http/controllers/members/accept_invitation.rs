//! `POST /api/v1/invitations/{token}/accept`: accept an invitation with the token from its
//! e-mail: a new person sets their password, an existing one gives theirs; the membership
//! becomes active. Throttled like logins.

use super::*;
use crate::http::extract::ClientAddr;
use crate::http::paths::TokenPath;
use crate::ops::invitations::{self, Accept};

/// Accept an invitation with the token from its e-mail: a new person sets their password, a
/// person with an account gives theirs (which no invitation changes); the membership becomes
/// active.
///
/// Wrong tokens and wrong passwords count as failed logins: repeated ones slow further
/// attempts from the address (and on the account), then answer 429.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "members", request_body = AcceptRequest,
    params(TokenPath),
    responses((status = 200, body = AcceptResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "wrong password for an existing person", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "used, revoked or expired", body = ErrorBody),
              (status = 429, description = "too many failed attempts from this address or on this account; see `Retry-After`", body = ErrorBody)))]
pub async fn accept_invitation(
    State(app): State<App>,
    ClientAddr(ip): ClientAddr,
    Path(TokenPath { token }): Path<TokenPath>,
    Body(req): Body<AcceptRequest>,
) -> Result<Json<AcceptResponse>, WebError> {
    let accept = Accept {
        token_hash: crate::tokens::digest(&token),
        password: req.password,
        address: ip
            .map(crate::http::throttle::address_text)
            .unwrap_or_default(),
    };
    let done = invitations::accept(&app, accept).await?;
    Ok(Json(AcceptResponse {
        org_id: done.org.0,
        member_id: done.member.0,
    }))
}
