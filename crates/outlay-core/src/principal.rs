//! A principal: one member as the rules see them, with grants resolved to their roles'
//! permissions. Effective permissions are the union over active grants, each at its widest
//! scope; a team-bound grant reaches no further than its team.

use crate::catalog::{Action, PermSet, Permission, Scope};
use crate::decision::Reason;
use crate::grant::{Grant, Timestamp};
use crate::ids::{MemberId, TeamId};
use crate::role::Role;

/// One grant with what its role gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedGrant {
    pub grant: Grant,
    pub role: Role,
    /// The role's permissions, narrowed to team scope when the grant names a team.
    pub permissions: PermSet,
}

impl ResolvedGrant {
    pub fn new(grant: Grant, role: Role) -> ResolvedGrant {
        let permissions = match grant.spec.team {
            Some(_) => role.permissions.capped_at_team(),
            None => role.permissions,
        };
        ResolvedGrant {
            grant,
            role,
            permissions,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub member: MemberId,
    pub archived: bool,
    pub grants: Vec<ResolvedGrant>,
}

/// One effective permission and the grants behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectivePermission {
    pub permission: Permission,
    pub sources: Vec<ResolvedGrant>,
}

impl Principal {
    pub fn active_grants(&self, now: Timestamp) -> impl Iterator<Item = &ResolvedGrant> {
        let live = !self.archived;
        self.grants
            .iter()
            .filter(move |g| live && g.grant.spec.active_at(now))
    }

    /// The union of what the active grants give.
    pub fn permissions(&self, now: Timestamp) -> PermSet {
        self.active_grants(now)
            .fold(PermSet::EMPTY, |acc, g| acc.union(g.permissions))
    }

    /// Whether the member holds an active owner grant.
    pub fn is_owner(&self, now: Timestamp) -> bool {
        self.active_grants(now).any(|g| g.role.is_owner())
    }

    /// Teams of active team-bound grants: their members are in this member's team scope.
    pub fn bound_teams(&self, now: Timestamp) -> Vec<TeamId> {
        let mut teams: Vec<TeamId> = self
            .active_grants(now)
            .filter_map(|g| g.grant.spec.team)
            .collect();
        teams.sort_unstable();
        teams.dedup();
        teams
    }

    /// Checks `action` at the scope `needed`, naming the deciding grant or the refusal.
    #[inline]
    pub fn check(&self, now: Timestamp, action: Action, needed: Scope) -> Result<Reason, Reason> {
        match self.deciding_grant(now, action, needed) {
            Ok(g) => Ok(Self::granted(g, action)),
            Err(widest) => Err(self.refusal(now, action, needed, widest)),
        }
    }

    /// The first active grant holding `action` at `needed` or wider; else the widest scope at
    /// which any active grant holds it. What [`Principal::check`] decides, without building
    /// the reason, so callers that need only part of it pay for no more.
    #[inline]
    pub(crate) fn deciding_grant(
        &self,
        now: Timestamp,
        action: Action,
        needed: Scope,
    ) -> Result<&ResolvedGrant, Option<Scope>> {
        let mut widest: Option<Scope> = None;
        for g in self.active_grants(now) {
            if let Some(reach) = g.permissions.reach(action) {
                if reach >= needed {
                    return Ok(g);
                }
                widest = widest.max(Some(reach));
            }
        }
        Err(widest)
    }

    /// The reason an allowing grant gives: its permission at the grant's widest scope.
    #[inline]
    pub(crate) fn granted(g: &ResolvedGrant, action: Action) -> Reason {
        let scope = if action.is_scoped() {
            g.permissions.reach(action)
        } else {
            None
        };
        Reason::Granted {
            permission: Permission { action, scope },
            grant: g.grant.id,
            role: g.role.key.clone(),
            team: g.grant.spec.team,
        }
    }

    /// Why `action` at `needed` is refused, given the widest scope at which it is held.
    pub(crate) fn refusal(
        &self,
        now: Timestamp,
        action: Action,
        needed: Scope,
        widest: Option<Scope>,
    ) -> Reason {
        if self.archived {
            return Reason::Archived;
        }
        if let Some(held) = widest {
            return Reason::OutOfScope {
                action,
                held,
                needed,
            };
        }
        let read_only = self.active_grants(now).find(|g| g.role.read_only);
        match read_only {
            Some(g) if action.info().mutates => Reason::ReadOnlyRole {
                role: g.role.key.clone(),
                action,
            },
            _ => Reason::NoPermission { action },
        }
    }

    /// The widest scope at which `action` is held now.
    pub fn reach(&self, now: Timestamp, action: Action) -> Option<Scope> {
        if self.archived {
            return None;
        }
        self.active_grants(now)
            .filter_map(|g| g.permissions.reach(action))
            .max()
    }

    /// Every effective permission with the active grants that give it ("view all permissions").
    pub fn effective(&self, now: Timestamp) -> Vec<EffectivePermission> {
        self.permissions(now)
            .iter()
            .map(|permission| EffectivePermission {
                permission,
                sources: self
                    .active_grants(now)
                    .filter(|g| g.permissions.contains(permission))
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grant::GrantSpec;
    use crate::ids::GrantId;
    use crate::role::builtin;

    fn principal(specs: &[GrantSpec]) -> Principal {
        let grants = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let role = builtin(&spec.role).expect("builtin role");
                ResolvedGrant::new(
                    Grant {
                        id: GrantId(i as i64 + 1),
                        spec: spec.clone(),
                    },
                    role,
                )
            })
            .collect();
        Principal {
            member: MemberId(1),
            archived: false,
            grants,
        }
    }

    const NOW: Timestamp = Timestamp(1_800_000_000);

    #[test]
    fn effective_permissions_are_the_union_at_the_widest_scope() {
        let p = principal(&[GrantSpec::role("employee"), GrantSpec::role("manager")]);
        assert_eq!(p.reach(NOW, Action::ExpenseView), Some(Scope::Team));
        assert_eq!(p.reach(NOW, Action::ExpenseCreate), Some(Scope::All));
        let granted = p.check(NOW, Action::ExpenseView, Scope::Team);
        assert!(matches!(granted, Ok(Reason::Granted { ref role, .. }) if &**role == "manager"));
    }

    #[test]
    fn expired_grants_grant_nothing() {
        let finance = GrantSpec {
            valid_until: Some(NOW),
            ..GrantSpec::role("finance")
        };
        let p = principal(&[GrantSpec::role("employee"), finance]);
        let before = Timestamp(NOW.0 - 1);
        assert_eq!(p.reach(before, Action::ExpenseView), Some(Scope::All));
        assert_eq!(p.reach(NOW, Action::ExpenseView), Some(Scope::Own));
        assert_eq!(
            p.check(NOW, Action::ExpenseView, Scope::All),
            Err(Reason::OutOfScope {
                action: Action::ExpenseView,
                held: Scope::Own,
                needed: Scope::All
            })
        );
    }

    #[test]
    fn a_team_bound_grant_reaches_its_team_not_the_company() {
        let p = principal(&[GrantSpec::for_team("finance", TeamId(7))]);
        assert_eq!(p.reach(NOW, Action::ExpenseView), Some(Scope::Team));
        assert_eq!(p.bound_teams(NOW), vec![TeamId(7)]);
    }

    #[test]
    fn archived_members_hold_nothing() {
        let mut p = principal(&[GrantSpec::role("owner")]);
        p.archived = true;
        assert_eq!(
            p.check(NOW, Action::ExpenseView, Scope::Own),
            Err(Reason::Archived)
        );
        assert!(p.permissions(NOW).is_empty());
    }

    #[test]
    fn a_read_only_role_is_named_when_it_is_why_a_write_fails() {
        let p = principal(&[GrantSpec::role("auditor")]);
        assert_eq!(
            p.check(NOW, Action::ExpenseCreate, Scope::All),
            Err(Reason::ReadOnlyRole {
                role: "auditor".into(),
                action: Action::ExpenseCreate
            })
        );
    }

    #[test]
    fn every_effective_permission_names_its_sources() {
        let p = principal(&[GrantSpec::role("employee"), GrantSpec::role("manager")]);
        let eff = p.effective(NOW);
        let create = eff
            .iter()
            .find(|e| e.permission.action == Action::ExpenseCreate);
        assert_eq!(create.map(|e| e.sources.len()), Some(2));
        assert!(eff.iter().all(|e| !e.sources.is_empty()));
    }
}
