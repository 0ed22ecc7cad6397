//! The invariants that protect a company from its own members:
//! - at least one active, permanent owner at every moment; only owners grant or revoke owner
//!   and admin;
//! - nobody grants a role, or defines a custom role, wider than what they hold (no escalation),
//!   and nobody adds to their own grants;
//! - read-only roles hold nothing that changes data;
//! - reporting lines never loop.

use crate::authorize::Permit;
use crate::catalog::{Action, PermSet, Permission, Scope};
use crate::decision::Reason;
use crate::grant::{GrantSpec, Timestamp};
use crate::ids::{MemberId, TeamId};
use crate::principal::{Principal, ResolvedGrant};
use crate::role::{Role, RoleBook, TeamBinding};
use crate::validate::{self, ValidationError};
use std::sync::Arc;

/// Resolves and checks the shape of requested grants: known roles, team binding, windows.
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
        // Aliases are stored under the role's own key, so `cardholder` and `employee` are one.
        let spec = GrantSpec {
            role: role.key.to_string(),
            ..spec.clone()
        };
        if out.iter().any(|(s, _)| *s == spec) {
            return Err(ValidationError::new(
                field("role"),
                format!("grant of `{}` is listed twice", role.key),
            ));
        }
        out.push((spec, role));
    }
    Ok(out)
}

/// Refuses new grants whose window has already closed: they would give nothing, which is
/// surely not what was meant. Grants kept as they are may have ended; they stay as history.
pub fn check_new_windows(
    current: &[ResolvedGrant],
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
) -> Result<(), ValidationError> {
    for (i, (spec, _)) in proposed.iter().enumerate() {
        let kept = current.iter().any(|g| g.grant.spec == *spec);
        if !kept && spec.valid_until.is_some_and(|until| until <= now) {
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
    pub target: MemberId,
    pub target_archived: bool,
    pub current: &'a [ResolvedGrant],
    pub proposed: &'a [(GrantSpec, Role)],
    /// Active members other than the target holding a permanent owner grant now.
    pub other_permanent_owners: usize,
}

fn holds_permanent_owner<'a>(
    mut specs: impl Iterator<Item = (&'a GrantSpec, &'a Role)>,
    now: Timestamp,
) -> bool {
    specs.any(|(s, r)| r.is_owner() && s.is_permanent_from(now))
}

/// What a change of grants would do to a member's effective permissions, now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessDiff {
    /// Permissions the member would hold that nothing they hold now covers.
    pub gained: Vec<Permission>,
    /// Permissions the member holds now that the new grants would not cover.
    pub lost: Vec<Permission>,
}

/// Previews replacing `target`'s grants with `proposed`, without deciding whether it is allowed.
pub fn access_diff(
    target: &Principal,
    proposed: &[(GrantSpec, Role)],
    now: Timestamp,
) -> AccessDiff {
    let before = target.permissions(now);
    let after = if target.archived {
        PermSet::EMPTY
    } else {
        proposed
            .iter()
            .filter(|(spec, _)| spec.active_at(now))
            .map(|(spec, role)| match spec.team {
                Some(_) => role.permissions.capped_at_team(),
                None => role.permissions,
            })
            .fold(PermSet::EMPTY, PermSet::union)
    };
    AccessDiff {
        gained: after.beyond(before),
        lost: before.beyond(after),
    }
}

/// What a grant gives: its role's permissions, narrowed to team scope when bound to a team.
fn given_by(spec: &GrantSpec, role: &Role) -> PermSet {
    match spec.team {
        Some(_) => role.permissions.capped_at_team(),
        None => role.permissions,
    }
}

/// Whether `actor` holds `action` over the members of `team`: company-wide, or through a
/// grant bound to that very team. A team scope reached through one's own reports or another
/// team does not cover it.
fn reaches_team(actor: &Principal, now: Timestamp, action: Action, team: TeamId) -> bool {
    actor.active_grants(now).any(|g| match g.grant.spec.team {
        None => g.permissions.reach(action) == Some(Scope::All),
        Some(bound) => {
            bound == team
                && g.permissions
                    .reach(action)
                    .is_some_and(|r| r >= Scope::Team)
        }
    })
}

/// Checks a grant change against every invariant; the permit allows storing it.
pub fn change_grants(
    actor: &Principal,
    now: Timestamp,
    via: GrantVia,
    change: &GrantChange<'_>,
) -> Result<Permit, Reason> {
    let needed = match via {
        GrantVia::Assign => Action::RoleAssign,
        GrantVia::Invite => Action::MemberInvite,
    };
    actor.check(now, needed, Scope::All)?;

    let added = change
        .proposed
        .iter()
        .filter(|(spec, _)| !change.current.iter().any(|g| g.grant.spec == *spec));
    let has_added = added.clone().next().is_some();
    let removed = change.current.iter().filter(|g| {
        !change
            .proposed
            .iter()
            .any(|(spec, _)| g.grant.spec == *spec)
    });

    // Owners keep control of their owners and admins: an admin changes none of their grants
    // (what is removed is among the current grants, so checking those covers it).
    let touched_roles = added
        .clone()
        .map(|(_, r)| r)
        .chain(change.current.iter().map(|g| &g.role));
    for role in touched_roles {
        if role.is_owner_controlled() && !actor.is_owner(now) {
            return Err(Reason::OwnerOnly {
                role: role.key.to_string(),
            });
        }
    }

    let held = actor.permissions(now);
    let mut beyond: Vec<Permission> = Vec::new();
    // Everything team-scoped the member would hold: a team-bound grant stretches all of it
    // to the grant's team, so its granter must reach that team with each of them.
    let team_scoped = change
        .proposed
        .iter()
        .filter(|(spec, _)| spec.active_at(now))
        .map(|(spec, role)| given_by(spec, role))
        .fold(PermSet::EMPTY, PermSet::union)
        .only_at(Scope::Team);
    for (spec, role) in added {
        let given = given_by(spec, role);
        match spec.team {
            None => beyond.extend(given.beyond(held)),
            Some(team) => {
                for p in given.union(team_scoped).iter() {
                    let covered = match p.scope {
                        Some(Scope::Team) => reaches_team(actor, now, p.action, team),
                        _ => held.reach(p.action).is_some_and(|r| r >= p.reach()),
                    };
                    if !covered {
                        beyond.push(p);
                    }
                }
            }
        }
    }
    // Revoking is giving in reverse: nobody takes away what they could not give back.
    for g in removed {
        beyond.extend(g.permissions.beyond(held));
    }
    if !beyond.is_empty() {
        beyond.sort_unstable();
        beyond.dedup();
        return Err(Reason::Escalation {
            permissions: beyond,
        });
    }

    let was_owner = !change.target_archived
        && holds_permanent_owner(change.current.iter().map(|g| (&g.grant.spec, &g.role)), now);
    let stays_owner = !change.target_archived
        && holds_permanent_owner(change.proposed.iter().map(|(s, r)| (s, r)), now);
    if was_owner && !stays_owner && change.other_permanent_owners == 0 {
        return Err(Reason::LastOwner);
    }
    // A grant that is new or has a new window would let a time-limited holder keep their
    // access for good; only someone else may give it. A permanent owner already holds
    // everything for good, so their own changes widen nothing.
    if change.target == actor.member && has_added && !was_owner {
        return Err(Reason::SelfGrant);
    }
    Ok(Permit::new(needed, actor.member))
}

/// Checks archiving `target`: the right to, owners protected by owners, never the last owner.
pub fn archive_member(
    actor: &Principal,
    now: Timestamp,
    target: &Principal,
    other_permanent_owners: usize,
) -> Result<Permit, Reason> {
    actor.check(now, Action::MemberArchive, Scope::All)?;
    if let Some(g) = target.grants.iter().find(|g| g.role.is_owner_controlled()) {
        if !actor.is_owner(now) {
            return Err(Reason::OwnerOnly {
                role: g.role.key.to_string(),
            });
        }
    }
    let is_owner = !target.archived
        && holds_permanent_owner(target.grants.iter().map(|g| (&g.grant.spec, &g.role)), now);
    if is_owner && other_permanent_owners == 0 {
        return Err(Reason::LastOwner);
    }
    if target.archived {
        return Err(Reason::AlreadyArchived);
    }
    Ok(Permit::new(Action::MemberArchive, actor.member))
}

/// Checks a change of reporting line; `would_cycle` comes from the org chart or the store.
pub fn set_manager(actor: &Principal, now: Timestamp, would_cycle: bool) -> Result<Permit, Reason> {
    actor.check(now, Action::MemberManage, Scope::All)?;
    if would_cycle {
        return Err(Reason::ReportingCycle);
    }
    Ok(Permit::new(Action::MemberManage, actor.member))
}

/// A custom role as typed in, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomRoleInput {
    pub key: String,
    pub name: String,
    pub description: String,
    pub permissions: PermSet,
    pub read_only: bool,
}

impl CustomRoleInput {
    pub fn parse(
        key: &str,
        name: &str,
        description: Option<&str>,
        permissions: &[String],
        read_only: bool,
    ) -> Result<CustomRoleInput, ValidationError> {
        let key = validate::key("key", key)?;
        if crate::role::builtin(&key).is_some() {
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
        Ok(CustomRoleInput {
            key,
            name,
            description,
            permissions: set,
            read_only,
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
        }
    }
}

/// Checks defining a custom role: the right to, and nothing beyond what the definer holds.
pub fn define_role(
    actor: &Principal,
    now: Timestamp,
    role: &CustomRoleInput,
) -> Result<Permit, Reason> {
    actor.check(now, Action::RoleManage, Scope::All)?;
    let beyond = role.permissions.beyond(actor.permissions(now));
    if !beyond.is_empty() {
        return Err(Reason::Escalation {
            permissions: beyond,
        });
    }
    Ok(Permit::new(Action::RoleManage, actor.member))
}

#[cfg(test)]
mod tests;
