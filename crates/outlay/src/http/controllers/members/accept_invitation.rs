//! `POST /api/v1/invitations/{token}/accept`: accept an invitation: sets the password and
//! activates the membership.

use super::*;
use crate::http::paths::TokenPath;
use crate::ops::invitations::{self, Accept};

/// Accept an invitation: sets the password and activates the membership.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "members", request_body = AcceptRequest,
    params(TokenPath),
    responses((status = 200, body = AcceptResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "wrong password for an existing person", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "used or expired", body = ErrorBody)))]
pub async fn accept_invitation(
    State(app): State<App>,
    Path(TokenPath { token }): Path<TokenPath>,
    Body(req): Body<AcceptRequest>,
) -> Result<Json<AcceptResponse>, WebError> {
    let accept = Accept {
        token_hash: crate::tokens::digest(&token),
        password: req.password,
    };
    let done = invitations::accept(&app.store, &app.hashes, app.now(), accept).await?;
    Ok(Json(AcceptResponse {
        org_id: done.org.0,
        member_id: done.member.0,
    }))
}
