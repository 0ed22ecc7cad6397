//! Grants: one role held by one member, optionally bound to a team and to a time window.

use crate::ids::{GrantId, TeamId};
use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch. The core never reads a clock; callers pass `now` in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn plus_seconds(self, s: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(s))
    }
}

/// What a grant says, before it is stored: the role, and optionally a team and a window.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GrantSpec {
    pub role: String,
    pub team: Option<TeamId>,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
}

impl GrantSpec {
    pub fn role(role: &str) -> GrantSpec {
        GrantSpec {
            role: role.to_string(),
            team: None,
            valid_from: None,
            valid_until: None,
        }
    }

    pub fn for_team(role: &str, team: TeamId) -> GrantSpec {
        GrantSpec {
            team: Some(team),
            ..GrantSpec::role(role)
        }
    }

    /// A grant gives from `valid_from` (inclusive) until `valid_until` (exclusive).
    pub fn active_at(&self, now: Timestamp) -> bool {
        self.valid_from.is_none_or(|from| from <= now)
            && self.valid_until.is_none_or(|until| now < until)
    }

    /// Active now and with no end: the kind of grant that keeps an owner an owner.
    pub fn is_permanent_from(&self, now: Timestamp) -> bool {
        self.valid_from.is_none_or(|from| from <= now) && self.valid_until.is_none()
    }
}

/// A stored grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub id: GrantId,
    pub spec: GrantSpec,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_valid_until_t_grants_at_t_minus_one_second_and_not_at_t() {
        let t = Timestamp(1_800_000_000);
        let g = GrantSpec {
            valid_until: Some(t),
            ..GrantSpec::role("finance")
        };
        assert!(g.active_at(Timestamp(t.0 - 1)));
        assert!(!g.active_at(t));
        assert!(!g.active_at(Timestamp(t.0 + 1)));
    }

    #[test]
    fn a_grant_valid_from_t_grants_at_t_and_not_before() {
        let t = Timestamp(1_800_000_000);
        let g = GrantSpec {
            valid_from: Some(t),
            ..GrantSpec::role("finance")
        };
        assert!(!g.active_at(Timestamp(t.0 - 1)));
        assert!(g.active_at(t));
    }
}
