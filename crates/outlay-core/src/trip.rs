//! Trips: a member requests one (where, why, when, what it should cost); whoever approves
//! their spending approves or rejects it (never their own); the owner withdraws an undecided
//! request. Expenses link to a trip of their owner, and a trip shows their total and the
//! per-diem allowance finance set for its destination: days (both ends counted) times the
//! daily amount.

use crate::catalog::{Action, Resource};
use crate::lifecycle::{After, Lifecycle};
use crate::org::Target;
use crate::validate::{self, ValidationError};

crate::names! {
    /// Where a trip is in its life.
    pub enum TripStatus {
        Requested = "requested",
        Approved = "approved",
        Rejected = "rejected",
    }
}

crate::names! {
    /// What can be done to a trip.
    pub enum TripStep {
        View = "view",
        /// Its owner withdraws a request not yet decided.
        Cancel = "cancel",
        Approve = "approve",
        Reject = "reject",
    }
}

use TripStatus::{Approved, Rejected, Requested};
use TripStep as S;

impl Lifecycle for TripStatus {
    type Step = TripStep;
    const RESOURCE: Resource = Resource::Trip;
    const NOUN: &'static str = "a trip";
    const STATES: &'static [TripStatus] = &TripStatus::ALL;
    const STEPS: &'static [TripStep] = &TripStep::ALL;
    const VIEW: TripStep = TripStep::View;
    const TABLE: &'static [(TripStep, TripStatus, After<TripStatus>)] = &[
        (S::Cancel, Requested, After::Deleted),
        (S::Approve, Requested, After::Status(Approved)),
        (S::Reject, Requested, After::Status(Rejected)),
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }
    fn step_name(step: TripStep) -> &'static str {
        step.as_str()
    }
    fn permission(step: TripStep) -> Action {
        match step {
            S::View => Action::TripView,
            // The owner's own request.
            S::Cancel => Action::TripCreate,
            S::Approve | S::Reject => Action::TripApprove,
        }
    }
    fn verb(action: Action) -> &'static str {
        match action {
            Action::TripApprove => "decide",
            _ => "change",
        }
    }
}

/// What the rules need to know about a trip.
#[derive(Clone, Copy, Debug)]
pub struct TripFacts<'a> {
    pub id: i64,
    pub owner: Target<'a>,
    pub status: TripStatus,
    /// Its estimated cost, in minor units of the company currency.
    pub amount_minor: i64,
}

impl<'a> TripFacts<'a> {
    pub fn resource(&self) -> crate::ResourceRef<'a> {
        crate::ResourceRef {
            kind: Some(Resource::Trip),
            id: Some(self.id),
            owner: Some(self.owner),
            status: Some(crate::lifecycle::State::of(self.status)),
            amount_minor: Some(self.amount_minor),
            ..crate::ResourceRef::default()
        }
    }
}

/// The longest trip, in days: longer stays are postings, not trips.
pub const MAX_DAYS: i64 = 366;
/// The largest estimated cost or daily allowance, in minor units.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

/// A trip as requested, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TripInput {
    pub destination: String,
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: Option<String>,
    pub purpose: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Minor units of the company currency.
    pub estimated_cost_minor: i64,
}

/// A trip's fields as a person sent them.
#[derive(Clone, Debug, Default)]
pub struct RawTrip<'a> {
    pub destination: Option<&'a str>,
    pub country: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub starts_on: Option<&'a str>,
    pub ends_on: Option<&'a str>,
    pub estimated_cost_minor: Option<i64>,
}

fn required<T>(field: &str, v: Option<T>) -> Result<T, ValidationError> {
    v.ok_or_else(|| ValidationError::new(field, "is required"))
}

impl TripInput {
    pub fn parse(raw: &RawTrip<'_>) -> Result<TripInput, ValidationError> {
        let destination = validate::text(
            "destination",
            required("destination", raw.destination)?,
            200,
        )?;
        let country = match raw.country.map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(country("country", c)?),
        };
        let purpose = validate::text("purpose", required("purpose", raw.purpose)?, 200)?;
        let starts_on = validate::date("starts_on", required("starts_on", raw.starts_on)?)?;
        let ends_on = validate::date("ends_on", required("ends_on", raw.ends_on)?)?;
        let n = days(&starts_on, &ends_on);
        if n < 1 {
            return Err(ValidationError::new(
                "ends_on",
                "must be on or after `starts_on`",
            ));
        }
        if n > MAX_DAYS {
            let why = format!("must be at most {MAX_DAYS} days after `starts_on`");
            return Err(ValidationError::new("ends_on", why));
        }
        let cost = required("estimated_cost_minor", raw.estimated_cost_minor)?;
        if !(0..=MAX_MINOR).contains(&cost) {
            let why = format!("must be 0 to {MAX_MINOR} minor units of the company currency");
            return Err(ValidationError::new("estimated_cost_minor", why));
        }
        Ok(TripInput {
            destination,
            country,
            purpose,
            starts_on,
            ends_on,
            estimated_cost_minor: cost,
        })
    }

    /// Where its per diem is looked up: its destination's key.
    pub fn destination_key(&self) -> String {
        key_of(&self.destination)
    }
}

/// Days from 1970-01-01 of a checked `YYYY-MM-DD` date (the civil calendar's day number).
fn day_number(date: &str) -> i64 {
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return 0;
    };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The days a trip from `starts_on` to `ends_on` covers, both counted (checked dates); 0 or
/// less when it ends before it starts.
pub fn days(starts_on: &str, ends_on: &str) -> i64 {
    day_number(ends_on) - day_number(starts_on) + 1
}

/// The per-diem allowance of a trip: its days times the daily amount; `None` when the sum
/// does not fit.
pub fn per_diem(starts_on: &str, ends_on: &str, daily_minor: i64) -> Option<i64> {
    days(starts_on, ends_on).max(0).checked_mul(daily_minor)
}

/// ISO 3166-1 alpha-2 codes, officially assigned.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
    EC EE EG EH ER ES ET FI FJ FK FM FO FR \
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
    ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
    LA LB LC LI LK LR LS LT LU LV LY \
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
    NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
    RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
    VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A country code: ISO 3166-1 alpha-2, any case; uppercase.
pub fn country(field: &str, raw: &str) -> Result<String, ValidationError> {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        let why = format!("`{raw}` is not an ISO 3166-1 alpha-2 country code");
        Err(ValidationError::new(field, why))
    }
}

/// The key a destination is looked up by: two letters are a country code (uppercase); any
/// other text is compared lowercased, its spaces collapsed, so "New  York" finds "new york".
pub fn key_of(destination: &str) -> String {
    let t = destination.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        return t.to_ascii_uppercase();
    }
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One daily allowance finance sets: a destination key and its amount per day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerDiemEntry {
    pub destination: String,
    pub daily_minor: i64,
}

/// The most allowances a company keeps.
pub const MAX_PER_DIEMS: usize = 1_000;

/// Checks one allowance; `at` names it (`per_diems[3]`). A two-letter destination must be a
/// country code.
pub fn per_diem_entry(
    at: &str,
    destination: &str,
    daily_minor: i64,
) -> Result<PerDiemEntry, ValidationError> {
    let field = format!("{at}.destination");
    validate::text(&field, destination, 100)?;
    let key = key_of(destination);
    if key.len() == 2 && key.bytes().all(|b| b.is_ascii_uppercase()) {
        country(&field, &key)?;
    }
    if !(1..=MAX_MINOR).contains(&daily_minor) {
        let why = format!("must be 1 to {MAX_MINOR} minor units of the company currency");
        return Err(ValidationError::new(format!("{at}.daily_minor"), why));
    }
    Ok(PerDiemEntry {
        destination: key,
        daily_minor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::after;

    fn raw() -> RawTrip<'static> {
        RawTrip {
            destination: Some("Lisbon"),
            country: Some("pt"),
            purpose: Some("Web Summit"),
            starts_on: Some("2026-11-10"),
            ends_on: Some("2026-11-13"),
            estimated_cost_minor: Some(120_000),
        }
    }

    #[test]
    fn a_trip_of_four_days_at_50_a_day_has_200_per_diem() {
        let t = TripInput::parse(&raw()).unwrap();
        assert_eq!(t.country.as_deref(), Some("PT"));
        assert_eq!(days(&t.starts_on, &t.ends_on), 4);
        assert_eq!(per_diem(&t.starts_on, &t.ends_on, 5_000), Some(20_000));
        // Across a month, a leap day and a year.
        assert_eq!(days("2028-02-28", "2028-03-01"), 3);
        assert_eq!(days("2026-12-31", "2027-01-01"), 2);
        assert_eq!(days("2026-05-05", "2026-05-05"), 1);
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(RawTrip<'static>, &str)> = vec![
            (
                RawTrip {
                    destination: Some(" "),
                    ..raw()
                },
                "destination",
            ),
            (
                RawTrip {
                    country: Some("XX"),
                    ..raw()
                },
                "country",
            ),
            (
                RawTrip {
                    purpose: None,
                    ..raw()
                },
                "purpose",
            ),
            (
                RawTrip {
                    starts_on: Some("2026-02-30"),
                    ..raw()
                },
                "starts_on",
            ),
            (
                RawTrip {
                    ends_on: Some("2026-11-09"),
                    ..raw()
                },
                "ends_on",
            ),
            (
                RawTrip {
                    ends_on: Some("2027-11-13"),
                    ..raw()
                },
                "ends_on",
            ),
            (
                RawTrip {
                    estimated_cost_minor: Some(-1),
                    ..raw()
                },
                "estimated_cost_minor",
            ),
        ];
        for (r, field) in cases {
            assert_eq!(
                TripInput::parse(&r).map_err(|e| e.field),
                Err(field.to_string())
            );
        }
    }

    #[test]
    fn destinations_are_keyed_by_country_code_or_folded_text() {
        assert_eq!(key_of(" pt "), "PT");
        assert_eq!(key_of("New  York"), "new york");
        assert_eq!(key_of("München"), "münchen");
        assert_eq!(
            per_diem_entry("p", "de", 4_200).map(|e| e.destination),
            Ok("DE".into())
        );
        assert!(per_diem_entry("p", "zz", 4_200).is_err());
        assert!(per_diem_entry("p", "Paris", 0).is_err());
    }

    #[test]
    fn a_trip_moves_only_along_its_table() {
        assert_eq!(after(S::Approve, Requested), Some(After::Status(Approved)));
        assert_eq!(after(S::Cancel, Requested), Some(After::Deleted));
        for step in TripStep::ALL {
            assert_eq!(after(step, Approved), None, "{step:?}");
            assert_eq!(after(step, Rejected), None, "{step:?}");
        }
    }
}
