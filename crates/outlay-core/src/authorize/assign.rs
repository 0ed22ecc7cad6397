//! Granting and revoking roles as one more decision: a `role.assign` request carries the
//! grant being given or taken away ([`GrantAsk`]), and `decide` runs its rules in the same
//! three stages as every other action. Forbids nothing overrides: nobody widens their own
//! access (but a permanent top-role holder), the base role is never granted, external
//! members get no cards, top-controlled roles are for top-role holders only. Allow: one
//! active grant holds `role.assign`, lists the role, reaches the member (a team-bound grant
//! only within its team and only for grants bound to that team) and hands out no higher cap
//! than its own. Forbids of the data: a single-holder role gets no second holder.

use super::{granted, is_capped, Context, Request, ResourceRef};
use crate::catalog::{Action, Scope};
use crate::decision::{Decision, Granted, Reason};
use crate::grant::{GrantSpec, Timestamp};
use crate::ids::TeamId;
use crate::org::Target;
use crate::principal::{MemberKind, Principal};
use crate::role::Role;

/// Whether the grant is given or taken away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantOp {
    Give,
    /// Taking a grant away hands out nothing, whatever its cap.
    Revoke,
    /// Listing the role as assignable in a custom role's definition: whoever defines it must
    /// be able to give it company-wide themself. No grant is handed out yet, so no cap
    /// applies (the definition's holders are capped when they give it).
    List,
}

/// What the rules of the data know about the member the grant is stored for. Absent when
/// only the right is asked (who may decide a role request): these rules bite when the grant
/// is actually stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantFacts {
    /// The role is the company's base role.
    pub base: bool,
    pub holder_kind: MemberKind,
    /// The member holds a grant of this role already.
    pub holder_has_role: bool,
    /// Members other than this one holding the company's top role (for single-holder roles
    /// such as Qonto's account holder).
    pub other_tops: usize,
}

/// The grant a `role.assign` request is about: the member it is for is the request's
/// `owner`.
#[derive(Clone, Copy, Debug)]
pub struct GrantAsk<'a> {
    pub op: GrantOp,
    pub role: &'a Role,
    /// The team the grant is bound to.
    pub team: Option<TeamId>,
    /// The grant's `max_amount_minor`; none is unlimited.
    pub cap: Option<i64>,
    pub facts: Option<GrantFacts>,
}

impl<'a> GrantAsk<'a> {
    /// Giving the grant `spec` of `role`.
    pub fn give(role: &'a Role, spec: &GrantSpec) -> GrantAsk<'a> {
        GrantAsk {
            op: GrantOp::Give,
            role,
            team: spec.team,
            cap: spec.options.max_amount_minor,
            facts: None,
        }
    }

    /// Taking away the grant `spec` of `role`.
    pub fn revoke(role: &'a Role, spec: &GrantSpec) -> GrantAsk<'a> {
        GrantAsk {
            op: GrantOp::Revoke,
            ..GrantAsk::give(role, spec)
        }
    }

    /// Bound to `team` instead.
    pub fn bound_to(self, team: Option<TeamId>) -> GrantAsk<'a> {
        GrantAsk { team, ..self }
    }

    /// Listing `role` as assignable in a custom role's definition.
    pub fn list(role: &'a Role) -> GrantAsk<'a> {
        GrantAsk {
            op: GrantOp::List,
            role,
            team: None,
            cap: None,
            facts: None,
        }
    }

    /// With what is known of the member it is stored for.
    pub fn with_facts(self, facts: GrantFacts) -> GrantAsk<'a> {
        GrantAsk {
            facts: Some(facts),
            ..self
        }
    }
}

/// Decides granting or revoking `ask` for `target` (as `principal` sees them).
pub fn assign(
    principal: &Principal,
    ctx: Context<'_>,
    target: Option<Target<'_>>,
    ask: &GrantAsk<'_>,
) -> Decision {
    super::decide(&Request {
        principal,
        action: Action::RoleAssign,
        resource: ResourceRef {
            owner: target,
            grant: Some(ask),
            ..ResourceRef::default()
        },
        context: ctx,
    })
}

/// The grant stages of `decide`, after the forbids every action shares.
#[cold]
#[inline(never)]
pub(super) fn decide_grant(
    actor: &Principal,
    ask: &GrantAsk<'_>,
    res: &ResourceRef<'_>,
    now: Timestamp,
) -> Decision {
    let top = actor.is_top(now);
    if let Some(r) = forbids(actor, ask, res, now, top) {
        return Decision::Denied(r);
    }
    let granted = match allow(actor, ask, res, now, top) {
        Ok(g) => g,
        Err(r) => return Decision::Denied(r),
    };
    if let (GrantOp::Give, Some(f)) = (ask.op, ask.facts) {
        if ask.role.single && !f.holder_has_role && f.other_tops > 0 {
            return Decision::Denied(Reason::SingleHolder {
                role: ask.role.key.to_string(),
            });
        }
    }
    Decision::Allowed(granted)
}

fn forbids(
    actor: &Principal,
    ask: &GrantAsk<'_>,
    res: &ResourceRef<'_>,
    now: Timestamp,
    top: bool,
) -> Option<Reason> {
    let role = ask.role;
    if ask.op == GrantOp::Give {
        // A grant that is new or has a new window would let a time-limited holder keep
        // their access for good; only someone else may give it. A permanent top-role holder
        // already holds everything for good, so their own changes widen nothing.
        if res.owner.is_some_and(|t| t.member == actor.member) && !actor.is_permanent_top(now) {
            return Some(Reason::SelfGrant);
        }
        if let Some(f) = ask.facts {
            if f.base {
                return Some(Reason::BaseRole {
                    role: role.key.to_string(),
                });
            }
            if f.holder_kind == MemberKind::External && role.holds_cards() {
                return Some(Reason::ExternalNoCards {
                    role: role.key.to_string(),
                });
            }
        }
    }
    if role.top_controlled && !top {
        return Some(Reason::OwnerOnly {
            role: role.key.to_string(),
        });
    }
    None
}

/// The first active grant holding `role.assign` that lists the role, reaches the member and
/// hands out no higher cap than its own; else the cap that refused, or `not_assignable`.
fn allow(
    actor: &Principal,
    ask: &GrantAsk<'_>,
    res: &ResourceRef<'_>,
    now: Timestamp,
    top: bool,
) -> Result<Granted, Reason> {
    let role = ask.role;
    // Caps matter only for roles that hold a capped action; top-role holders set any cap.
    let caps_matter = !top
        && ask.op != GrantOp::List
        && Action::all().any(|a| is_capped(a) && role.permissions.reach(a).is_some());
    let wanted = match ask.op {
        GrantOp::Give => ask.cap,
        GrantOp::Revoke | GrantOp::List => Some(0),
    };
    let mut capped: Option<Reason> = None;
    for g in actor.active_grants(now) {
        let lists = g.permissions.reach(Action::RoleAssign).is_some()
            && g.role.assignable.allows(&role.key)
            && match g.grant.spec.team {
                None => true,
                // With no member named, a grant bound to the team is for some member of it.
                Some(bound) => {
                    ask.team == Some(bound) && res.owner.is_none_or(|t| t.teams.contains(&bound))
                }
            };
        if !lists {
            continue;
        }
        match g.grant.spec.options.max_amount_minor {
            Some(own) if caps_matter && wanted.is_none_or(|w| w > own) => {
                capped = Some(Reason::OverCap {
                    cap: own,
                    amount: wanted.unwrap_or(i64::MAX),
                });
            }
            _ => return Ok(granted(g, Action::RoleAssign, Scope::All)),
        }
    }
    Err(capped.unwrap_or_else(|| Reason::NotAssignable {
        role: role.key.to_string(),
    }))
}
