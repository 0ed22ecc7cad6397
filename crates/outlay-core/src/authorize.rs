//! Decisions about expenses and members: permission and scope first, then the rules of the
//! data (four-eyes, approved is final, status transitions). A granted decision comes with a
//! [`Permit`], which the store's write operations demand, so a write cannot skip its check.

use crate::catalog::{Action, PermSet, Scope};
use crate::decision::{Decision, Reason};
use crate::expense::ExpenseStatus;
use crate::grant::Timestamp;
use crate::ids::MemberId;
use crate::org::Relation;
use crate::principal::Principal;

/// Proof that a decision allowed `action` for `actor`. Only this crate can make one.
#[derive(Debug)]
pub struct Permit {
    action: Action,
    actor: MemberId,
}

impl Permit {
    pub(crate) fn new(action: Action, actor: MemberId) -> Permit {
        Permit { action, actor }
    }

    pub fn action(&self) -> Action {
        self.action
    }

    /// The member who was allowed: the one to record as the author of the change.
    pub fn actor(&self) -> MemberId {
        self.actor
    }
}

/// What can be done to an expense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpenseAction {
    View,
    Edit,
    Delete,
    Submit,
    Approve,
    Reject,
}

impl ExpenseAction {
    pub const ALL: [ExpenseAction; 6] = [
        ExpenseAction::View,
        ExpenseAction::Edit,
        ExpenseAction::Delete,
        ExpenseAction::Submit,
        ExpenseAction::Approve,
        ExpenseAction::Reject,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseAction::View => "view",
            ExpenseAction::Edit => "edit",
            ExpenseAction::Delete => "delete",
            ExpenseAction::Submit => "submit",
            ExpenseAction::Approve => "approve",
            ExpenseAction::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseAction> {
        let s = s.strip_prefix("expense.").unwrap_or(s);
        ExpenseAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The catalog action that governs this one.
    pub fn permission(self) -> Action {
        match self {
            ExpenseAction::View => Action::ExpenseView,
            ExpenseAction::Edit => Action::ExpenseEdit,
            ExpenseAction::Delete => Action::ExpenseDelete,
            ExpenseAction::Submit => Action::ExpenseSubmit,
            ExpenseAction::Approve | ExpenseAction::Reject => Action::ExpenseApprove,
        }
    }
}

/// What the rules need to know about an expense.
#[derive(Clone, Copy, Debug)]
pub struct ExpenseFacts {
    pub owner: MemberId,
    pub status: ExpenseStatus,
}

/// Decides an action on an expense whose owner stands in `relation` to the actor.
pub fn expense(
    actor: &Principal,
    now: Timestamp,
    action: ExpenseAction,
    facts: ExpenseFacts,
    relation: Relation,
) -> Decision {
    if actor.archived {
        return Decision::deny(Reason::Archived);
    }
    if matches!(action, ExpenseAction::Approve | ExpenseAction::Reject)
        && facts.owner == actor.member
    {
        return Decision::deny(Reason::SelfApproval);
    }
    // `Principal::check`, taken apart so the allowing reason is built once, in place, and
    // only when the status rule lets the action through.
    let (permission, needed) = (action.permission(), relation.needed_scope());
    let grant = match actor.deciding_grant(now, permission, needed) {
        Ok(g) => g,
        Err(widest) => return Decision::deny(actor.refusal(now, permission, needed, widest)),
    };
    if let Some(refusal) = status_rule(action, facts.status) {
        return Decision::deny(refusal);
    }
    Decision::allow(Principal::granted(grant, permission))
}

/// Whether [`expense`] would allow the action, given the actor's permissions now; builds no
/// reason. `held` is `actor.permissions(now)`: an active grant holds the action at the scope
/// needed exactly when the union of the active grants does.
fn expense_allowed(
    actor: &Principal,
    held: PermSet,
    action: ExpenseAction,
    facts: ExpenseFacts,
    relation: Relation,
) -> bool {
    let own_decision = matches!(action, ExpenseAction::Approve | ExpenseAction::Reject)
        && facts.owner == actor.member;
    !actor.archived
        && !own_decision
        && held
            .reach(action.permission())
            .is_some_and(|r| r >= relation.needed_scope())
        && status_rule(action, facts.status).is_none()
}

fn status_rule(action: ExpenseAction, status: ExpenseStatus) -> Option<Reason> {
    let wrong = || {
        Some(Reason::WrongStatus {
            status,
            action: action.as_str(),
        })
    };
    match action {
        ExpenseAction::View => None,
        ExpenseAction::Edit | ExpenseAction::Delete => match status {
            ExpenseStatus::Approved => Some(Reason::ApprovedImmutable),
            s if s.is_editable() => None,
            _ => wrong(),
        },
        ExpenseAction::Submit => (!status.is_editable()).then(wrong).flatten(),
        ExpenseAction::Approve | ExpenseAction::Reject => {
            (status != ExpenseStatus::Submitted).then(wrong).flatten()
        }
    }
}

/// Like [`expense`], returning the permit a write needs.
pub fn expense_permit(
    actor: &Principal,
    now: Timestamp,
    action: ExpenseAction,
    facts: ExpenseFacts,
    relation: Relation,
) -> Result<(Permit, Reason), Reason> {
    let reason = expense(actor, now, action, facts, relation).into_result()?;
    Ok((Permit::new(action.permission(), actor.member), reason))
}

/// The actions the actor may take on this expense now: what a page shows buttons for.
pub fn expense_actions(
    actor: &Principal,
    now: Timestamp,
    facts: ExpenseFacts,
    relation: Relation,
) -> Vec<&'static str> {
    if actor.archived {
        return Vec::new();
    }
    let held = actor.permissions(now);
    ExpenseAction::ALL
        .into_iter()
        .filter(|a| *a != ExpenseAction::View && expense_allowed(actor, held, *a, facts, relation))
        .map(ExpenseAction::as_str)
        .collect()
}

/// Decides an action that is about the whole company, not one member's data.
pub fn company(actor: &Principal, now: Timestamp, action: Action) -> Decision {
    match actor.check(now, action, Scope::All) {
        Ok(r) => Decision::allow(r),
        Err(r) => Decision::deny(r),
    }
}

/// Like [`company`], returning the permit a write needs.
pub fn company_permit(actor: &Principal, now: Timestamp, action: Action) -> Result<Permit, Reason> {
    company(actor, now, action).into_result()?;
    Ok(Permit::new(action, actor.member))
}

/// Decides an action on data that belongs to a member in `relation` to the actor.
pub fn scoped(actor: &Principal, now: Timestamp, action: Action, relation: Relation) -> Decision {
    let needed = if action.is_scoped() {
        relation.needed_scope()
    } else {
        Scope::All
    };
    match actor.check(now, action, needed) {
        Ok(r) => Decision::allow(r),
        Err(r) => Decision::deny(r),
    }
}

/// The scope at which the actor may list data governed by `action`: pushed into SQL.
pub fn list_scope(actor: &Principal, now: Timestamp, action: Action) -> Option<Scope> {
    actor.reach(now, action)
}

/// Creating an expense needs `expense.create`; auditors and viewers never have it.
pub fn create_expense(actor: &Principal, now: Timestamp) -> Result<Permit, Reason> {
    company_permit(actor, now, Action::ExpenseCreate)
}

/// The actions the actor may take on a member now: what a page shows buttons for. The
/// last-owner rule needs the company's owner count and is checked when the action is taken.
pub fn member_actions(
    actor: &Principal,
    now: Timestamp,
    target: &Principal,
    relation: Relation,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if actor.archived {
        return out;
    }
    let can = |a: Action| actor.check(now, a, Scope::All).is_ok();
    let owner_controlled = target.grants.iter().any(|g| g.role.is_owner_controlled());
    let owner_ok = !owner_controlled || actor.is_owner(now);
    if relation == Relation::Own || can(Action::RoleView) {
        out.push("view_permissions");
    }
    if can(Action::RoleAssign) && owner_ok {
        out.push("edit_grants");
    }
    if can(Action::MemberManage) {
        out.push("set_manager");
    }
    if can(Action::MemberArchive) && owner_ok && !target.archived {
        out.push("archive");
    }
    out
}

/// The actions the actor may take with a role now: `grant` when they could hand it out
/// (they hold `role.assign`, it is within their own permissions, and owner and admin only
/// for owners).
pub fn role_actions(
    actor: &Principal,
    now: Timestamp,
    role: &crate::role::Role,
) -> Vec<&'static str> {
    let can_assign = actor.check(now, Action::RoleAssign, Scope::All).is_ok();
    let owner_ok = !role.is_owner_controlled() || actor.is_owner(now);
    if can_assign && owner_ok && role.permissions.within(actor.permissions(now)) {
        vec!["grant"]
    } else {
        vec![]
    }
}

/// The actions the actor may take with a team now.
pub fn team_actions(actor: &Principal, now: Timestamp) -> Vec<&'static str> {
    if actor.check(now, Action::TeamManage, Scope::All).is_ok() {
        vec!["add_member", "remove_member"]
    } else {
        vec![]
    }
}

#[cfg(test)]
mod tests;
