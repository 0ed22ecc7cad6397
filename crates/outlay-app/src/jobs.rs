//! The job runner: every server runs due jobs now and then (no second process). A job is
//! claimed, done and marked done in one write transaction with its audit entry, so it runs
//! once however many servers share the database and whatever restarts (`outlay_store::jobs`).
//! Jobs: remind the approvers a report's step waits on, and move a manager step that waited
//! too long to the next manager up. A job scheduled for a step the report has left is done
//! with nothing to do.

use crate::{App, Error};
use outlay_core::policy::{Approvers, RoutedStep};
use outlay_core::{MemberId, OrgId};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::jobs::{self, JobRow, Notice};
use outlay_store::report_steps::{self, Waiting};
use outlay_store::Write;
use serde_json::json;

impl App {
    /// Runs up to `limit` jobs due now, each in its own transaction: how many ran.
    pub async fn run_due_jobs(&self, limit: usize) -> Result<usize, Error> {
        let mut ran = 0;
        while ran < limit {
            let now = self.now();
            // A look on a read connection first: an idle poll takes no write lock.
            let mut read = self.checkout().await?;
            if !jobs::any_due(&mut read, now).await? {
                break;
            }
            drop(read);
            let mut w = self.store.write(now).await?;
            let Some(job) = jobs::claim(&mut w, now).await? else {
                break;
            };
            w.lock(OrgId(job.org_id)).await?;
            ran += 1;
            let done = match run(&mut w, &job).await {
                Ok(()) => w.commit().await.map_err(Error::from),
                Err(e) => {
                    drop(w);
                    Err(e)
                }
            };
            if let Err(e) = done {
                // Rolled back: put it off an hour so one failing job never holds up the rest.
                tracing::warn!(job = job.id, error = %e, "a job failed; trying it again in an hour");
                let mut w = self.store.write(now).await?;
                let until = outlay_core::Timestamp(now.0 + 3600);
                jobs::postpone(&mut w, job.id, until, &format!("failed: {e}")).await?;
                w.commit().await?;
            }
        }
        Ok(ran)
    }
}

/// Does `job` in `w`, marks it done, and records what came of it.
async fn run(w: &mut Write, job: &JobRow) -> Result<(), Error> {
    let org = OrgId(job.org_id);
    let waiting = report_steps::waiting(w, org, job.report_id).await?;
    let current = waiting
        .filter(|r| r.submitted && r.route_no == job.route_no && r.step_idx == Some(job.step_idx));
    let (outcome, detail) = match current {
        None => ("obsolete: the report left that step".to_string(), None),
        Some(r) => match job.kind.as_str() {
            jobs::ESCALATION => escalate(w, org, job, &r).await?,
            _ => remind(w, org, job, &r).await?,
        },
    };
    jobs::finish(w, job.id, &outcome).await?;
    if let Some((action, detail)) = detail {
        let target = format!("report:{}", job.report_id);
        w.audit(NewEvent {
            org,
            at: w.now(),
            actor_member: None,
            actor_person: None,
            action,
            target: &target,
            outcome: Outcome::Allowed,
            reason: "the step waited past its policy's delay",
            detail,
        })
        .await?;
    }
    Ok(())
}

type Done = (String, Option<(&'static str, serde_json::Value)>);

/// How a notice names report `id` to those a step waits on: by its title when the step names
/// them, but only by its number to the holders of a role, some of whom may not see it.
fn named(step: &RoutedStep, id: i64, title: &str) -> String {
    match step.approvers {
        Approvers::Role { .. } => format!("report {id}"),
        _ => format!("report \"{title}\""),
    }
}

/// Who a step waits on and has not approved it yet: its members, or the holders of its roles.
async fn approvers(
    w: &mut Write,
    org: OrgId,
    r: &Waiting,
    step: &RoutedStep,
) -> Result<Vec<MemberId>, Error> {
    let mut who = match &step.approvers {
        Approvers::Role { roles } => {
            let now = w.now();
            jobs::role_holders(w, org, roles, now).await?
        }
        _ => step.member_ids.iter().copied().map(MemberId).collect(),
    };
    who.retain(|m| m.0 != r.owner_id && !r.approved.contains(&m.0));
    Ok(who)
}

async fn remind(w: &mut Write, org: OrgId, job: &JobRow, r: &Waiting) -> Result<Done, Error> {
    let Some(step) = &r.step else {
        return Ok(("nothing to remind: no step".into(), None));
    };
    let who = approvers(w, org, r, step).await?;
    let name = named(step, job.report_id, &r.title);
    let subject = format!("Reminder: {name} waits for your approval");
    let body = format!(
        "{name} has waited on step {} ({}) since it came to that step.",
        job.step_idx + 1,
        step.describe()
    );
    let notices: Vec<Notice> = who
        .iter()
        .map(|m| Notice {
            member: *m,
            kind: "approval_reminder",
            subject: &subject,
            body: &body,
            report: Some(job.report_id),
        })
        .collect();
    jobs::notify(w, org, &notices).await?;
    let ids: Vec<i64> = who.iter().map(|m| m.0).collect();
    let detail = json!({"step": job.step_idx, "reminded": ids});
    Ok((
        format!("reminded {}", ids.len()),
        Some(("report.remind", detail)),
    ))
}

async fn escalate(w: &mut Write, org: OrgId, job: &JobRow, r: &Waiting) -> Result<Done, Error> {
    let Some(step) = &r.step else {
        return Ok(("nothing to escalate: no step".into(), None));
    };
    let waiting_on = step.member_ids.first().copied().map(MemberId);
    let above = match waiting_on {
        Some(m) => report_steps::manager_of(w, org, m).await?,
        None => None,
    };
    // Never to the report's owner, nor to someone who approved a step of it already: the
    // step would wait on someone who may not take it.
    let acted: Vec<i64> = report_steps::steps(w, org, job.report_id)
        .await?
        .iter()
        .flat_map(|s| s.approvals.iter())
        .flat_map(|a| [Some(a.member_id), a.on_behalf_of])
        .flatten()
        .collect();
    let above = above.filter(|m| m.0 != r.owner_id && !acted.contains(&m.0));
    let Some(up) = step.escalated(above) else {
        return Ok((
            "not escalated: not a manager step with a manager above".into(),
            None,
        ));
    };
    report_steps::escalate(w, org, job.report_id, job.step_idx, &up).await?;
    let subject = format!("Report \"{}\" now waits for your approval", r.title);
    let body = format!(
        "Report {} (\"{}\") waited too long on step {} and moved to you.",
        job.report_id,
        r.title,
        job.step_idx + 1
    );
    let notices: Vec<Notice> = up
        .member_ids
        .iter()
        .map(|m| Notice {
            member: MemberId(*m),
            kind: "approval_escalated",
            subject: &subject,
            body: &body,
            report: Some(job.report_id),
        })
        .collect();
    jobs::notify(w, org, &notices).await?;
    let detail = json!({"step": job.step_idx, "from": up.escalated_from, "to": up.member_ids});
    Ok(("escalated".into(), Some(("report.escalate", detail))))
}

/// What happened to a report that someone is told about.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Told {
    /// Its approvers: it waits on them now.
    ApprovalRequested,
    /// Its owner: the decision.
    Approved,
    Rejected,
    ChangesRequested,
    Paid,
}

/// Tells whom it concerns that report `id` moved, in the transaction that moved it: its
/// current step's approvers, or its owner.
pub(crate) async fn tell(w: &mut Write, org: OrgId, id: i64, what: Told) -> Result<(), Error> {
    let Some(r) = report_steps::waiting(w, org, id).await? else {
        return Ok(());
    };
    let (kind, who, subject) = match what {
        Told::ApprovalRequested => {
            let Some(step) = r.step.clone() else {
                return Ok(());
            };
            let who = approvers(w, org, &r, &step).await?;
            let subject = format!("A {} waits for your approval", named(&step, id, &r.title));
            ("approval_requested", who, subject)
        }
        other => {
            let (kind, verb) = match other {
                Told::Approved => ("report_approved", "was approved"),
                Told::Rejected => ("report_rejected", "was rejected"),
                Told::ChangesRequested => ("changes_requested", "needs changes"),
                _ => ("report_paid", "was paid"),
            };
            let subject = format!("Your report \"{}\" {verb}", r.title);
            (kind, vec![MemberId(r.owner_id)], subject)
        }
    };
    let body = format!("{subject}. Report {id} in Outlay has the details.");
    let notices: Vec<Notice> = who
        .iter()
        .map(|m| Notice {
            member: *m,
            kind,
            subject: &subject,
            body: &body,
            report: Some(id),
        })
        .collect();
    Ok(jobs::notify(w, org, &notices).await?)
}
