//! A principal: one member as the rules see them, with grants resolved to what each gives.
//! Nothing is merged across grants: each grant reaches its own targets, and a decision names
//! the one grant that allowed it. Only the store's loader builds principals (the HTTP crate's
//! clippy configuration forbids [`Principal::load`]); fields are private outside the core.

use crate::catalog::{Action, PermSet, Permission, Scope};
use crate::grant::{Grant, GrantSpec, Timestamp};
use crate::ids::{GrantId, MemberId, OrgId, TeamId};
use crate::org::{Line, Target};
use crate::role::{cardholding, Role, RoleBook};
use serde::{Deserialize, Serialize};

/// Whether a member belongs to the company or comes from outside (an external bookkeeper).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    #[default]
    Internal,
    External,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Internal => "internal",
            MemberKind::External => "external",
        }
    }

    pub fn parse(s: &str) -> Option<MemberKind> {
        match s {
            "internal" => Some(MemberKind::Internal),
            "external" => Some(MemberKind::External),
            _ => None,
        }
    }
}

/// One grant with what it gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedGrant {
    pub grant: Grant,
    pub role: Role,
    /// The role's permissions less switched-off groups, and less cards for external members.
    pub permissions: PermSet,
    /// The company's base role, held by every active member without a stored grant.
    pub base: bool,
}

impl ResolvedGrant {
    pub fn new(grant: Grant, role: Role, kind: MemberKind) -> ResolvedGrant {
        let mut permissions = grant.spec.options.narrow(role.permissions);
        // A team-bound grant never holds company-level actions: not for decisions, not on
        // pages, not in previews.
        if grant.spec.team.is_some() {
            permissions = permissions.without_actions(
                crate::catalog::ACTIONS
                    .iter()
                    .filter(|a| a.company_level)
                    .map(|a| a.action),
            );
        }
        if kind == MemberKind::External {
            permissions = permissions.minus(cardholding());
        }
        ResolvedGrant {
            grant,
            role,
            permissions,
            base: false,
        }
    }

    /// Whether this grant, holding `action` at `widest`, reaches `target` (or, with no
    /// target, the team `team` or the whole company).
    #[inline]
    pub fn reaches(
        &self,
        action: Action,
        widest: Scope,
        target: Option<&Target<'_>>,
        team: Option<TeamId>,
    ) -> bool {
        let company = action.info().company_level;
        match self.grant.spec.team {
            None => match target {
                None => company || widest == Scope::All,
                Some(t) => match t.line {
                    Line::Own => true,
                    Line::Direct => widest >= Scope::Direct,
                    Line::Indirect => widest >= Scope::Team,
                    Line::Other => widest == Scope::All,
                },
            },
            Some(bound) => {
                if company || team.is_some_and(|t| t != bound) {
                    return false;
                }
                match target {
                    None => team == Some(bound) && widest > Scope::Own,
                    Some(t) => {
                        (t.line == Line::Own && self.permissions.holds_at(action, Scope::Own))
                            || (widest > Scope::Own && t.teams.contains(&bound))
                    }
                }
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub(crate) org: OrgId,
    pub(crate) member: MemberId,
    pub(crate) archived: bool,
    pub(crate) kind: MemberKind,
    pub(crate) grants: Vec<ResolvedGrant>,
}

/// Every effective permission of a principal with the active grants behind each, built with
/// three allocations whatever the number of permissions ("view all permissions").
#[derive(Clone, Debug)]
pub struct Effective<'a> {
    grants: &'a [ResolvedGrant],
    /// Each permission with the range of its sources in `positions`.
    items: Vec<(Permission, u32, u32)>,
    /// Positions in `grants`.
    positions: Vec<u16>,
}

/// One effective permission and the grants behind it.
#[derive(Clone, Copy, Debug)]
pub struct EffectivePermission<'a> {
    pub permission: Permission,
    grants: &'a [ResolvedGrant],
    positions: &'a [u16],
}

impl<'a> EffectivePermission<'a> {
    /// The active grants that give this permission.
    pub fn sources(&self) -> impl Iterator<Item = &'a ResolvedGrant> + '_ {
        self.positions.iter().map(|i| &self.grants[usize::from(*i)])
    }
}

impl Effective<'_> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = EffectivePermission<'_>> {
        self.items
            .iter()
            .map(|(permission, from, to)| EffectivePermission {
                permission: *permission,
                grants: self.grants,
                positions: &self.positions[*from as usize..*to as usize],
            })
    }
}

/// The members whose data a principal may list for one action: the union of what each
/// active grant reaches. The store turns it into SQL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ListScope {
    pub all: bool,
    pub own: bool,
    pub direct: bool,
    pub subtree: bool,
    pub teams: Vec<TeamId>,
}

impl ListScope {
    /// Whether a target is in this scope: the same rule as the decision, without its reason.
    pub fn reaches(&self, t: &Target<'_>) -> bool {
        self.all
            || (self.own && t.line == Line::Own)
            || (self.direct && matches!(t.line, Line::Own | Line::Direct))
            || (self.subtree && t.line != Line::Other)
            || t.teams.iter().any(|x| self.teams.contains(x))
    }
}

impl Principal {
    /// The loader's constructor: stored grants resolved against the company's roles (grants
    /// of roles that no longer exist give nothing), plus the preset's base role for active
    /// members.
    pub fn load(
        org: OrgId,
        member: MemberId,
        archived: bool,
        kind: MemberKind,
        grants: Vec<Grant>,
        book: &RoleBook,
    ) -> Principal {
        let mut resolved: Vec<ResolvedGrant> = Vec::with_capacity(grants.len() + 1);
        if let Some(base) = book.base() {
            let grant = Grant {
                id: GrantId(0),
                spec: GrantSpec::role(&base.key),
            };
            let mut g = ResolvedGrant::new(grant, base.clone(), kind);
            g.base = true;
            resolved.push(g);
        }
        for g in grants {
            if let Some(role) = book.get(&g.spec.role) {
                resolved.push(ResolvedGrant::new(g, role.clone(), kind));
            }
        }
        Principal {
            org,
            member,
            archived,
            kind,
            grants: resolved,
        }
    }

    pub fn member(&self) -> MemberId {
        self.member
    }

    /// The company the principal acts in.
    pub fn org(&self) -> OrgId {
        self.org
    }

    pub fn archived(&self) -> bool {
        self.archived
    }

    pub fn kind(&self) -> MemberKind {
        self.kind
    }

    /// Every grant, active or not, the base role first.
    pub fn grants(&self) -> &[ResolvedGrant] {
        &self.grants
    }

    /// Stored grants only (not the base role).
    pub fn stored_grants(&self) -> impl Iterator<Item = &ResolvedGrant> {
        self.grants.iter().filter(|g| !g.base)
    }

    #[inline]
    pub fn active_grants(&self, now: Timestamp) -> impl Iterator<Item = &ResolvedGrant> {
        let live = !self.archived;
        self.grants
            .iter()
            .filter(move |g| live && g.grant.spec.active_at(now))
    }

    /// The union of what the active grants give: for pages, never for decisions.
    pub fn permissions(&self, now: Timestamp) -> PermSet {
        self.active_grants(now)
            .fold(PermSet::EMPTY, |acc, g| acc.union(g.permissions))
    }

    /// What the active unbound grants give: what holds company-wide.
    pub fn company_permissions(&self, now: Timestamp) -> PermSet {
        self.active_grants(now)
            .filter(|g| g.grant.spec.team.is_none())
            .fold(PermSet::EMPTY, |acc, g| acc.union(g.permissions))
    }

    /// Whether the member holds an active grant of the company's top role.
    pub fn is_top(&self, now: Timestamp) -> bool {
        self.active_grants(now).any(|g| g.role.top)
    }

    /// Whether the member holds a permanent grant of the top role.
    pub fn is_permanent_top(&self, now: Timestamp) -> bool {
        !self.archived
            && self
                .stored_grants()
                .any(|g| g.role.top && g.grant.spec.is_permanent_from(now))
    }

    /// Where `action`'s data may be listed from, or `None` when nothing is reached.
    pub fn list_scope(&self, now: Timestamp, action: Action) -> Option<ListScope> {
        let mut s = ListScope::default();
        let mut any = false;
        for g in self.active_grants(now) {
            let Some(widest) = g.permissions.reach(action) else {
                continue;
            };
            any = true;
            match g.grant.spec.team {
                None => match widest {
                    Scope::All => s.all = true,
                    Scope::Team => s.subtree = true,
                    Scope::Direct => s.direct = true,
                    Scope::Own => s.own = true,
                },
                Some(team) => {
                    if g.permissions.holds_at(action, Scope::Own) {
                        s.own = true;
                    }
                    if widest > Scope::Own && !s.teams.contains(&team) {
                        s.teams.push(team);
                    }
                }
            }
        }
        any.then_some(s)
    }

    /// Every effective permission with the active grants that give it ("view all permissions").
    pub fn effective(&self, now: Timestamp) -> Effective<'_> {
        // Positions fit u16: nobody holds 65,536 grants, and more are simply not shown.
        let active: Vec<(u16, PermSet)> = self
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| !self.archived && g.grant.spec.active_at(now))
            .filter_map(|(i, g)| u16::try_from(i).ok().map(|i| (i, g.permissions)))
            .collect();
        let union = active
            .iter()
            .fold(PermSet::EMPTY, |acc, (_, p)| acc.union(*p));
        let mut items = Vec::with_capacity(union.len());
        let mut positions = Vec::with_capacity(union.len() * 2);
        if active.len() <= 64 {
            // Transposed: for every bit, which of the (at most 64) active grants hold it; one
            // pass over each grant's bits instead of a check per (permission, grant).
            let mut holders = [0u64; crate::catalog::BITS];
            for (k, (_, p)) in active.iter().enumerate() {
                for bit in p.bits() {
                    holders[bit] |= 1 << k;
                }
            }
            for bit in union.bits() {
                let from = positions.len() as u32;
                let mut mask = holders[bit];
                while mask != 0 {
                    positions.push(active[mask.trailing_zeros() as usize].0);
                    mask &= mask - 1;
                }
                items.push((Permission::from_bit(bit), from, positions.len() as u32));
            }
        } else {
            for bit in union.bits() {
                let from = positions.len() as u32;
                positions.extend(
                    active
                        .iter()
                        .filter(|(_, p)| p.has_bit(bit))
                        .map(|(i, _)| *i),
                );
                items.push((Permission::from_bit(bit), from, positions.len() as u32));
            }
        }
        Effective {
            grants: &self.grants,
            items,
            positions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset;

    const NOW: Timestamp = Timestamp(1_800_000_000);

    fn load(preset: &str, kind: MemberKind, specs: &[GrantSpec]) -> Principal {
        let book = RoleBook::new(preset::get(preset).expect("preset"), vec![]);
        let grants = specs
            .iter()
            .enumerate()
            .map(|(i, s)| Grant {
                id: GrantId(i as i64 + 1),
                spec: s.clone(),
            })
            .collect();
        Principal::load(OrgId(1), MemberId(1), false, kind, grants, &book)
    }

    #[test]
    fn the_base_role_is_held_without_a_grant() {
        let p = load("pliant", MemberKind::Internal, &[]);
        assert_eq!(p.grants().len(), 1);
        assert!(p.grants()[0].base);
        assert!(p.permissions(NOW).reach(Action::CardView).is_some());
        assert_eq!(p.stored_grants().count(), 0);
    }

    #[test]
    fn external_members_never_hold_cards() {
        let p = load("pliant", MemberKind::External, &[GrantSpec::role("admin")]);
        assert!(p.permissions(NOW).intersect(cardholding()).is_empty());
        assert!(p.permissions(NOW).reach(Action::CardIssue).is_some());
        assert!(p.permissions(NOW).reach(Action::AccountingManage).is_some());
    }

    #[test]
    fn the_list_scope_is_the_union_of_each_grants_reach() {
        let p = load(
            "outlay",
            MemberKind::Internal,
            &[
                GrantSpec::role("manager"),
                GrantSpec::for_team("team_manager", TeamId(7)),
            ],
        );
        let s = p.list_scope(NOW, Action::ExpenseView);
        assert_eq!(
            s,
            Some(ListScope {
                all: false,
                own: false,
                direct: false,
                subtree: true,
                teams: vec![TeamId(7)],
            })
        );
        assert_eq!(p.list_scope(NOW, Action::AuditView), None);
    }

    #[test]
    fn expired_grants_give_nothing() {
        let finance = GrantSpec {
            valid_until: Some(NOW),
            ..GrantSpec::role("finance")
        };
        let p = load("outlay", MemberKind::Internal, &[finance]);
        assert!(p
            .permissions(Timestamp(NOW.0 - 1))
            .reach(Action::ExpenseView)
            .is_some());
        assert!(p.permissions(NOW).is_empty());
    }
}
