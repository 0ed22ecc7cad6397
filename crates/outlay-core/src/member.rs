//! Rules of a member's life beside their grants: inviting a newcomer, accepting an invitation,
//! who may be a manager, changing a member's kind, who sees a member's permissions page or
//! previews a change of their grants, asking for a role, and delegating to another member.

use crate::authorize::{self, Context, DelegationKind};
use crate::catalog::Action;
use crate::decision::Reason;
use crate::grant::{GrantSpec, Timestamp};
use crate::ids::OrgId;
use crate::ids::{MemberId, TeamId};
use crate::invariants::{self, GrantChange, GrantVia};
use crate::org::{Line, Target};
use crate::permit::{self, Acceptance, Invitee, Permit, RoleAsk, SelfService};
use crate::principal::{MemberKind, Principal};
use crate::role::Role;
use crate::validate::ValidationError;

/// How long an invitation stays usable.
pub const INVITATION_SECONDS: i64 = 14 * 24 * 3600;

/// A member-to-be, as the invitation describes them.
#[derive(Clone, Debug)]
pub struct Newcomer {
    pub kind: MemberKind,
    pub manager: Option<MemberId>,
    pub team: Option<TeamId>,
}

/// Checks an invitation: the newcomer as the inviter will see them (in the team, reporting
/// to the manager), with the proposed grants under every rule of assigning roles. A new
/// member holds nothing yet, so the last-top-role rule cannot bite; `other_tops` counts the
/// company's holders of the top role, for single-holder presets.
pub fn invite(
    actor: &Principal,
    ctx: Context<'_>,
    newcomer: &Newcomer,
    proposed: &[(GrantSpec, Role)],
    other_tops: usize,
    top_role: &str,
    base_role: Option<&str>,
) -> Result<Permit<Invitee>, Reason> {
    let teams: Vec<TeamId> = newcomer.team.into_iter().collect();
    let target = Target {
        // Nobody yet: never the actor, so no self-grant.
        member: MemberId(0),
        line: if newcomer.manager == Some(actor.member()) {
            Line::Direct
        } else {
            Line::Other
        },
        teams: &teams,
    };
    let change = GrantChange {
        target,
        target_archived: false,
        target_kind: newcomer.kind,
        current: &[],
        proposed,
        other_permanent_tops: 0,
        other_tops,
        top_role,
        base_role,
    };
    let checked = invariants::change_grants(actor, ctx, GrantVia::Invite, &change)?;
    let grants = checked.payload().after().to_vec();
    let invitee = permit::invitee(newcomer.kind, newcomer.manager, newcomer.team, grants);
    Ok(checked.with_payload(invitee))
}

/// A newcomer's grants must give something: none may be over before the member starts.
pub fn check_newcomer_windows(
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
) -> Result<(), ValidationError> {
    invariants::check_windows(proposed, now, |_| false)
}

/// What is known of an invitation when someone tries to accept it.
#[derive(Clone, Copy, Debug)]
pub struct Invitation {
    pub accepted: bool,
    pub expires_at: Timestamp,
    /// The member it invites is still invited (archiving them withdraws it).
    pub member_invited: bool,
    /// Revoked by someone who may invite.
    pub revoked: bool,
    pub company_closed: bool,
}

/// An invitation is accepted once, before it expires, while its member is still invited,
/// in a company that is not closed.
pub fn accept_invitation(inv: Invitation, now: Timestamp) -> Result<(), Reason> {
    if inv.accepted {
        return Err(Reason::InvitationUsed);
    }
    if inv.revoked {
        return Err(Reason::InvitationWithdrawn);
    }
    if inv.expires_at <= now {
        return Err(Reason::InvitationExpired);
    }
    if inv.company_closed {
        return Err(Reason::CompanyClosed);
    }
    if !inv.member_invited {
        return Err(Reason::InvitationWithdrawn);
    }
    Ok(())
}

/// Accepting invitation `inv` (read again under the company's lock) for `member` of `org`,
/// as `person`: the token for the acceptance's writes.
pub fn acceptance(
    inv: Invitation,
    now: Timestamp,
    org: OrgId,
    member: MemberId,
    person: i64,
) -> Result<SelfService<Acceptance>, Reason> {
    accept_invitation(inv, now)?;
    Ok(SelfService::new(Acceptance {
        org,
        member,
        person,
    }))
}

/// What a resend or a revoke of a member's invitation changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reissue {
    /// A fresh token replaces the old one (which then names nothing), with a fresh expiry.
    Resend,
    /// The invitation stops working; a resend may issue it again.
    Revoke,
}

/// Checks resending or revoking the invitation of `target`, permissioned like inviting:
/// `member.invite`, and only holders of the top role touch an invitation to a role the top
/// role controls. Only an invitation nobody accepted, of a member still invited, changes; a
/// revoked one is not revoked again.
pub fn reissue_invitation(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
    target_principal: &Principal,
    inv: Invitation,
    what: Reissue,
) -> Result<Permit, Reason> {
    authorize::on_member(actor, ctx, Action::MemberInvite, target).into_result()?;
    if let Some(g) = target_principal
        .stored_grants()
        .find(|g| g.role.top_controlled)
    {
        if !actor.is_top(ctx.now) {
            return Err(Reason::OwnerOnly {
                role: g.role.key.to_string(),
            });
        }
    }
    if inv.accepted {
        return Err(Reason::InvitationUsed);
    }
    if !inv.member_invited || (inv.revoked && what == Reissue::Revoke) {
        return Err(Reason::InvitationWithdrawn);
    }
    Ok(Permit::new(
        actor,
        Action::MemberInvite,
        permit::Subject::Member(target.member),
    ))
}

/// A would-be manager, as found in the company: `None` when there is no such member, else
/// whether they are active.
pub fn check_manager(id: MemberId, found: Option<bool>) -> Result<MemberId, ValidationError> {
    match found {
        Some(true) => Ok(id),
        Some(false) => Err(ValidationError::new(
            "manager_id",
            format!("member {id} is not active"),
        )),
        None => Err(ValidationError::new(
            "manager_id",
            format!("member {id} does not exist in this company"),
        )),
    }
}

/// Making a member external: external members never hold cards, so a member holding a
/// card-holding role stays internal until that grant goes.
pub fn change_kind(target: &Principal, kind: Option<MemberKind>) -> Result<(), Reason> {
    if kind != Some(MemberKind::External) {
        return Ok(());
    }
    match target.stored_grants().find(|g| g.role.holds_cards()) {
        Some(g) => Err(Reason::ExternalNoCards {
            role: g.role.key.to_string(),
        }),
        None => Ok(()),
    }
}

/// Who sees a member's permissions page: everyone their own (even with no grant left that
/// shows members); otherwise `role.view` reaching the member.
pub fn permissions_page(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
) -> Result<(), Reason> {
    if target.line == Line::Own {
        return Ok(());
    }
    authorize::on_member(actor, ctx, Action::RoleView, target)
        .into_result()
        .map(|_| ())
}

/// Who previews a change of grants: whoever may view roles, or holds a grant that assigns
/// some role.
pub fn preview_grants(actor: &Principal, ctx: Context<'_>) -> Result<(), Reason> {
    let may = authorize::company(actor, ctx, Action::RoleView).is_allowed()
        || actor
            .active_grants(ctx.now)
            .any(|g| !g.role.assignable.is_empty());
    if may {
        Ok(())
    } else {
        Err(Reason::NoPermission {
            action: Action::RoleAssign,
        })
    }
}

/// Asking for a role: not in a closed company, and never the base role, which everyone
/// holds already. The token lets `requester` record their own request.
pub fn request_role(
    requester: &Principal,
    ctx: Context<'_>,
    role: &Role,
    base_role: Option<&str>,
) -> Result<SelfService<RoleAsk>, Reason> {
    if ctx.company_closed {
        return Err(Reason::CompanyClosed);
    }
    if base_role == Some(&*role.key) {
        return Err(Reason::BaseRole {
            role: role.key.to_string(),
        });
    }
    Ok(SelfService::new(RoleAsk {
        org: requester.org(),
        member: requester.member(),
    }))
}

/// Deciding a role request: only while it is open (`status`).
pub fn decide_open_request(status: &str) -> Result<(), Reason> {
    if status == "open" {
        Ok(())
    } else {
        Err(Reason::RequestDecided {
            status: status.to_string(),
        })
    }
}

/// A delegation's window: it ends after it starts, and not in the past (it would give
/// nothing).
pub fn check_delegation_window(
    from: Timestamp,
    until: Timestamp,
    now: Timestamp,
) -> Result<(), ValidationError> {
    if until <= from {
        return Err(ValidationError::new("until", "must be after `from`"));
    }
    if until <= now {
        return Err(ValidationError::new(
            "until",
            "is already past: the delegation would give nothing",
        ));
    }
    Ok(())
}

/// A delegate: another active member of the company (`found`: `None` when there is no such
/// member, else whether they are active).
pub fn check_delegate(
    delegator: MemberId,
    delegate: MemberId,
    found: Option<bool>,
) -> Result<(), ValidationError> {
    match found {
        _ if delegate == delegator => Err(ValidationError::new(
            "delegate_id",
            "nobody delegates to themself",
        )),
        Some(true) => Ok(()),
        Some(false) => Err(ValidationError::new(
            "delegate_id",
            format!("member {delegate} is not active"),
        )),
        None => Err(ValidationError::new(
            "delegate_id",
            format!("member {delegate} does not exist in this company"),
        )),
    }
}

/// What a delegate must hold themself: a delegation lends the delegator's reach, never a verb
/// the delegate lacks ([`authorize::lacks_verb`] over [`DelegationKind::required`]), so
/// read-only roles never receive one (an employee approves nothing for their manager, an
/// auditor creates nothing for anyone). `delegate` as they stand now; each use checks again.
pub fn check_delegate_holds(
    delegate: &Principal,
    kind: DelegationKind,
    now: Timestamp,
) -> Result<(), ValidationError> {
    let mut active = delegate.active_grants(now).peekable();
    let some = active.peek().is_some();
    if some && active.all(|g| g.role.read_only) {
        return Err(ValidationError::new(
            "delegate_id",
            format!(
                "member {} holds only read-only roles: a read-only role receives no delegation",
                delegate.member()
            ),
        ));
    }
    match authorize::lacks_verb(delegate, kind.required(), now) {
        Some(action) => Err(ValidationError::new(
            "delegate_id",
            format!(
                "member {} does not hold `{}`: a delegation lends reach, never a verb",
                delegate.member(),
                action.key()
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation() -> Invitation {
        Invitation {
            accepted: false,
            expires_at: Timestamp(100),
            member_invited: true,
            revoked: false,
            company_closed: false,
        }
    }

    #[test]
    fn an_open_invitation_is_accepted_once_before_it_expires() {
        assert_eq!(accept_invitation(invitation(), Timestamp(99)), Ok(()));
        let used = Invitation {
            accepted: true,
            ..invitation()
        };
        assert_eq!(
            accept_invitation(used, Timestamp(1)),
            Err(Reason::InvitationUsed)
        );
        assert_eq!(
            accept_invitation(invitation(), Timestamp(100)),
            Err(Reason::InvitationExpired)
        );
    }

    #[test]
    fn archiving_the_member_withdraws_the_invitation_and_closing_the_company_ends_it() {
        let withdrawn = Invitation {
            member_invited: false,
            ..invitation()
        };
        assert_eq!(
            accept_invitation(withdrawn, Timestamp(1)),
            Err(Reason::InvitationWithdrawn)
        );
        let revoked = Invitation {
            revoked: true,
            ..invitation()
        };
        assert_eq!(
            accept_invitation(revoked, Timestamp(1)),
            Err(Reason::InvitationWithdrawn)
        );
        let closed = Invitation {
            company_closed: true,
            ..invitation()
        };
        assert_eq!(
            accept_invitation(closed, Timestamp(1)),
            Err(Reason::CompanyClosed)
        );
    }

    #[test]
    fn a_delegation_ends_after_it_starts_and_not_in_the_past() {
        let (t, now) = (Timestamp, Timestamp(50));
        assert_eq!(check_delegation_window(t(50), t(60), now), Ok(()));
        assert_eq!(
            check_delegation_window(t(60), t(60), now)
                .unwrap_err()
                .field,
            "until"
        );
        assert!(check_delegation_window(t(10), t(50), now)
            .unwrap_err()
            .to_string()
            .contains("already past"));
    }

    #[test]
    fn a_delegate_is_another_active_member() {
        let (a, b) = (MemberId(1), MemberId(2));
        assert_eq!(check_delegate(a, b, Some(true)), Ok(()));
        assert!(check_delegate(a, a, Some(true))
            .unwrap_err()
            .to_string()
            .contains("themself"));
        assert!(check_delegate(a, b, Some(false))
            .unwrap_err()
            .to_string()
            .contains("not active"));
        assert!(check_delegate(a, b, None)
            .unwrap_err()
            .to_string()
            .contains("does not exist"));
    }

    #[test]
    fn a_manager_is_an_active_member_of_the_company() {
        assert_eq!(check_manager(MemberId(3), Some(true)), Ok(MemberId(3)));
        let inactive = check_manager(MemberId(3), Some(false)).unwrap_err();
        assert_eq!(inactive.field, "manager_id");
        assert!(inactive.to_string().contains("not active"));
        let missing = check_manager(MemberId(3), None).unwrap_err();
        assert!(missing.to_string().contains("does not exist"));
    }
}
