//! Role-model presets: one per seed product (Pleo, Eloope, Pliant, Qonto, Plane) plus
//! Outlay's own. A company is created with one; it fixes the built-in roles (keys, names,
//! permissions, who assigns whom), the base role every member holds, the top role the company
//! must always keep, and the manager scope. Role permissions are written as catalog keys so
//! each list reads like the seed's own sentences; a test proves every key exists.
//!
//! Dependencies go one way: this module builds on `role.rs` (roles, and the shape of a
//! resolved preset) and `role.rs` never reads this one.

use crate::catalog::PermSet;
use crate::role::{Assignable, Role, TeamBinding};
// The type lives with the role model; presets are its values. Re-exported so a preset is
// still `preset::Preset` to callers.
pub use crate::role::Preset;
use std::sync::{Arc, LazyLock};

/// How a built-in role's permissions are written.
enum Perms {
    /// The union of these lists of catalog keys.
    Keys(&'static [&'static [&'static str]]),
    /// Every permission of the catalog except these keys.
    AllBut(&'static [&'static str]),
}

/// What a role of "every permission but" still leaves out. Submitting a direct report's
/// expense is an assistant's verb (Plane's payment request assistant prepares drafts); a top
/// role reaching everyone would hold it at `direct` only, and no seed has one submit others'
/// expenses.
const ASSISTANTS_ONLY: &[&str] = &["expense.submit.direct"];

/// Who a built-in role's holders may assign.
enum Assigns {
    Any,
    Roles(&'static [&'static str]),
}

struct RoleDef {
    key: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    description: &'static str,
    perms: Perms,
    read_only: bool,
    binding: TeamBinding,
    assigns: Assigns,
}

struct PresetDef {
    key: &'static str,
    name: &'static str,
    seed: &'static str,
    description: &'static str,
    roles: &'static [RoleDef],
    base: Option<&'static str>,
    top: &'static str,
    /// Roles only the top role's holders grant or revoke.
    top_controlled: &'static [&'static str],
    manager_scope: &'static str,
    rules: &'static [&'static str],
    /// The top role has exactly one holder.
    single_top: bool,
}

// Shared lists of the seeds' vocabulary.
const OWN_SPENDING: &[&str] = &[
    "expense.create",
    "expense.view.own",
    "expense.edit.own",
    "expense.delete.own",
    "expense.submit.own",
    "report.create",
    "report.view.own",
    "report.submit.own",
    "advance.request",
    "advance.view.own",
    "trip.create",
    "trip.view.own",
    "member.view.own",
    "analytics.view.own",
    "delegation.manage.own",
];
const OWN_CARDS: &[&str] = &["card.view.own", "card.request", "transaction.view.own"];
const VIEW_ALL: &[&str] = &[
    "expense.view.all",
    "report.view.all",
    "advance.view.all",
    "trip.view.all",
    "card.view.all",
    "transaction.view.all",
    "payment.view.all",
    "member.view.all",
    "analytics.view.all",
    "team.view",
];
const LINE_VIEWS: &[&str] = &[
    "expense.view.team",
    "report.view.team",
    "advance.view.team",
    "trip.view.team",
    "member.view.team",
    "analytics.view.team",
    "team.view",
];
const LINE_APPROVALS: &[&str] = &[
    "expense.approve.team",
    "report.approve.team",
    "advance.approve.team",
    "trip.approve.team",
    "delegation.manage.own",
];
const BOOKKEEPING: &[&str] = &[
    "expense.view.all",
    "expense.edit.all",
    "expense.correct.all",
    "expense.reimburse",
    "report.view.all",
    "advance.view.all",
    "card.view.all",
    "transaction.view.all",
    "transaction.review.all",
    "member.view.all",
    "team.view",
    "invoice.view",
    "accounting.view",
    "accounting.manage",
    "export.create",
    "settings.view",
    "policy.view",
    "category.manage",
];
const AUDIT: &[&str] = &[
    "audit.view",
    "role.view",
    "settings.view",
    "policy.view",
    "accounting.view",
    "invoice.view",
    "wallet.view",
    "export.create",
];
const TEAM_CARDS: &[&str] = &[
    "member.view.team",
    "card.view.team",
    "card.issue.team",
    "card.limits.team",
    "card.request_approve.team",
    "transaction.view.team",
    "team.view",
];

const fn role(
    key: &'static str,
    name: &'static str,
    description: &'static str,
    perms: Perms,
    binding: TeamBinding,
    assigns: Assigns,
) -> RoleDef {
    RoleDef {
        key,
        name,
        aliases: &[],
        description,
        perms,
        read_only: false,
        binding,
        assigns,
    }
}

const NONE: Assigns = Assigns::Roles(&[]);
use TeamBinding::{Never, Optional, Required};

static OUTLAY: PresetDef = PresetDef {
    key: "outlay",
    name: "Outlay",
    seed: "Outlay's own default",
    description: "Owners, admins, managers over their reporting line, finance, bookkeepers, reviewers, auditors and viewers: the union of the seeds' common ground.",
    base: None,
    top: "owner",
    top_controlled: &["owner", "admin"],
    manager_scope: "team",
    single_top: false,
    rules: &[
        "only owners grant or revoke owner and admin",
        "admins assign every other role",
        "the extended accountant assigns employee, expense_reviewer and accountant",
        "managers see and approve their whole reporting line",
    ],
    roles: &[
        RoleDef { aliases: &["account_holder"], ..role("owner", "Owner", "Full control, including who becomes owner or admin and closing the account.", Perms::AllBut(&[]), Never, Assigns::Any) },
        RoleDef { aliases: &["administrator"], ..role("admin", "Admin", "Full access to features and data; assigns every role except owner and admin.", Perms::AllBut(&["account.close"]), Never,
            Assigns::Roles(&["manager", "team_manager", "employee", "finance", "accountant", "accountant_extended", "expense_reviewer", "auditor", "viewer"])) },
        RoleDef { aliases: &["approver"], ..role("manager", "Manager", "An employee who also sees and approves the spending of their reporting line, or of a bound team.",
            Perms::Keys(&[OWN_SPENDING, OWN_CARDS, LINE_VIEWS, LINE_APPROVALS, &["card.view.team", "transaction.view.team", "time_off.approve.team"]]), Optional, NONE) },
        role("team_manager", "Team manager", "Bound to one team: sees its members and cards, issues its cards within caps.", Perms::Keys(&[TEAM_CARDS, &["expense.view.team"]]), Required, NONE),
        RoleDef { aliases: &["cardholder", "worker"], ..role("employee", "Employee", "Submits and manages their own expenses, reports, advances, trips and cards.", Perms::Keys(&[OWN_SPENDING, OWN_CARDS]), Optional, NONE) },
        role("finance", "Finance", "Sees all spending, has final approval authority and may override decisions, reimburses and exports; no user management.",
            Perms::Keys(&[OWN_SPENDING, OWN_CARDS, VIEW_ALL, &["expense.approve.all", "expense.override", "expense.correct.all", "expense.reimburse", "report.approve.all", "advance.approve.all", "advance.disburse", "role.view", "settings.view", "policy.view", "category.manage", "accounting.view", "export.create", "rate.manage", "invoice.view", "delegation.manage.own"]]), Optional, NONE),
        RoleDef { aliases: &["bookkeeper"], ..role("accountant", "Accountant (limited)", "Bookkeeping: sees and corrects expense details, manages accounting settings, exports, reimburses.", Perms::Keys(&[BOOKKEEPING]), Optional, NONE) },
        RoleDef { aliases: &["bookkeeper_extended"], ..role("accountant_extended", "Accountant (extended)", "Limited accountant plus inviting members, assigning employee, reviewer and accountant, cards and limits.",
            Perms::Keys(&[BOOKKEEPING, &["member.invite", "role.view", "role.assign", "card.issue.all", "card.limits.all", "card.request_approve.all"]]), Optional, Assigns::Roles(&["employee", "expense_reviewer", "accountant"])) },
        RoleDef { aliases: &["reviewer"], ..role("expense_reviewer", "Expense reviewer", "Reviews submitted expenses and reports and approves or rejects them.", Perms::Keys(&[&["expense.view.all", "expense.approve.all", "report.view.all", "report.approve.all", "policy.view"]]), Optional, NONE) },
        RoleDef { read_only: true, ..role("auditor", "Auditor", "Read-only access to everything including the audit log; changes nothing.", Perms::Keys(&[VIEW_ALL, AUDIT]), Optional, NONE) },
        RoleDef { read_only: true, ..role("viewer", "Viewer", "Read-only access to company data and reports; changes nothing.", Perms::Keys(&[VIEW_ALL, &["settings.view", "policy.view"]]), Optional, NONE) },
    ],
};

static PLEO: PresetDef = PresetDef {
    key: "pleo",
    name: "Pleo",
    seed: "pleo-employees-and-roles.txt",
    description: "Employees with cards, administrators with full control, expense reviewers, limited and extended bookkeepers (often external, never with cards) and finance oversight.",
    base: None,
    top: "admin",
    top_controlled: &["admin"],
    manager_scope: "all (reviewers review company-wide)",
    single_top: false,
    rules: &[
        "administrators have full control and grant access to bookkeepers and reviewers",
        "external bookkeepers are members of kind `external` and never hold cards",
        "the extended bookkeeper adds employees, assigns expense reviewers, sets spending limits and orders cards",
        "the limited bookkeeper views invoices but cannot pay them",
    ],
    roles: &[
        role("employee", "Employee", "Submits expenses and uses cards.", Perms::Keys(&[OWN_SPENDING, OWN_CARDS]), Optional, NONE),
        RoleDef { aliases: &["administrator"], ..role("admin", "Administrator", "Full platform control: employees and roles, wallets and cards, integrations and API keys, exports, subscription and invoices.", Perms::AllBut(&[]), Never, Assigns::Any) },
        role("expense_reviewer", "Expense reviewer", "Reviews submitted expenses and approves or rejects them, so they become accounting-ready.",
            Perms::Keys(&[&["expense.view.all", "expense.approve.all", "report.view.all", "report.approve.all", "policy.view"]]), Optional, NONE),
        role("bookkeeper_limited", "Bookkeeper (limited access)", "Views and modifies expense details, views invoices (cannot pay), modifies accounting settings, exports, reimburses, moves funds through the wallet.",
            Perms::Keys(&[BOOKKEEPING, &["wallet.view", "wallet.move_funds"]]), Optional, NONE),
        role("bookkeeper_extended", "Bookkeeper (extended access)", "Limited access plus adding employees and managing their roles, spending limits, ordering cards, assigning expense reviewers and wallet top-ups.",
            Perms::Keys(&[BOOKKEEPING, &["wallet.view", "wallet.move_funds", "wallet.top_up", "member.invite", "member.manage", "role.view", "role.assign", "card.limits.all", "card.issue.all"]]),
            Optional, Assigns::Roles(&["employee", "expense_reviewer", "bookkeeper_limited"])),
        RoleDef { read_only: true, ..role("finance", "Finance", "Financial oversight and reporting: sees all spending, analytics and the audit trail; changes nothing.", Perms::Keys(&[VIEW_ALL, AUDIT]), Optional, NONE) },
    ],
};

static ELOOPE: PresetDef = PresetDef {
    key: "eloope",
    name: "Eloope",
    seed: "eloope-user-roles.txt",
    description: "Five core roles and no base role: employees, managers over their team, finance (rates, reimbursements, overrides), read-only auditors and administrators.",
    base: None,
    top: "admin",
    top_controlled: &["admin"],
    manager_scope: "team",
    single_top: false,
    rules: &[
        "no base role: an auditor alone creates nothing",
        "managers see and approve their team, and delegate approvals while away",
        "finance sets currencies, FX and mileage rates, reimburses, overrides decisions; never manages users or policies",
        "role changes are requested with a reason and optional dates, and approved by whoever may assign the role",
    ],
    roles: &[
        role("employee", "Employee", "Creates, edits, deletes and submits their own expenses, reports, advances and trips; sees only their own.", Perms::Keys(&[OWN_SPENDING]), Optional, NONE),
        RoleDef { aliases: &["approver"], ..role("manager", "Manager/Approver", "Employee rights plus viewing and approving the team's expenses, reports, advances and trips; delegates approvals while away.",
            Perms::Keys(&[OWN_SPENDING, LINE_VIEWS, LINE_APPROVALS]), Optional, NONE) },
        role("finance", "Finance team", "Sees everything, approves and overrides, reimburses, disburses advances, sets currencies, FX and mileage rates, exports.",
            Perms::Keys(&[OWN_SPENDING, &["expense.view.all", "report.view.all", "advance.view.all", "trip.view.all", "analytics.view.all", "expense.approve.all", "report.approve.all", "advance.approve.all", "trip.approve.all", "expense.override", "expense.correct.all", "expense.reimburse", "advance.disburse", "rate.manage", "category.manage", "export.create", "settings.view", "policy.view", "delegation.manage.own"]]), Optional, NONE),
        RoleDef { read_only: true, ..role("auditor", "Auditor", "Read-only access to all expenses, reports and advances, the audit log and exports; creates nothing.",
            Perms::Keys(&[&["expense.view.all", "report.view.all", "advance.view.all", "trip.view.all", "analytics.view.all", "member.view.all", "team.view", "audit.view", "role.view", "settings.view", "policy.view", "export.create"]]), Optional, NONE) },
        RoleDef { aliases: &["administrator"], ..role("admin", "Administrator", "Complete access: users and roles, settings, policies and workflows, integrations, structure, audit trails.", Perms::AllBut(&[]), Never, Assigns::Any) },
    ],
};

static PLIANT: PresetDef = PresetDef {
    key: "pliant",
    name: "Pliant",
    seed: "pliant-member-roles.txt",
    description: "Owners, admins with switchable permission groups and card caps, accountants, auditors, team managers per team, and cardholder as every member's base role.",
    base: Some("cardholder"),
    top: "owner",
    top_controlled: &["owner", "admin", "auditor"],
    manager_scope: "bound teams only",
    single_top: false,
    rules: &[
        "cardholder is every member's base role: never assigned, never removed",
        "only owners assign or unassign owner and admin, and set admins' caps",
        "admins invite cardholders and accountants and assign team managers, not admins",
        "team managers are always bound to a team: its cards and transactions, within caps",
        "owners switch admin permission groups on or off; admins and owners decide whether an accountant may modify accounting settings",
    ],
    roles: &[
        role("owner", "Owner", "Full control without restriction, including owners, admins, billing and closing the account.", Perms::AllBut(&[]), Never, Assigns::Any),
        role("admin", "Admin", "Full access to the admin app, tailored by the owner: permission groups, the highest card limit, issuing cards to oneself.", Perms::AllBut(&["account.close"]), Never,
            Assigns::Roles(&["accountant", "team_manager"])),
        role("accountant", "Accountant", "Sets up accounting settings (if allowed) and prepares transactions for export; no members, no cards.",
            Perms::Keys(&[&["accounting.view", "accounting.manage", "category.manage", "export.create", "transaction.view.all", "transaction.review.all", "expense.view.all", "expense.correct.all", "invoice.view", "settings.view", "team.view"]]), Optional, NONE),
        RoleDef { read_only: true, ..role("auditor", "Auditor", "Comprehensive read-only access: transactions, accounting settings, card limits, member permissions.", Perms::Keys(&[VIEW_ALL, AUDIT]), Optional, NONE) },
        role("cardholder", "Cardholder", "Every member's base role: their own cards and transactions, receipts.", Perms::Keys(&[OWN_CARDS, &["expense.create", "expense.view.own", "expense.edit.own", "expense.submit.own", "member.view.own"]]), Optional, NONE),
        role("team_manager", "Team manager", "Always per team: the team's members, cards and transactions; issues cards and limits within caps, decides card requests.", Perms::Keys(&[TEAM_CARDS]), Required, NONE),
    ],
};

static QONTO: PresetDef = PresetDef {
    key: "qonto",
    name: "Qonto",
    seed: "qonto-roles.txt",
    description: "One account holder who alone closes the account, admins with the holder's other rights, basic and advanced managers at team or company level, employees and accountants.",
    base: None,
    top: "account_holder",
    top_controlled: &["account_holder"],
    manager_scope: "a bound team, or the whole company when unbound",
    single_top: true,
    rules: &[
        "exactly one account holder, the only one who may request the account's closure",
        "admins hold every other right of the account holder, including making admins",
        "managers act on one team (bound grant) or the whole company (unbound)",
        "reviews and approvals belong to the advanced manager only",
    ],
    roles: &[
        RoleDef { aliases: &["owner"], ..role("account_holder", "Account holder", "Accesses all sections and performs any action, including requesting the account's closure.", Perms::AllBut(&[]), Never, Assigns::Any) },
        role("admin", "Admin", "The account holder's rights, except requesting the account's closure.", Perms::AllBut(&["account.close"]), Never,
            Assigns::Roles(&["admin", "manager_basic", "manager_advanced", "employee", "accountant"])),
        role("manager_basic", "Manager (basic)", "Sees and manages the cards and transactions of a team or the whole company; no approvals.",
            Perms::Keys(&[OWN_CARDS, &["expense.create", "expense.view.own", "expense.submit.own", "transfer.request", "member.view.all", "expense.view.all", "card.view.all", "card.issue.all", "card.limits.all", "transaction.view.all", "team.view"]]), Optional, NONE),
        role("manager_advanced", "Manager (advanced)", "Basic manager plus every review and approval: expenses, transfers, card requests, transactions.",
            Perms::Keys(&[OWN_CARDS, &["expense.create", "expense.view.own", "expense.submit.own", "transfer.request", "member.view.all", "expense.view.all", "card.view.all", "card.issue.all", "card.limits.all", "transaction.view.all", "team.view", "expense.approve.all", "transfer.approve.all", "card.request_approve.all", "transaction.review.all"]]), Optional, NONE),
        role("employee", "Employee", "Their own transactions, receipts and invoices; a card if assigned; transfer requests.",
            Perms::Keys(&[OWN_CARDS, &["expense.create", "expense.view.own", "expense.edit.own", "expense.delete.own", "expense.submit.own", "transfer.request", "member.view.own"]]), Optional, NONE),
        role("accountant", "Accountant", "For the external accountant or CPA: reads every transaction and invoice, prepares the books, exports, requests transfers.",
            Perms::Keys(&[&["expense.view.all", "transaction.view.all", "card.view.all", "invoice.view", "accounting.view", "export.create", "transfer.request", "settings.view", "member.view.all", "team.view"]]), Optional, NONE),
    ],
};

static PLANE: PresetDef = PresetDef {
    key: "plane",
    name: "Plane",
    seed: "plane-roles.txt",
    description: "Admins (the account owner among them), managers over direct reports and their subtypes, viewers, accountants and workers who alone submit expense reports.",
    base: None,
    top: "admin",
    top_controlled: &["admin"],
    manager_scope: "direct",
    single_top: false,
    rules: &[
        "managers see and approve their direct reports only",
        "only workers submit expense reports",
        "admins make admins; every workspace keeps at least one admin",
        "the accountant sees reports and accounting, not workers",
        "the payment request assistant prepares and submits the drafts of their direct reports, or of a worker who delegates submitting to them, and never approves; creating expenses is the workers' own, so the assistant has none to submit",
    ],
    roles: &[
        role("admin", "Admin", "Full access: workers, payroll, payments, settings, API keys, sandboxes, SSO, all reports; does not submit expense reports.",
            Perms::AllBut(&["expense.create", "expense.submit.own", "report.create", "report.submit.own"]), Never, Assigns::Any),
        role("manager", "Manager", "Their direct reports: profiles, expense reports and time off, which they approve.",
            Perms::Keys(&[&["member.view.direct", "expense.view.direct", "report.view.direct", "expense.approve.direct", "report.approve.direct", "time_off.approve.direct", "delegation.manage.own"]]), Optional, NONE),
        role("full_access_manager", "Full access manager", "Broader visibility across all workers; approves for their reporting line.",
            Perms::Keys(&[&["member.view.all", "expense.view.all", "report.view.all", "payment.view.all", "expense.approve.team", "report.approve.team", "time_off.approve.team", "team.view", "delegation.manage.own"]]), Optional, NONE),
        role("direct_reports_payer", "Direct reports payer", "Initiates and approves payments for their direct reports.",
            Perms::Keys(&[&["member.view.direct", "payment.view.direct", "payment.initiate.direct", "payment.approve.direct"]]), Optional, NONE),
        role("payment_request_assistant", "Payment request assistant", "Prepares payment requests for their direct reports, and prepares and submits their expense drafts (or those of a worker who delegates submitting); creates no expense and never approves.",
            Perms::Keys(&[&["member.view.direct", "payment.view.direct", "payment.request.direct", "expense.view.direct", "expense.edit.direct", "expense.submit.direct"]]), Optional, NONE),
        RoleDef { read_only: true, ..role("viewer", "Viewer", "Read-only access to workspace data and reports.", Perms::Keys(&[&["member.view.all", "expense.view.all", "report.view.all", "payment.view.all", "analytics.view.all", "team.view", "settings.view"]]), Optional, NONE) },
        role("accountant", "Accountant", "Reports and accounting features for bookkeeping: GL exports; cannot see or manage workers, nor run payroll.",
            Perms::Keys(&[&["analytics.view.all", "accounting.view", "accounting.manage", "category.manage", "export.create", "invoice.view"]]), Optional, NONE),
        role("worker", "Worker", "Their own data only: submits expense reports, sees their own payments and documents.",
            Perms::Keys(&[&["expense.create", "expense.view.own", "expense.edit.own", "expense.delete.own", "expense.submit.own", "report.create", "report.view.own", "report.submit.own", "payment.view.own", "member.view.own", "delegation.manage.own"]]), Optional, NONE),
    ],
};

static DEFS: [&PresetDef; 6] = [&OUTLAY, &PLEO, &ELOOPE, &PLIANT, &QONTO, &PLANE];

fn resolve(def: &'static PresetDef) -> Preset {
    let roles = def
        .roles
        .iter()
        .map(|r| {
            let permissions = match r.perms {
                Perms::Keys(lists) => PermSet::parse(lists.iter().flat_map(|l| l.iter().copied())),
                Perms::AllBut(except) => {
                    PermSet::parse(except.iter().chain(ASSISTANTS_ONLY).copied())
                        .map(|except| PermSet::everything().minus(except))
                }
            }
            // A typo yields an empty role; `every_key_of_every_preset_is_in_the_catalog` fails.
            .unwrap_or(PermSet::EMPTY);
            Role {
                key: Arc::from(r.key),
                name: r.name.to_string(),
                description: r.description.to_string(),
                permissions,
                read_only: r.read_only,
                builtin: true,
                team_binding: r.binding,
                assignable: match r.assigns {
                    Assigns::Any => Assignable::Any,
                    Assigns::Roles(keys) => {
                        Assignable::Roles(keys.iter().map(|k| Arc::from(*k)).collect())
                    }
                },
                top: r.key == def.top,
                top_controlled: def.top_controlled.contains(&r.key),
                single: r.key == def.top && def.single_top,
            }
        })
        .collect();
    let aliases = def
        .roles
        .iter()
        .flat_map(|r| r.aliases.iter().map(move |a| (*a, r.key)))
        .collect();
    Preset {
        key: def.key,
        name: def.name,
        seed: def.seed,
        description: def.description,
        top: def.top,
        base: def.base,
        manager_scope: def.manager_scope,
        rules: def.rules,
        roles,
        aliases,
    }
}

static PRESETS: LazyLock<Vec<Preset>> = LazyLock::new(|| DEFS.iter().map(|d| resolve(d)).collect());

/// Every preset, Outlay's own first.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset with this key.
pub fn get(key: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.key == key)
}

/// Outlay's own preset, the default.
pub fn outlay() -> &'static Preset {
    // The first entry of a fixed, non-empty array.
    &all()[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Action, Permission, Scope};

    #[test]
    fn every_key_of_every_preset_is_in_the_catalog() {
        for def in DEFS {
            for r in def.roles {
                let keys: Vec<&str> = match r.perms {
                    Perms::Keys(lists) => lists.iter().flat_map(|l| l.iter().copied()).collect(),
                    Perms::AllBut(except) => except.to_vec(),
                };
                for k in keys {
                    assert!(
                        Permission::parse(k).is_some(),
                        "{}/{}: `{k}`",
                        def.key,
                        r.key
                    );
                }
                if let Assigns::Roles(list) = r.assigns {
                    for k in list {
                        assert!(
                            def.roles.iter().any(|x| x.key == *k),
                            "{}/{} assigns unknown `{k}`",
                            def.key,
                            r.key
                        );
                    }
                }
            }
            assert!(
                def.roles.iter().any(|r| r.key == def.top),
                "{}: top role",
                def.key
            );
            for k in def.base.iter().chain(def.top_controlled) {
                assert!(def.roles.iter().any(|r| r.key == *k), "{}: `{k}`", def.key);
            }
        }
    }

    #[test]
    fn presets_have_the_role_keys_the_issue_names() {
        let keys = |p: &str| -> Vec<String> {
            get(p)
                .map(|p| p.roles().iter().map(|r| r.key.to_string()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            keys("pleo"),
            [
                "employee",
                "admin",
                "expense_reviewer",
                "bookkeeper_limited",
                "bookkeeper_extended",
                "finance"
            ]
        );
        assert_eq!(
            keys("eloope"),
            ["employee", "manager", "finance", "auditor", "admin"]
        );
        assert_eq!(
            keys("pliant"),
            [
                "owner",
                "admin",
                "accountant",
                "auditor",
                "cardholder",
                "team_manager"
            ]
        );
        assert_eq!(
            keys("qonto"),
            [
                "account_holder",
                "admin",
                "manager_basic",
                "manager_advanced",
                "employee",
                "accountant"
            ]
        );
        assert_eq!(
            keys("plane"),
            [
                "admin",
                "manager",
                "full_access_manager",
                "direct_reports_payer",
                "payment_request_assistant",
                "viewer",
                "accountant",
                "worker"
            ]
        );
        assert_eq!(keys("outlay").len(), 11);
    }

    #[test]
    fn read_only_roles_hold_nothing_that_changes_data() {
        for p in all() {
            for r in p.roles().iter().filter(|r| r.read_only) {
                for perm in r.permissions.iter() {
                    assert!(!perm.info().mutates, "{}/{} holds {perm}", p.key, r.key);
                }
            }
        }
    }

    #[test]
    fn the_top_role_holds_closing_and_assigns_anything() {
        for p in all() {
            let top = p.top_role().map(|r| {
                (
                    r.permissions.reach(Action::AccountClose),
                    r.assignable.clone(),
                )
            });
            assert_eq!(top, Some((Some(Scope::All), Assignable::Any)), "{}", p.key);
            let closers: Vec<&str> = p
                .roles()
                .iter()
                .filter(|r| r.permissions.reach(Action::AccountClose).is_some())
                .map(|r| &*r.key)
                .collect();
            assert_eq!(closers, [p.top], "{}: only the top role closes", p.key);
        }
    }

    #[test]
    fn roles_that_assign_hold_role_assign() {
        for p in all() {
            for r in p.roles().iter().filter(|r| !r.assignable.is_empty()) {
                assert!(
                    r.permissions.reach(Action::RoleAssign).is_some(),
                    "{}/{}",
                    p.key,
                    r.key
                );
            }
        }
    }
}
