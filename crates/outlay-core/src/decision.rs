//! Decisions and their reasons. Every allow names the one grant and permission behind it (and
//! on whose behalf, for delegations); every deny names the rule that refused, so a person can
//! be told exactly why.

use crate::catalog::{Action, Permission, Scope};
use crate::ids::{GrantId, MemberId, TeamId};
use std::fmt;
use std::sync::Arc;

/// What allowed an action: one active grant, holding one permission that reaches the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Granted {
    pub permission: Permission,
    pub grant: GrantId,
    pub role: Arc<str>,
    pub team: Option<TeamId>,
    /// The grant is the company's base role, held without being granted.
    pub base: bool,
    /// The grant is the delegator's: the actor acts on their behalf.
    pub on_behalf_of: Option<MemberId>,
}

impl fmt::Display for Granted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Granted {
            permission,
            grant,
            role,
            team,
            base,
            on_behalf_of,
        } = self;
        if *base {
            write!(f, "allowed by `{permission}` of base role `{role}`")?;
        } else {
            write!(
                f,
                "allowed by `{permission}` of role `{role}` (grant {grant}"
            )?;
            if let Some(t) = team {
                write!(f, ", bound to team {t}")?;
            }
            f.write_str(")")?;
        }
        if let Some(m) = on_behalf_of {
            write!(f, ", on behalf of member {m}")?;
        }
        Ok(())
    }
}

/// The answer to "may this member do this, now?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed(Granted),
    Denied(Reason),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }

    pub fn into_result(self) -> Result<Granted, Reason> {
        match self {
            Decision::Allowed(g) => Ok(g),
            Decision::Denied(r) => Err(r),
        }
    }

    /// `granted`, or the refusing rule's code.
    pub fn code(&self) -> &'static str {
        match self {
            Decision::Allowed(_) => "granted",
            Decision::Denied(r) => r.code(),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Allowed(g) => g.fmt(f),
            Decision::Denied(r) => r.fmt(f),
        }
    }
}

/// How a refusal surfaces: the caller lacks a right, or a rule of the data forbids it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenialKind {
    Forbidden,
    Conflict,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No active grant holds the action at any scope.
    NoPermission { action: Action },
    /// The action is held, but no single grant holding it reaches the target.
    OutOfScope {
        action: Action,
        held: Scope,
        needed: Scope,
    },
    /// No grant allows the action, it changes data, and a read-only role is held.
    ReadOnlyRole { role: Arc<str>, action: Action },
    /// Four-eyes: nobody approves or rejects an expense that is theirs or that they created,
    /// edited or submitted, nor one that is their delegator's or that their delegator did.
    SelfApproval,
    /// The company would be left without a permanent, active holder of its top role.
    LastOwner { role: String },
    /// Only holders of the top role grant or revoke this role.
    OwnerOnly { role: String },
    /// No grant of the actor lists this role as assignable over this member (or this team).
    NotAssignable { role: String },
    /// The change would give permissions the definer does not hold.
    Escalation { permissions: Vec<Permission> },
    /// An approved expense is final.
    ApprovedImmutable,
    /// The expense is not in a status that allows the action.
    WrongStatus {
        /// How the row is named: "an expense".
        noun: &'static str,
        status: &'static str,
        action: &'static str,
    },
    /// The expense is in a report, which moves it (`report::contained`).
    InReport { report: i64, status: &'static str },
    /// Nobody widens their own access, not even by extending a grant's window.
    SelfGrant,
    /// Archived members cannot act.
    Archived,
    /// The member is archived already; archiving again would rewrite when it happened.
    AlreadyArchived,
    /// The reporting line would loop back on itself.
    ReportingCycle,
    /// The company is closed: nothing changes, and only its owners and auditors read.
    CompanyClosed,
    /// The amount is above the highest amount the allowing grant permits.
    OverCap { cap: i64, amount: i64 },
    /// The allowing grant is capped and the amount is in another currency than the cap's.
    CapNotComparable { cap: i64 },
    /// The grant may not act on its holder's own card.
    SelfIssue,
    /// The delegation does not cover this action (a submit delegation never approves).
    NotDelegated { action: Action },
    /// A delegation lends the delegator's reach, never a verb: the delegate does not hold
    /// the action themself (at any reach) now.
    DelegateLacksAction { action: Action },
    /// External members never hold cards.
    ExternalNoCards { role: String },
    /// The base role is held by every member; it is never granted nor revoked.
    BaseRole { role: String },
    /// Nobody decides their own request.
    OwnRequest,
    /// The company has exactly one holder of this role.
    SingleHolder { role: String },
    /// The person is a member of the company already.
    AlreadyMember { email: String },
    /// Another member of the company has this identifier from an HR system.
    ExternalIdTaken,
    /// Team names are unique in a company.
    TeamExists { name: String },
    /// Category names are unique within a company.
    CategoryExists { name: String },
    /// Role keys are unique in a company.
    RoleExists { key: String },
    /// An invitation is accepted once.
    InvitationUsed,
    /// The invitation's time ran out.
    InvitationExpired,
    /// The invitation was revoked, or the invited member archived: it is withdrawn.
    InvitationWithdrawn,
    /// The person is an archived member of the company: unarchive them rather than invite
    /// them again, so their history and grants stay theirs.
    MemberArchived { email: String, member: i64 },
    /// Only an archived member is unarchived.
    NotArchived,
    /// A password reset link sets a password once.
    ResetUsed,
    /// The password reset link's time ran out.
    ResetExpired,
    /// The delegation ended already.
    DelegationEnded,
    /// The role request was approved or declined already.
    RequestDecided { status: String },
    /// The row changed between reading and writing it (another request won).
    ChangedMeanwhile,
    /// Four-eyes across a report's approval steps: a member (or whom they act for) approved
    /// one step of it already.
    OneStepEach { step: u32 },
    /// The report's current approval step (1-based) waits on someone else.
    NotYourStep { step: u32, waiting_on: String },
}

impl Reason {
    /// A stable machine-readable code for the API and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NoPermission { .. } => "no_permission",
            Reason::OutOfScope { .. } => "out_of_scope",
            Reason::ReadOnlyRole { .. } => "read_only_role",
            Reason::SelfApproval => "four_eyes",
            Reason::LastOwner { .. } => "last_owner",
            Reason::OwnerOnly { .. } => "owner_only",
            Reason::NotAssignable { .. } => "not_assignable",
            Reason::Escalation { .. } => "escalation",
            Reason::ApprovedImmutable => "approved_immutable",
            Reason::WrongStatus { .. } => "wrong_status",
            Reason::InReport { .. } => "in_report",
            Reason::SelfGrant => "self_grant",
            Reason::Archived => "archived",
            Reason::AlreadyArchived => "already_archived",
            Reason::ReportingCycle => "reporting_cycle",
            Reason::CompanyClosed => "company_closed",
            Reason::OverCap { .. } | Reason::CapNotComparable { .. } => "over_cap",
            Reason::SelfIssue => "self_issue",
            Reason::NotDelegated { .. } => "not_delegated",
            Reason::DelegateLacksAction { .. } => "delegate_lacks_action",
            Reason::ExternalNoCards { .. } => "external_no_cards",
            Reason::BaseRole { .. } => "base_role",
            Reason::OwnRequest => "own_request",
            Reason::SingleHolder { .. } => "single_holder",
            Reason::AlreadyMember { .. } => "already_member",
            Reason::ExternalIdTaken => "external_id_taken",
            Reason::TeamExists { .. } => "team_exists",
            Reason::CategoryExists { .. } => "category_exists",
            Reason::RoleExists { .. } => "role_exists",
            Reason::InvitationUsed => "invitation_used",
            Reason::InvitationExpired => "invitation_expired",
            Reason::InvitationWithdrawn => "invitation_withdrawn",
            Reason::MemberArchived { .. } => "member_archived",
            Reason::NotArchived => "not_archived",
            Reason::ResetUsed => "reset_used",
            Reason::ResetExpired => "reset_expired",
            Reason::DelegationEnded => "delegation_ended",
            Reason::RequestDecided { .. } => "request_decided",
            Reason::ChangedMeanwhile => "changed_meanwhile",
            Reason::OneStepEach { .. } => "one_step_each",
            Reason::NotYourStep { .. } => "not_your_step",
        }
    }

    /// Refusals of rights are 403s; refusals by a rule of the data are 409s.
    pub fn kind(&self) -> DenialKind {
        match self {
            Reason::LastOwner { .. }
            | Reason::ApprovedImmutable
            | Reason::WrongStatus { .. }
            | Reason::InReport { .. }
            | Reason::ReportingCycle
            | Reason::AlreadyArchived
            | Reason::CompanyClosed
            | Reason::ExternalNoCards { .. }
            | Reason::BaseRole { .. }
            | Reason::SingleHolder { .. }
            | Reason::AlreadyMember { .. }
            | Reason::ExternalIdTaken
            | Reason::TeamExists { .. }
            | Reason::CategoryExists { .. }
            | Reason::RoleExists { .. }
            | Reason::InvitationUsed
            | Reason::InvitationExpired
            | Reason::InvitationWithdrawn
            | Reason::MemberArchived { .. }
            | Reason::NotArchived
            | Reason::ResetUsed
            | Reason::ResetExpired
            | Reason::DelegationEnded
            | Reason::RequestDecided { .. }
            | Reason::ChangedMeanwhile => DenialKind::Conflict,
            _ => DenialKind::Forbidden,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoPermission { action } => {
                write!(f, "no active grant holds `{}`", action.key())
            }
            Reason::OutOfScope {
                action,
                held,
                needed,
            } => write!(
                f,
                "no single grant holding `{}` reaches this target (widest held: `{held}`; an unbound grant would need `{needed}`)",
                action.key()
            ),
            Reason::ReadOnlyRole { role, action } => write!(
                f,
                "role `{role}` is read-only and never allows `{}`",
                action.key()
            ),
            Reason::SelfApproval => f.write_str(
                "four-eyes rule: nobody decides an expense that is theirs or that they created, edited or submitted, nor one of whom they act for",
            ),
            Reason::LastOwner { role } => write!(
                f,
                "the company must keep at least one active, permanent `{role}`"
            ),
            Reason::OwnerOnly { role } => {
                write!(f, "only holders of the top role grant or revoke role `{role}`")
            }
            Reason::NotAssignable { role } => write!(
                f,
                "no grant of yours lists role `{role}` as assignable to this member"
            ),
            Reason::Escalation { permissions } => {
                let list: Vec<String> = permissions.iter().map(|p| format!("`{p}`")).collect();
                write!(
                    f,
                    "cannot give permissions one does not hold: {}",
                    list.join(", ")
                )
            }
            Reason::ApprovedImmutable => {
                f.write_str("an approved expense cannot be edited or deleted")
            }
            Reason::InReport { report, status } => write!(
                f,
                "the expense is in report {report}, which is {status}: the report moves its expenses"
            ),
            Reason::WrongStatus {
                noun,
                status,
                action,
            } => write!(f, "cannot {action} {noun} that is `{status}`"),
            Reason::SelfGrant => {
                f.write_str("nobody widens their own access: another member must grant it")
            }
            Reason::Archived => f.write_str("archived members cannot act"),
            Reason::AlreadyArchived => f.write_str("the member is already archived"),
            Reason::ReportingCycle => f.write_str("the reporting line would loop back on itself"),
            Reason::CompanyClosed => f.write_str(
                "the company is closed: nothing changes, and only owners and auditors read",
            ),
            Reason::OverCap { cap, amount } => write!(
                f,
                "the amount {amount} is above the cap of {cap} (minor units) on the allowing grant"
            ),
            Reason::CapNotComparable { cap } => write!(
                f,
                "the allowing grant is capped at {cap} minor units of the company currency, and this amount is in another currency"
            ),
            Reason::SelfIssue => {
                f.write_str("the allowing grant may not act on its holder's own cards")
            }
            Reason::NotDelegated { action } => {
                write!(f, "the delegation does not cover `{}`", action.key())
            }
            Reason::DelegateLacksAction { action } => write!(
                f,
                "the delegate does not hold `{}` themself: a delegation lends reach, never a verb",
                action.key()
            ),
            Reason::ExternalNoCards { role } => write!(
                f,
                "external members never hold cards, and role `{role}` gives card permissions"
            ),
            Reason::BaseRole { role } => write!(
                f,
                "`{role}` is every member's base role: it is never granted nor revoked"
            ),
            Reason::OwnRequest => f.write_str("nobody decides their own request"),
            Reason::SingleHolder { role } => {
                write!(f, "the company has exactly one `{role}`; another cannot be added")
            }
            Reason::AlreadyMember { email } => {
                write!(f, "`{email}` is already a member of this company")
            }
            Reason::ExternalIdTaken => {
                f.write_str("another member of this company has that external identifier")
            }
            Reason::TeamExists { name } => write!(f, "a team named `{name}` exists"),
            Reason::CategoryExists { name } => write!(f, "a category named `{name}` exists"),
            Reason::RoleExists { key } => write!(f, "a role `{key}` already exists"),
            Reason::InvitationUsed => f.write_str("this invitation was already accepted"),
            Reason::InvitationExpired => {
                f.write_str("this invitation has expired; ask for a new one")
            }
            Reason::InvitationWithdrawn => f.write_str(
                "this invitation was withdrawn: it was revoked, or the member is archived",
            ),
            Reason::MemberArchived { email, member } => write!(
                f,
                "`{email}` is an archived member of this company (member {member}): unarchive them instead"
            ),
            Reason::NotArchived => f.write_str("the member is not archived"),
            Reason::ResetUsed => f.write_str("this password reset link was used already"),
            Reason::ResetExpired => {
                f.write_str("this password reset link has expired; ask for a new one")
            }
            Reason::DelegationEnded => f.write_str("this delegation has already ended"),
            Reason::RequestDecided { status } => write!(f, "this request is already {status}"),
            Reason::ChangedMeanwhile => f.write_str("it changed meanwhile; reload and try again"),
            Reason::OneStepEach { step } => write!(
                f,
                "four-eyes across steps: an approval of this report is on record already by this member or whom they act for; step {step} needs someone else"
            ),
            Reason::NotYourStep { step, waiting_on } => {
                write!(f, "step {step} of this report's approval waits on {waiting_on}")
            }
        }
    }
}
