//! Accepting an invitation. The person accepting is not a member yet, so this is the one
//! operation without an acting member: the token is the right. It sets the password of a
//! new person (an existing person confirms theirs) and activates the membership, once.

use super::{Error, Result};
use crate::password::HashGate;
use outlay_core::member::{self as rules, Invitation};
use outlay_core::{MemberId, OrgId, Timestamp};
use outlay_store::Store;
use serde_json::json;

/// Accept the invitation whose token hashes to `token_hash`.
pub struct Accept {
    pub token_hash: String,
    pub password: String,
}

pub struct Accepted {
    pub org: OrgId,
    pub member: MemberId,
}

pub async fn accept(
    store: &Store,
    hashes: &HashGate,
    now: Timestamp,
    cmd: Accept,
) -> Result<Accepted> {
    let (invitation, person) = {
        let mut conn = store.read().await?;
        let inv = outlay_store::auth::invitation(&mut conn, &cmd.token_hash)
            .await?
            .ok_or(Error::NotFound)?;
        let person = outlay_store::auth::person(&mut conn, inv.person_id)
            .await?
            .ok_or(Error::NotFound)?;
        (inv, person)
    };
    // Refuse a used or expired token before spending a password hash on it.
    let seen = Invitation {
        accepted: invitation.accepted_at.is_some(),
        expires_at: Timestamp(invitation.expires_at),
        member_invited: true,
        company_closed: false,
    };
    rules::accept_invitation(seen, now)?;
    let new_hash = match person.password_hash.clone() {
        Some(existing) => {
            if !hashes.verify(cmd.password, existing).await? {
                return Err(Error::Unauthenticated(
                    "this person already has a password; give that one",
                ));
            }
            None
        }
        None => {
            crate::password::check_strength(&cmd.password)?;
            Some(hashes.hash(cmd.password).await?)
        }
    };
    let org = OrgId(invitation.org_id);
    let member = MemberId(invitation.member_id);
    let mut w = store.write(now).await?;
    w.lock(org).await?;
    // Read again under the lock: of two accepts of one token, one wins.
    let now_seen = Invitation {
        accepted: outlay_store::auth::invitation(&mut w, &cmd.token_hash)
            .await?
            .is_none_or(|i| i.accepted_at.is_some()),
        company_closed: outlay_store::orgs::get(&mut w, org)
            .await?
            .is_some_and(|o| o.is_closed()),
        member_invited: outlay_store::members::get(&mut w, org, member)
            .await?
            .is_some_and(|m| m.status == "invited"),
        ..seen
    };
    let acceptance = rules::acceptance(now_seen, now, org, member, person.id)?;
    outlay_store::auth::accept_invitation(&mut w, &cmd.token_hash, new_hash.as_deref(), acceptance)
        .await?;
    w.audit(outlay_store::audit::NewEvent {
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
    w.commit().await?;
    Ok(Accepted { org, member })
}
