//! One request type and one decision function for every decision Outlay makes. Three stages:
//! forbids that hold whatever anyone holds (archived, company closed, four-eyes), then the
//! allow stage (one single active grant must hold the action at a scope that reaches the
//! target, within its caps), then forbids of the data (status rules). Nothing overrides a
//! forbid. Per-resource helpers are thin wrappers; an allowed decision can become a [`Permit`]
//! (`crate::permit`), which the store's writes demand, so a write cannot skip its check.
//! Granting and revoking roles is a `role.assign` request carrying the grant ([`GrantAsk`]);
//! its rules are in `assign.rs`.

use crate::catalog::{Action, Permission, Resource, Scope};
use crate::decision::{Decision, Granted, Reason};
use crate::expense::ExpenseStatus;
use crate::grant::Timestamp;
use crate::ids::{MemberId, TeamId};
use crate::org::{Line, Target};
pub use crate::permit::{Permit, Subject};
use crate::principal::{Principal, ResolvedGrant};
use serde::{Deserialize, Serialize};

mod assign;
pub use assign::{assign, GrantAsk, GrantFacts, GrantOp};

/// What a delegation lets the delegate do for the delegator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DelegationKind {
    /// Approve or reject what the delegator could (Eloope's manager away).
    Approve,
    /// Create and submit expenses for the delegator (Plane's payment request assistant).
    Submit,
}

impl DelegationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DelegationKind::Approve => "approve",
            DelegationKind::Submit => "submit",
        }
    }

    pub fn parse(s: &str) -> Option<DelegationKind> {
        match s {
            "approve" => Some(DelegationKind::Approve),
            "submit" => Some(DelegationKind::Submit),
            _ => None,
        }
    }

    /// The actions a delegation of this kind covers; it never widens anything else.
    pub fn covers(self, action: Action) -> bool {
        use Action::*;
        match self {
            DelegationKind::Approve => matches!(
                action,
                ExpenseView
                    | ExpenseApprove
                    | ReportView
                    | ReportApprove
                    | AdvanceApprove
                    | TripApprove
                    | TimeOffApprove
            ),
            DelegationKind::Submit => matches!(
                action,
                ExpenseCreate
                    | ExpenseView
                    | ExpenseEdit
                    | ExpenseSubmit
                    | ReportCreate
                    | ReportView
                    | ReportSubmit
            ),
        }
    }

    /// The covered action a delegate must hold themself to receive a delegation of this
    /// kind: approving for an approval delegation, submitting for a submit one. Every covered
    /// action, these and the others (creating, editing, viewing), is checked again at each
    /// use ([`lacks_verb`]): a submit delegate who creates no expense of their own (Plane's
    /// payment request assistant) prepares and submits the delegator's drafts, and creates
    /// none for them.
    pub fn required(self) -> &'static [Action] {
        match self {
            DelegationKind::Approve => &[Action::ExpenseApprove],
            DelegationKind::Submit => &[Action::ExpenseSubmit],
        }
    }
}

/// A delegation lends the delegator's reach, never a verb: the first of `actions` that
/// `delegate` does not hold themself now, at any reach, through any active grant of their
/// own. Checked when a delegation is given ([`DelegationKind::required`]) and again at each
/// use, so a delegate whose roles change stops acting under it. One bit-set lookup per grant.
#[inline]
pub fn lacks_verb(delegate: &Principal, actions: &[Action], now: Timestamp) -> Option<Action> {
    actions.iter().copied().find(|a| {
        !delegate
            .active_grants(now)
            .any(|g| g.permissions.reach(*a).is_some())
    })
}

/// Acting for someone else through a delegation.
#[derive(Clone, Copy, Debug)]
pub struct OnBehalf<'a> {
    pub delegator: &'a Principal,
    pub kind: DelegationKind,
}

/// When, for whom, and in what company state a request is made.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub now: Timestamp,
    /// The delegator whose rights decide; the target's line is then relative to them.
    pub on_behalf_of: Option<OnBehalf<'a>>,
    pub company_closed: bool,
}

impl Context<'_> {
    pub fn at(now: Timestamp) -> Context<'static> {
        Context {
            now,
            on_behalf_of: None,
            company_closed: false,
        }
    }
}

/// What a request is about. Everything is optional: a company-level action has no owner.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResourceRef<'a> {
    pub kind: Option<Resource>,
    pub id: Option<i64>,
    /// The member whose data it is, as the deciding principal sees them.
    pub owner: Option<Target<'a>>,
    /// The team it belongs to (a card of a team, an invitation into a team).
    pub team: Option<TeamId>,
    /// Its state, when it lives a lifecycle ([`crate::lifecycle::State::of`]).
    pub status: Option<crate::lifecycle::State>,
    /// In minor units of the company currency.
    pub amount_minor: Option<i64>,
    /// The report an expense is in, and that report's status: the report moves it.
    pub report: Option<(i64, crate::report::ReportStatus)>,
    pub category: Option<&'a str>,
    /// Members other than the owner who created, edited or submitted it: four-eyes binds
    /// them as it binds the owner.
    pub hands: &'a [MemberId],
    /// For `role.assign`: the grant given or taken away (the owner is the member it is for).
    pub grant: Option<&'a GrantAsk<'a>>,
    /// For a submitted report: the approval step it waits on, which `report.approve` must
    /// be eligible for ([`crate::policy::refusal`]).
    pub approval: Option<crate::policy::StepFacts<'a>>,
}

impl<'a> ResourceRef<'a> {
    pub fn of_member(owner: Target<'a>) -> ResourceRef<'a> {
        ResourceRef {
            owner: Some(owner),
            ..ResourceRef::default()
        }
    }
}

/// One question: may `principal` take `action` on `resource`, in `context`?
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub principal: &'a Principal,
    pub action: Action,
    pub resource: ResourceRef<'a>,
    pub context: Context<'a>,
}

/// Actions that decide about someone's submission: four-eyes applies.
fn is_decision(action: Action) -> bool {
    use Action::*;
    matches!(
        action,
        ExpenseApprove
            | ExpenseOverride
            // A correction changes an approved amount: never one's own, like the approval.
            | ExpenseCorrect
            | ReportApprove
            | AdvanceApprove
            | TripApprove
            | CardRequestApprove
            | TransferApprove
            | PaymentApprove
            | TimeOffApprove
    )
}

/// Requests of one's own: the row they make is withdrawn by its owner only.
fn is_own_request(action: Action) -> bool {
    matches!(action, Action::AdvanceRequest | Action::TripCreate)
}

/// Actions a grant's `max_amount_minor` caps.
pub fn is_capped(action: Action) -> bool {
    use Action::*;
    matches!(
        action,
        CardIssue
            | CardLimits
            | CardRequestApprove
            | ExpenseApprove
            | ExpenseOverride
            | ReportApprove
            | AdvanceApprove
            | TransferApprove
            | PaymentInitiate
            | PaymentApprove
    )
}

/// The decision function.
pub fn decide(req: &Request<'_>) -> Decision {
    let actor = req.principal;
    let action = req.action;
    let ctx = &req.context;
    // Forbids that nothing overrides.
    if actor.archived {
        return Decision::Denied(Reason::Archived);
    }
    if ctx.company_closed
        && (action.info().mutates
            || actor
                .company_permissions(ctx.now)
                .reach(Action::AuditView)
                .is_none())
    {
        return Decision::Denied(Reason::CompanyClosed);
    }
    let (source, on_behalf_of) = match ctx.on_behalf_of {
        Some(ob) => {
            if ob.delegator.archived {
                return Decision::Denied(Reason::Archived);
            }
            if !ob.kind.covers(action) {
                return Decision::Denied(Reason::NotDelegated { action });
            }
            if lacks_verb(actor, std::slice::from_ref(&action), ctx.now).is_some() {
                return Decision::Denied(Reason::DelegateLacksAction { action });
            }
            (ob.delegator, Some(ob.delegator.member))
        }
        None => (actor, None),
    };
    // Holding no card of their own, an external member issues none to themself.
    if actor.kind == crate::principal::MemberKind::External
        && matches!(action, Action::CardIssue | Action::CardLimits)
        && req.resource.owner.is_some_and(|t| t.line == Line::Own)
    {
        return Decision::Denied(Reason::ExternalNoCards {
            role: "external member".into(),
        });
    }
    if is_decision(action) {
        // The owner and every other hand that made it: the actor, and whom they act for.
        let res = &req.resource;
        let party =
            |m: MemberId| res.owner.is_some_and(|o| o.member == m) || res.hands.contains(&m);
        if party(actor.member) || on_behalf_of.is_some_and(party) {
            return Decision::Denied(Reason::SelfApproval);
        }
    }
    // Granting a role: its own forbids, allow and data rules.
    if let (Action::RoleAssign, Some(ask)) = (action, req.resource.grant) {
        return assign::decide_grant(source, ask, &req.resource, ctx.now);
    }
    // Allow: one single grant.
    let mut granted = match allow(source, action, &req.resource, ctx.now) {
        Ok(g) => g,
        Err(r) => return Decision::Denied(r),
    };
    // Requesting is one's own act: on an existing row (withdrawing the request) it reaches
    // only the row's owner, however far the actor sees (a manager sees, never withdraws).
    if is_own_request(action) {
        if let Some(t) = req.resource.owner.filter(|t| t.line != Line::Own) {
            let needed = t.line.needed_scope();
            return Decision::Denied(Reason::OutOfScope {
                action,
                held: Scope::Own,
                needed,
            });
        }
    }
    // Forbids of the data.
    // An expense in a report moves with it: the report's forbid is the more telling.
    if let Some((report, status)) = req.resource.report {
        if let Some(r) = crate::report::contained(action, report, status) {
            return Decision::Denied(r);
        }
    }
    if let Some(status) = req.resource.status {
        if let Some(r) = status.refusal(action) {
            return Decision::Denied(r);
        }
    }
    if let (Action::ReportApprove, Some(step)) = (action, req.resource.approval) {
        let acting = [Some(actor.member), on_behalf_of];
        let owner = req.resource.owner.as_ref();
        if let Some(r) = crate::policy::refusal(&step, source, owner, ctx.now, acting) {
            return Decision::Denied(r);
        }
    }
    granted.on_behalf_of = on_behalf_of;
    Decision::Allowed(granted)
}

/// The first active grant of `p` that holds `action`, reaches the resource and is within its
/// caps; else the most telling refusal.
#[inline]
fn allow(
    p: &Principal,
    action: Action,
    res: &ResourceRef<'_>,
    now: Timestamp,
) -> Result<Granted, Reason> {
    let mut widest: Option<Scope> = None;
    let mut capped: Option<Reason> = None;
    for g in p.active_grants(now) {
        let Some(reach) = g.permissions.reach(action) else {
            continue;
        };
        if !g.reaches(action, reach, res.owner.as_ref(), res.team) {
            widest = widest.max(Some(reach));
            continue;
        }
        if let Some(r) = caps(g, action, res) {
            capped = Some(r);
            continue;
        }
        // A bound grant reaching only its holder does so through its `own` permission.
        let named = match (g.grant.spec.team, res.owner) {
            (Some(team), Some(t)) if t.line == Line::Own && !t.teams.contains(&team) => Scope::Own,
            _ => reach,
        };
        return Ok(granted(g, action, named));
    }
    if let Some(r) = capped {
        return Err(r);
    }
    Err(refusal(p, now, action, widest, res))
}

fn caps(g: &ResolvedGrant, action: Action, res: &ResourceRef<'_>) -> Option<Reason> {
    let o = &g.grant.spec.options;
    if let Some(cap) = o.max_amount_minor.filter(|_| is_capped(action)) {
        match res.amount_minor {
            Some(amount) if amount > cap => return Some(Reason::OverCap { cap, amount }),
            // An expense in another currency cannot be compared with the cap: a capped grant
            // does not decide it.
            None if res.kind == Some(Resource::Expense) => {
                return Some(Reason::CapNotComparable { cap })
            }
            _ => {}
        }
    }
    if o.self_issue == Some(false)
        && matches!(action, Action::CardIssue | Action::CardLimits)
        && res.owner.is_some_and(|t| t.line == Line::Own)
    {
        return Some(Reason::SelfIssue);
    }
    None
}

fn granted(g: &ResolvedGrant, action: Action, reach: Scope) -> Granted {
    Granted {
        permission: Permission {
            action,
            scope: action.is_scoped().then_some(reach),
        },
        grant: g.grant.id,
        role: g.role.key.clone(),
        team: g.grant.spec.team,
        base: g.base,
        on_behalf_of: None,
    }
}

fn refusal(
    p: &Principal,
    now: Timestamp,
    action: Action,
    widest: Option<Scope>,
    res: &ResourceRef<'_>,
) -> Reason {
    if let Some(held) = widest {
        let needed = res.owner.map_or(Scope::All, |t| t.line.needed_scope());
        return Reason::OutOfScope {
            action,
            held,
            needed,
        };
    }
    match p.active_grants(now).find(|g| g.role.read_only) {
        Some(g) if action.info().mutates => Reason::ReadOnlyRole {
            role: g.role.key.clone(),
            action,
        },
        _ => Reason::NoPermission { action },
    }
}

/// An override turns a rejected expense into an approved one or an approved one into a
/// rejected one; anything else is the wrong status.
pub fn override_status(approve: bool, status: ExpenseStatus) -> Option<Reason> {
    let from = if approve {
        ExpenseStatus::Rejected
    } else {
        ExpenseStatus::Approved
    };
    let verb = if approve {
        "override to approved"
    } else {
        "override to rejected"
    };
    (status != from).then(|| crate::lifecycle::wrong_status(status, verb))
}

/// Decides and, when allowed, hands out the permit a write needs: for the request's action
/// on what the request is about ([`Subject::of`]).
pub fn permit(req: &Request<'_>) -> Result<(Permit, Granted), Reason> {
    let granted = decide(req).into_result()?;
    let permit = Permit::new(req.principal, req.action, Subject::of(&req.resource))
        .acting_for(granted.on_behalf_of)
        .seeing(req.resource.status);
    Ok((permit, granted))
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
    Override,
    Correct,
}

impl ExpenseAction {
    pub const ALL: [ExpenseAction; 8] = [
        ExpenseAction::View,
        ExpenseAction::Edit,
        ExpenseAction::Delete,
        ExpenseAction::Submit,
        ExpenseAction::Approve,
        ExpenseAction::Reject,
        ExpenseAction::Override,
        ExpenseAction::Correct,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseAction::View => "view",
            ExpenseAction::Edit => "edit",
            ExpenseAction::Delete => "delete",
            ExpenseAction::Submit => "submit",
            ExpenseAction::Approve => "approve",
            ExpenseAction::Reject => "reject",
            ExpenseAction::Override => "override",
            ExpenseAction::Correct => "correct",
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
            ExpenseAction::Override => Action::ExpenseOverride,
            ExpenseAction::Correct => Action::ExpenseCorrect,
        }
    }
}

/// What the rules need to know about an expense.
#[derive(Clone, Copy, Debug)]
pub struct ExpenseFacts<'a> {
    pub id: i64,
    pub owner: Target<'a>,
    pub status: ExpenseStatus,
    /// In minor units of the company currency, when the expense is in it.
    pub amount_minor: Option<i64>,
    pub category: Option<&'a str>,
    /// Members other than the owner who created, edited or submitted it.
    pub hands: &'a [MemberId],
    /// The report it is in, with that report's status.
    pub report: Option<(i64, crate::report::ReportStatus)>,
}

impl<'a> ExpenseFacts<'a> {
    pub fn resource(&self) -> ResourceRef<'a> {
        ResourceRef {
            kind: Some(Resource::Expense),
            id: Some(self.id),
            owner: Some(self.owner),
            team: None,
            status: Some(crate::lifecycle::State::of(self.status)),
            amount_minor: self.amount_minor,
            category: self.category,
            hands: self.hands,
            report: self.report,
            grant: None,
            approval: None,
        }
    }
}

/// Decides an action on an expense.
pub fn expense(
    principal: &Principal,
    ctx: Context<'_>,
    action: ExpenseAction,
    facts: &ExpenseFacts<'_>,
) -> Decision {
    decide(&Request {
        principal,
        action: action.permission(),
        resource: facts.resource(),
        context: ctx,
    })
}

/// The actions the principal may take on this expense now: what a page shows buttons for.
pub fn expense_actions(
    principal: &Principal,
    ctx: Context<'_>,
    facts: &ExpenseFacts<'_>,
) -> Vec<&'static str> {
    ExpenseAction::ALL
        .into_iter()
        .filter(|a| *a != ExpenseAction::View && expense(principal, ctx, *a, facts).is_allowed())
        .map(ExpenseAction::as_str)
        .collect()
}

/// Decides an action about the whole company, or one with no particular target.
pub fn company(principal: &Principal, ctx: Context<'_>, action: Action) -> Decision {
    decide(&Request {
        principal,
        action,
        resource: ResourceRef::default(),
        context: ctx,
    })
}

/// Like [`company`], returning the permit a write needs.
pub fn company_permit(
    principal: &Principal,
    ctx: Context<'_>,
    action: Action,
) -> Result<Permit, Reason> {
    company(principal, ctx, action).into_result()?;
    Ok(Permit::new(principal, action, Subject::Company))
}

/// The actions the principal may take with a role now: `grant` when they may give it to
/// someone (`role.assign` for nobody in particular, unbound or bound to a team of theirs).
pub fn role_actions(
    principal: &Principal,
    ctx: Context<'_>,
    role: &crate::role::Role,
) -> Vec<&'static str> {
    let teams = principal
        .active_grants(ctx.now)
        .filter_map(|g| g.grant.spec.team);
    let may = std::iter::once(None).chain(teams.map(Some)).any(|team| {
        assign(principal, ctx, None, &GrantAsk::list(role).bound_to(team)).is_allowed()
    });
    if may {
        vec!["grant"]
    } else {
        vec![]
    }
}

/// Decides an action on a member or their data.
pub fn on_member(
    principal: &Principal,
    ctx: Context<'_>,
    action: Action,
    target: Target<'_>,
) -> Decision {
    decide(&Request {
        principal,
        action,
        resource: ResourceRef::of_member(target),
        context: ctx,
    })
}

/// The actions the principal may take on a member now: what a page shows buttons for. The
/// last-top-role and assignability rules are checked when grants actually change.
pub fn member_actions(
    principal: &Principal,
    ctx: Context<'_>,
    target: Target<'_>,
    target_principal: &Principal,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    let can = |a: Action| on_member(principal, ctx, a, target).is_allowed();
    let top_ok = !target_principal
        .stored_grants()
        .any(|g| g.role.top_controlled)
        || principal.is_top(ctx.now);
    if target.line == Line::Own || can(Action::RoleView) {
        out.push("view_permissions");
    }
    let assigns = principal
        .active_grants(ctx.now)
        .any(|g| !g.role.assignable.is_empty());
    if assigns && top_ok && target.line != Line::Own {
        out.push("edit_grants");
    }
    if can(Action::MemberManage) {
        out.push("set_manager");
        out.push("edit_profile");
    }
    if can(Action::MemberArchive) && top_ok && !target_principal.archived {
        out.push("archive");
    }
    out
}

/// The actions the principal may take with a team now.
pub fn team_actions(principal: &Principal, ctx: Context<'_>) -> Vec<&'static str> {
    if company(principal, ctx, Action::TeamManage).is_allowed() {
        vec!["add_member", "remove_member"]
    } else {
        vec![]
    }
}

#[cfg(test)]
mod tests;
