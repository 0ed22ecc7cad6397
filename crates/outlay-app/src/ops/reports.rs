//! Expense reports: create one, put one's draft expenses in it, submit it; whoever approves
//! the owner's expenses approves, rejects or asks for changes (never on their own report, nor
//! one they had a hand in); finance pays an approved one. Reading, listing, allowed actions
//! and delegations are the owned-rows kit's ([`super::owned`]).

use super::owned::{self, Governed, View};
use super::{Actor, Change, Done, Error, Question, Result};
use crate::jobs::Told;
use outlay_core::authorize::{self, Request, ResourceRef};
use outlay_core::lifecycle::Lifecycle;
use outlay_core::report::{ReportStatus, ReportStep, COMMENTERS};
use outlay_core::{Action, Reason};
use outlay_store::owned::Owned;
use outlay_store::report_steps::Progress;
use outlay_store::reports::{self, CommentRow, ReportRow};
use outlay_store::scope::TargetFacts;
use outlay_store::{Conn, Write};
use serde_json::json;

/// A report as the actor sees it, with what they may do with it now.
pub type ReportView = View<ReportRow>;

impl Governed for ReportRow {
    fn resource<'a>(&'a self, owner: &'a TargetFacts, _base_currency: &str) -> ResourceRef<'a> {
        self.facts(owner).resource()
    }
}

/// Create a draft report of one's own.
pub struct Create {
    pub title: String,
}

impl Change for Create {
    type Output = ReportView;

    fn action(&self) -> &'static str {
        "report.create"
    }

    fn target(&self, _: &Actor) -> String {
        "reports".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<ReportView>> {
        let create = Action::ReportCreate;
        let (permit, _) = owned::permit::<ReportRow>(w, actor, create, None, None).await?;
        let id = reports::create(w, actor.org, &self.title, permit).await?;
        let row = reports::get(w, actor.org, actor.id(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let detail = json!({"report_id": id, "title": self.title});
        Ok(Done::new(owned::view(actor, row), detail))
    }
}

/// One step in a report's life.
pub enum Step {
    /// A new title, expenses to take in, expenses to let go.
    Edit {
        title: Option<String>,
        add: Vec<i64>,
        remove: Vec<i64>,
    },
    Delete,
    Submit,
    /// With an optional note for the owner.
    Approve(Option<String>),
    /// With the reason, for the owner.
    Reject(String),
    /// What to change, for the owner.
    RequestChanges(String),
    /// Reject this one expense out of the report, with the reason for its owner.
    RejectExpense {
        expense: i64,
        reason: String,
    },
    /// The payment's reference (a bank transfer's, a payroll run's).
    Pay(String),
}

impl Step {
    fn step(&self) -> ReportStep {
        match self {
            Step::Edit { .. } => ReportStep::Edit,
            Step::Delete => ReportStep::Delete,
            Step::Submit => ReportStep::Submit,
            Step::Approve(_) => ReportStep::Approve,
            Step::Reject(_) => ReportStep::Reject,
            Step::RequestChanges(_) => ReportStep::RequestChanges,
            Step::RejectExpense { .. } => ReportStep::RejectExpense,
            Step::Pay(_) => ReportStep::Pay,
        }
    }
}

/// Take `step` on report `id`. The report afterwards, or `None` once deleted.
pub struct Act {
    pub id: i64,
    pub step: Step,
}

impl Change for Act {
    type Output = Option<ReportView>;

    fn action(&self) -> &'static str {
        match self.step.step() {
            ReportStep::View => "report.view",
            ReportStep::Edit => "report.edit",
            ReportStep::Delete => "report.delete",
            ReportStep::Submit => "report.submit",
            ReportStep::Approve => "report.approve",
            ReportStep::Reject => "report.reject",
            ReportStep::RequestChanges => "report.request_changes",
            ReportStep::RejectExpense => "report.reject_expense",
            ReportStep::Pay => "report.pay",
        }
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<ReportRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Option<ReportView>>> {
        let (id, org) = (self.id, actor.org);
        let row: ReportRow = owned::visible(w, actor, id).await?;
        let step = self.step.step();
        let action = ReportStatus::permission(step);
        let (permit, granted) = owned::permit(w, actor, action, Some(&row), None).await?;
        // The permit moves this one report along this one step of its lifecycle.
        let permit = permit.into_transition::<ReportStatus>(step)?;
        let mut detail = match self.step {
            Step::Edit { title, add, remove } => {
                let edit = reports::Edit {
                    title: title.as_deref(),
                    add: &add,
                    remove: &remove,
                };
                if let Err(e) = reports::edit(w, org, id, &edit, permit).await? {
                    let why = "is not a draft or rejected expense of the report's owner in no other report";
                    return Err(Error::invalid(
                        "add",
                        format!("holds expense {}, which {why}", e.expense),
                    ));
                }
                json!({"title": title, "added": add, "removed": remove})
            }
            Step::Delete => {
                reports::delete(w, org, id, permit).await?;
                json!({"title": row.title, "expense_ids": row.expense_ids.0})
            }
            Step::Submit => {
                if row.expense_ids.0.is_empty() {
                    return Err(Error::invalid(
                        "expenses",
                        "needs at least one: the report holds none",
                    ));
                }
                let route = super::policies::route(w, actor, &row).await?;
                let flags = super::checks::run(w, actor, &row).await?;
                reports::submit(w, org, id, (&route, &flags), permit).await?;
                crate::jobs::tell(w, org, id, crate::jobs::Told::ApprovalRequested).await?;
                let flagged: Vec<i64> = flags
                    .iter()
                    .filter(|f| !f.1.is_empty())
                    .map(|f| f.0)
                    .collect();
                json!({"expense_ids": row.expense_ids.0, "total_minor": row.total_minor, "flagged": flagged,
                    "policy_version": route.version, "rule": route.rule, "steps": route.steps.len()})
            }
            Step::Approve(note) => {
                let mut detail = json!({"note": note, "total_minor": row.total_minor});
                let progress = match row.at_step() {
                    // On a route: this approval takes its current step.
                    Some(seen) => {
                        let p = reports::approve(w, org, id, seen, note.as_deref(), permit).await?;
                        detail["route"] = match p {
                            Progress::Waiting { given, needed } => {
                                json!({"step": seen.idx, "approvals": given, "needed": needed})
                            }
                            Progress::Next { idx } => json!({"step": seen.idx, "next_step": idx}),
                            Progress::Approved => json!({"step": seen.idx, "approved": true}),
                        };
                        p
                    }
                    // Submitted before routes existed: one decision approves it.
                    None => {
                        reports::decide(w, org, id, note.as_deref(), permit).await?;
                        Progress::Approved
                    }
                };
                let told = match progress {
                    // Still waiting on more of the same step (N of M): nobody new to tell.
                    Progress::Waiting { .. } => None,
                    Progress::Next { .. } => Some(Told::ApprovalRequested),
                    Progress::Approved => Some(Told::Approved),
                };
                if let Some(told) = told {
                    crate::jobs::tell(w, org, id, told).await?;
                }
                detail
            }
            Step::Reject(note) | Step::RequestChanges(note) => {
                let told = match step {
                    ReportStep::Reject => Told::Rejected,
                    _ => Told::ChangesRequested,
                };
                reports::decide(w, org, id, Some(&note), permit).await?;
                crate::jobs::tell(w, org, id, told).await?;
                json!({"note": note})
            }
            Step::RejectExpense { expense, reason } => {
                // An expense that is not in this report is, here, nothing.
                if !row.expense_ids.0.contains(&expense) {
                    return Err(Error::NotFound);
                }
                if row.expense_ids.0.len() == 1 {
                    let why = "is the report's last: reject the report instead";
                    return Err(Error::invalid("expense_id", why));
                }
                if !reports::reject_expense(w, org, id, expense, &reason, permit).await? {
                    return Err(Error::invalid(
                        "expense_id",
                        "is not a submitted expense of this report",
                    ));
                }
                json!({"expense_id": expense, "reject_reason": reason})
            }
            Step::Pay(reference) => {
                reports::pay(w, org, id, &reference, permit).await?;
                crate::jobs::tell(w, org, id, Told::Paid).await?;
                json!({"reference": reference, "total_minor": row.total_minor})
            }
        };
        detail["reason"] = json!(granted.to_string());
        if let Some(m) = granted.on_behalf_of {
            detail["on_behalf_of"] = json!(m.0);
        }
        let after = owned::read(w, actor, id)
            .await?
            .map(|row| owned::view(actor, row));
        Ok(Done::new(after, detail))
    }
}

/// Comment on report `id`: whoever sees it and has a part in it (its owner, whoever may
/// decide it, finance paying it; [`outlay_core::report::COMMENTERS`]).
pub struct Comment {
    pub id: i64,
    pub body: String,
}

impl Change for Comment {
    type Output = CommentRow;

    fn action(&self) -> &'static str {
        "report.comment"
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<ReportRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<CommentRow>> {
        let row: ReportRow = owned::visible(w, actor, self.id).await?;
        let owner = row.seen().owner();
        // Without its state: a decided or paid report can still be discussed.
        let resource = ResourceRef {
            status: None,
            ..row.facts(&owner).resource()
        };
        let mut refusal = None;
        let mut permit = None;
        for action in COMMENTERS {
            let request = Request {
                principal: &actor.principal,
                action,
                resource,
                context: actor.ctx(),
            };
            match authorize::permit(&request) {
                Ok((p, _)) => {
                    permit = Some(p);
                    break;
                }
                Err(r) => {
                    refusal.get_or_insert(r);
                }
            }
        }
        let Some(permit) = permit else {
            let action = Action::ReportSubmit;
            return Err(refusal.unwrap_or(Reason::NoPermission { action }).into());
        };
        let id = reports::comment(w, actor.org, self.id, &self.body, permit).await?;
        let comments = reports::comments(w, actor.org, self.id).await?;
        let comment = comments
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(Error::NotFound)?;
        let detail = json!({"comment_id": id, "body": self.body});
        Ok(Done::new(comment, detail))
    }
}

/// The comments on report `id`, oldest first, if the actor may see the report.
pub struct Comments {
    pub id: i64,
}

impl Question for Comments {
    type Output = Vec<CommentRow>;

    fn action(&self) -> &'static str {
        "report.view"
    }

    fn target(&self) -> String {
        owned::target::<ReportRow>(self.id)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<CommentRow>> {
        let _: ReportRow = owned::visible(conn, actor, self.id).await?;
        Ok(reports::comments(conn, actor.org, self.id).await?)
    }
}
