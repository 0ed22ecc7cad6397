//! The permission catalog: every `resource.action` Outlay knows, the scopes each one comes in
//! (`own < team < all`), whether it changes anything, and a one-line description. This is the
//! one place permissions are listed; roles, the API and the docs all read it from here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How far a permission reaches: one's own data, one's team's, or the whole company's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Own = 0,
    Team = 1,
    All = 2,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Own, Scope::Team, Scope::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Team => "team",
            Scope::All => "all",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a permission is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Expense,
    Report,
    Advance,
    Trip,
    Card,
    Member,
    Role,
    Team,
    Settings,
    Policy,
    Accounting,
    Export,
    Analytics,
    Audit,
    ApiKey,
    Billing,
    Account,
}

/// Bit mask of the scopes an action exists in; unscoped actions use `UNSCOPED`.
const OWN: u8 = 1;
const TEAM: u8 = 2;
const ALL: u8 = 4;
const UNSCOPED: u8 = 0;

macro_rules! actions {
    ($( $variant:ident => $key:literal, $resource:ident, $scopes:expr, $mutates:literal, $desc:literal; )*) => {
        /// A `resource.action` pair, without its scope.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Action { $($variant),* }

        /// Static facts about one action.
        #[derive(Debug)]
        pub struct ActionInfo {
            pub action: Action,
            pub key: &'static str,
            pub resource: Resource,
            scopes: u8,
            /// Whether performing it changes data; read-only roles hold none of these.
            pub mutates: bool,
            pub description: &'static str,
        }

        pub const ACTIONS: &[ActionInfo] = &[
            $( ActionInfo {
                action: Action::$variant,
                key: $key,
                resource: Resource::$resource,
                scopes: $scopes,
                mutates: $mutates,
                description: $desc,
            } ),*
        ];
    };
}

actions! {
    ExpenseCreate => "expense.create", Expense, UNSCOPED, true, "create expenses of one's own";
    ExpenseView => "expense.view", Expense, OWN | TEAM | ALL, false, "view expenses";
    ExpenseEdit => "expense.edit", Expense, OWN | TEAM | ALL, true, "edit draft or rejected expenses (approved ones are final)";
    ExpenseDelete => "expense.delete", Expense, OWN | ALL, true, "delete draft or rejected expenses";
    ExpenseSubmit => "expense.submit", Expense, OWN, true, "submit one's own expenses for approval";
    ExpenseApprove => "expense.approve", Expense, TEAM | ALL, true, "approve or reject submitted expenses of others";
    ExpenseReimburse => "expense.reimburse", Expense, UNSCOPED, true, "process reimbursements of approved out-of-pocket expenses";
    ReportCreate => "report.create", Report, UNSCOPED, true, "create expense reports grouping one's expenses";
    ReportView => "report.view", Report, OWN | TEAM | ALL, false, "view expense reports";
    ReportSubmit => "report.submit", Report, OWN, true, "submit one's own expense reports";
    ReportApprove => "report.approve", Report, TEAM | ALL, true, "approve or reject submitted expense reports of others";
    AdvanceRequest => "advance.request", Advance, UNSCOPED, true, "request cash advances for upcoming costs";
    AdvanceView => "advance.view", Advance, OWN | TEAM | ALL, false, "view cash advances";
    AdvanceApprove => "advance.approve", Advance, TEAM | ALL, true, "approve or reject cash advance requests";
    AdvanceDisburse => "advance.disburse", Advance, UNSCOPED, true, "disburse and settle approved cash advances";
    TripCreate => "trip.create", Trip, UNSCOPED, true, "create trips to organise travel costs";
    TripView => "trip.view", Trip, OWN | TEAM | ALL, false, "view trips";
    TripApprove => "trip.approve", Trip, TEAM | ALL, true, "approve or reject trip requests";
    CardView => "card.view", Card, OWN | TEAM | ALL, false, "view cards and their transactions";
    CardIssue => "card.issue", Card, TEAM | ALL, true, "issue new cards and freeze or cancel cards";
    CardLimits => "card.limits", Card, TEAM | ALL, true, "change card spending limits";
    MemberView => "member.view", Member, OWN | TEAM | ALL, false, "view member profiles and their roles";
    MemberInvite => "member.invite", Member, UNSCOPED, true, "invite new members to the company";
    MemberArchive => "member.archive", Member, UNSCOPED, true, "archive members: revoke their access, keep their history";
    MemberManage => "member.manage", Member, UNSCOPED, true, "change members' managers and profiles";
    RoleView => "role.view", Role, UNSCOPED, false, "view roles, grants and anyone's effective permissions";
    RoleAssign => "role.assign", Role, UNSCOPED, true, "grant and revoke roles (never beyond one's own)";
    RoleManage => "role.manage", Role, UNSCOPED, true, "define custom roles from the catalog";
    TeamView => "team.view", Team, UNSCOPED, false, "view teams and who belongs to them";
    TeamManage => "team.manage", Team, UNSCOPED, true, "create teams and change their members";
    SettingsView => "settings.view", Settings, UNSCOPED, false, "view company settings";
    SettingsManage => "settings.manage", Settings, UNSCOPED, true, "change company settings, currencies and rates";
    PolicyView => "policy.view", Policy, UNSCOPED, false, "view expense policies and approval workflows";
    PolicyManage => "policy.manage", Policy, UNSCOPED, true, "create and edit expense policies and approval workflows";
    AccountingView => "accounting.view", Accounting, UNSCOPED, false, "view accounting settings (accounts, VAT rates, cost centers)";
    AccountingManage => "accounting.manage", Accounting, UNSCOPED, true, "change accounting settings and prepare entries for export";
    ExportCreate => "export.create", Export, UNSCOPED, false, "export data the member may view (accounting, compliance)";
    AnalyticsView => "analytics.view", Analytics, OWN | TEAM | ALL, false, "view spending dashboards and analytics";
    AuditView => "audit.view", Audit, UNSCOPED, false, "read the audit log";
    ApiKeyManage => "api_key.manage", ApiKey, UNSCOPED, true, "create and revoke API keys and integrations";
    BillingManage => "billing.manage", Billing, UNSCOPED, true, "manage subscription, invoices and billing account";
    AccountClose => "account.close", Account, UNSCOPED, true, "request the closure of the company account";
}

impl Action {
    pub fn info(self) -> &'static ActionInfo {
        &ACTIONS[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn is_scoped(self) -> bool {
        self.info().scopes != UNSCOPED
    }

    /// The scopes this action comes in, narrowest first; empty for unscoped actions.
    pub fn scopes(self) -> impl Iterator<Item = Scope> {
        let mask = self.info().scopes;
        Scope::ALL
            .into_iter()
            .filter(move |s| mask & (1 << (*s as u8)) != 0)
    }

    pub fn from_key(key: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.key == key).map(|a| a.action)
    }

    /// The one permission of an unscoped action, or this action at `scope`, if it exists.
    pub fn at(self, scope: Scope) -> Option<Permission> {
        if !self.is_scoped() {
            return Some(Permission::unscoped(self));
        }
        self.scopes().any(|s| s == scope).then_some(Permission {
            action: self,
            scope: Some(scope),
        })
    }
}

/// One entry of the catalog: an action, at a scope when the action is scoped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permission {
    pub action: Action,
    pub scope: Option<Scope>,
}

impl Permission {
    pub const fn unscoped(action: Action) -> Permission {
        Permission {
            action,
            scope: None,
        }
    }

    pub const fn scoped(action: Action, scope: Scope) -> Permission {
        Permission {
            action,
            scope: Some(scope),
        }
    }

    /// Each action owns three bits (own, team, all); an unscoped one uses its `all` bit.
    const fn bit(self) -> u32 {
        let scope = match self.scope {
            Some(s) => s as u32,
            None => Scope::All as u32,
        };
        (self.action as u32) * 3 + scope
    }

    /// The widest scope this permission reaches; unscoped permissions count as `all`.
    pub fn reach(self) -> Scope {
        self.scope.unwrap_or(Scope::All)
    }

    pub fn key(self) -> String {
        match self.scope {
            Some(s) => format!("{}.{}", self.action.key(), s),
            None => self.action.key().to_string(),
        }
    }

    /// Parses `expense.view.team` or `member.invite`; rejects scopes the action lacks.
    pub fn parse(key: &str) -> Option<Permission> {
        if let Some(action) = Action::from_key(key) {
            return (!action.is_scoped()).then_some(Permission::unscoped(action));
        }
        let (base, scope) = key.rsplit_once('.')?;
        let scope = match scope {
            "own" => Scope::Own,
            "team" => Scope::Team,
            "all" => Scope::All,
            _ => return None,
        };
        Action::from_key(base)?
            .at(scope)
            .filter(|p| p.scope.is_some())
    }

    pub fn info(self) -> &'static ActionInfo {
        self.action.info()
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scope {
            Some(s) => write!(f, "{}.{}", self.action.key(), s),
            None => f.write_str(self.action.key()),
        }
    }
}

/// One line of the served catalog.
#[derive(Clone, Debug, Serialize)]
pub struct PermissionInfo {
    pub key: String,
    pub resource: Resource,
    pub action: &'static str,
    pub scope: Option<Scope>,
    pub mutates: bool,
    pub description: String,
}

/// Every permission of the catalog, in catalog order.
pub fn all_permissions() -> impl Iterator<Item = Permission> {
    ACTIONS.iter().flat_map(|info| {
        let action = info.action;
        let scoped: Vec<Permission> = action
            .scopes()
            .map(|s| Permission::scoped(action, s))
            .collect();
        if scoped.is_empty() {
            vec![Permission::unscoped(action)]
        } else {
            scoped
        }
    })
}

/// The catalog as served by the API, each permission with its description.
pub fn catalog() -> Vec<PermissionInfo> {
    all_permissions()
        .map(|p| {
            let info = p.info();
            let description = match p.scope {
                Some(Scope::Own) => format!("{} (one's own)", info.description),
                Some(Scope::Team) => format!("{} (one's own and one's team's)", info.description),
                Some(Scope::All) => format!("{} (everyone's in the company)", info.description),
                None => info.description.to_string(),
            };
            PermissionInfo {
                key: p.key(),
                resource: info.resource,
                action: info.key,
                scope: p.scope,
                mutates: info.mutates,
                description,
            }
        })
        .collect()
}

/// A set of permissions as a bit set: union is `|`, and checks cost a few instructions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PermSet(u128);

impl PermSet {
    pub const EMPTY: PermSet = PermSet(0);

    pub const fn of(perms: &[Permission]) -> PermSet {
        let mut bits = 0u128;
        let mut i = 0;
        while i < perms.len() {
            bits |= 1u128 << perms[i].bit();
            i += 1;
        }
        PermSet(bits)
    }

    pub const fn union(self, other: PermSet) -> PermSet {
        PermSet(self.0 | other.0)
    }

    pub const fn minus(self, other: PermSet) -> PermSet {
        PermSet(self.0 & !other.0)
    }

    pub const fn intersect(self, other: PermSet) -> PermSet {
        PermSet(self.0 & other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, p: Permission) {
        self.0 |= 1u128 << p.bit();
    }

    pub fn contains(self, p: Permission) -> bool {
        self.0 & (1u128 << p.bit()) != 0
    }

    /// The widest scope at which `action` is held, if at all (`all` for unscoped actions).
    #[inline]
    pub fn reach(self, action: Action) -> Option<Scope> {
        let bits = (self.0 >> ((action as u32) * 3)) & 0b111;
        if bits & 0b100 != 0 {
            Some(Scope::All)
        } else if bits & 0b010 != 0 {
            Some(Scope::Team)
        } else if bits & 0b001 != 0 {
            Some(Scope::Own)
        } else {
            None
        }
    }

    /// The same set with every `all` scope narrowed to `team`: what a team-bound grant gives.
    pub fn capped_at_team(self) -> PermSet {
        let mut out = PermSet::EMPTY;
        for p in self.iter() {
            match p.scope {
                Some(Scope::All) => {
                    if let Some(q) = p.action.at(Scope::Team) {
                        out.insert(q);
                    }
                }
                _ => out.insert(p),
            }
        }
        out
    }

    /// Only the permissions held at exactly `scope`.
    pub fn only_at(self, scope: Scope) -> PermSet {
        let mut out = PermSet::EMPTY;
        for p in self.iter().filter(|p| p.scope == Some(scope)) {
            out.insert(p);
        }
        out
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        all_permissions().filter(move |p| self.contains(*p))
    }

    /// True when every permission here is held in `other` at the same or a wider scope.
    pub fn within(self, other: PermSet) -> bool {
        self.iter()
            .all(|p| other.reach(p.action).is_some_and(|r| r >= p.reach()))
    }

    /// The permissions here that `other` does not cover (same or wider scope).
    pub fn beyond(self, other: PermSet) -> Vec<Permission> {
        self.iter()
            .filter(|p| other.reach(p.action).is_none_or(|r| r < p.reach()))
            .collect()
    }

    pub fn len(self) -> usize {
        self.iter().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_the_breadth_of_the_seeds() {
        let n = all_permissions().count();
        assert!((55..=70).contains(&n), "catalog has {n} permissions");
        assert!(ACTIONS.len() * 3 <= 128, "actions must fit the bit set");
    }

    #[test]
    fn actions_are_listed_in_enum_order() {
        for (i, info) in ACTIONS.iter().enumerate() {
            assert_eq!(info.action as usize, i, "{} out of order", info.key);
        }
    }

    #[test]
    fn every_permission_round_trips_through_its_key() {
        for p in all_permissions() {
            assert_eq!(Permission::parse(&p.key()), Some(p), "{p}");
        }
        assert_eq!(
            Permission::parse("expense.view"),
            None,
            "scoped action needs a scope"
        );
        assert_eq!(
            Permission::parse("expense.approve.own"),
            None,
            "no such scope"
        );
        assert_eq!(Permission::parse("member.invite.all"), None);
        assert_eq!(Permission::parse("nope.view.all"), None);
    }

    #[test]
    fn reach_is_the_widest_scope_held() {
        let set = PermSet::of(&[
            Permission::scoped(Action::ExpenseView, Scope::Own),
            Permission::scoped(Action::ExpenseView, Scope::Team),
        ]);
        assert_eq!(set.reach(Action::ExpenseView), Some(Scope::Team));
        assert_eq!(set.reach(Action::ExpenseEdit), None);
    }

    #[test]
    fn within_compares_scopes_not_bits() {
        let team = PermSet::of(&[Permission::scoped(Action::ExpenseView, Scope::Team)]);
        let own = PermSet::of(&[Permission::scoped(Action::ExpenseView, Scope::Own)]);
        assert!(own.within(team));
        assert!(!team.within(own));
        assert_eq!(
            team.beyond(own),
            vec![Permission::scoped(Action::ExpenseView, Scope::Team)]
        );
    }

    #[test]
    fn capping_narrows_all_to_team_and_drops_all_only_actions_to_nothing_wider() {
        let set = PermSet::of(&[
            Permission::scoped(Action::ExpenseView, Scope::All),
            Permission::unscoped(Action::TeamView),
        ]);
        let capped = set.capped_at_team();
        assert_eq!(capped.reach(Action::ExpenseView), Some(Scope::Team));
        assert_eq!(capped.reach(Action::TeamView), Some(Scope::All));
    }
}
