//! Roles: named sets of permissions. The built-in roles cover the role models of the five
//! seed products (Pleo, Eloope, Pliant, Qonto, Plane); companies add custom roles on top.

use crate::catalog::{Action, Action::*, PermSet, Permission, Scope};
use std::sync::Arc;

/// Whether a grant of the role names a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamBinding {
    /// Never bound to a team (owner, admin: company-wide by nature).
    Never,
    /// May be bound; a bound grant's `all` permissions narrow to that team.
    Optional,
    /// Always bound to one team (Pliant's team manager).
    Required,
}

/// A role: built-in (static) or defined by a company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub key: Arc<str>,
    pub name: String,
    pub description: String,
    pub permissions: PermSet,
    /// Read-only roles never hold a permission that changes data (auditor, viewer).
    pub read_only: bool,
    pub builtin: bool,
    pub team_binding: TeamBinding,
}

impl Role {
    pub fn is_owner(&self) -> bool {
        self.builtin && &*self.key == OWNER
    }

    pub fn is_admin(&self) -> bool {
        self.builtin && &*self.key == ADMIN
    }

    /// Only owners grant or revoke these roles: owner, admin, and every custom role holding
    /// a permission that among the built-ins only owners and admins hold, so an admin cannot
    /// mint an admin under another name.
    pub fn is_owner_controlled(&self) -> bool {
        self.is_owner()
            || self.is_admin()
            || (!self.builtin && !self.permissions.intersect(admin_grade()).is_empty())
    }
}

pub const OWNER: &str = "owner";
pub const ADMIN: &str = "admin";
pub const EMPLOYEE: &str = "employee";
pub const TEAM_MANAGER: &str = "team_manager";

/// A built-in role as written in this file.
pub struct BuiltinRole {
    pub key: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub permissions: PermSet,
    pub read_only: bool,
    pub team_binding: TeamBinding,
}

const fn own(a: Action) -> Permission {
    Permission::scoped(a, Scope::Own)
}
const fn team(a: Action) -> Permission {
    Permission::scoped(a, Scope::Team)
}
const fn all(a: Action) -> Permission {
    Permission::scoped(a, Scope::All)
}
const fn un(a: Action) -> Permission {
    Permission::unscoped(a)
}

const EMPLOYEE_PERMS: PermSet = PermSet::of(&[
    un(ExpenseCreate),
    own(ExpenseView),
    own(ExpenseEdit),
    own(ExpenseDelete),
    own(ExpenseSubmit),
    un(ReportCreate),
    own(ReportView),
    own(ReportSubmit),
    un(AdvanceRequest),
    own(AdvanceView),
    un(TripCreate),
    own(TripView),
    own(CardView),
    own(MemberView),
    own(AnalyticsView),
]);

const MANAGER_PERMS: PermSet = EMPLOYEE_PERMS.union(PermSet::of(&[
    team(ExpenseView),
    team(ExpenseApprove),
    team(ReportView),
    team(ReportApprove),
    team(AdvanceView),
    team(AdvanceApprove),
    team(TripView),
    team(TripApprove),
    team(CardView),
    team(MemberView),
    team(AnalyticsView),
    un(TeamView),
]));

const TEAM_MANAGER_PERMS: PermSet = PermSet::of(&[
    team(ExpenseView),
    team(CardView),
    team(CardIssue),
    team(CardLimits),
    team(MemberView),
    un(TeamView),
]);

const VIEW_ALL: PermSet = PermSet::of(&[
    all(ExpenseView),
    all(ReportView),
    all(AdvanceView),
    all(TripView),
    all(CardView),
    all(MemberView),
    all(AnalyticsView),
    un(TeamView),
]);

const FINANCE_PERMS: PermSet = EMPLOYEE_PERMS.union(VIEW_ALL).union(PermSet::of(&[
    all(ExpenseApprove),
    un(ExpenseReimburse),
    all(ReportApprove),
    all(AdvanceApprove),
    un(AdvanceDisburse),
    un(RoleView),
    un(SettingsView),
    un(PolicyView),
    un(AccountingView),
    un(ExportCreate),
]));

const ACCOUNTANT_PERMS: PermSet = PermSet::of(&[
    all(ExpenseView),
    all(ExpenseEdit),
    un(ExpenseReimburse),
    all(ReportView),
    all(AdvanceView),
    all(CardView),
    all(MemberView),
    un(TeamView),
    un(AccountingView),
    un(AccountingManage),
    un(ExportCreate),
    un(SettingsView),
    un(PolicyView),
]);

const ACCOUNTANT_EXTENDED_PERMS: PermSet = ACCOUNTANT_PERMS.union(PermSet::of(&[
    un(MemberInvite),
    un(RoleView),
    un(RoleAssign),
    all(CardIssue),
    all(CardLimits),
]));

const REVIEWER_PERMS: PermSet = PermSet::of(&[
    all(ExpenseView),
    all(ExpenseApprove),
    all(ReportView),
    all(ReportApprove),
    un(PolicyView),
]);

const AUDITOR_PERMS: PermSet = VIEW_ALL.union(PermSet::of(&[
    un(AuditView),
    un(RoleView),
    un(SettingsView),
    un(PolicyView),
    un(AccountingView),
    un(ExportCreate),
]));

const VIEWER_PERMS: PermSet = VIEW_ALL.union(PermSet::of(&[un(SettingsView), un(PolicyView)]));

const OWNER_ONLY: PermSet = PermSet::of(&[un(AccountClose)]);

/// Every permission in the catalog, computed once.
fn everything() -> PermSet {
    let mut set = PermSet::EMPTY;
    for p in crate::catalog::all_permissions() {
        set.insert(p);
    }
    set
}

/// Built-in roles. Owner and admin take their permissions from the whole catalog.
pub static BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        key: OWNER,
        name: "Owner",
        aliases: &["account_holder"],
        description: "Full control, including who becomes owner or admin and closing the account.",
        permissions: PermSet::EMPTY, // filled from the catalog by `builtin`
        read_only: false,
        team_binding: TeamBinding::Never,
    },
    BuiltinRole {
        key: ADMIN,
        name: "Admin",
        aliases: &["administrator"],
        description: "Full access to features and data; grants every role except owner and admin.",
        permissions: PermSet::EMPTY, // every permission but the owner-only ones
        read_only: false,
        team_binding: TeamBinding::Never,
    },
    BuiltinRole {
        key: "manager",
        name: "Manager",
        aliases: &["approver"],
        description: "An employee who also sees and approves the spending of their reports and bound teams.",
        permissions: MANAGER_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: TEAM_MANAGER,
        name: "Team manager",
        aliases: &[],
        description: "Bound to one team: sees its members and spending, issues its cards within limits.",
        permissions: TEAM_MANAGER_PERMS,
        read_only: false,
        team_binding: TeamBinding::Required,
    },
    BuiltinRole {
        key: EMPLOYEE,
        name: "Employee",
        aliases: &["cardholder", "worker"],
        description: "Submits and manages their own expenses, reports, advances, trips and cards.",
        permissions: EMPLOYEE_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "finance",
        name: "Finance",
        aliases: &[],
        description: "Sees all spending, has final approval authority, reimburses and exports; no user management.",
        permissions: FINANCE_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "accountant",
        name: "Accountant (limited)",
        aliases: &["bookkeeper"],
        description: "Bookkeeping: sees and corrects expense details, manages accounting settings, exports, reimburses.",
        permissions: ACCOUNTANT_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "accountant_extended",
        name: "Accountant (extended)",
        aliases: &["bookkeeper_extended"],
        description: "Limited accountant plus inviting members, assigning roles within their own, cards and limits.",
        permissions: ACCOUNTANT_EXTENDED_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "expense_reviewer",
        name: "Expense reviewer",
        aliases: &["reviewer"],
        description: "Reviews submitted expenses and reports and approves or rejects them.",
        permissions: REVIEWER_PERMS,
        read_only: false,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "auditor",
        name: "Auditor",
        aliases: &[],
        description: "Read-only access to everything including the audit log; changes nothing.",
        permissions: AUDITOR_PERMS,
        read_only: true,
        team_binding: TeamBinding::Optional,
    },
    BuiltinRole {
        key: "viewer",
        name: "Viewer",
        aliases: &[],
        description: "Read-only access to company data and reports; changes nothing.",
        permissions: VIEWER_PERMS,
        read_only: true,
        team_binding: TeamBinding::Optional,
    },
];

/// The built-in role with this key or alias, with its full permission set.
pub fn builtin(key: &str) -> Option<Role> {
    let def = BUILTIN_ROLES
        .iter()
        .find(|r| r.key == key || r.aliases.contains(&key))?;
    let permissions = match def.key {
        OWNER => everything(),
        ADMIN => everything().minus(OWNER_ONLY),
        _ => def.permissions,
    };
    Some(Role {
        key: Arc::from(def.key),
        name: def.name.to_string(),
        description: def.description.to_string(),
        permissions,
        read_only: def.read_only,
        builtin: true,
        team_binding: def.team_binding,
    })
}

/// The permissions that, among the built-in roles, only owner and admin hold: what makes
/// an admin an admin (managing roles, settings, api keys, ...).
pub fn admin_grade() -> PermSet {
    let others = BUILTIN_ROLES
        .iter()
        .filter(|r| r.key != OWNER && r.key != ADMIN)
        .fold(PermSet::EMPTY, |acc, r| acc.union(r.permissions));
    everything().minus(OWNER_ONLY).minus(others)
}

/// All built-in roles, resolved.
pub fn builtins() -> Vec<Role> {
    BUILTIN_ROLES
        .iter()
        .filter_map(|r| builtin(r.key))
        .collect()
}

/// The roles a company can grant: built-ins plus its custom roles.
#[derive(Clone, Debug, Default)]
pub struct RoleBook {
    custom: Vec<Role>,
}

impl RoleBook {
    pub fn new(custom: Vec<Role>) -> RoleBook {
        RoleBook { custom }
    }

    pub fn get(&self, key: &str) -> Option<Role> {
        builtin(key).or_else(|| self.custom.iter().find(|r| &*r.key == key).cloned())
    }

    pub fn all(&self) -> Vec<Role> {
        let mut roles = builtins();
        roles.extend(self.custom.iter().cloned());
        roles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_roles_hold_no_mutating_permission() {
        for role in builtins().into_iter().filter(|r| r.read_only) {
            for p in role.permissions.iter() {
                assert!(!p.info().mutates, "{} holds {p}", role.key);
            }
        }
    }

    #[test]
    fn auditor_cannot_create_expenses_but_sees_everything() {
        let auditor = builtin("auditor")
            .map(|r| r.permissions)
            .unwrap_or_default();
        assert_eq!(auditor.reach(ExpenseCreate), None);
        assert_eq!(auditor.reach(ExpenseView), Some(Scope::All));
        assert_eq!(auditor.reach(AuditView), Some(Scope::All));
    }

    #[test]
    fn owner_holds_every_permission_and_admin_all_but_closing_the_account() {
        let owner = builtin(OWNER).map(|r| r.permissions).unwrap_or_default();
        let admin = builtin(ADMIN).map(|r| r.permissions).unwrap_or_default();
        assert_eq!(owner.len(), crate::catalog::all_permissions().count());
        assert!(admin.within(owner));
        assert_eq!(admin.reach(AccountClose), None);
        assert_eq!(owner.reach(AccountClose), Some(Scope::All));
    }

    #[test]
    fn every_builtin_role_is_within_admin_except_owner() {
        let admin = builtin(ADMIN).map(|r| r.permissions).unwrap_or_default();
        for role in builtins().into_iter().filter(|r| !r.is_owner()) {
            assert!(role.permissions.within(admin), "{}", role.key);
        }
    }

    #[test]
    fn aliases_resolve_to_their_role() {
        for (alias, key) in [
            ("cardholder", EMPLOYEE),
            ("worker", EMPLOYEE),
            ("account_holder", OWNER),
            ("bookkeeper", "accountant"),
        ] {
            assert_eq!(
                builtin(alias).map(|r| r.key.to_string()),
                Some(key.to_string())
            );
        }
    }

    #[test]
    fn the_eloope_comparison_table_holds() {
        let get = |k: &str| builtin(k).map(|r| r.permissions).unwrap_or_default();
        let (employee, manager, finance, auditor, admin) = (
            get(EMPLOYEE),
            get("manager"),
            get("finance"),
            get("auditor"),
            get(ADMIN),
        );
        // submit own expenses: all but auditor
        for (set, yes) in [
            (employee, true),
            (manager, true),
            (finance, true),
            (auditor, false),
            (admin, true),
        ] {
            assert_eq!(set.reach(ExpenseCreate).is_some(), yes);
        }
        // view all expenses: finance, auditor, admin
        for (set, yes) in [
            (employee, false),
            (manager, false),
            (finance, true),
            (auditor, true),
            (admin, true),
        ] {
            assert_eq!(set.reach(ExpenseView) == Some(Scope::All), yes);
        }
        // approve team: manager, finance, admin
        for (set, yes) in [
            (employee, false),
            (manager, true),
            (finance, true),
            (auditor, false),
            (admin, true),
        ] {
            assert_eq!(set.reach(ExpenseApprove).is_some(), yes);
        }
        // manage users: admin only
        for (set, yes) in [
            (employee, false),
            (manager, false),
            (finance, false),
            (auditor, false),
            (admin, true),
        ] {
            assert_eq!(set.reach(MemberInvite).is_some(), yes);
        }
    }
}
