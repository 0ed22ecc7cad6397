//! Exchange rates: an expense in another currency counts in the company currency at the rate
//! finance set for its spending date (the latest rate on or before it). Rates are decimals
//! (units of the company currency per unit of the other), never floats; amounts stay integer
//! minor units with each currency's exponent. The converted amount is rounded once, to the
//! company currency's minor unit, half away from zero (0.5 cent up, -0.5 down), the rule of
//! the euro conversion regulation (EC 1103/97, art. 5).

use crate::money::minor_digits;
use crate::validate::ValidationError;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The largest rate accepted: no currency pair is a million to one.
const MAX_RATE: i64 = 1_000_000;
/// Decimal places a rate may carry.
const MAX_SCALE: u32 = 10;

/// A rate as a person typed it: a positive decimal with at most 10 places.
pub fn rate(field: &str, raw: &str) -> Result<Decimal, ValidationError> {
    let bad = |why: &str| ValidationError::new(field, why);
    let r =
        Decimal::from_str(raw.trim()).map_err(|_| bad("must be a decimal number such as 0.92"))?;
    if r <= Decimal::ZERO || r > Decimal::from(MAX_RATE) {
        return Err(bad("must be above 0 and at most 1000000"));
    }
    if r.scale() > MAX_SCALE {
        return Err(bad("must have at most 10 decimal places"));
    }
    Ok(r.normalize())
}

/// `amount_minor` of `from` in minor units of `to` at `rate`, rounded half away from zero;
/// `None` for an unknown currency or an amount beyond what the store holds.
pub fn convert(amount_minor: i64, from: &str, to: &str, rate: Decimal) -> Option<i64> {
    let (ef, et) = (i64::from(minor_digits(from)?), i64::from(minor_digits(to)?));
    let major = Decimal::from(amount_minor).checked_mul(rate)?;
    let shift = Decimal::from(10_i64.checked_pow(u32::try_from((et - ef).abs()).ok()?)?);
    let minor = if et >= ef {
        major.checked_mul(shift)?
    } else {
        major.checked_div(shift)?
    };
    let rounded = minor.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // No more than an amount may be: sums of them must stay within 64 bits.
    i64::try_from(rounded)
        .ok()
        .filter(|a| *a <= crate::money::MAX_AMOUNT_MINOR)
}

/// An expense's amount in the company currency, with the rate and its date used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Converted {
    pub amount_minor: i64,
    /// As stored: the decimal's text.
    pub rate: String,
    pub rate_on: String,
}

/// One rate to set: a currency other than the company's, a date, the rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateEntry {
    pub currency: String,
    pub rate_on: String,
    pub rate: Decimal,
}

/// The most rates one request sets.
pub const MAX_ENTRIES: usize = 5_000;

/// Checks one entry; `at` names it (`rates[3]`, `line 4`).
pub fn entry(
    at: &str,
    base: &str,
    currency: &str,
    rate_on: &str,
    raw_rate: &str,
) -> Result<RateEntry, ValidationError> {
    let code = currency.trim().to_ascii_uppercase();
    if minor_digits(&code).is_none() {
        let why = format!("`{currency}` is not an ISO 4217 currency code");
        return Err(ValidationError::new(format!("{at}.currency"), why));
    }
    if code == base {
        let why = format!("is the company currency `{base}`, which needs no rate");
        return Err(ValidationError::new(format!("{at}.currency"), why));
    }
    Ok(RateEntry {
        currency: code,
        rate_on: crate::validate::date(&format!("{at}.rate_on"), rate_on.trim())?,
        rate: rate(&format!("{at}.rate"), raw_rate)?,
    })
}

/// Rates from CSV text: `currency,rate_on,rate` per line, an optional header line with those
/// names, blank lines skipped. Errors name the line (`line 3.rate`).
pub fn csv(base: &str, text: &str) -> Result<Vec<RateEntry>, ValidationError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let at = format!("line {}", i + 1);
        if line.is_empty() || (i == 0 && line.eq_ignore_ascii_case("currency,rate_on,rate")) {
            continue;
        }
        let cells: Vec<&str> = line.split(',').collect();
        let [currency, rate_on, rate] = cells[..] else {
            let why = "must hold three cells: currency,rate_on,rate";
            return Err(ValidationError::new(at, why));
        };
        out.push(entry(&at, base, currency, rate_on, rate)?);
        if out.len() > MAX_ENTRIES {
            return Err(ValidationError::new(
                "body",
                format!("must hold at most {MAX_ENTRIES} rates"),
            ));
        }
    }
    if out.is_empty() {
        return Err(ValidationError::new("body", "holds no rate"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Decimal {
        rate("rate", s).unwrap()
    }

    #[test]
    fn fifty_dollars_at_0_92_is_46_euros() {
        assert_eq!(convert(5_000, "USD", "EUR", r("0.92")), Some(4_600));
    }

    #[test]
    fn exponents_differ_by_currency() {
        // 1,000 yen (no minor unit) at 0.0062 is 6.20 euros.
        assert_eq!(convert(1_000, "JPY", "EUR", r("0.0062")), Some(620));
        // 10.00 euros at 161.5 is 1,615 yen.
        assert_eq!(convert(1_000, "EUR", "JPY", r("161.5")), Some(1_615));
        // 1.000 Bahraini dinar (three places) at 2.44 is 2.44 euros.
        assert_eq!(convert(1_000, "BHD", "EUR", r("2.44")), Some(244));
    }

    #[test]
    fn rounding_is_half_away_from_zero_once() {
        // 3 cents at 0.5 is 1.5 cents: 2. 1 cent at 0.925 is 0.925: 1.
        assert_eq!(convert(3, "USD", "EUR", r("0.5")), Some(2));
        assert_eq!(convert(1, "USD", "EUR", r("0.925")), Some(1));
        assert_eq!(convert(1, "USD", "EUR", r("0.49")), Some(0));
        // 5 yen at 0.0061 is 3.05 cents: 3.
        assert_eq!(convert(5, "JPY", "EUR", r("0.0061")), Some(3));
    }

    #[test]
    fn csv_lines_are_checked_by_line() {
        let ok = csv(
            "EUR",
            "currency,rate_on,rate\nUSD,2026-11-20,0.92\n\ngbp,2026-11-20,1.17\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].currency, "GBP");
        let e = csv("EUR", "USD,2026-11-20,0.92\nUSD,2026-13-01,0.9").map_err(|e| e.field);
        assert_eq!(e, Err("line 2.rate_on".to_string()));
        let e = csv("EUR", "EUR,2026-11-20,1").map_err(|e| e.field);
        assert_eq!(e, Err("line 1.currency".to_string()));
        let e = csv("EUR", "USD;2026-11-20;0.92").map_err(|e| e.field);
        assert_eq!(e, Err("line 1".to_string()));
        assert!(csv("EUR", "\n").is_err());
    }

    #[test]
    fn rates_are_positive_decimals() {
        for bad in ["0", "-1", "abc", "2000000", "0.00000000001"] {
            assert!(rate("rate", bad).is_err(), "{bad}");
        }
        assert_eq!(r("0.920").to_string(), "0.92");
        assert_eq!(convert(5_000, "XXX", "EUR", r("1")), None);
        assert_eq!(convert(i64::MAX, "USD", "EUR", r("1000")), None);
    }
}
