//! The checks a report's expenses go through when it is submitted: above its category's
//! limit, no receipt above its category's threshold, a duplicate of another expense of the
//! same member (same merchant, day and amount), spent on a weekend. The company's approval
//! policy says, per check, whether it is off, flags the expense for the approvers, or blocks
//! the submit ([`Checks`], in [`crate::policy::Policy`]). Pure: the facts come in, the flags
//! go out; the store keeps them with the expenses.

use crate::money::shown as amount;
use serde::{Deserialize, Serialize};

/// What a check does when an expense fails it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Off,
    /// The expense is flagged; approvers and auditors see why.
    #[default]
    Flag,
    /// The report cannot be submitted while the expense fails it.
    Block,
}

/// Per check, what it does. Left out: flag, except weekends (off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checks {
    #[serde(default)]
    pub over_limit: Mode,
    #[serde(default)]
    pub missing_receipt: Mode,
    #[serde(default)]
    pub duplicate: Mode,
    #[serde(default = "off")]
    pub weekend: Mode,
}

fn off() -> Mode {
    Mode::Off
}

impl Default for Checks {
    fn default() -> Checks {
        Checks {
            over_limit: Mode::Flag,
            missing_receipt: Mode::Flag,
            duplicate: Mode::Flag,
            weekend: Mode::Off,
        }
    }
}

/// One check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    OverLimit,
    MissingReceipt,
    Duplicate,
    Weekend,
}

impl Check {
    pub fn code(self) -> &'static str {
        match self {
            Check::OverLimit => "over_limit",
            Check::MissingReceipt => "missing_receipt",
            Check::Duplicate => "duplicate",
            Check::Weekend => "weekend",
        }
    }
}

impl Checks {
    pub fn mode(&self, check: Check) -> Mode {
        match check {
            Check::OverLimit => self.over_limit,
            Check::MissingReceipt => self.missing_receipt,
            Check::Duplicate => self.duplicate,
            Check::Weekend => self.weekend,
        }
    }
}

/// An expense that failed a check, and why, in words for its approvers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub code: Check,
    pub message: String,
    /// The policy blocks the submit on it (such a flag is never stored: the submit fails).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blocks: bool,
}

/// What identifies a spend, to find the same one twice.
#[derive(Clone, Copy, Debug)]
pub struct Spent<'a> {
    pub id: i64,
    pub merchant: &'a str,
    /// `YYYY-MM-DD`.
    pub spent_on: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
}

impl Spent<'_> {
    /// The same merchant (case and surrounding spaces aside), day and amount.
    fn same_as(&self, other: &Spent<'_>) -> bool {
        self.id != other.id
            && self.spent_on == other.spent_on
            && self.amount_minor == other.amount_minor
            && self.currency == other.currency
            && self.merchant.trim().to_lowercase() == other.merchant.trim().to_lowercase()
    }
}

/// What the checks read about one expense.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    pub spent: Spent<'a>,
    /// Its amount in the company currency; `None` when it could not be converted (no limit
    /// nor threshold is compared then).
    pub base_minor: Option<i64>,
    pub base_currency: &'a str,
    /// It has a receipt reference.
    pub has_receipt: bool,
    pub category: &'a str,
    /// Its category's limit per expense, and amount above which a receipt is required.
    pub limit_minor: Option<i64>,
    pub receipt_above_minor: Option<i64>,
}

/// The flags expense `e` earns by `checks`, given the other expenses of its member that
/// could be its duplicates (`others`, in any report or none; itself among them is ignored).
pub fn flags(checks: &Checks, e: &Facts<'_>, others: &[Spent<'_>]) -> Vec<Flag> {
    let money = |m: i64| amount(m, e.base_currency);
    let mut found = Vec::new();
    if let (Some(amount), Some(limit)) = (e.base_minor, e.limit_minor) {
        if amount > limit {
            let why = format!(
                "{} is above the limit of {} per expense in `{}`",
                money(amount),
                money(limit),
                e.category
            );
            found.push((Check::OverLimit, why));
        }
    }
    if let (Some(amount), Some(above)) = (e.base_minor, e.receipt_above_minor) {
        if amount > above && !e.has_receipt {
            let why = format!(
                "no receipt: `{}` requires one above {}",
                e.category,
                money(above)
            );
            found.push((Check::MissingReceipt, why));
        }
    }
    if let Some(twin) = others.iter().find(|o| o.same_as(&e.spent)) {
        let why = format!("the same merchant, day and amount as expense {}", twin.id);
        found.push((Check::Duplicate, why));
    }
    if is_weekend(e.spent.spent_on) {
        let why = format!("spent on a weekend ({})", e.spent.spent_on);
        found.push((Check::Weekend, why));
    }
    found
        .into_iter()
        .filter_map(|(code, message)| match checks.mode(code) {
            Mode::Off => None,
            mode => Some(Flag {
                code,
                message,
                blocks: mode == Mode::Block,
            }),
        })
        .collect()
}

/// Whether a `YYYY-MM-DD` day is a Saturday or a Sunday; `false` for anything else.
pub fn is_weekend(day: &str) -> bool {
    let mut parts = day.splitn(3, '-').map(str::parse::<i64>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // 0 is Thursday: 2 is Saturday, 3 is Sunday.
    matches!(days.rem_euclid(7), 2 | 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spent(id: i64, merchant: &'static str, day: &'static str, amount: i64) -> Spent<'static> {
        Spent {
            id,
            merchant,
            spent_on: day,
            amount_minor: amount,
            currency: "EUR",
        }
    }

    fn facts(spent: Spent<'static>) -> Facts<'static> {
        Facts {
            spent,
            base_minor: Some(spent.amount_minor),
            base_currency: "EUR",
            has_receipt: false,
            category: "meals",
            limit_minor: Some(5_000),
            receipt_above_minor: Some(2_500),
        }
    }

    fn codes(flags: &[Flag]) -> Vec<&'static str> {
        flags.iter().map(|f| f.code.code()).collect()
    }

    #[test]
    fn over_the_limit_and_without_a_receipt_is_flagged_by_default() {
        let e = facts(spent(1, "Vapiano", "2026-11-18", 6_000));
        let f = flags(&Checks::default(), &e, &[]);
        assert_eq!(codes(&f), ["over_limit", "missing_receipt"]);
        assert_eq!(
            f[0].message,
            "60.00 EUR is above the limit of 50.00 EUR per expense in `meals`"
        );
        assert!(f.iter().all(|f| !f.blocks));
        // At the limit and at the threshold exactly: nothing.
        let e = facts(spent(1, "Vapiano", "2026-11-18", 2_500));
        assert!(flags(&Checks::default(), &e, &[]).is_empty());
        // With a receipt, only the limit.
        let e = Facts {
            has_receipt: true,
            ..facts(spent(1, "Vapiano", "2026-11-18", 6_000))
        };
        assert_eq!(codes(&flags(&Checks::default(), &e, &[])), ["over_limit"]);
        // Not converted to the company currency: nothing to compare.
        let e = Facts {
            base_minor: None,
            ..facts(spent(1, "Vapiano", "2026-11-18", 6_000))
        };
        assert!(flags(&Checks::default(), &e, &[]).is_empty());
    }

    #[test]
    fn a_duplicate_is_the_same_merchant_day_and_amount_of_another_expense() {
        let e = facts(spent(1, "Vapiano", "2026-11-18", 1_000));
        let twin = spent(7, " vapiano ", "2026-11-18", 1_000);
        let f = flags(&Checks::default(), &e, &[e.spent, twin]);
        assert_eq!(codes(&f), ["duplicate"]);
        assert!(f[0].message.contains("expense 7"), "{}", f[0].message);
        // Itself, another day, another amount or another currency: none.
        for other in [
            spent(1, "Vapiano", "2026-11-18", 1_000),
            spent(7, "Vapiano", "2026-11-19", 1_000),
            spent(7, "Vapiano", "2026-11-18", 1_001),
            Spent {
                currency: "USD",
                ..twin
            },
        ] {
            assert!(
                flags(&Checks::default(), &e, &[other]).is_empty(),
                "{other:?}"
            );
        }
    }

    #[test]
    fn modes_switch_a_check_off_or_make_it_block() {
        // 2026-11-21 is a Saturday.
        let e = facts(spent(1, "Vapiano", "2026-11-21", 6_000));
        assert_eq!(
            codes(&flags(&Checks::default(), &e, &[])),
            ["over_limit", "missing_receipt"]
        );
        let checks = Checks {
            over_limit: Mode::Block,
            missing_receipt: Mode::Off,
            weekend: Mode::Flag,
            ..Checks::default()
        };
        let f = flags(&checks, &e, &[]);
        assert_eq!(codes(&f), ["over_limit", "weekend"]);
        assert_eq!((f[0].blocks, f[1].blocks), (true, false));
    }

    #[test]
    fn weekends_are_saturdays_and_sundays() {
        assert!(!is_weekend("1970-01-01")); // a Thursday
        assert!(is_weekend("2026-11-21") && is_weekend("2026-11-22"));
        assert!(!is_weekend("2026-11-20") && !is_weekend("2026-11-23"));
        assert!(is_weekend("2000-01-01") && is_weekend("2024-02-25"));
        assert!(!is_weekend("2024-02-29"));
        assert!(!is_weekend("not a day"));
    }

    #[test]
    fn checks_left_out_of_a_policy_take_their_defaults() {
        let c: Checks = serde_json::from_str(r#"{"duplicate": "block"}"#).unwrap();
        assert_eq!(
            c,
            Checks {
                duplicate: Mode::Block,
                ..Checks::default()
            }
        );
        assert_eq!(Checks::default().weekend, Mode::Off);
    }
}
