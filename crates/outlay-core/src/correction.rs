//! Finance's corrections of an approved expense before it is paid (`expense.correct`): its
//! category, amount or VAT, always with the reason, which the audit entry keeps with what
//! the expense was before and after. Who may correct which expense, and that a paid one is
//! final, is `decide`'s (the lifecycle's `correct` step, and [`crate::report::contained`]).

use crate::money::MAX_AMOUNT_MINOR;
use crate::validate::{self, ValidationError};

/// The longest reason.
pub const MAX_REASON: usize = 1000;

/// What a correction changes (what it leaves out keeps its value), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub category: Option<String>,
    pub amount_minor: Option<i64>,
    /// `Some(None)` clears it.
    pub vat_minor: Option<Option<i64>>,
    pub reason: String,
}

/// An expense's corrected fields, before or after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounting {
    pub category: String,
    pub amount_minor: i64,
    pub vat_minor: Option<i64>,
}

impl Correction {
    /// Checks a correction as sent: a reason, something to change, each value in range.
    pub fn parse(
        category: Option<&str>,
        amount_minor: Option<i64>,
        vat_minor: Option<Option<i64>>,
        reason: Option<&str>,
    ) -> Result<Correction, ValidationError> {
        let reason = reason.ok_or_else(|| ValidationError::new("reason", "is required"))?;
        let reason = validate::text("reason", reason, MAX_REASON)?;
        if category.is_none() && amount_minor.is_none() && vat_minor.is_none() {
            let why = "names nothing to correct: give `category`, `amount_minor` or `vat_minor`";
            return Err(ValidationError::new("category", why));
        }
        if amount_minor.is_some_and(|a| !(1..=MAX_AMOUNT_MINOR).contains(&a)) {
            let why = format!("must be 1 to {MAX_AMOUNT_MINOR} minor units");
            return Err(ValidationError::new("amount_minor", why));
        }
        if vat_minor.flatten().is_some_and(|v| v < 0) {
            return Err(ValidationError::new("vat_minor", "must not be negative"));
        }
        let category = category
            .map(|c| validate::text("category", c, crate::category::MAX_NAME))
            .transpose()?;
        Ok(Correction {
            category,
            amount_minor,
            vat_minor,
            reason,
        })
    }

    /// `before` with this correction applied; the VAT can never exceed the amount.
    pub fn applied(&self, before: &Accounting) -> Result<Accounting, ValidationError> {
        let after = Accounting {
            category: self
                .category
                .clone()
                .unwrap_or_else(|| before.category.clone()),
            amount_minor: self.amount_minor.unwrap_or(before.amount_minor),
            vat_minor: self.vat_minor.unwrap_or(before.vat_minor),
        };
        if after.vat_minor.is_some_and(|v| v > after.amount_minor) {
            let why = "must not be above the expense's amount";
            return Err(ValidationError::new("vat_minor", why));
        }
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<Correction, ValidationError>) -> Result<Correction, String> {
        r.map_err(|e| e.field)
    }

    #[test]
    fn a_correction_needs_a_reason_and_something_to_correct() {
        assert_eq!(
            field(Correction::parse(None, Some(100), None, None)),
            Err("reason".into())
        );
        assert_eq!(
            field(Correction::parse(None, Some(100), None, Some("  "))),
            Err("reason".into())
        );
        assert_eq!(
            field(Correction::parse(None, None, None, Some("typo"))),
            Err("category".into())
        );
        assert_eq!(
            field(Correction::parse(None, Some(0), None, Some("typo"))),
            Err("amount_minor".into())
        );
        assert_eq!(
            field(Correction::parse(None, None, Some(Some(-1)), Some("typo"))),
            Err("vat_minor".into())
        );
        let c = Correction::parse(Some("travel"), None, Some(None), Some(" typo "));
        assert_eq!(c.map(|c| c.reason), Ok("typo".to_string()));
    }

    #[test]
    fn what_a_correction_leaves_out_keeps_its_value() {
        let before = Accounting {
            category: "meals".into(),
            amount_minor: 4_200,
            vat_minor: Some(670),
        };
        let c = Correction::parse(None, Some(3_900), None, Some("receipt says 39.00"));
        let after = c.and_then(|c| c.applied(&before));
        assert_eq!(
            after,
            Ok(Accounting {
                amount_minor: 3_900,
                ..before.clone()
            })
        );
        // Cleared VAT, and VAT above the new amount.
        let c = Correction::parse(None, None, Some(None), Some("no VAT")).unwrap();
        assert_eq!(c.applied(&before).map(|a| a.vat_minor), Ok(None));
        let c = Correction::parse(None, Some(500), None, Some("typo")).unwrap();
        assert_eq!(
            c.applied(&before).map_err(|e| e.field),
            Err("vat_minor".into())
        );
    }
}
