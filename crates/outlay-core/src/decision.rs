//! Decisions and their reasons. Every allow names the grant and permission behind it; every
//! deny names the rule that refused, so a person can be told exactly why.

use crate::catalog::{Action, Permission, Scope};
use crate::expense::ExpenseStatus;
use crate::ids::{GrantId, TeamId};
use std::fmt;
use std::sync::Arc;

/// The answer to "may this member do this, now?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: Reason,
}

impl Decision {
    pub fn allow(reason: Reason) -> Decision {
        Decision {
            allowed: true,
            reason,
        }
    }

    pub fn deny(reason: Reason) -> Decision {
        Decision {
            allowed: false,
            reason,
        }
    }

    /// `Ok` with the allowing reason, or `Err` with the refusing one.
    pub fn into_result(self) -> Result<Reason, Reason> {
        if self.allowed {
            Ok(self.reason)
        } else {
            Err(self.reason)
        }
    }
}

/// How a refusal surfaces: the caller lacks a right, or a rule of the data forbids it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenialKind {
    Forbidden,
    Conflict,
}

/// Why a decision went the way it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Allowed by this grant's permission.
    Granted {
        permission: Permission,
        grant: GrantId,
        role: Arc<str>,
        team: Option<TeamId>,
    },
    /// No active grant holds the action at any scope.
    NoPermission { action: Action },
    /// The action is held, but not at the scope the target needs.
    OutOfScope {
        action: Action,
        held: Scope,
        needed: Scope,
    },
    /// No grant allows the action, it changes data, and a read-only role is held: read-only
    /// roles never allow changes, whatever else the member holds.
    ReadOnlyRole { role: Arc<str>, action: Action },
    /// Four-eyes: nobody approves or rejects their own expense.
    SelfApproval,
    /// The company would be left without a permanent, active owner.
    LastOwner,
    /// Only owners grant or revoke owner and admin.
    OwnerOnly { role: String },
    /// The change would give or take away permissions the granter does not hold (at the
    /// scope, or over the team, it needs).
    Escalation { permissions: Vec<Permission> },
    /// An approved expense is final.
    ApprovedImmutable,
    /// The expense is not in a status that allows the action.
    WrongStatus {
        status: ExpenseStatus,
        action: &'static str,
    },
    /// Nobody widens their own access, not even by extending a grant's window: another
    /// member must grant it. Dropping one's own grants is allowed.
    SelfGrant,
    /// Archived members cannot act.
    Archived,
    /// The member is archived already; archiving again would rewrite when it happened.
    AlreadyArchived,
    /// The reporting line would loop back on itself.
    ReportingCycle,
}

impl Reason {
    /// A stable machine-readable code for the API and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Granted { .. } => "granted",
            Reason::NoPermission { .. } => "no_permission",
            Reason::OutOfScope { .. } => "out_of_scope",
            Reason::ReadOnlyRole { .. } => "read_only_role",
            Reason::SelfApproval => "four_eyes",
            Reason::LastOwner => "last_owner",
            Reason::OwnerOnly { .. } => "owner_only",
            Reason::Escalation { .. } => "escalation",
            Reason::ApprovedImmutable => "approved_immutable",
            Reason::WrongStatus { .. } => "wrong_status",
            Reason::SelfGrant => "self_grant",
            Reason::Archived => "archived",
            Reason::AlreadyArchived => "already_archived",
            Reason::ReportingCycle => "reporting_cycle",
        }
    }

    /// Refusals of rights are 403s; refusals by a rule of the data are 409s.
    pub fn kind(&self) -> DenialKind {
        match self {
            Reason::LastOwner
            | Reason::ApprovedImmutable
            | Reason::WrongStatus { .. }
            | Reason::ReportingCycle
            | Reason::AlreadyArchived => DenialKind::Conflict,
            _ => DenialKind::Forbidden,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Granted {
                permission,
                grant,
                role,
                team,
            } => {
                write!(
                    f,
                    "allowed by `{permission}` of role `{role}` (grant {grant}"
                )?;
                if let Some(t) = team {
                    write!(f, ", team {t}")?;
                }
                f.write_str(")")
            }
            Reason::NoPermission { action } => {
                write!(f, "no active grant holds `{}`", action.key())
            }
            Reason::OutOfScope {
                action,
                held,
                needed,
            } => write!(
                f,
                "`{}` is held at scope `{held}`, but this needs scope `{needed}`",
                action.key()
            ),
            Reason::ReadOnlyRole { role, action } => write!(
                f,
                "role `{role}` is read-only and never allows `{}`",
                action.key()
            ),
            Reason::SelfApproval => {
                f.write_str("four-eyes rule: nobody approves or rejects their own expense")
            }
            Reason::LastOwner => {
                f.write_str("the company must keep at least one active, permanent owner")
            }
            Reason::OwnerOnly { role } => {
                write!(f, "only owners grant or revoke role `{role}`")
            }
            Reason::Escalation { permissions } => {
                let list: Vec<String> = permissions.iter().map(|p| format!("`{p}`")).collect();
                write!(
                    f,
                    "cannot grant or revoke permissions one does not hold: {}",
                    list.join(", ")
                )
            }
            Reason::ApprovedImmutable => {
                f.write_str("an approved expense cannot be edited or deleted")
            }
            Reason::WrongStatus { status, action } => {
                write!(
                    f,
                    "cannot {action} an expense that is `{}`",
                    status.as_str()
                )
            }
            Reason::SelfGrant => {
                f.write_str("nobody widens their own access: another member must grant it")
            }
            Reason::Archived => f.write_str("archived members cannot act"),
            Reason::AlreadyArchived => f.write_str("the member is already archived"),
            Reason::ReportingCycle => f.write_str("the reporting line would loop back on itself"),
        }
    }
}
