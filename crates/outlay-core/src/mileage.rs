//! Mileage: finance sets a rate per vehicle and unit (a decimal of the company currency per
//! km or mile, never a float); a member files a distance and gets a draft expense of distance
//! times rate, rounded once to the company currency's minor unit, half away from zero (as
//! [`crate::fx::convert`] rounds).

use crate::money::minor_digits;
use crate::validate::ValidationError;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

crate::names! {
    /// What a distance is measured in.
    pub enum Unit {
        Km = "km",
        Mile = "mile",
    }
}

/// The longest distance one expense claims.
const MAX_DISTANCE: i64 = 100_000;
/// The highest rate per unit: no vehicle costs a thousand a km.
const MAX_RATE: i64 = 1_000;

/// The category of a mileage expense.
pub const CATEGORY: &str = "mileage";

/// A positive decimal of at most `max` with at most `scale` places, typed as text.
fn decimal(
    field: &str,
    raw: &str,
    max: i64,
    scale: u32,
    example: &str,
) -> Result<Decimal, ValidationError> {
    let bad = |why: String| ValidationError::new(field, why);
    let d = Decimal::from_str(raw.trim())
        .map_err(|_| bad(format!("must be a decimal number such as {example}")))?;
    if d <= Decimal::ZERO || d > Decimal::from(max) {
        return Err(bad(format!("must be above 0 and at most {max}")));
    }
    if d.scale() > scale {
        return Err(bad(format!("must have at most {scale} decimal places")));
    }
    Ok(d.normalize())
}

/// A distance as a person typed it: above 0, at most 100000, at most 3 places.
pub fn distance(raw: &str) -> Result<Decimal, ValidationError> {
    decimal("distance", raw, MAX_DISTANCE, 3, "123.4")
}

/// A rate per unit: above 0, at most 1000, at most 6 places.
pub fn rate(field: &str, raw: &str) -> Result<Decimal, ValidationError> {
    decimal(field, raw, MAX_RATE, 6, "0.30")
}

/// A unit: `km` or `mile`.
pub fn unit(field: &str, raw: &str) -> Result<Unit, ValidationError> {
    Unit::parse(raw.trim()).ok_or_else(|| ValidationError::new(field, "must be `km` or `mile`"))
}

/// A vehicle type: `car`, `motorbike`, `bicycle`, `electric_car`, ... (lowercase letters,
/// digits and `_`, 2 to 32, starting with a letter).
pub fn vehicle(field: &str, raw: &str) -> Result<String, ValidationError> {
    let v = raw.trim();
    let ok = (2..=32).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(v.to_string())
    } else {
        let why = "must be 2-32 characters of `a-z`, `0-9` and `_`, starting with a letter, such as `car`";
        Err(ValidationError::new(field, why))
    }
}

/// `distance` at `rate` in minor units of `currency`, rounded half away from zero; `None`
/// for an unknown currency or an amount beyond what the store holds.
pub fn amount(distance: Decimal, rate: Decimal, currency: &str) -> Option<i64> {
    let shift = Decimal::from(10_i64.checked_pow(u32::from(minor_digits(currency)?))?);
    let minor = distance.checked_mul(rate)?.checked_mul(shift)?;
    let rounded = minor.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded).ok()
}

/// One rate finance sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateEntry {
    pub vehicle: String,
    pub unit: Unit,
    pub rate: Decimal,
}

/// The most rates a company keeps.
pub const MAX_RATES: usize = 200;

/// Checks one rate; `at` names it (`rates[2]`).
pub fn entry(
    at: &str,
    vehicle_raw: &str,
    unit_raw: &str,
    rate_raw: &str,
) -> Result<RateEntry, ValidationError> {
    Ok(RateEntry {
        vehicle: vehicle(&format!("{at}.vehicle"), vehicle_raw)?,
        unit: unit(&format!("{at}.unit"), unit_raw)?,
        rate: rate(&format!("{at}.rate"), rate_raw)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn one_hundred_twenty_three_point_four_km_at_0_30_is_37_02_euros() {
        assert_eq!(
            amount(
                distance("123.4").unwrap(),
                rate("rate", "0.30").unwrap(),
                "EUR"
            ),
            Some(3_702)
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero_once_in_the_currency_minor_unit() {
        // 0.5 cent up; below it down.
        assert_eq!(amount(d("1.5"), d("0.01"), "EUR"), Some(2));
        assert_eq!(amount(d("1.49"), d("0.01"), "EUR"), Some(1));
        // 10.5 km at 0.35 is 3.675: 3.68 (never 3.67 from rounding twice or a float).
        assert_eq!(amount(d("10.5"), d("0.35"), "EUR"), Some(368));
        // Yen has no minor unit; dinar three.
        assert_eq!(amount(d("12.3"), d("20"), "JPY"), Some(246));
        assert_eq!(amount(d("1"), d("0.1234"), "BHD"), Some(123));
        assert_eq!(amount(d("1"), d("1"), "XXX"), None);
    }

    #[test]
    fn bad_input_names_its_field() {
        for bad in ["0", "-3", "abc", "100000.1", "1.0001"] {
            assert_eq!(
                distance(bad).map_err(|e| e.field),
                Err("distance".into()),
                "{bad}"
            );
        }
        assert!(rate("rate", "0.3000001").is_err());
        assert!(unit("unit", "league").is_err());
        assert!(vehicle("vehicle", "Car").is_err());
        assert_eq!(
            entry("rates[0]", "electric_car", "mile", "0.25").map(|e| e.unit),
            Ok(Unit::Mile)
        );
    }
}
