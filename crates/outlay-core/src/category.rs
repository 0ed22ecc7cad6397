//! Expense categories: the company's list, kept by finance (`category.manage`). A category
//! has a name, optionally a limit per expense and an amount above which a receipt is
//! required (both in minor units of the company currency, read by the checks at submit,
//! [`crate::checks`]); an archived one stays on the expenses that have it but takes no new
//! ones. Every company starts with [`DEFAULTS`].

use crate::money::MAX_AMOUNT_MINOR;
use crate::validate::{self, ValidationError};

/// The categories a company is founded with; `general` is what an expense gets when its
/// member names none, `mileage` what a mileage claim gets.
pub const DEFAULTS: &[&str] = &[
    DEFAULT,
    "travel",
    "lodging",
    "meals",
    "office",
    "software",
    "training",
    crate::mileage::CATEGORY,
];

/// An expense's category when its member names none.
pub const DEFAULT: &str = "general";

/// The longest name: what an expense's `category` holds.
pub const MAX_NAME: usize = 64;

/// A category's fields as finance sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryInput {
    pub name: String,
    /// No expense of the category may be above this (minor units of the company currency).
    pub limit_minor: Option<i64>,
    /// An expense of the category above this needs a receipt.
    pub receipt_above_minor: Option<i64>,
}

/// Fields of an edit as sent: those left out keep their value; `Some(None)` clears one.
#[derive(Clone, Debug, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub limit_minor: Option<Option<i64>>,
    pub receipt_above_minor: Option<Option<i64>>,
}

impl CategoryInput {
    pub fn parse(
        name: &str,
        limit_minor: Option<i64>,
        receipt_above_minor: Option<i64>,
    ) -> Result<CategoryInput, ValidationError> {
        let max = MAX_AMOUNT_MINOR;
        if limit_minor.is_some_and(|l| !(1..=max).contains(&l)) {
            let why = format!("must be 1 to {max} minor units");
            return Err(ValidationError::new("limit_minor", why));
        }
        if receipt_above_minor.is_some_and(|r| !(0..=max).contains(&r)) {
            let why = format!("must be 0 to {max} minor units");
            return Err(ValidationError::new("receipt_above_minor", why));
        }
        Ok(CategoryInput {
            name: validate::text("name", name, MAX_NAME)?,
            limit_minor,
            receipt_above_minor,
        })
    }

    /// This category with `patch` applied, checked again whole.
    pub fn patched(&self, patch: &CategoryPatch) -> Result<CategoryInput, ValidationError> {
        CategoryInput::parse(
            patch.name.as_deref().unwrap_or(&self.name),
            patch.limit_minor.unwrap_or(self.limit_minor),
            patch
                .receipt_above_minor
                .unwrap_or(self.receipt_above_minor),
        )
    }
}

/// Whether an expense may be put in the category named `name`, found (with whether it is
/// archived) or not in the company's list: a refusal names `category`.
pub fn usable(name: &str, found: Option<bool>) -> Result<(), ValidationError> {
    match found {
        Some(false) => Ok(()),
        Some(true) => Err(ValidationError::new(
            "category",
            format!("`{name}` is archived: choose another of the company's categories"),
        )),
        None => Err(ValidationError::new(
            "category",
            format!("`{name}` is not one of the company's categories"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_with_their_name() {
        let field = |r: Result<CategoryInput, ValidationError>| r.map_err(|e| e.field);
        assert!(CategoryInput::parse("Travel", Some(10_000), Some(2_500)).is_ok());
        assert_eq!(
            field(CategoryInput::parse(" ", None, None)),
            Err("name".into())
        );
        let long = "x".repeat(MAX_NAME + 1);
        assert_eq!(
            field(CategoryInput::parse(&long, None, None)),
            Err("name".into())
        );
        assert_eq!(
            field(CategoryInput::parse("a", Some(0), None)),
            Err("limit_minor".into())
        );
        assert_eq!(
            field(CategoryInput::parse("a", None, Some(-1))),
            Err("receipt_above_minor".into())
        );
        // A receipt may be required for every expense of the category.
        assert!(CategoryInput::parse("a", None, Some(0)).is_ok());
    }

    #[test]
    fn a_patch_keeps_what_it_leaves_out_and_clears_what_it_nulls() {
        let c = CategoryInput::parse("travel", Some(10_000), Some(2_500)).unwrap();
        let p = c
            .patched(&CategoryPatch {
                limit_minor: Some(None),
                ..CategoryPatch::default()
            })
            .unwrap();
        assert_eq!(
            (p.name.as_str(), p.limit_minor, p.receipt_above_minor),
            ("travel", None, Some(2_500))
        );
    }

    #[test]
    fn only_an_active_category_of_the_company_takes_expenses() {
        assert!(usable("travel", Some(false)).is_ok());
        assert_eq!(
            usable("travel", Some(true)).map_err(|e| e.field),
            Err("category".into())
        );
        assert_eq!(
            usable("snacks", None).map_err(|e| e.field),
            Err("category".into())
        );
        assert!(DEFAULTS.contains(&DEFAULT) && DEFAULTS.contains(&"mileage"));
    }
}
