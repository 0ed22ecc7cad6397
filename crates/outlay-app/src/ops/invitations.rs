//! Invitations: accepting one, and resending or revoking one. The person accepting is not a
//! member yet, so accepting is the one operation without an acting member: the token is the
//! right, and it travels only in the e-mail to the invited address, so holding it proves
//! that address. It sets the password of a person who has none; a person who has one gives
//! it (signs in) and joins, and no invitation ever changes it. Every accept is a check of a
//! secret under the login throttle (`guard`). Resending issues a fresh token (the old one
//! then names nothing) and e-mails it; revoking makes the token useless; both are
//! permissioned like inviting.

use super::guard::{self, Guard, Who};
use super::members::visible;
use super::{Actor, Change, Done, Error, Result};
use crate::App;
use outlay_core::member::{self as rules, Invitation, Reissue, INVITATION_SECONDS};
use outlay_core::{MemberId, OrgId, Timestamp};
use outlay_store::auth::{self as people, InvitationRow, Reissued};
use outlay_store::mails::{self, MailKind, NewMail};
use outlay_store::person_audit::{self, NewPersonEvent, PersonEventKind};
use outlay_store::Write;
use serde_json::json;

/// Accept the invitation whose token hashes to `token_hash`, from a client address (empty
/// when unknown).
pub struct Accept {
    pub token_hash: String,
    pub password: String,
    pub address: String,
}

pub struct Accepted {
    pub org: OrgId,
    pub member: MemberId,
}

pub async fn accept(app: &App, cmd: Accept) -> Result<Accepted> {
    let now = app.now();
    // A flood of guesses this server holds back costs no database work.
    guard::screen(app, "", &cmd.address)?;
    let found = {
        let mut conn = app.checkout().await?;
        match people::invitation(&mut conn, &cmd.token_hash).await? {
            None => None,
            Some(inv) => people::person(&mut conn, inv.person_id)
                .await?
                .map(|p| (inv, p)),
        }
    };
    let Some((invitation, person)) = found else {
        let guard = Guard::enter(app, Who::Nobody, &cmd.address).await?;
        return Err(guard.failed("invitation_token", Error::NotFound));
    };
    let guard = Guard::enter(app, Who::Person(&person), &cmd.address).await?;
    // Refuse a used, revoked or expired token before spending a password hash on it: the
    // token is genuine, so this is no guess (the charge is taken back).
    let seen = Invitation {
        accepted: invitation.accepted_at.is_some(),
        expires_at: Timestamp(invitation.expires_at),
        member_invited: true,
        revoked: invitation.revoked_at.is_some(),
        company_closed: false,
    };
    rules::accept_invitation(seen, now)?;
    let new_hash = match person.password_hash.clone() {
        Some(existing) => {
            if !app.hashes.verify(cmd.password, existing).await? {
                let refused =
                    Error::Unauthenticated("this person already has a password; give that one");
                return Err(guard.failed("invitation_password", refused));
            }
            None
        }
        None => {
            crate::password::check_strength(&cmd.password)?;
            Some(app.hashes.hash(cmd.password).await?)
        }
    };
    let org = OrgId(invitation.org_id);
    let member = MemberId(invitation.member_id);
    let mut w = app.store.write(now).await?;
    w.lock(org).await?;
    // Read again under the lock: of two accepts of one token, one wins.
    let again = people::invitation(&mut w, &cmd.token_hash).await?;
    let now_seen = Invitation {
        accepted: again.as_ref().is_none_or(|i| i.accepted_at.is_some()),
        revoked: again.as_ref().is_some_and(|i| i.revoked_at.is_some()),
        company_closed: outlay_store::orgs::get(&mut w, org)
            .await?
            .is_some_and(|o| o.is_closed()),
        member_invited: outlay_store::members::get(&mut w, org, member)
            .await?
            .is_some_and(|m| m.status == "invited"),
        ..seen
    };
    let acceptance = rules::acceptance(now_seen, now, org, member, person.id)?;
    people::accept_invitation(&mut w, &cmd.token_hash, new_hash.as_deref(), acceptance).await?;
    w.audit(outlay_store::audit::NewEvent {
        org,
        at: now,
        actor_member: Some(member),
        actor_person: Some(person.id),
        action: "invitation.accept",
        target: &format!("member:{}", member.0),
        outcome: outlay_store::audit::Outcome::Allowed,
        reason: "invitation",
        detail: json!({"password_set": new_hash.is_some()}),
    })
    .await?;
    if new_hash.is_some() {
        person_audit::record(
            &mut w,
            &NewPersonEvent {
                at: now,
                last_at: now,
                count: 1,
                person: Some(person.id),
                email: &person.email,
                kind: PersonEventKind::PasswordSet,
                address: &cmd.address,
                reason: "invitation",
            },
        )
        .await?;
    }
    w.commit().await?;
    guard.passed();
    Ok(Accepted { org, member })
}

/// Where an invitation stands, as its inviter sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Accepted => "accepted",
            State::Revoked => "revoked",
            State::Expired => "expired",
        }
    }

    pub fn of(row: &InvitationRow, now: Timestamp) -> State {
        if row.accepted_at.is_some() {
            State::Accepted
        } else if row.revoked_at.is_some() {
            State::Revoked
        } else if row.expires_at <= now.0 {
            State::Expired
        } else {
            State::Pending
        }
    }
}

/// An invitation as its inviter sees it: named by the member it invites (a membership has
/// one invitation), never with its token outside the e-mail (but for `token`, which a front
/// end shows only in its development mode).
pub struct InvitationView {
    pub member: MemberId,
    pub state: State,
    pub expires_at: Timestamp,
    /// The token just issued, when this change issued one.
    pub token: Option<String>,
}

/// Queues the e-mail that carries an invitation's token: the link is joined to the server's
/// public URL when sent. A person with a password is told to give it: they join with it.
pub(crate) async fn mail(
    w: &mut Write,
    company: &str,
    email: &str,
    name: &str,
    has_password: bool,
    token: &str,
) -> Result<()> {
    let subject = format!("You are invited to {company} on Outlay");
    let how = match has_password {
        true => "Open the link and give your Outlay password to join.",
        false => "Open the link to choose your password and join.",
    };
    let days = INVITATION_SECONDS / 86_400;
    let body = format!(
        "Hello {name},\n\nyou are invited to join {company} on Outlay. {how} \
         The link works once, for {days} days; if you did not expect it, ignore this e-mail."
    );
    mails::queue(
        w,
        &NewMail {
            kind: MailKind::Invitation,
            email,
            name,
            subject: &subject,
            body: &body,
            link: &format!("/invitations/{token}"),
        },
    )
    .await?;
    Ok(())
}

/// Resend or revoke the invitation of member `member`.
pub struct Reinvite {
    pub member: i64,
    pub what: Reissue,
}

impl Change for Reinvite {
    type Output = InvitationView;

    fn action(&self) -> &'static str {
        match self.what {
            Reissue::Resend => "invitation.resend",
            Reissue::Revoke => "invitation.revoke",
        }
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<InvitationView>> {
        let (row, target, facts) = visible(w, actor, self.member).await?;
        let inv = people::invitation_of(w, actor.org, row.member_id())
            .await?
            .ok_or(Error::NotFound)?;
        let seen = Invitation {
            accepted: inv.accepted_at.is_some(),
            expires_at: Timestamp(inv.expires_at),
            member_invited: row.status == "invited",
            revoked: inv.revoked_at.is_some(),
            company_closed: false,
        };
        let permit = rules::reissue_invitation(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            &target,
            seen,
            self.what,
        )?;
        let member = row.member_id();
        let view = match self.what {
            Reissue::Resend => {
                let (token, token_hash) = crate::tokens::issue();
                let expires_at = actor.now.plus_seconds(INVITATION_SECONDS);
                let change = Reissued::Resend {
                    token_hash: &token_hash,
                    expires_at,
                };
                people::reissue_invitation(w, actor.org, member, change, permit).await?;
                let person = people::person(w, row.person_id)
                    .await?
                    .ok_or(Error::NotFound)?;
                let has_password = person.password_hash.is_some();
                mail(
                    w,
                    &actor.company.name,
                    &row.email,
                    &row.name,
                    has_password,
                    &token,
                )
                .await?;
                InvitationView {
                    member,
                    state: State::Pending,
                    expires_at,
                    token: Some(token),
                }
            }
            Reissue::Revoke => {
                people::reissue_invitation(w, actor.org, member, Reissued::Revoke, permit).await?;
                InvitationView {
                    member,
                    state: State::Revoked,
                    expires_at: Timestamp(inv.expires_at),
                    token: None,
                }
            }
        };
        let detail = json!({"member_id": member.0, "state": view.state.as_str()});
        Ok(Done::new(view, detail))
    }
}
