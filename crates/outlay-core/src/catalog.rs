//! The permission catalog: every `resource.action` Outlay knows, the scopes each one comes in
//! (`own < direct < team < all`), whether it changes anything, whether it is about the whole
//! company rather than one member's data, and a one-line description. This is the one place
//! permissions are listed; roles, presets, the API and the docs all read it from here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How far a permission reaches: one's own data, one's direct reports', one's whole reporting
/// line's (and bound teams'), or the whole company's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Own = 0,
    Direct = 1,
    Team = 2,
    All = 3,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Own, Scope::Direct, Scope::Team, Scope::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Direct => "direct",
            Scope::Team => "team",
            Scope::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
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
    Transaction,
    Invoice,
    Transfer,
    Payment,
    Payroll,
    Wallet,
    TimeOff,
    Member,
    Role,
    Team,
    Delegation,
    Settings,
    Rate,
    Module,
    Integration,
    Sso,
    Sandbox,
    Policy,
    Category,
    Accounting,
    Export,
    Analytics,
    Audit,
    ApiKey,
    Billing,
    Account,
}

impl Resource {
    /// Whether a change of this resource may change who may do what: the members (status,
    /// kind, manager), grants, roles, teams and delegations a decision reads, or the
    /// company's own configuration and state that a server's cached view of an actor
    /// carries. Such a write bumps the company's access version so every server reloads.
    /// Records of spending (expenses and the like) only change data. Every resource is
    /// listed: a new one must be decided here.
    pub fn changes_access(self) -> bool {
        match self {
            Resource::Member
            | Resource::Role
            | Resource::Team
            | Resource::Delegation
            | Resource::Settings
            | Resource::Rate
            | Resource::Module
            | Resource::Integration
            | Resource::Sso
            | Resource::Sandbox
            | Resource::Policy
            | Resource::Accounting
            | Resource::ApiKey
            | Resource::Billing
            | Resource::Account => true,
            Resource::Expense
            | Resource::Report
            | Resource::Advance
            | Resource::Trip
            | Resource::Card
            | Resource::Transaction
            | Resource::Invoice
            | Resource::Transfer
            | Resource::Payment
            | Resource::Payroll
            | Resource::Wallet
            | Resource::TimeOff
            | Resource::Export
            | Resource::Analytics
            | Resource::Audit
            // The company's list of categories: read by no access decision.
            | Resource::Category => false,
        }
    }
}

/// Bit mask of the scopes an action exists in; unscoped actions use `UNSCOPED`.
const OWN: u8 = 1;
const DIRECT: u8 = 2;
const TEAM: u8 = 4;
const ALL: u8 = 8;
/// The scopes of a reporting line: direct reports, or the whole line below.
const LINE: u8 = DIRECT | TEAM;
const UNSCOPED: u8 = 0;

/// Whether an action is about one member's data (reached per grant) or the whole company
/// (never held through a team-bound grant).
const M: bool = false;
const C: bool = true;

macro_rules! actions {
    ($( $variant:ident => $key:literal, $resource:ident, $scopes:expr, $mutates:literal, $company:ident, $desc:literal; )*) => {
        /// A `resource.action` pair, without its scope.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
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
            /// About the whole company (settings, billing, keys, closing): never held through
            /// a grant bound to a team.
            pub company_level: bool,
            pub description: &'static str,
        }

        pub const ACTIONS: &[ActionInfo] = &[
            $( ActionInfo {
                action: Action::$variant,
                key: $key,
                resource: Resource::$resource,
                scopes: $scopes,
                mutates: $mutates,
                company_level: $company,
                description: $desc,
            } ),*
        ];
    };
}

actions! {
    ExpenseCreate => "expense.create", Expense, UNSCOPED, true, M, "create expenses of one's own";
    ExpenseView => "expense.view", Expense, OWN | LINE | ALL, false, M, "view expenses";
    ExpenseEdit => "expense.edit", Expense, OWN | LINE | ALL, true, M, "edit draft or rejected expenses (approved ones are final)";
    ExpenseDelete => "expense.delete", Expense, OWN | ALL, true, M, "delete draft or rejected expenses";
    ExpenseSubmit => "expense.submit", Expense, OWN | DIRECT, true, M, "submit expenses for approval: one's own, or (at `direct`) a direct report's, as an assistant preparing them";
    ExpenseApprove => "expense.approve", Expense, LINE | ALL, true, M, "approve or reject submitted expenses of others";
    ExpenseOverride => "expense.override", Expense, UNSCOPED, true, M, "override an earlier decision: approve a rejected expense or reject an approved one, with a reason";
    ExpenseCorrect => "expense.correct", Expense, LINE | ALL, true, M, "correct the category, amount or VAT of approved expenses not yet paid, with a reason; never the owner";
    ExpenseReimburse => "expense.reimburse", Expense, UNSCOPED, true, M, "process reimbursements of approved out-of-pocket expenses";
    ReportCreate => "report.create", Report, UNSCOPED, true, M, "create expense reports grouping one's expenses";
    ReportView => "report.view", Report, OWN | LINE | ALL, false, M, "view expense reports";
    ReportSubmit => "report.submit", Report, OWN, true, M, "submit one's own expense reports";
    ReportApprove => "report.approve", Report, LINE | ALL, true, M, "approve or reject submitted expense reports of others";
    AdvanceRequest => "advance.request", Advance, UNSCOPED, true, M, "request cash advances for upcoming costs";
    AdvanceView => "advance.view", Advance, OWN | LINE | ALL, false, M, "view cash advances";
    AdvanceApprove => "advance.approve", Advance, LINE | ALL, true, M, "approve or reject cash advance requests";
    AdvanceDisburse => "advance.disburse", Advance, UNSCOPED, true, M, "disburse and settle approved cash advances";
    TripCreate => "trip.create", Trip, UNSCOPED, true, M, "create trips to organise travel costs";
    TripView => "trip.view", Trip, OWN | LINE | ALL, false, M, "view trips";
    TripApprove => "trip.approve", Trip, LINE | ALL, true, M, "approve or reject trip requests";
    CardView => "card.view", Card, OWN | LINE | ALL, false, M, "view cards";
    CardRequest => "card.request", Card, UNSCOPED, true, M, "request a new card or a limit change for oneself";
    CardRequestApprove => "card.request_approve", Card, LINE | ALL, true, M, "approve or decline requests for new cards and limit changes";
    CardIssue => "card.issue", Card, LINE | ALL, true, M, "issue new cards and freeze or cancel cards";
    CardLimits => "card.limits", Card, LINE | ALL, true, M, "change card spending limits";
    TransactionView => "transaction.view", Transaction, OWN | LINE | ALL, false, M, "view card transactions";
    TransactionReview => "transaction.review", Transaction, LINE | ALL, true, M, "review card transactions and prepare them for accounting";
    InvoiceView => "invoice.view", Invoice, UNSCOPED, false, C, "view supplier invoices and bills";
    InvoicePay => "invoice.pay", Invoice, UNSCOPED, true, C, "pay supplier invoices and bills";
    TransferRequest => "transfer.request", Transfer, UNSCOPED, true, M, "request a bank transfer for approval";
    TransferApprove => "transfer.approve", Transfer, LINE | ALL, true, M, "approve or decline transfer and reimbursement requests";
    PaymentView => "payment.view", Payment, OWN | LINE | ALL, false, M, "view payments to workers";
    PaymentInitiate => "payment.initiate", Payment, LINE | ALL, true, M, "initiate payments to workers";
    PaymentApprove => "payment.approve", Payment, LINE | ALL, true, M, "approve payments to workers";
    PaymentRequest => "payment.request", Payment, LINE | ALL, true, M, "prepare payment requests for others to approve";
    PayrollView => "payroll.view", Payroll, UNSCOPED, false, C, "view payroll runs and compensation";
    PayrollRun => "payroll.run", Payroll, UNSCOPED, true, C, "run payroll";
    WalletView => "wallet.view", Wallet, UNSCOPED, false, C, "view the company wallet and its balance";
    WalletTopUp => "wallet.top_up", Wallet, UNSCOPED, true, C, "top up the company wallet";
    WalletMove => "wallet.move_funds", Wallet, UNSCOPED, true, C, "move funds through the company wallet";
    TimeOffApprove => "time_off.approve", TimeOff, LINE | ALL, true, M, "approve or decline time off requests";
    MemberView => "member.view", Member, OWN | LINE | ALL, false, M, "view member profiles and their roles";
    MemberInvite => "member.invite", Member, UNSCOPED, true, M, "invite new members to the company";
    MemberArchive => "member.archive", Member, UNSCOPED, true, M, "archive members: revoke their access, keep their history";
    MemberManage => "member.manage", Member, UNSCOPED, true, M, "change members' managers and profiles";
    RoleView => "role.view", Role, UNSCOPED, false, M, "view roles, grants and anyone's effective permissions";
    RoleAssign => "role.assign", Role, UNSCOPED, true, M, "grant and revoke the roles one's own role lists as assignable";
    RoleManage => "role.manage", Role, UNSCOPED, true, C, "define custom roles from the catalog";
    TeamView => "team.view", Team, UNSCOPED, false, M, "view teams and who belongs to them";
    TeamManage => "team.manage", Team, UNSCOPED, true, C, "create teams and change their members";
    DelegationManage => "delegation.manage", Delegation, OWN | LINE | ALL, true, M, "delegate one's approvals while away, or end others' delegations";
    SettingsView => "settings.view", Settings, UNSCOPED, false, C, "view company settings";
    SettingsManage => "settings.manage", Settings, UNSCOPED, true, C, "change company settings: name, bank connections, addresses";
    RateManage => "rate.manage", Rate, UNSCOPED, true, C, "set currencies, exchange rates and mileage rates";
    ModuleManage => "module.manage", Module, UNSCOPED, true, C, "switch features on or off (card requests, teams, receipt management)";
    IntegrationManage => "integration.manage", Integration, UNSCOPED, true, C, "connect and disconnect accounting, HR and other integrations";
    SsoManage => "sso.manage", Sso, UNSCOPED, true, C, "configure single sign-on and verify the company domain";
    SandboxManage => "sandbox.manage", Sandbox, UNSCOPED, true, C, "create and manage sandboxes";
    PolicyView => "policy.view", Policy, UNSCOPED, false, C, "view expense policies and approval workflows";
    PolicyManage => "policy.manage", Policy, UNSCOPED, true, C, "create and edit expense policies and approval workflows";
    CategoryManage => "category.manage", Category, UNSCOPED, true, C, "create, edit and archive the company's expense categories, their limits and receipt rules";
    AccountingView => "accounting.view", Accounting, UNSCOPED, false, C, "view accounting settings (accounts, VAT rates, cost centers)";
    AccountingManage => "accounting.manage", Accounting, UNSCOPED, true, C, "change accounting settings (G/L accounts, VAT rates, suppliers, cost centers)";
    ExportCreate => "export.create", Export, UNSCOPED, false, C, "export accounting entries and data the member may view";
    AnalyticsView => "analytics.view", Analytics, OWN | LINE | ALL, false, M, "view spending dashboards and reports";
    AuditView => "audit.view", Audit, UNSCOPED, false, C, "read the audit log";
    ApiKeyManage => "api_key.manage", ApiKey, UNSCOPED, true, C, "create and revoke API keys and OAuth applications";
    BillingManage => "billing.manage", Billing, UNSCOPED, true, C, "manage subscription, invoices and billing account";
    AccountClose => "account.close", Account, UNSCOPED, true, C, "close the company account";
}

/// How many actions the catalog has; the bit set is sized from it.
pub const ACTION_COUNT: usize = ACTIONS.len();
/// Four bits per action (own, direct, team, all), in 64-bit words.
const WORDS: usize = (ACTION_COUNT * 4).div_ceil(64);
/// Bits of a [`PermSet`].
pub(crate) const BITS: usize = WORDS * 64;

impl Action {
    #[inline]
    pub fn info(self) -> &'static ActionInfo {
        &ACTIONS[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// Whether performing it may change who may do what ([`Resource::changes_access`]).
    pub fn changes_access(self) -> bool {
        self.info().mutates && self.info().resource.changes_access()
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

    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|a| a.action)
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

    /// Each action owns four bits (own, direct, team, all); an unscoped one uses its `all` bit.
    const fn bit(self) -> usize {
        let scope = match self.scope {
            Some(s) => s as usize,
            None => Scope::All as usize,
        };
        (self.action as usize) * 4 + scope
    }

    /// The widest scope this permission reaches; unscoped permissions count as `all`.
    pub fn reach(self) -> Scope {
        self.scope.unwrap_or(Scope::All)
    }

    pub fn key(self) -> String {
        self.to_string()
    }

    /// Parses `expense.view.team` or `member.invite`; rejects scopes the action lacks.
    pub fn parse(key: &str) -> Option<Permission> {
        if let Some(action) = Action::from_key(key) {
            return (!action.is_scoped()).then_some(Permission::unscoped(action));
        }
        let (base, scope) = key.rsplit_once('.')?;
        let scope = Scope::parse(scope)?;
        Action::from_key(base)?
            .at(scope)
            .filter(|p| p.scope.is_some())
    }

    pub fn info(self) -> &'static ActionInfo {
        self.action.info()
    }

    /// The permission a bit of a [`PermSet`] stands for.
    pub(crate) fn from_bit(bit: usize) -> Permission {
        let action = ACTIONS[bit / 4].action;
        let scope = if action.is_scoped() {
            Some(Scope::ALL[bit % 4])
        } else {
            None
        };
        Permission { action, scope }
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
    pub company_level: bool,
    pub description: String,
}

/// Every permission of the catalog, in catalog order.
pub fn all_permissions() -> impl Iterator<Item = Permission> {
    ACTIONS.iter().flat_map(|info| {
        let action = info.action;
        let unscoped = (!action.is_scoped()).then_some(Permission::unscoped(action));
        action
            .scopes()
            .map(move |s| Permission::scoped(action, s))
            .chain(unscoped)
    })
}

/// The catalog as served by the API, each permission with its description.
pub fn catalog() -> Vec<PermissionInfo> {
    all_permissions()
        .map(|p| {
            let info = p.info();
            let description = match p.scope {
                Some(Scope::Own) => format!("{} (one's own)", info.description),
                Some(Scope::Direct) => {
                    format!("{} (one's own and one's direct reports')", info.description)
                }
                Some(Scope::Team) => format!(
                    "{} (one's own, one's reporting line's and bound teams')",
                    info.description
                ),
                Some(Scope::All) => format!("{} (everyone's in the company)", info.description),
                None => info.description.to_string(),
            };
            PermissionInfo {
                key: p.key(),
                resource: info.resource,
                action: info.key,
                scope: p.scope,
                mutates: info.mutates,
                company_level: info.company_level,
                description,
            }
        })
        .collect()
}

/// A set of permissions as a bit set sized from the catalog: union is a few word ORs, and a
/// check reads one word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PermSet([u64; WORDS]);

impl PermSet {
    pub const EMPTY: PermSet = PermSet([0; WORDS]);

    pub const fn of(perms: &[Permission]) -> PermSet {
        let mut bits = [0u64; WORDS];
        let mut i = 0;
        while i < perms.len() {
            let b = perms[i].bit();
            bits[b / 64] |= 1u64 << (b % 64);
            i += 1;
        }
        PermSet(bits)
    }

    /// Every permission in the catalog.
    pub fn everything() -> PermSet {
        let mut set = PermSet::EMPTY;
        for p in all_permissions() {
            set.insert(p);
        }
        set
    }

    /// Parses catalog keys; unknown keys are returned as the error.
    pub fn parse<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<PermSet, &'a str> {
        let mut set = PermSet::EMPTY;
        for k in keys {
            set.insert(Permission::parse(k).ok_or(k)?);
        }
        Ok(set)
    }

    pub const fn union(self, other: PermSet) -> PermSet {
        let mut out = self.0;
        let mut i = 0;
        while i < WORDS {
            out[i] |= other.0[i];
            i += 1;
        }
        PermSet(out)
    }

    pub const fn minus(self, other: PermSet) -> PermSet {
        let mut out = self.0;
        let mut i = 0;
        while i < WORDS {
            out[i] &= !other.0[i];
            i += 1;
        }
        PermSet(out)
    }

    pub const fn intersect(self, other: PermSet) -> PermSet {
        let mut out = self.0;
        let mut i = 0;
        while i < WORDS {
            out[i] &= other.0[i];
            i += 1;
        }
        PermSet(out)
    }

    pub fn is_empty(self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn insert(&mut self, p: Permission) {
        let b = p.bit();
        self.0[b / 64] |= 1u64 << (b % 64);
    }

    pub fn contains(self, p: Permission) -> bool {
        let b = p.bit();
        self.0[b / 64] & (1u64 << (b % 64)) != 0
    }

    /// The four scope bits of `action` (own, direct, team, all from the lowest).
    #[inline]
    fn nibble(self, action: Action) -> u64 {
        let b = (action as usize) * 4;
        (self.0[b / 64] >> (b % 64)) & 0b1111
    }

    /// The widest scope at which `action` is held, if at all (`all` for unscoped actions).
    #[inline]
    pub fn reach(self, action: Action) -> Option<Scope> {
        let bits = self.nibble(action);
        if bits == 0 {
            None
        } else {
            Some(match 63 - bits.leading_zeros() {
                0 => Scope::Own,
                1 => Scope::Direct,
                2 => Scope::Team,
                _ => Scope::All,
            })
        }
    }

    /// Whether `action` is held at exactly `scope` (not merely a wider one).
    #[inline]
    pub fn holds_at(self, action: Action, scope: Scope) -> bool {
        self.nibble(action) & (1 << scope as u64) != 0
    }

    /// The same set without any permission of these actions.
    pub fn without_actions(self, actions: impl IntoIterator<Item = Action>) -> PermSet {
        let mut out = self;
        for a in actions {
            let b = (a as usize) * 4;
            out.0[b / 64] &= !(0b1111u64 << (b % 64));
        }
        out
    }

    /// The permissions held, in catalog order, by scanning the set bits.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        self.bits().map(Permission::from_bit)
    }

    /// Positions of the set bits, lowest first.
    pub(crate) fn bits(self) -> impl Iterator<Item = usize> {
        self.0.into_iter().enumerate().flat_map(|(w, mut word)| {
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let b = word.trailing_zeros() as usize;
                    word &= word - 1;
                    w * 64 + b
                })
            })
        })
    }

    /// Whether bit `bit` (as [`PermSet::bits`] yields it) is set.
    #[inline]
    pub(crate) fn has_bit(self, bit: usize) -> bool {
        self.0[bit / 64] & (1u64 << (bit % 64)) != 0
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
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actions_that_change_access_are_those_of_people_roles_and_the_company() {
        let changing: Vec<&str> = Action::all()
            .filter(|a| a.changes_access())
            .map(Action::key)
            .collect();
        assert_eq!(
            changing,
            [
                "member.invite",
                "member.archive",
                "member.manage",
                "role.assign",
                "role.manage",
                "team.manage",
                "delegation.manage",
                "settings.manage",
                "rate.manage",
                "module.manage",
                "integration.manage",
                "sso.manage",
                "sandbox.manage",
                "policy.manage",
                "accounting.manage",
                "api_key.manage",
                "billing.manage",
                "account.close",
            ]
        );
        // Spending records change data only, whatever is done to them.
        for a in Action::all() {
            if a.info().resource == Resource::Expense {
                assert!(!a.changes_access(), "{}", a.key());
            }
        }
    }

    #[test]
    fn the_catalog_names_what_the_seeds_name() {
        for key in [
            "card.request",
            "card.request_approve.team",
            "transaction.view.own",
            "transaction.review.all",
            "invoice.view",
            "invoice.pay",
            "transfer.request",
            "transfer.approve.team",
            "payment.initiate.direct",
            "payment.approve.direct",
            "payroll.run",
            "wallet.view",
            "wallet.top_up",
            "wallet.move_funds",
            "rate.manage",
            "module.manage",
            "integration.manage",
            "sso.manage",
            "sandbox.manage",
            "delegation.manage.own",
            "expense.override",
            "expense.correct.all",
            "account.close",
        ] {
            assert!(Permission::parse(key).is_some(), "{key} is missing");
        }
        const {
            assert!(
                ACTION_COUNT * 4 > 128,
                "the catalog outgrew the old 128-bit set"
            )
        };
    }

    #[test]
    fn actions_are_listed_in_enum_order() {
        for (i, info) in ACTIONS.iter().enumerate() {
            assert_eq!(info.action as usize, i, "{} out of order", info.key);
        }
    }

    #[test]
    fn every_permission_round_trips_through_its_key_and_its_bit() {
        let all: Vec<Permission> = all_permissions().collect();
        for p in &all {
            assert_eq!(Permission::parse(&p.key()), Some(*p), "{p}");
            let one = PermSet::of(&[*p]);
            assert_eq!(one.len(), 1);
            assert_eq!(one.iter().collect::<Vec<_>>(), vec![*p]);
        }
        assert_eq!(PermSet::everything().len(), all.len());
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
            Permission::scoped(Action::ExpenseView, Scope::Direct),
        ]);
        assert_eq!(set.reach(Action::ExpenseView), Some(Scope::Direct));
        assert!(set.holds_at(Action::ExpenseView, Scope::Own));
        assert!(!set.holds_at(Action::ExpenseView, Scope::Team));
        assert_eq!(set.reach(Action::ExpenseEdit), None);
        let last = PermSet::of(&[Permission::unscoped(Action::AccountClose)]);
        assert_eq!(last.reach(Action::AccountClose), Some(Scope::All));
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
    fn company_level_actions_are_unscoped() {
        for a in ACTIONS.iter().filter(|a| a.company_level) {
            assert!(
                !a.action.is_scoped(),
                "{} is company-level yet scoped",
                a.key
            );
        }
    }
}
