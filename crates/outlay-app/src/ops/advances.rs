//! Cash advances: request one, have it decided by whoever approves one's spending (never
//! one's own), paid out by finance, settled against one's approved reports, and closed with
//! what was not claimed returned. Reading, listing, allowed actions and delegations are the
//! owned-rows kit's ([`super::owned`]).

use super::owned::{self, Governed, View};
use super::{Actor, Change, Done, Error, Result};
use outlay_core::advance::{self, AdvanceStatus, AdvanceStep};
use outlay_core::authorize::ResourceRef;
use outlay_core::lifecycle::Lifecycle;
use outlay_core::validate::ValidationError;
use outlay_core::{Action, MemberId};
use outlay_store::advances::{self, AdvanceRow};
use outlay_store::scope::TargetFacts;
use outlay_store::Write;
use serde_json::json;

/// An advance as the actor sees it, with what they may do with it now.
pub type AdvanceView = View<AdvanceRow>;

impl Governed for AdvanceRow {
    fn resource<'a>(&'a self, owner: &'a TargetFacts, _base_currency: &str) -> ResourceRef<'a> {
        self.facts(owner).resource()
    }
}

/// Request an advance of one's own, in the company currency.
pub struct Request {
    pub amount_minor: i64,
    pub currency: String,
    pub purpose: String,
    pub needed_by: Option<String>,
}

impl Change for Request {
    type Output = AdvanceView;

    fn action(&self) -> &'static str {
        "advance.request"
    }

    fn target(&self, _: &Actor) -> String {
        "advances".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<AdvanceView>> {
        let base = &actor.company.base_currency;
        if self.currency != *base {
            let why = format!("must be the company currency `{base}`: advances are paid in it");
            return Err(ValidationError::new("currency", why).into());
        }
        let action = Action::AdvanceRequest;
        let (permit, _) = owned::permit::<AdvanceRow>(w, actor, action, None, None).await?;
        let r = advances::Request {
            amount_minor: self.amount_minor,
            currency: &self.currency,
            purpose: &self.purpose,
            needed_by: self.needed_by.as_deref(),
        };
        let id = advances::request(w, actor.org, &r, permit).await?;
        let row = advances::get(w, actor.org, actor.id(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let detail =
            json!({"advance_id": id, "amount_minor": self.amount_minor, "purpose": self.purpose});
        Ok(Done::new(owned::view(actor, row), detail))
    }
}

/// One step in an advance's life.
pub enum Step {
    Cancel,
    /// With an optional note for the owner.
    Approve(Option<String>),
    /// With the reason.
    Reject(String),
    /// The payment's reference.
    Disburse(String),
    /// Cover `amount_minor` of report `report` (the owner's, approved, not yet paid).
    Settle {
        report: i64,
        amount_minor: i64,
    },
    /// What was not claimed came back: the refund's reference.
    Return(String),
}

impl Step {
    fn step(&self) -> AdvanceStep {
        match self {
            Step::Cancel => AdvanceStep::Cancel,
            Step::Approve(_) => AdvanceStep::Approve,
            Step::Reject(_) => AdvanceStep::Reject,
            Step::Disburse(_) => AdvanceStep::Disburse,
            Step::Settle { .. } => AdvanceStep::Settle,
            Step::Return(_) => AdvanceStep::Return,
        }
    }
}

/// Take `step` on advance `id`. The advance afterwards, or `None` once cancelled.
pub struct Act {
    pub id: i64,
    pub step: Step,
}

impl Change for Act {
    type Output = Option<AdvanceView>;

    fn action(&self) -> &'static str {
        match self.step.step() {
            AdvanceStep::View => "advance.view",
            AdvanceStep::Cancel => "advance.cancel",
            AdvanceStep::Approve => "advance.approve",
            AdvanceStep::Reject => "advance.reject",
            AdvanceStep::Disburse => "advance.disburse",
            AdvanceStep::Settle => "advance.settle",
            AdvanceStep::Return => "advance.return",
        }
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<AdvanceRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Option<AdvanceView>>> {
        let (id, org) = (self.id, actor.org);
        let row: AdvanceRow = owned::visible(w, actor, id).await?;
        let step = self.step.step();
        let action = AdvanceStatus::permission(step);
        let (permit, granted) = owned::permit(w, actor, action, Some(&row), None).await?;
        let permit = permit.into_transition::<AdvanceStatus>(step)?;
        let unclaimed = advance::unclaimed(row.amount_minor, row.claimed_minor);
        let mut detail = match self.step {
            Step::Cancel => {
                advances::step(w, org, id, None, None, permit).await?;
                json!({"amount_minor": row.amount_minor, "purpose": row.purpose})
            }
            Step::Approve(note) => {
                advances::step(w, org, id, note.as_deref(), None, permit).await?;
                json!({"note": note, "amount_minor": row.amount_minor})
            }
            Step::Reject(text) | Step::Disburse(text) => {
                advances::step(w, org, id, Some(&text), None, permit).await?;
                json!({"text": text, "amount_minor": row.amount_minor})
            }
            Step::Settle {
                report,
                amount_minor,
            } => {
                let owner = MemberId(row.who.owner_id);
                let open = advances::report_open(w, org, owner, report).await?;
                let Some(open) = open else {
                    let why = "is not an approved, not yet paid report of the advance's owner with a total in the company currency";
                    return Err(ValidationError::new("report_id", why).into());
                };
                advance::settlement(amount_minor, unclaimed, open)?;
                advances::settle(w, org, id, report, amount_minor, permit).await?;
                json!({"report_id": report, "amount_minor": amount_minor,
                       "unclaimed_after": unclaimed - amount_minor})
            }
            Step::Return(reference) => {
                let back = Some(unclaimed);
                advances::step(w, org, id, Some(&reference), back, permit).await?;
                json!({"returned_minor": unclaimed, "reference": reference})
            }
        };
        detail["reason"] = json!(granted.to_string());
        let after = owned::read(w, actor, id)
            .await?
            .map(|row| owned::view(actor, row));
        Ok(Done::new(after, detail))
    }
}
