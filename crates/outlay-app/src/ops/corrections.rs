//! Finance's corrections of an approved expense not yet paid (`expense.correct`): its
//! category, amount or VAT, with the reason. The audit entry keeps the expense's accounting
//! before and after; its owner is told by a notice (mailed when the server sends mail). A
//! report it is in reads its total from its expenses, so the total follows.

use super::owned::{self, View};
use super::{Actor, Change, Done, Error, Result};
use outlay_core::authorize::ExpenseAction;
use outlay_core::correction::{Accounting, Correction};
use outlay_core::expense::ExpenseInput;
use outlay_core::money::{shown, Money};
use outlay_core::{Action, MemberId};
use outlay_store::corrections::{self, Corrected};
use outlay_store::expenses::ExpenseRow;
use outlay_store::jobs::{self, Notice};
use outlay_store::Write;
use serde_json::json;

/// Correct expense `id`.
pub struct Correct {
    pub id: i64,
    pub correction: Correction,
}

fn accounting(a: &Accounting) -> serde_json::Value {
    json!({"category": a.category, "amount_minor": a.amount_minor, "vat_minor": a.vat_minor})
}

impl Change for Correct {
    type Output = View<ExpenseRow>;

    fn action(&self) -> &'static str {
        "expense.correct"
    }

    fn target(&self, _: &Actor) -> String {
        owned::target::<ExpenseRow>(self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<View<ExpenseRow>>> {
        let (id, org) = (self.id, actor.org);
        let row: ExpenseRow = owned::visible(w, actor, id).await?;
        let action = Action::ExpenseCorrect;
        let (permit, granted) = owned::permit(w, actor, action, Some(&row), None).await?;
        // The permit corrects this one approved expense, which stays approved.
        let permit = permit.into_transition(ExpenseAction::Correct)?;
        let before = Accounting {
            category: row.category.clone(),
            amount_minor: row.amount_minor,
            vat_minor: row.vat_minor,
        };
        let after = self.correction.applied(&before)?;
        if after.category != before.category {
            super::categories::check(w, actor, &after.category).await?;
        }
        let input = ExpenseInput {
            money: Money::new(after.amount_minor, &row.currency)?,
            ..row.input()
        };
        let base = super::rates::convert(w, actor, &input).await?;
        let corrected = Corrected {
            amount_minor: after.amount_minor,
            base: base.as_ref(),
            category: &after.category,
            vat_minor: after.vat_minor,
        };
        corrections::correct(w, org, id, &corrected, permit).await?;
        let reason = &self.correction.reason;
        let subject = format!("Your expense at {} was corrected", row.merchant);
        let body = format!(
            "Finance corrected your approved expense {id} ({} of {}): {reason}. It is now {} in `{}`{}.",
            row.merchant,
            row.spent_on,
            shown(after.amount_minor, &row.currency),
            after.category,
            after
                .vat_minor
                .map(|v| format!(", VAT {}", shown(v, &row.currency)))
                .unwrap_or_default()
        );
        let notice = Notice {
            member: MemberId(row.who.owner_id),
            kind: "expense_corrected",
            subject: &subject,
            body: &body,
            report: row.report_id,
        };
        jobs::notify(w, org, &[notice]).await?;
        let detail = json!({"expense_id": id, "report_id": row.report_id, "reason": granted.to_string(),
                            "correction_reason": reason, "currency": row.currency,
                            "before": accounting(&before), "after": accounting(&after)});
        let row = owned::read(w, actor, id).await?.ok_or(Error::NotFound)?;
        Ok(Done::new(owned::view(actor, row), detail))
    }
}
