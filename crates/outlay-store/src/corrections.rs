//! Finance's corrections of an approved expense not yet paid: its category, amount or VAT,
//! written under the permit of the expense's `correct` step (approved to approved, only
//! from the state the decision saw). The report it is in reads its total from its
//! expenses, so the total follows. Why, and what it was before, is the audit entry's.

use crate::expenses::ExpenseRow;
use crate::owned::{self, Set};
use crate::{Result, Write};
use outlay_core::authorize::ExpenseAction;
use outlay_core::expense::ExpenseStatus;
use outlay_core::fx::Converted;
use outlay_core::permit::{Permit, Transition};
use outlay_core::OrgId;

/// An expense's accounting after a correction: what was not corrected keeps its value.
pub struct Corrected<'a> {
    pub amount_minor: i64,
    /// In another currency than the company's: the new amount converted, when a rate is known.
    pub base: Option<&'a Converted>,
    pub category: &'a str,
    pub vat_minor: Option<i64>,
}

/// Writes correction `c` of approved expense `id` under its `correct` permit.
pub async fn correct(
    w: &mut Write,
    org: OrgId,
    id: i64,
    c: &Corrected<'_>,
    permit: Permit<Transition>,
) -> Result<()> {
    let base = c.base;
    let sets = [
        ("amount_minor", Set::Int(Some(c.amount_minor))),
        ("base_amount_minor", Set::Int(base.map(|b| b.amount_minor))),
        ("fx_rate", Set::Text(base.map(|b| b.rate.as_str()))),
        ("fx_rate_on", Set::Text(base.map(|b| b.rate_on.as_str()))),
        ("category", Set::Text(Some(c.category))),
        ("vat_minor", Set::Int(c.vat_minor)),
        ("updated_at", Set::Now),
    ];
    let step = (ExpenseAction::Correct, Some(ExpenseStatus::Approved));
    owned::step::<ExpenseRow>(w, org, id, permit, step, &sets).await?;
    crate::categories::link(w.conn(), org, id, c.category).await
}
