//! Roles: named sets of permissions, each listing the roles its holders may assign. The
//! built-in roles come from the company's preset; companies add custom roles.
//!
//! Dependencies go one way: this module holds the role model's types (a role, a resolved
//! preset, a company's role book) and reads only the catalog; `preset.rs` defines the
//! built-in presets with these types, so it depends on this module and never the reverse.

use crate::catalog::{Action, PermSet, Permission, Scope};
use std::sync::Arc;

/// Whether a grant of the role names a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamBinding {
    /// Never bound to a team (owner, admin: company-wide by nature).
    Never,
    /// May be bound; a bound grant reaches the team's members and nothing else.
    Optional,
    /// Always bound to one team (Pliant's team manager).
    Required,
}

impl TeamBinding {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamBinding::Never => "never",
            TeamBinding::Optional => "optional",
            TeamBinding::Required => "required",
        }
    }
}

/// The roles a role's holders may grant and revoke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignable {
    /// Every role of the company (owner, account holder).
    Any,
    /// Exactly these roles, by key.
    Roles(Vec<Arc<str>>),
}

impl Assignable {
    pub fn none() -> Assignable {
        Assignable::Roles(Vec::new())
    }

    pub fn allows(&self, role: &str) -> bool {
        match self {
            Assignable::Any => true,
            Assignable::Roles(keys) => keys.iter().any(|k| &**k == role),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Assignable::Roles(k) if k.is_empty())
    }

    /// The keys, or `["*"]` for any role.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Assignable::Any => vec!["*".to_string()],
            Assignable::Roles(k) => k.iter().map(|k| k.to_string()).collect(),
        }
    }
}

/// A role: built-in (from the preset) or defined by a company.
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
    /// Which roles its holders may grant and revoke.
    pub assignable: Assignable,
    /// The company's top role: owner, account holder, or admin where there is no owner.
    pub top: bool,
    /// Only holders of the top role grant or revoke it: the top role itself, admin where the
    /// preset says so, and custom roles with an admin-grade permission.
    pub top_controlled: bool,
    /// The company has exactly one holder of this role (Qonto's account holder).
    pub single: bool,
}

impl Role {
    /// Whether the role makes its holder a cardholder (never so for external members).
    pub fn holds_cards(&self) -> bool {
        !self.permissions.intersect(cardholding()).is_empty()
    }
}

/// What holding a card means: one's own cards and transactions, and requesting cards.
/// External members never hold these; managing others' cards is another matter.
pub fn cardholding() -> PermSet {
    PermSet::of(&[
        Permission::scoped(Action::CardView, Scope::Own),
        Permission::scoped(Action::TransactionView, Scope::Own),
        Permission::unscoped(Action::CardRequest),
    ])
}

/// A preset, resolved: its roles with their permission sets. The built-in presets are
/// defined in `preset.rs`.
#[derive(Debug)]
pub struct Preset {
    pub key: &'static str,
    pub name: &'static str,
    pub seed: &'static str,
    pub description: &'static str,
    pub top: &'static str,
    pub base: Option<&'static str>,
    pub manager_scope: &'static str,
    pub rules: &'static [&'static str],
    /// Built by `preset.rs` from its definitions.
    pub(crate) roles: Vec<Role>,
    /// (alias, key) pairs: older or seed-specific names of built-in roles.
    pub(crate) aliases: Vec<(&'static str, &'static str)>,
}

impl Preset {
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// A built-in role by key or alias.
    pub fn role(&self, key: &str) -> Option<&Role> {
        let key = self
            .aliases
            .iter()
            .find(|(alias, _)| *alias == key)
            .map_or(key, |(_, k)| *k);
        self.roles.iter().find(|r| &*r.key == key)
    }

    pub fn top_role(&self) -> Option<&Role> {
        self.role(self.top)
    }

    pub fn base_role(&self) -> Option<&Role> {
        self.base.and_then(|b| self.role(b))
    }

    pub fn aliases_of(&self, key: &str) -> Vec<&'static str> {
        self.aliases
            .iter()
            .filter(|(_, k)| *k == key)
            .map(|(a, _)| *a)
            .collect()
    }

    /// Permissions that, among the built-ins, only top-controlled roles hold: what makes an
    /// admin an admin. A custom role holding one is top-controlled too.
    pub fn admin_grade(&self) -> PermSet {
        let others = self
            .roles
            .iter()
            .filter(|r| !r.top_controlled)
            .fold(PermSet::EMPTY, |acc, r| acc.union(r.permissions));
        PermSet::everything().minus(others)
    }
}

/// The roles a company can grant: its preset's built-ins plus its custom roles.
#[derive(Clone, Debug)]
pub struct RoleBook {
    preset: &'static Preset,
    custom: Vec<Role>,
}

impl RoleBook {
    /// Custom roles are marked top-controlled when they hold an admin-grade permission of
    /// the preset, so an admin cannot mint an admin under another name.
    pub fn new(preset: &'static Preset, custom: Vec<Role>) -> RoleBook {
        let grade = preset.admin_grade();
        let custom = custom
            .into_iter()
            .map(|mut r| {
                r.top_controlled = !r.permissions.intersect(grade).is_empty();
                r
            })
            .collect();
        RoleBook { preset, custom }
    }

    pub fn preset(&self) -> &'static Preset {
        self.preset
    }

    /// A built-in role by key or alias, or a custom role by key.
    pub fn get(&self, key: &str) -> Option<&Role> {
        self.preset
            .role(key)
            .or_else(|| self.custom.iter().find(|r| &*r.key == key))
    }

    pub fn all(&self) -> impl Iterator<Item = &Role> {
        self.preset.roles().iter().chain(self.custom.iter())
    }

    /// The base role every active member holds without a grant, if the preset has one.
    pub fn base(&self) -> Option<&Role> {
        self.preset.base_role()
    }
}
