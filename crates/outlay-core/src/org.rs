//! The shape of a company as the rules need it: who reports to whom, and who is in which team.
//! Team scope is a member's direct and indirect reports plus the members of every team for
//! which they hold a team-bound grant. The store answers the same question in SQL; this
//! in-memory chart serves tests, benchmarks and callers that hold the whole company.

use crate::ids::{MemberId, TeamId};

/// How the target of an action relates to the member acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The member's own.
    Own,
    /// Someone in the member's team scope.
    Team,
    /// Anyone else in the company.
    Other,
}

impl Relation {
    /// The narrowest scope that reaches a target in this relation.
    pub fn needed_scope(self) -> crate::catalog::Scope {
        match self {
            Relation::Own => crate::catalog::Scope::Own,
            Relation::Team => crate::catalog::Scope::Team,
            Relation::Other => crate::catalog::Scope::All,
        }
    }
}

/// Reporting lines longer than this are treated as broken rather than walked forever.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct OrgChart {
    /// Sorted by member id: (member, manager, teams).
    members: Vec<(MemberId, Option<MemberId>, Vec<TeamId>)>,
}

impl OrgChart {
    pub fn new(mut members: Vec<(MemberId, Option<MemberId>, Vec<TeamId>)>) -> OrgChart {
        members.sort_unstable_by_key(|m| m.0);
        OrgChart { members }
    }

    fn entry(&self, m: MemberId) -> Option<&(MemberId, Option<MemberId>, Vec<TeamId>)> {
        self.members
            .binary_search_by_key(&m, |e| e.0)
            .ok()
            .map(|i| &self.members[i])
    }

    pub fn manager_of(&self, m: MemberId) -> Option<MemberId> {
        self.entry(m).and_then(|e| e.1)
    }

    pub fn teams_of(&self, m: MemberId) -> &[TeamId] {
        self.entry(m).map(|e| e.2.as_slice()).unwrap_or(&[])
    }

    /// Whether `target` reports to `boss`, directly or through others.
    pub fn reports_to(&self, target: MemberId, boss: MemberId) -> bool {
        let mut cur = self.manager_of(target);
        for _ in 0..MAX_DEPTH {
            match cur {
                Some(m) if m == boss => return true,
                Some(m) => cur = self.manager_of(m),
                None => return false,
            }
        }
        false
    }

    /// How `target` relates to `actor`, given the teams of the actor's active team-bound grants.
    #[inline]
    pub fn relation(&self, actor: MemberId, bound_teams: &[TeamId], target: MemberId) -> Relation {
        if actor == target {
            return Relation::Own;
        }
        if self.reports_to(target, actor)
            || (!bound_teams.is_empty()
                && self
                    .teams_of(target)
                    .iter()
                    .any(|t| bound_teams.contains(t)))
        {
            return Relation::Team;
        }
        Relation::Other
    }

    /// Whether making `manager` the manager of `member` would close a loop.
    pub fn would_cycle(&self, member: MemberId, manager: MemberId) -> bool {
        member == manager || self.reports_to(manager, member)
    }

    /// Sets a member's manager: access follows at once, nothing else changes.
    pub fn set_manager(&mut self, member: MemberId, manager: Option<MemberId>) {
        if let Ok(i) = self.members.binary_search_by_key(&member, |e| e.0) {
            self.members[i].1 = manager;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> OrgChart {
        // 1 <- 2 <- 3, 4 in team 10, 5 alone
        OrgChart::new(vec![
            (MemberId(1), None, vec![]),
            (MemberId(2), Some(MemberId(1)), vec![]),
            (MemberId(3), Some(MemberId(2)), vec![TeamId(10)]),
            (MemberId(4), None, vec![TeamId(10)]),
            (MemberId(5), None, vec![]),
        ])
    }

    #[test]
    fn team_scope_covers_direct_and_indirect_reports() {
        let c = chart();
        assert_eq!(c.relation(MemberId(1), &[], MemberId(3)), Relation::Team);
        assert_eq!(c.relation(MemberId(2), &[], MemberId(3)), Relation::Team);
        assert_eq!(c.relation(MemberId(3), &[], MemberId(2)), Relation::Other);
        assert_eq!(c.relation(MemberId(1), &[], MemberId(1)), Relation::Own);
    }

    #[test]
    fn team_scope_covers_members_of_bound_teams() {
        let c = chart();
        assert_eq!(
            c.relation(MemberId(5), &[TeamId(10)], MemberId(4)),
            Relation::Team
        );
        assert_eq!(c.relation(MemberId(5), &[], MemberId(4)), Relation::Other);
    }

    #[test]
    fn moving_a_report_moves_access_at_once() {
        let mut c = chart();
        c.set_manager(MemberId(3), Some(MemberId(5)));
        assert_eq!(c.relation(MemberId(2), &[], MemberId(3)), Relation::Other);
        assert_eq!(c.relation(MemberId(5), &[], MemberId(3)), Relation::Team);
    }

    #[test]
    fn cycles_are_detected() {
        let c = chart();
        assert!(c.would_cycle(MemberId(1), MemberId(3)));
        assert!(c.would_cycle(MemberId(2), MemberId(2)));
        assert!(!c.would_cycle(MemberId(3), MemberId(5)));
    }
}
