//! Exchange rates: finance (`rate.manage`) sets them, entered or imported from CSV; whoever
//! may create expenses reads them (the expense form shows what an amount will count as).
//! An expense in another currency converts when saved ([`convert`]).

use super::{Actor, Change, Done, Question, Result};
use outlay_core::authorize;
use outlay_core::expense::ExpenseInput;
use outlay_core::fx::{self, Converted, RateEntry};
use outlay_core::validate::ValidationError;
use outlay_core::{Action, Reason};
use outlay_store::fx::RateRow;
use outlay_store::{Conn, Write};
use serde_json::json;

/// `input`'s amount in the company currency at the rate of its spending date, when it is in
/// another currency and a rate on or before that date is set.
pub(super) async fn convert(
    conn: &mut Conn,
    actor: &Actor,
    input: &ExpenseInput,
) -> Result<Option<Converted>> {
    let base = &actor.company.base_currency;
    let m = &input.money;
    if m.currency == *base {
        return Ok(None);
    }
    let found = outlay_store::fx::rate_on(conn, actor.org, &m.currency, &input.spent_on).await?;
    let Some(row) = found else { return Ok(None) };
    // Stored by `Set` from a checked decimal; one that no longer parses converts nothing.
    let Ok(rate) = fx::rate("rate", &row.rate) else {
        return Ok(None);
    };
    let converted = fx::convert(m.amount_minor, &m.currency, base, rate);
    Ok(converted.map(|amount_minor| Converted {
        amount_minor,
        rate: row.rate,
        rate_on: row.rate_on,
    }))
}

/// The company's rates, newest first (of one currency, or all).
pub struct List {
    pub currency: Option<String>,
    pub limit: i64,
}

impl Question for List {
    type Output = Vec<RateRow>;

    fn action(&self) -> &'static str {
        "rate.view"
    }

    fn target(&self) -> String {
        "rates".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<RateRow>> {
        let manages = authorize::company(&actor.principal, actor.ctx(), Action::RateManage);
        let creates = actor
            .principal
            .permissions(actor.now)
            .reach(Action::ExpenseCreate)
            .is_some();
        if !manages.is_allowed() && !creates {
            let action = Action::RateManage;
            return Err(Reason::NoPermission { action }.into());
        }
        let currency = self.currency.map(|c| c.trim().to_ascii_uppercase());
        let rows = outlay_store::fx::list(conn, actor.org, currency.as_deref(), self.limit);
        Ok(rows.await?)
    }
}

/// Set rates (`rate.manage`): each replaces a rate of the same currency and date. Expenses
/// saved before keep the amount they were converted at.
pub struct Set {
    pub entries: Vec<RateEntry>,
}

impl Change for Set {
    type Output = usize;

    fn action(&self) -> &'static str {
        "rate.set"
    }

    fn target(&self, _: &Actor) -> String {
        "rates".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<usize>> {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::RateManage)?;
        let base = &actor.company.base_currency;
        if let Some(i) = self.entries.iter().position(|e| e.currency == *base) {
            let why = format!("is the company currency `{base}`, which needs no rate");
            return Err(ValidationError::new(format!("rates[{i}].currency"), why).into());
        }
        let rows: Vec<(String, String, String)> = self
            .entries
            .iter()
            .map(|e| (e.currency.clone(), e.rate_on.clone(), e.rate.to_string()))
            .collect();
        let n = outlay_store::fx::set(w, actor.org, &rows, permit).await?;
        let shown: Vec<_> = rows.iter().take(20).collect();
        Ok(Done::new(n, json!({"count": n, "first": shown})))
    }
}
