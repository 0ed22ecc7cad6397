//! Expenses: their status machine and the validation of what a member types in.

use crate::money::Money;
use crate::validate::{self, ValidationError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

impl ExpenseStatus {
    pub const ALL: [ExpenseStatus; 4] = [
        ExpenseStatus::Draft,
        ExpenseStatus::Submitted,
        ExpenseStatus::Approved,
        ExpenseStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseStatus::Draft => "draft",
            ExpenseStatus::Submitted => "submitted",
            ExpenseStatus::Approved => "approved",
            ExpenseStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseStatus> {
        ExpenseStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Drafts and rejected expenses can still be changed by their owner and resubmitted.
    pub fn is_editable(self) -> bool {
        matches!(self, ExpenseStatus::Draft | ExpenseStatus::Rejected)
    }
}

/// A validated new expense, or the full set of fields of an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpenseInput {
    pub money: Money,
    pub merchant: String,
    pub spent_on: String,
    pub category: String,
    pub note: Option<String>,
    /// The trip of its owner it belongs to, if any.
    pub trip_id: Option<i64>,
}

/// Raw fields as they come from a person, before validation.
#[derive(Clone, Debug, Default)]
pub struct RawExpense<'a> {
    pub amount_minor: Option<i64>,
    pub currency: Option<&'a str>,
    pub merchant: Option<&'a str>,
    pub spent_on: Option<&'a str>,
    pub category: Option<&'a str>,
    pub note: Option<&'a str>,
    /// `Some(None)`: no trip (an edit unlinks it).
    pub trip_id: Option<Option<i64>>,
}

/// Fields of an edit as a person sent them: those left out keep their value.
#[derive(Clone, Debug, Default)]
pub struct ExpensePatch {
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub merchant: Option<String>,
    pub spent_on: Option<String>,
    pub category: Option<String>,
    pub note: Option<String>,
    /// `Some(None)` unlinks it from its trip.
    pub trip_id: Option<Option<i64>>,
}

impl ExpensePatch {
    pub fn raw(&self) -> RawExpense<'_> {
        RawExpense {
            amount_minor: self.amount_minor,
            currency: self.currency.as_deref(),
            merchant: self.merchant.as_deref(),
            spent_on: self.spent_on.as_deref(),
            category: self.category.as_deref(),
            note: self.note.as_deref(),
            trip_id: self.trip_id,
        }
    }
}

fn required<T>(field: &str, v: Option<T>) -> Result<T, ValidationError> {
    v.ok_or_else(|| ValidationError::new(field, "is required"))
}

impl ExpenseInput {
    pub fn parse(raw: &RawExpense<'_>) -> Result<ExpenseInput, ValidationError> {
        let money = Money::new(
            required("amount_minor", raw.amount_minor)?,
            required("currency", raw.currency)?,
        )?;
        Ok(ExpenseInput {
            money,
            merchant: validate::text("merchant", required("merchant", raw.merchant)?, 200)?,
            spent_on: validate::date("spent_on", required("spent_on", raw.spent_on)?)?,
            category: validate::text("category", raw.category.unwrap_or("general"), 64)?,
            note: validate::optional_text("note", raw.note, 2000)?,
            trip_id: raw.trip_id.flatten(),
        })
    }

    /// Applies a partial edit: fields left out keep their current value.
    pub fn patched(&self, raw: &RawExpense<'_>) -> Result<ExpenseInput, ValidationError> {
        let note = match raw.note {
            Some(n) => Some(n),
            None => self.note.as_deref(),
        };
        ExpenseInput::parse(&RawExpense {
            amount_minor: Some(raw.amount_minor.unwrap_or(self.money.amount_minor)),
            currency: Some(raw.currency.unwrap_or(&self.money.currency)),
            merchant: Some(raw.merchant.unwrap_or(&self.merchant)),
            spent_on: Some(raw.spent_on.unwrap_or(&self.spent_on)),
            category: Some(raw.category.unwrap_or(&self.category)),
            note,
            trip_id: Some(raw.trip_id.unwrap_or(self.trip_id)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawExpense<'static> {
        RawExpense {
            amount_minor: Some(4200),
            currency: Some("EUR"),
            merchant: Some("Taxi Berlin"),
            spent_on: Some("2026-11-02"),
            category: Some("travel"),
            note: None,
            trip_id: None,
        }
    }

    #[test]
    fn a_valid_expense_parses() {
        let e = ExpenseInput::parse(&raw());
        assert_eq!(e.map(|e| e.money.amount_minor), Ok(4200));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(RawExpense<'static>, &str)> = vec![
            (
                RawExpense {
                    amount_minor: None,
                    ..raw()
                },
                "amount_minor",
            ),
            (
                RawExpense {
                    amount_minor: Some(0),
                    ..raw()
                },
                "amount_minor",
            ),
            (
                RawExpense {
                    currency: Some("EURO"),
                    ..raw()
                },
                "currency",
            ),
            (
                RawExpense {
                    merchant: Some(" "),
                    ..raw()
                },
                "merchant",
            ),
            (
                RawExpense {
                    spent_on: Some("2026-02-30"),
                    ..raw()
                },
                "spent_on",
            ),
        ];
        for (r, field) in cases {
            assert_eq!(
                ExpenseInput::parse(&r).map_err(|e| e.field),
                Err(field.to_string())
            );
        }
    }

    #[test]
    fn a_patch_keeps_untouched_fields() {
        let e = ExpenseInput::parse(&raw()).unwrap_or_else(|e| panic!("{e}"));
        let p = e.patched(&RawExpense {
            merchant: Some("Bahn"),
            ..RawExpense::default()
        });
        let p = p.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.merchant, "Bahn");
        assert_eq!(p.money, e.money);
    }
}
