//! Roles: named sets of permissions, each listing the roles its holders may assign. The
//! built-in roles come from the company's preset (`preset.rs`); companies add custom roles.

use crate::catalog::{Action, PermSet, Permission, Scope};
use crate::preset::Preset;
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
