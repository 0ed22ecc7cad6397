//! The shape of a company as the rules need it: who reports to whom, and who is in which team.
//! A decision about a member's data needs the target's place in the deciding principal's
//! reporting line ([`Line`]) and the target's teams; the store computes both with indexed
//! lookups, and this in-memory chart does the same for tests, benchmarks and the model.

use crate::ids::{MemberId, TeamId};

/// Where a target member sits relative to the principal whose rights decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Line {
    /// The principal themself.
    Own,
    /// A direct report.
    Direct,
    /// Below the principal in the reporting line, but not directly.
    Indirect,
    /// Anyone else in the company.
    Other,
}

impl Line {
    /// The narrowest unbound scope that reaches a target here.
    pub fn needed_scope(self) -> crate::catalog::Scope {
        use crate::catalog::Scope;
        match self {
            Line::Own => Scope::Own,
            Line::Direct => Scope::Direct,
            Line::Indirect => Scope::Team,
            Line::Other => Scope::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Line::Own => "own",
            Line::Direct => "direct",
            Line::Indirect => "indirect",
            Line::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Line {
        match s {
            "own" => Line::Own,
            "direct" => Line::Direct,
            "indirect" => Line::Indirect,
            _ => Line::Other,
        }
    }
}

/// The member a request is about, as the deciding principal sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    pub member: MemberId,
    pub line: Line,
    /// The teams the target belongs to.
    pub teams: &'a [TeamId],
}

/// Reporting lines longer than this are treated as broken rather than walked forever.
pub const MAX_DEPTH: usize = 64;

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

    pub fn members(&self) -> impl Iterator<Item = MemberId> + '_ {
        self.members.iter().map(|e| e.0)
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

    /// Where `target` sits relative to `principal`.
    #[inline]
    pub fn line(&self, principal: MemberId, target: MemberId) -> Line {
        if principal == target {
            return Line::Own;
        }
        // One walk up from the target: the first step tells direct from indirect.
        let mut cur = self.manager_of(target);
        for depth in 0..MAX_DEPTH {
            match cur {
                Some(m) if m == principal => {
                    return if depth == 0 {
                        Line::Direct
                    } else {
                        Line::Indirect
                    }
                }
                Some(m) => cur = self.manager_of(m),
                None => return Line::Other,
            }
        }
        Line::Other
    }

    /// `target` as `principal` sees them.
    pub fn target(&self, principal: MemberId, target: MemberId) -> Target<'_> {
        Target {
            member: target,
            line: self.line(principal, target),
            teams: self.teams_of(target),
        }
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
    fn the_line_tells_direct_from_indirect_reports() {
        let c = chart();
        assert_eq!(c.line(MemberId(1), MemberId(3)), Line::Indirect);
        assert_eq!(c.line(MemberId(2), MemberId(3)), Line::Direct);
        assert_eq!(c.line(MemberId(3), MemberId(2)), Line::Other);
        assert_eq!(c.line(MemberId(1), MemberId(1)), Line::Own);
        assert_eq!(c.target(MemberId(5), MemberId(4)).teams, &[TeamId(10)]);
    }

    #[test]
    fn moving_a_report_moves_access_at_once() {
        let mut c = chart();
        c.set_manager(MemberId(3), Some(MemberId(5)));
        assert_eq!(c.line(MemberId(2), MemberId(3)), Line::Other);
        assert_eq!(c.line(MemberId(5), MemberId(3)), Line::Direct);
    }

    #[test]
    fn cycles_are_detected() {
        let c = chart();
        assert!(c.would_cycle(MemberId(1), MemberId(3)));
        assert!(c.would_cycle(MemberId(2), MemberId(2)));
        assert!(!c.would_cycle(MemberId(3), MemberId(5)));
    }
}
