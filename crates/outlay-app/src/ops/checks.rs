//! The checks a report's expenses go through at its submit, by the approval policy in force
//! (its `checks`): the facts from the store, the flags from the core
//! ([`outlay_core::checks::flags`]). A check the policy makes blocking refuses the submit,
//! naming the expense and the check; the others' flags are kept with the expenses for the
//! approvers and auditors to see.

use super::{Actor, Error, Result};
use outlay_core::checks::{self, Facts, Flag, Spent};
use outlay_store::reports::ReportRow;
use outlay_store::Conn;

/// Each expense of report `row` with its flags, or the refusal of the first blocking one.
pub(super) async fn run(
    conn: &mut Conn,
    actor: &Actor,
    row: &ReportRow,
) -> Result<Vec<(i64, Vec<Flag>)>> {
    let policy = super::policies::in_force(conn, actor).await?.policy;
    let (checked, spent) = outlay_store::checks::facts(conn, actor.org, row.id).await?;
    let base = actor.company.base_currency.as_str();
    let others: Vec<Spent<'_>> = spent
        .iter()
        .map(|s| Spent {
            id: s.id,
            merchant: &s.merchant,
            spent_on: &s.spent_on,
            amount_minor: s.amount_minor,
            currency: &s.currency,
        })
        .collect();
    let mut out = Vec::with_capacity(checked.len());
    for e in &checked {
        let facts = Facts {
            spent: Spent {
                id: e.id,
                merchant: &e.merchant,
                spent_on: &e.spent_on,
                amount_minor: e.amount_minor,
                currency: &e.currency,
            },
            base_minor: match e.currency == base {
                true => Some(e.amount_minor),
                false => e.base_amount_minor,
            },
            base_currency: base,
            // No receipt store yet: an expense has one when its reference is set, which the
            // receipts feature will fill.
            has_receipt: e.receipt.is_some(),
            category: &e.category,
            limit_minor: e.limit_minor,
            receipt_above_minor: e.receipt_above_minor,
        };
        let flags = checks::flags(&policy.checks, &facts, &others);
        if let Some(f) = flags.iter().find(|f| f.blocks) {
            let why = format!(
                "holds expense {}, which fails the check `{}` the approval policy blocks on: {}",
                e.id,
                f.code.code(),
                f.message
            );
            return Err(Error::invalid("expenses", why));
        }
        out.push((e.id, flags));
    }
    Ok(out)
}
