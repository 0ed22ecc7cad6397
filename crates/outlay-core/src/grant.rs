//! Grants: one role held by one member, optionally bound to a team and to a time window, and
//! optionally constrained by caps and switched-off permission groups.

use crate::catalog::{Action, PermSet};
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

/// Permission groups an owner switches on or off per grant (Pliant's admin settings; the
/// accountant's accounting settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermGroup {
    OrganizationSettings,
    AccountingSettings,
    Modules,
    Integrations,
    CardIssuance,
    Export,
}

impl PermGroup {
    pub const ALL: [PermGroup; 6] = [
        PermGroup::OrganizationSettings,
        PermGroup::AccountingSettings,
        PermGroup::Modules,
        PermGroup::Integrations,
        PermGroup::CardIssuance,
        PermGroup::Export,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PermGroup::OrganizationSettings => "organization_settings",
            PermGroup::AccountingSettings => "accounting_settings",
            PermGroup::Modules => "modules",
            PermGroup::Integrations => "integrations",
            PermGroup::CardIssuance => "card_issuance",
            PermGroup::Export => "export",
        }
    }

    pub fn parse(s: &str) -> Option<PermGroup> {
        PermGroup::ALL.into_iter().find(|g| g.key() == s)
    }

    /// The actions a switched-off group takes away.
    pub fn actions(self) -> &'static [Action] {
        match self {
            PermGroup::OrganizationSettings => &[Action::SettingsManage, Action::BillingManage],
            PermGroup::AccountingSettings => &[Action::AccountingManage],
            PermGroup::Modules => &[Action::ModuleManage],
            PermGroup::Integrations => &[Action::IntegrationManage, Action::ApiKeyManage],
            PermGroup::CardIssuance => &[
                Action::CardIssue,
                Action::CardLimits,
                Action::CardRequestApprove,
            ],
            PermGroup::Export => &[Action::ExportCreate, Action::TransactionReview],
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Constraints on what a grant gives, set by whoever may assign it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct GrantOptions {
    /// The highest card limit its holder may set, or the highest amount they may approve,
    /// in minor units of the company currency.
    pub max_amount_minor: Option<i64>,
    /// `Some(false)`: may not issue cards or change limits for themself.
    pub self_issue: Option<bool>,
    /// Permission groups switched off, as a bit set of [`PermGroup`].
    off: u8,
}

impl GrantOptions {
    pub fn with_off(mut self, groups: impl IntoIterator<Item = PermGroup>) -> GrantOptions {
        for g in groups {
            self.off |= g.bit();
        }
        self
    }

    pub fn off(&self) -> impl Iterator<Item = PermGroup> + '_ {
        PermGroup::ALL
            .into_iter()
            .filter(|g| self.off & g.bit() != 0)
    }

    pub fn off_bits(&self) -> u8 {
        self.off
    }

    pub fn from_off_bits(mut self, bits: u8) -> GrantOptions {
        self.off = bits & 0b11_1111;
        self
    }

    /// The role's permissions with the switched-off groups taken away.
    pub fn narrow(&self, perms: PermSet) -> PermSet {
        if self.off == 0 {
            return perms;
        }
        perms.without_actions(self.off().flat_map(|g| g.actions().iter().copied()))
    }

    pub fn is_default(&self) -> bool {
        *self == GrantOptions::default()
    }
}

/// What a grant says, before it is stored: the role, and optionally a team, a window and
/// options.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GrantSpec {
    pub role: String,
    pub team: Option<TeamId>,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
    pub options: GrantOptions,
}

impl GrantSpec {
    pub fn role(role: &str) -> GrantSpec {
        GrantSpec {
            role: role.to_string(),
            team: None,
            valid_from: None,
            valid_until: None,
            options: GrantOptions::default(),
        }
    }

    pub fn for_team(role: &str, team: TeamId) -> GrantSpec {
        GrantSpec {
            team: Some(team),
            ..GrantSpec::role(role)
        }
    }

    /// A grant gives from `valid_from` (inclusive) until `valid_until` (exclusive).
    #[inline]
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

    #[test]
    fn switched_off_groups_take_their_actions_away() {
        let all = PermSet::everything();
        let o = GrantOptions::default().with_off([PermGroup::AccountingSettings]);
        let narrowed = o.narrow(all);
        assert_eq!(narrowed.reach(Action::AccountingManage), None);
        assert!(narrowed.reach(Action::AccountingView).is_some());
        assert_eq!(
            o.off().collect::<Vec<_>>(),
            vec![PermGroup::AccountingSettings]
        );
    }
}
