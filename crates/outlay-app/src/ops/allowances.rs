//! What finance sets for travel (`rate.manage`): daily allowances per destination and mileage
//! rates per vehicle and unit, each a company table set whole; whoever may create expenses
//! reads them (the forms show them). A mileage claim ([`Mileage`]) is a draft expense of
//! distance times rate, created as any other expense is ([`super::expenses::Create`]).

use super::expenses::{Create, ExpenseView};
use super::{Actor, Change, Done, Question, Result};
use outlay_core::expense::ExpenseInput;
use outlay_core::mileage::{self, Unit};
use outlay_core::money::Money;
use outlay_core::trip::PerDiemEntry;
use outlay_core::validate::ValidationError;
use outlay_core::{authorize, Action, MemberId, Reason};
use outlay_store::allowances::{self, MileageRateRow, PerDiemRow};
use outlay_store::{Conn, Write};
use rust_decimal::Decimal;
use serde_json::json;

/// Finance, or whoever may create expenses, reads what finance set.
fn may_read(actor: &Actor) -> Result<()> {
    let manages = authorize::company(&actor.principal, actor.ctx(), Action::RateManage);
    let creates = actor
        .principal
        .permissions(actor.now)
        .reach(Action::ExpenseCreate);
    if manages.is_allowed() || creates.is_some() {
        Ok(())
    } else {
        let action = Action::RateManage;
        Err(Reason::NoPermission { action }.into())
    }
}

/// `field` of the entry at `i` when an earlier entry has the same key.
fn repeated<K: PartialEq>(keys: &[K], field: &str, at: &str) -> Result<()> {
    for (i, k) in keys.iter().enumerate() {
        if keys[..i].contains(k) {
            let why = "is listed twice";
            return Err(ValidationError::new(format!("{at}[{i}].{field}"), why).into());
        }
    }
    Ok(())
}

/// The company's daily allowances.
pub struct PerDiems;

impl Question for PerDiems {
    type Output = Vec<PerDiemRow>;

    fn action(&self) -> &'static str {
        "per_diem.view"
    }

    fn target(&self) -> String {
        "per_diems".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<PerDiemRow>> {
        may_read(actor)?;
        Ok(allowances::per_diems(conn, actor.org).await?)
    }
}

/// Set the company's daily allowances: the table as listed, each destination once.
pub struct SetPerDiems {
    pub entries: Vec<PerDiemEntry>,
}

impl Change for SetPerDiems {
    type Output = usize;

    fn action(&self) -> &'static str {
        "per_diem.set"
    }

    fn target(&self, _: &Actor) -> String {
        "per_diems".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<usize>> {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::RateManage)?;
        let keys: Vec<&str> = self
            .entries
            .iter()
            .map(|e| e.destination.as_str())
            .collect();
        repeated(&keys, "destination", "per_diems")?;
        let rows: Vec<(String, i64)> = self
            .entries
            .into_iter()
            .map(|e| (e.destination, e.daily_minor))
            .collect();
        let n = allowances::set_per_diems(w, actor.org, &rows, permit).await?;
        let shown: Vec<_> = rows.iter().take(20).collect();
        Ok(Done::new(n, json!({"count": n, "first": shown})))
    }
}

/// The company's mileage rates.
pub struct MileageRates;

impl Question for MileageRates {
    type Output = Vec<MileageRateRow>;

    fn action(&self) -> &'static str {
        "mileage_rate.view"
    }

    fn target(&self) -> String {
        "mileage_rates".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<MileageRateRow>> {
        may_read(actor)?;
        Ok(allowances::mileage_rates(conn, actor.org).await?)
    }
}

/// Set the company's mileage rates: the table as listed, each vehicle and unit once.
/// Mileage expenses filed before keep their amount.
pub struct SetMileageRates {
    pub entries: Vec<mileage::RateEntry>,
}

impl Change for SetMileageRates {
    type Output = usize;

    fn action(&self) -> &'static str {
        "mileage_rate.set"
    }

    fn target(&self, _: &Actor) -> String {
        "mileage_rates".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<usize>> {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::RateManage)?;
        let keys: Vec<(&str, Unit)> = self
            .entries
            .iter()
            .map(|e| (e.vehicle.as_str(), e.unit))
            .collect();
        repeated(&keys, "vehicle", "rates")?;
        let rows: Vec<(String, &str, String)> = self
            .entries
            .iter()
            .map(|e| (e.vehicle.clone(), e.unit.as_str(), e.rate.to_string()))
            .collect();
        let n = allowances::set_mileage_rates(w, actor.org, &rows, permit).await?;
        Ok(Done::new(n, json!({"count": n, "rates": rows})))
    }
}

/// File a distance travelled: a draft expense (one's own, or for whoever delegated submitting
/// to the actor) of `distance` at the company's rate for the vehicle and unit, in the company
/// currency, category `mileage`.
pub struct Mileage {
    pub distance: Decimal,
    pub unit: Unit,
    pub vehicle: String,
    pub spent_on: String,
    /// Defaults to `Mileage`.
    pub merchant: Option<String>,
    /// Defaults to what was claimed: `123.4 km by car at 0.3 per km`.
    pub note: Option<String>,
    pub trip_id: Option<i64>,
    pub on_behalf_of: Option<MemberId>,
}

impl Change for Mileage {
    type Output = ExpenseView;

    fn action(&self) -> &'static str {
        "expense.create"
    }

    fn target(&self, _: &Actor) -> String {
        "expenses".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<ExpenseView>> {
        let unit = self.unit.as_str();
        let found = allowances::mileage_rate(w, actor.org, &self.vehicle, unit).await?;
        // Stored by `SetMileageRates` from a checked decimal; one that no longer parses is unset.
        let Some(rate) = found.and_then(|r| mileage::rate("rate", &r).ok()) else {
            let why = format!("has no mileage rate per {unit} set: ask finance to set one");
            return Err(ValidationError::new("vehicle", why).into());
        };
        let base = &actor.company.base_currency;
        let amount = mileage::amount(self.distance, rate, base).unwrap_or(0);
        if amount <= 0 {
            let why = "amounts to nothing at the rate: must come to at least one minor unit";
            return Err(ValidationError::new("distance", why).into());
        }
        let claimed = format!(
            "{} {unit} by {} at {rate} per {unit}",
            self.distance, self.vehicle
        );
        let input = ExpenseInput {
            money: Money::new(amount, base)?,
            merchant: self.merchant.unwrap_or_else(|| "Mileage".into()),
            spent_on: self.spent_on,
            category: mileage::CATEGORY.into(),
            note: Some(self.note.unwrap_or_else(|| claimed.clone())),
            trip_id: self.trip_id,
        };
        let create = Create {
            input,
            on_behalf_of: self.on_behalf_of,
        };
        let mut done = create.apply(w, actor).await?;
        done.detail["mileage"] = json!({"distance": self.distance.to_string(), "unit": unit,
                                        "vehicle": self.vehicle, "rate": rate.to_string()});
        Ok(done)
    }
}
