//! Expenses: create, read, list, and the steps of an expense's life (edit, delete, submit,
//! approve, reject, override), each by the actor's own rights or on behalf of someone who
//! delegated it to them. Every expense handed back carries the actions the core allows on
//! it now. Reading, listing, the allowed actions and the delegation path are the owned-rows
//! kit's ([`super::owned`]); this file has what is an expense's own.

use super::owned::{self, Governed, View};
use super::{Actor, Change, Done, Error, Result};
use outlay_core::authorize::{self, ExpenseAction, ResourceRef};
use outlay_core::expense::{ExpenseInput, ExpensePatch};
use outlay_core::{Action, MemberId};
use outlay_store::expenses::{self, ExpenseRow};
use outlay_store::scope::TargetFacts;
use outlay_store::Write;
use serde_json::json;

/// An expense as the actor sees it, with what they may do with it now.
pub type ExpenseView = View<ExpenseRow>;

impl Governed for ExpenseRow {
    fn resource<'a>(&'a self, owner: &'a TargetFacts, base_currency: &str) -> ResourceRef<'a> {
        self.facts(owner, base_currency).resource()
    }
}

/// Create a draft: one's own, or for whoever delegated submitting to the actor.
pub struct Create {
    pub input: ExpenseInput,
    pub on_behalf_of: Option<MemberId>,
}

/// One step in an expense's life.
pub enum Step {
    Edit(ExpensePatch),
    Delete,
    Submit,
    Approve,
    Reject {
        reason: String,
    },
    /// Turn a rejected expense into an approved one (`approve`) or back.
    Override {
        approve: bool,
        reason: String,
    },
}

impl Step {
    fn action(&self) -> ExpenseAction {
        match self {
            Step::Edit(_) => ExpenseAction::Edit,
            Step::Delete => ExpenseAction::Delete,
            Step::Submit => ExpenseAction::Submit,
            Step::Approve => ExpenseAction::Approve,
            Step::Reject { .. } => ExpenseAction::Reject,
            Step::Override { .. } => ExpenseAction::Override,
        }
    }
}

/// Take `step` on expense `id`. The expense afterwards, or `None` once deleted.
pub struct Act {
    pub id: i64,
    pub step: Step,
}

impl Change for Create {
    type Output = ExpenseView;

    fn action(&self) -> &'static str {
        "expense.create"
    }

    fn target(&self, _: &Actor) -> String {
        "expenses".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<ExpenseView>> {
        let create = Action::ExpenseCreate;
        let (permit, _) =
            owned::permit::<ExpenseRow>(w, actor, create, None, self.on_behalf_of).await?;
        let on_behalf_of = permit.on_behalf_of();
        let owner = on_behalf_of.unwrap_or(actor.id());
        super::trips::check_link(w, actor, owner, self.input.trip_id).await?;
        super::categories::check(w, actor, &self.input.category).await?;
        let base = super::rates::convert(w, actor, &self.input).await?;
        let id = expenses::create(w, actor.org, &self.input, base.as_ref(), permit).await?;
        let row = expenses::get(w, actor.org, actor.id(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let detail = json!({"expense_id": id, "amount_minor": row.amount_minor, "currency": row.currency,
                            "trip_id": row.trip_id, "on_behalf_of": on_behalf_of.map(|m| m.0)});
        Ok(Done::new(owned::view(actor, row), detail))
    }
}

impl Change for Act {
    type Output = Option<ExpenseView>;

    fn action(&self) -> &'static str {
        match self.step {
            Step::Edit(_) => "expense.edit",
            Step::Delete => "expense.delete",
            Step::Submit => "expense.submit",
            Step::Approve => "expense.approve",
            Step::Reject { .. } => "expense.reject",
            Step::Override { .. } => "expense.override",
        }
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<ExpenseRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Option<ExpenseView>>> {
        let id = self.id;
        let row: ExpenseRow = owned::visible(w, actor, id).await?;
        let action = self.step.action().permission();
        let (permit, granted) = owned::permit(w, actor, action, Some(&row), None).await?;
        // The permit moves this one expense along this one step of the lifecycle.
        let permit = permit.into_transition(self.step.action())?;
        let mut detail = match self.step {
            Step::Edit(patch) => {
                let input = row.input().patched(&patch.raw())?;
                if input.category != row.category {
                    super::categories::check(w, actor, &input.category).await?;
                }
                if input.trip_id != row.trip_id {
                    let owner = MemberId(row.who.owner_id);
                    super::trips::check_link(w, actor, owner, input.trip_id).await?;
                }
                let base = super::rates::convert(w, actor, &input).await?;
                expenses::update(w, actor.org, id, &input, base.as_ref(), permit).await?;
                json!({"before": {"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant, "trip_id": row.trip_id},
                       "after": {"amount_minor": input.money.amount_minor, "currency": input.money.currency, "merchant": input.merchant, "trip_id": input.trip_id}})
            }
            Step::Delete => {
                expenses::delete(w, actor.org, id, permit).await?;
                json!({"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant})
            }
            Step::Submit => {
                expenses::submit(w, actor.org, id, permit).await?;
                json!({})
            }
            Step::Approve => {
                expenses::decide(w, actor.org, id, None, permit).await?;
                json!({})
            }
            Step::Reject { reason } => {
                expenses::decide(w, actor.org, id, Some(&reason), permit).await?;
                json!({"reject_reason": reason})
            }
            Step::Override { approve, reason } => {
                if let Some(r) = authorize::override_status(approve, row.status()) {
                    return Err(r.into());
                }
                expenses::override_decision(w, actor.org, id, approve, &reason, permit).await?;
                let decision = if approve { "approve" } else { "reject" };
                json!({"override": decision, "override_reason": reason, "before": row.status})
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
