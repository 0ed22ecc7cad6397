//! The invariants that protect a company from its own members:
//! - who may assign which role: a grant whose role lists the target role, reaching the
//!   member (a team-bound granter assigns only within its team, and only team-bound grants);
//!   top-controlled roles only by holders of the top role;
//! - the company always keeps one active, permanent holder of its top role;
//! - nobody adds to their own grants; nobody defines a role beyond what they hold, nor one
//!   that assigns what they could not assign;
//! - external members never hold cards; the base role is never granted nor revoked;
//! - reporting lines never loop.
//!
//! Each check hands out the permit for exactly the change it checked.

use crate::authorize::{self, Context, GrantAsk, GrantFacts, Request, ResourceRef};
use crate::catalog::{Action, PermSet, Permission, Scope};
use crate::decision::Reason;
use crate::grant::{GrantSpec, Timestamp};
use crate::ids::{MemberId, TeamId};
use crate::org::Target;
use crate::permit::{self, GrantSet, ManagerChange, Permit, RoleDefinition, Subject};
use crate::principal::{MemberKind, Principal, ResolvedGrant};
use crate::role::{Assignable, Role, RoleBook, TeamBinding};
use crate::validate::{self, ValidationError};
use std::sync::Arc;

/// Resolves and checks the shape of requested grants: known roles, team binding, windows,
/// caps.
pub fn resolve_grants(
    book: &RoleBook,
    specs: &[GrantSpec],
) -> Result<Vec<(GrantSpec, Role)>, ValidationError> {
    let mut out: Vec<(GrantSpec, Role)> = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let field = |f: &str| format!("grants[{i}].{f}");
        let role = book.get(&spec.role).ok_or_else(|| {
            ValidationError::new(
                field("role"),
                format!("`{}` is not a role of this company", spec.role),
            )
        })?;
        match (role.team_binding, spec.team) {
            (TeamBinding::Required, None) => {
                return Err(ValidationError::new(
                    field("team_id"),
                    format!("role `{}` is always bound to a team", role.key),
                ))
            }
            (TeamBinding::Never, Some(_)) => {
                return Err(ValidationError::new(
                    field("team_id"),
                    format!("role `{}` cannot be bound to a team", role.key),
                ))
            }
            _ => {}
        }
        if let (Some(from), Some(until)) = (spec.valid_from, spec.valid_until) {
            if until <= from {
                return Err(ValidationError::new(
                    field("valid_until"),
                    "must be after `valid_from`",
                ));
            }
        }
        if spec.options.max_amount_minor.is_some_and(|m| m < 0) {
            return Err(ValidationError::new(
                field("max_amount_minor"),
                "must be zero or more",
            ));
        }
        // Aliases are stored under the role's own key, so `cardholder` and `employee` are one.
        let spec = GrantSpec {
            role: role.key.to_string(),
            ..spec.clone()
        };
        if out.iter().any(|(s, _)| {
            s.role == spec.role
                && s.team == spec.team
                && s.valid_from == spec.valid_from
                && s.valid_until == spec.valid_until
        }) {
            return Err(ValidationError::new(
                field("role"),
                format!("grant of `{}` is listed twice", role.key),
            ));
        }
        out.push((spec, role.clone()));
    }
    Ok(out)
}

/// Refuses new grants whose window has already closed: they would give nothing, which is
/// surely not what was meant. Grants kept as they are may have ended; they stay as history.
pub fn check_new_windows(
    current: &Principal,
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
) -> Result<(), ValidationError> {
    check_windows(proposed, now, |spec| {
        current.stored_grants().any(|g| g.grant.spec == *spec)
    })
}

/// Refuses proposed grants that are over by `now`, except those `kept` as they were.
pub(crate) fn check_windows(
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
    kept: impl Fn(&GrantSpec) -> bool,
) -> Result<(), ValidationError> {
    for (i, (spec, _)) in proposed.iter().enumerate() {
        if !kept(spec) && spec.valid_until.is_some_and(|until| until <= now) {
            return Err(ValidationError::new(
                format!("grants[{i}].valid_until"),
                "is already past: the grant would give nothing",
            ));
        }
    }
    Ok(())
}

/// How grants are being changed: by replacing a member's grants, or by inviting a new member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantVia {
    Assign,
    Invite,
}

/// A proposed change of one member's grants.
pub struct GrantChange<'a> {
    /// The member, as the actor sees them.
    pub target: Target<'a>,
    pub target_archived: bool,
    pub target_kind: MemberKind,
    /// The member's stored grants now (not the base role).
    pub current: &'a [ResolvedGrant],
    pub proposed: &'a [(GrantSpec, Role)],
    /// Active members other than the target holding a permanent top-role grant now.
    pub other_permanent_tops: usize,
    /// Members other than the target holding any grant of the top role (for single-holder
    /// roles such as Qonto's account holder).
    pub other_tops: usize,
    /// The preset's top role key, for the message.
    pub top_role: &'a str,
    pub base_role: Option<&'a str>,
}

/// Checks a grant change against every invariant; the permit allows storing exactly the
/// proposed grants for that member, over the grants they hold now.
pub fn change_grants(
    actor: &Principal,
    ctx: Context<'_>,
    via: GrantVia,
    change: &GrantChange<'_>,
) -> Result<Permit<GrantSet>, Reason> {
    let now = ctx.now;
    let needed = match via {
        GrantVia::Assign => Action::RoleAssign,
        GrantVia::Invite => Action::MemberInvite,
    };
    if via == GrantVia::Invite {
        authorize::on_member(actor, ctx, needed, change.target).into_result()?;
    } else if actor.archived() {
        return Err(Reason::Archived);
    } else if ctx.company_closed {
        return Err(Reason::CompanyClosed);
    }
    let same = |a: &GrantSpec, b: &GrantSpec| a == b;
    let added = change
        .proposed
        .iter()
        .filter(|(spec, _)| !change.current.iter().any(|g| same(&g.grant.spec, spec)));
    let removed = change.current.iter().filter(|g| {
        !change
            .proposed
            .iter()
            .any(|(spec, _)| same(&g.grant.spec, spec))
    });
    // Each grant given, then each taken away, is one `role.assign` decision.
    let mut granted = Vec::new();
    for (spec, role) in added {
        let facts = GrantFacts {
            base: change.base_role == Some(&*role.key),
            holder_kind: change.target_kind,
            holder_has_role: change.current.iter().any(|g| g.role.key == role.key),
            other_tops: change.other_tops,
        };
        let ask = GrantAsk::give(role, spec).with_facts(facts);
        granted.push(authorize::assign(actor, ctx, Some(change.target), &ask).into_result()?);
    }
    for g in removed {
        let ask = GrantAsk::revoke(&g.role, &g.grant.spec);
        granted.push(authorize::assign(actor, ctx, Some(change.target), &ask).into_result()?);
    }

    let top = |s: &GrantSpec, r: &Role| r.top && s.is_permanent_from(now);
    let was_top =
        !change.target_archived && change.current.iter().any(|g| top(&g.grant.spec, &g.role));
    let stays_top = !change.target_archived && change.proposed.iter().any(|(s, r)| top(s, r));
    if was_top && !stays_top && change.other_permanent_tops == 0 {
        return Err(Reason::LastOwner {
            role: change.top_role.to_string(),
        });
    }
    let grants = permit::grant_set(
        change.target.member,
        change
            .current
            .iter()
            .map(|g| g.grant.spec.clone())
            .collect(),
        change.proposed.iter().map(|(s, _)| s.clone()).collect(),
        granted,
    );
    Ok(Permit::new(actor, needed, grants))
}

/// What a change of grants would do to a member's access, now. Permissions of team-bound
/// grants are shown with their team (`expense.approve.team@3`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessDiff {
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

type Held = Vec<(Permission, Option<TeamId>)>;

fn held_by<'a>(grants: impl Iterator<Item = (&'a GrantSpec, PermSet)>) -> Held {
    let mut out: Held = Vec::new();
    for (spec, perms) in grants {
        for p in perms.iter() {
            // One's own data is one's own whatever team a grant names.
            let team = if p.scope == Some(Scope::Own) {
                None
            } else {
                spec.team
            };
            out.push((p, team));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn covered(p: Permission, team: Option<TeamId>, by: &Held) -> bool {
    by.iter().any(|(q, t)| {
        q.action == p.action
            && q.reach() >= p.reach()
            && (*t == team || (t.is_none() && (team.is_none() || q.reach() == Scope::All)))
    })
}

fn label(p: Permission, team: Option<TeamId>) -> String {
    match team {
        Some(t) => format!("{p}@{t}"),
        None => p.to_string(),
    }
}

/// Previews replacing `target`'s stored grants with `proposed`, without deciding whether it
/// is allowed. The base role stays on both sides.
pub fn access_diff(
    target: &Principal,
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
) -> AccessDiff {
    let live = !target.archived();
    let before = held_by(
        target
            .active_grants(now)
            .map(|g| (&g.grant.spec, g.permissions)),
    );
    let base = target.grants().iter().filter(|g| g.base && live);
    let after = held_by(
        base.map(|g| (&g.grant.spec, g.permissions)).chain(
            proposed
                .iter()
                .filter(|(spec, _)| live && spec.active_at(now))
                .map(|(spec, role)| {
                    let g = ResolvedGrant::new(
                        crate::grant::Grant {
                            id: crate::ids::GrantId(0),
                            spec: spec.clone(),
                        },
                        role.clone(),
                        target.kind(),
                    );
                    (spec, g.permissions)
                })
                .collect::<Vec<_>>(),
        ),
    );
    let diff = |a: &Held, b: &Held| -> Vec<String> {
        let mut v: Vec<String> = a
            .iter()
            .filter(|(p, t)| !covered(*p, *t, b))
            .map(|(p, t)| label(*p, *t))
            .collect();
        v.dedup();
        v
    };
    AccessDiff {
        gained: diff(&after, &before),
        lost: diff(&before, &after),
    }
}

/// Checks archiving `target`: the right to (reaching them), top-controlled roles protected by
/// the top role, never the last permanent top-role holder.
pub fn archive_member(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
    target_principal: &Principal,
    other_permanent_tops: usize,
    top_role: &str,
) -> Result<Permit, Reason> {
    authorize::on_member(actor, ctx, Action::MemberArchive, target).into_result()?;
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
    if target_principal.is_permanent_top(ctx.now) && other_permanent_tops == 0 {
        return Err(Reason::LastOwner {
            role: top_role.to_string(),
        });
    }
    if target_principal.archived() {
        return Err(Reason::AlreadyArchived);
    }
    Ok(Permit::new(
        actor,
        Action::MemberArchive,
        Subject::Member(target.member),
    ))
}

/// Checks unarchiving `target`, permissioned like archiving (`member.archive`, reaching them;
/// top-controlled roles only by the top role): their access comes back with the grants they
/// held, so only an archived member is unarchived.
pub fn unarchive_member(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
    target_principal: &Principal,
) -> Result<Permit, Reason> {
    authorize::on_member(actor, ctx, Action::MemberArchive, target).into_result()?;
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
    if !target_principal.archived() {
        return Err(Reason::NotArchived);
    }
    Ok(Permit::new(
        actor,
        Action::MemberArchive,
        Subject::Member(target.member),
    ))
}

/// Checks a change of a member's profile (name, kind, external identifier).
pub fn manage_member(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
) -> Result<Permit, Reason> {
    authorize::on_member(actor, ctx, Action::MemberManage, target).into_result()?;
    Ok(Permit::new(
        actor,
        Action::MemberManage,
        Subject::Member(target.member),
    ))
}

/// What the reporting line says about giving `member` the manager `manager`, as the store
/// loads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagerMove {
    pub member: MemberId,
    pub manager: Option<MemberId>,
    /// The new manager is the member themself or somewhere below them.
    pub manager_in_subtree: bool,
}

/// Checks giving a member a new manager: the right to manage them, and no loop in the
/// reporting line; the permit names that member and that manager.
pub fn set_manager(
    actor: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
    change: &ManagerMove,
) -> Result<Permit<ManagerChange>, Reason> {
    if change.member != target.member {
        return Err(Reason::NoPermission {
            action: Action::MemberManage,
        });
    }
    authorize::on_member(actor, ctx, Action::MemberManage, target).into_result()?;
    if change.manager == Some(change.member) || change.manager_in_subtree {
        return Err(Reason::ReportingCycle);
    }
    Ok(Permit::new(
        actor,
        Action::MemberManage,
        permit::manager_change(change.member, change.manager),
    ))
}

/// A custom role as typed in, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomRoleInput {
    pub key: String,
    pub name: String,
    pub description: String,
    pub permissions: PermSet,
    pub read_only: bool,
    pub assignable: Vec<String>,
}

impl CustomRoleInput {
    pub fn parse(
        book: &RoleBook,
        key: &str,
        name: &str,
        description: Option<&str>,
        permissions: &[String],
        read_only: bool,
        assignable: &[String],
    ) -> Result<CustomRoleInput, ValidationError> {
        let key = validate::key("key", key)?;
        if book.preset().role(&key).is_some() {
            return Err(ValidationError::new(
                "key",
                format!("`{key}` is a built-in role"),
            ));
        }
        let name = validate::text("name", name, 80)?;
        let description =
            validate::optional_text("description", description, 500)?.unwrap_or_default();
        if permissions.is_empty() {
            return Err(ValidationError::new(
                "permissions",
                "must list at least one permission",
            ));
        }
        let mut set = PermSet::EMPTY;
        for (i, key) in permissions.iter().enumerate() {
            let p = Permission::parse(key).ok_or_else(|| {
                ValidationError::new(
                    format!("permissions[{i}]"),
                    format!("`{key}` is not in the catalog"),
                )
            })?;
            if read_only && p.info().mutates {
                return Err(ValidationError::new(
                    format!("permissions[{i}]"),
                    format!("a read-only role cannot hold `{key}`, which changes data"),
                ));
            }
            set.insert(p);
        }
        if read_only && !assignable.is_empty() {
            return Err(ValidationError::new(
                "assignable",
                "a read-only role assigns nothing: assigning roles changes data",
            ));
        }
        let mut keys = Vec::with_capacity(assignable.len());
        for (i, k) in assignable.iter().enumerate() {
            let role = book.get(k.trim()).ok_or_else(|| {
                ValidationError::new(
                    format!("assignable[{i}]"),
                    format!("`{k}` is not a role of this company"),
                )
            })?;
            keys.push(role.key.to_string());
        }
        if !keys.is_empty() && set.reach(Action::RoleAssign).is_none() {
            set.insert(Permission::unscoped(Action::RoleAssign));
        }
        Ok(CustomRoleInput {
            key,
            name,
            description,
            permissions: set,
            read_only,
            assignable: keys,
        })
    }

    pub fn into_role(self) -> Role {
        Role {
            key: Arc::from(self.key.as_str()),
            name: self.name,
            description: self.description,
            permissions: self.permissions,
            read_only: self.read_only,
            builtin: false,
            team_binding: TeamBinding::Optional,
            assignable: Assignable::Roles(
                self.assignable
                    .iter()
                    .map(|k| Arc::from(k.as_str()))
                    .collect(),
            ),
            top: false,
            top_controlled: false,
            single: false,
        }
    }
}

/// Checks defining a custom role: the right to, nothing beyond what the definer holds
/// company-wide, and only assignable roles the definer could assign themselves. The permit
/// carries that one role.
pub fn define_role(
    actor: &Principal,
    ctx: Context<'_>,
    book: &RoleBook,
    role: &CustomRoleInput,
) -> Result<Permit<RoleDefinition>, Reason> {
    authorize::company(actor, ctx, Action::RoleManage).into_result()?;
    let beyond = role.permissions.beyond(actor.company_permissions(ctx.now));
    if !beyond.is_empty() {
        return Err(Reason::Escalation {
            permissions: beyond,
        });
    }
    // Each role it lists is one `role.assign` decision for nobody in particular, so only
    // the definer's unbound grants reach.
    for key in &role.assignable {
        let Some(r) = book.get(key) else { continue };
        authorize::assign(actor, ctx, None, &GrantAsk::list(r)).into_result()?;
    }
    Ok(Permit::new(
        actor,
        Action::RoleManage,
        permit::role_definition(role.clone().into_role()),
    ))
}

/// A role-change request is decided by whoever may assign that role to that member (the
/// `role.assign` decision on the grant asked for, uncapped), never by the requester. The
/// rules of the data (base role, cards, single holders) bite when the grant is stored.
pub fn decide_role_request(
    actor: &Principal,
    ctx: Context<'_>,
    requester: MemberId,
    role: &Role,
    team: Option<TeamId>,
    target: Target<'_>,
) -> Result<Permit, Reason> {
    if requester == actor.member() {
        return Err(Reason::OwnRequest);
    }
    let ask = GrantAsk::give(role, &GrantSpec::role(&role.key)).bound_to(team);
    let (permit, _) = authorize::permit(&Request {
        principal: actor,
        action: Action::RoleAssign,
        resource: ResourceRef {
            owner: Some(target),
            grant: Some(&ask),
            ..ResourceRef::default()
        },
        context: ctx,
    })?;
    Ok(permit)
}

#[cfg(test)]
mod tests;
