//! `POST /api/v1/invitations/{token}/accept`: accept an invitation: sets the password and
//! activates the membership.

use super::*;
use crate::http::paths::TokenPath;

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
    let now = app.now();
    let token_hash = crate::tokens::digest(&token);
    let (invitation, person) = {
        let mut conn = app.store.read().await?;
        let inv = outlay_store::auth::invitation(&mut conn, &token_hash)
            .await?
            .ok_or(WebError::NotFound)?;
        let person = outlay_store::auth::person(&mut conn, inv.person_id)
            .await?
            .ok_or(WebError::NotFound)?;
        (inv, person)
    };
    if invitation.accepted_at.is_some() {
        return Err(WebError::Conflict {
            code: "invitation_used",
            message: "this invitation was already accepted".into(),
        });
    }
    if invitation.expires_at <= now.0 {
        return Err(WebError::Conflict {
            code: "invitation_expired",
            message: "this invitation has expired; ask for a new one".into(),
        });
    }
    let new_hash = match person.password_hash.clone() {
        Some(existing) => {
            let ok = app.hashes.verify(req.password.clone(), existing).await?;
            if !ok {
                return Err(WebError::Unauthorized(
                    "this person already has a password; give that one",
                ));
            }
            None
        }
        None => {
            crate::password::check_strength(&req.password)?;
            Some(app.hashes.hash(req.password.clone()).await?)
        }
    };
    let mut tx = app.store.write(now).await?;
    // Re-read inside the lock: two accepts of one token must not both win.
    let still_open = outlay_store::auth::invitation(&mut tx, &token_hash)
        .await?
        .is_some_and(|i| i.accepted_at.is_none());
    if !still_open {
        return Err(WebError::Conflict {
            code: "invitation_used",
            message: "this invitation was already accepted".into(),
        });
    }
    let org = OrgId(invitation.org_id);
    let member = MemberId(invitation.member_id);
    tx.lock(org).await?;
    let closed = outlay_store::orgs::get(&mut tx, org)
        .await?
        .is_some_and(|o| o.is_closed());
    if closed {
        return Err(WebError::Denied(Reason::CompanyClosed));
    }
    // Archiving an invited member withdraws the invitation.
    let invited = members::get(&mut tx, org, member)
        .await?
        .is_some_and(|m| m.status == "invited");
    if !invited {
        return Err(WebError::Conflict {
            code: "invitation_withdrawn",
            message: "this invitation was withdrawn: the member is archived".into(),
        });
    }
    if let Some(hash) = new_hash {
        outlay_store::auth::set_password(&mut tx, person.id, &hash).await?;
    }
    outlay_store::auth::accept_invitation(&mut tx, org, &token_hash).await?;
    tx.audit(outlay_store::audit::NewEvent {
        org,
        at: now,
        actor_member: Some(member),
        actor_person: Some(person.id),
        action: "invitation.accept",
        target: &format!("member:{}", member.0),
        outcome: outlay_store::audit::Outcome::Allowed,
        reason: "invitation",
        detail: json!({}),
    })
    .await?;
    tx.commit().await?;
    Ok(Json(AcceptResponse {
        org_id: org.0,
        member_id: member.0,
    }))
}
