//! The approval inbox: the submitted reports and expenses the actor may approve now, by their
//! own rights or for someone who delegated approvals to them, oldest first, each with the grant
//! that makes it theirs. An expense in a report is decided with its report, so it appears only
//! through the report. Deciding many at once is one command per item (each decided and
//! audited on its own), which the HTTP layer runs in turn.

use super::owned::{self, Actionable};
use super::{Actor, Question, Result};
use outlay_core::authorize::ExpenseAction;
use outlay_core::expense::ExpenseStatus;
use outlay_core::report::{ReportStatus, ReportStep};
use outlay_core::Action;
use outlay_store::expenses::ExpenseRow;
use outlay_store::reports::ReportRow;
use outlay_store::Conn;

/// What awaits the actor's approval, up to `limit` of each kind.
pub struct Inbox {
    pub limit: usize,
}

/// The reports and expenses awaiting the actor, oldest first, and whether more of each wait.
pub struct InboxView {
    pub reports: Vec<Actionable<ReportRow>>,
    pub more_reports: bool,
    pub expenses: Vec<Actionable<ExpenseRow>>,
    pub more_expenses: bool,
}

impl Question for Inbox {
    type Output = InboxView;

    fn action(&self) -> &'static str {
        "approval.inbox"
    }

    fn target(&self) -> String {
        "approvals".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<InboxView> {
        // Someone who may view none of a kind has nothing of it to approve.
        let sees = |a: Action| actor.principal.list_scope(actor.now, a).is_some();
        let (reports, more_reports) = if sees(Action::ReportView) {
            let (status, step) = (ReportStatus::Submitted, ReportStep::Approve);
            owned::actionable(conn, actor, status, step, self.limit).await?
        } else {
            (Vec::new(), false)
        };
        let (expenses, more_expenses) = if sees(Action::ExpenseView) {
            let (status, step) = (ExpenseStatus::Submitted, ExpenseAction::Approve);
            owned::actionable(conn, actor, status, step, self.limit).await?
        } else {
            (Vec::new(), false)
        };
        Ok(InboxView {
            reports,
            more_reports,
            expenses,
            more_expenses,
        })
    }
}
