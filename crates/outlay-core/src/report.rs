//! Expense reports: a member groups their own draft expenses and submits them together;
//! whoever approves the owner's expenses decides the report (approve, reject, or ask for
//! changes, after which the owner edits and resubmits); finance pays an approved one, and
//! paid is final. The expenses in a report move with it: approving the report approves
//! them, and while it is submitted or decided none of them moves on its own
//! ([`contained`]).

use crate::catalog::{Action, Resource};
use crate::decision::Reason;
use crate::ids::MemberId;
use crate::lifecycle::{After, Lifecycle};
use crate::org::Target;
use crate::validate::{self, ValidationError};

crate::names! {
    /// Where a report is in its life.
    pub enum ReportStatus {
        Draft = "draft",
        Submitted = "submitted",
        ChangesRequested = "changes_requested",
        Approved = "approved",
        Rejected = "rejected",
        Paid = "paid",
    }
}

crate::names! {
    /// What can be done to a report.
    pub enum ReportStep {
        View = "view",
        /// Rename it, add or take out expenses.
        Edit = "edit",
        Delete = "delete",
        Submit = "submit",
        Approve = "approve",
        Reject = "reject",
        RequestChanges = "request_changes",
        /// Reject one of its expenses with a reason: it leaves the report, back to its owner,
        /// and the rest goes on.
        RejectExpense = "reject_expense",
        Pay = "pay",
    }
}

use ReportStatus::{Approved, ChangesRequested, Draft, Paid, Rejected, Submitted};
use ReportStep as S;

impl Lifecycle for ReportStatus {
    type Step = ReportStep;
    const RESOURCE: Resource = Resource::Report;
    const NOUN: &'static str = "a report";
    const STATES: &'static [ReportStatus] = &ReportStatus::ALL;
    const STEPS: &'static [ReportStep] = &ReportStep::ALL;
    const VIEW: ReportStep = ReportStep::View;
    const TABLE: &'static [(ReportStep, ReportStatus, After<ReportStatus>)] = &[
        (S::Edit, Draft, After::Status(Draft)),
        (S::Edit, ChangesRequested, After::Status(ChangesRequested)),
        (S::Delete, Draft, After::Deleted),
        (S::Submit, Draft, After::Status(Submitted)),
        (S::Submit, ChangesRequested, After::Status(Submitted)),
        (S::Approve, Submitted, After::Status(Approved)),
        (S::Reject, Submitted, After::Status(Rejected)),
        (
            S::RequestChanges,
            Submitted,
            After::Status(ChangesRequested),
        ),
        (S::RejectExpense, Submitted, After::Status(Submitted)),
        (S::Pay, Approved, After::Status(Paid)),
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }
    fn step_name(step: ReportStep) -> &'static str {
        step.as_str()
    }
    fn permission(step: ReportStep) -> Action {
        match step {
            S::View => Action::ReportView,
            // The owner's own: `report.submit` is held at `own` scope.
            S::Edit | S::Delete | S::Submit => Action::ReportSubmit,
            S::Approve | S::Reject | S::RequestChanges | S::RejectExpense => Action::ReportApprove,
            S::Pay => Action::ExpenseReimburse,
        }
    }
    fn verb(action: Action) -> &'static str {
        match action {
            Action::ReportSubmit => "change",
            Action::ReportApprove => "decide",
            Action::ExpenseReimburse => "pay",
            _ => "change",
        }
    }
}

/// What the rules need to know about a report.
#[derive(Clone, Copy, Debug)]
pub struct ReportFacts<'a> {
    pub id: i64,
    pub owner: Target<'a>,
    pub status: ReportStatus,
    /// Its total in minor units of the company currency, when every expense is in it.
    pub total_minor: Option<i64>,
    /// Members other than the owner who created, edited or submitted it.
    pub hands: &'a [MemberId],
    /// While submitted: the approval step it waits on.
    pub approval: Option<crate::policy::StepFacts<'a>>,
}

impl<'a> ReportFacts<'a> {
    pub fn resource(&self) -> crate::ResourceRef<'a> {
        crate::ResourceRef {
            kind: Some(Resource::Report),
            id: Some(self.id),
            owner: Some(self.owner),
            status: Some(crate::lifecycle::State::of(self.status)),
            amount_minor: self.total_minor,
            hands: self.hands,
            approval: self.approval,
            ..crate::ResourceRef::default()
        }
    }
}

/// The forbid an expense's report puts on `action` on the expense: while the report is a
/// draft or changes are asked for, its owner edits and deletes its expenses as before; the
/// report submits and decides them, never one on its own; once it is submitted nothing but
/// viewing (and finance's corrections of approved expenses until the report is paid)
/// touches them.
pub fn contained(action: Action, report: i64, status: ReportStatus) -> Option<Reason> {
    let editable = matches!(status, Draft | ChangesRequested);
    let refused = match action {
        Action::ExpenseView => false,
        Action::ExpenseCorrect => status == Paid,
        Action::ExpenseEdit | Action::ExpenseDelete => !editable,
        _ => true,
    };
    refused.then(|| Reason::InReport {
        report,
        status: status.as_str(),
    })
}

/// The actions that give a part in a report, any of which lets a member who sees it write a
/// comment on it: its owner's (`report.submit`), its deciders' (`report.approve`, never on
/// their own), finance's who pay it (`expense.reimburse`). Viewing alone (an auditor's)
/// reads comments and writes none. Decided without the report's state: a paid report can
/// still be discussed.
pub const COMMENTERS: [Action; 3] = [
    Action::ReportSubmit,
    Action::ReportApprove,
    Action::ExpenseReimburse,
];

/// A comment's text, as a person typed it: 1 to 1,000 characters.
pub fn comment(raw: &str) -> Result<String, ValidationError> {
    validate::text("body", raw, 1000)
}

/// A report's title, as a person typed it.
pub fn title(raw: Option<&str>) -> Result<String, ValidationError> {
    let raw = raw.ok_or_else(|| ValidationError::new("title", "is required"))?;
    validate::text("title", raw, 200)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{after, refusal};

    #[test]
    fn a_report_moves_only_along_its_table() {
        assert_eq!(after(S::Submit, Draft), Some(After::Status(Submitted)));
        assert_eq!(
            after(S::Submit, ChangesRequested),
            Some(After::Status(Submitted))
        );
        assert_eq!(
            after(S::RequestChanges, Submitted),
            Some(After::Status(ChangesRequested))
        );
        assert_eq!(after(S::Pay, Approved), Some(After::Status(Paid)));
        // Paid is final: no step leaves it.
        for step in ReportStep::ALL {
            assert_eq!(after(step, Paid), None, "{step:?}");
        }
        assert_eq!(after(S::Delete, Submitted), None);
        assert_eq!(after(S::Approve, Draft), None);
        assert_eq!(
            after(S::RejectExpense, Submitted),
            Some(After::Status(Submitted))
        );
        assert_eq!(after(S::RejectExpense, Approved), None);
    }

    #[test]
    fn refusals_name_the_report_state() {
        let r = refusal(Action::ReportApprove, Draft).map(|r| r.to_string());
        assert_eq!(r.as_deref(), Some("cannot decide a report that is `draft`"));
        assert!(refusal(Action::ReportApprove, Submitted).is_none());
        assert!(refusal(Action::ReportSubmit, Approved).is_some());
        assert!(refusal(Action::ExpenseReimburse, Approved).is_none());
        assert!(refusal(Action::ExpenseReimburse, Paid).is_some());
        assert!(refusal(Action::ReportView, Paid).is_none());
    }

    #[test]
    fn a_reports_expenses_move_with_it() {
        for status in ReportStatus::ALL {
            let editable = matches!(status, Draft | ChangesRequested);
            let edit = contained(Action::ExpenseEdit, 7, status);
            assert_eq!(edit.is_none(), editable, "{status:?}");
            assert!(contained(Action::ExpenseSubmit, 7, status).is_some());
            assert!(contained(Action::ExpenseApprove, 7, status).is_some());
            assert!(contained(Action::ExpenseView, 7, status).is_none());
            let paid = contained(Action::ExpenseCorrect, 7, status);
            assert_eq!(paid.is_some(), status == Paid, "{status:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReportStatus::parse("open"), None);
    }
}
