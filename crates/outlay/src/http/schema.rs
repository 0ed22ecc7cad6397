//! Request schemas the derive cannot spell: strings with the exact shape the handlers and
//! `outlay_core::validate` accept, for `#[schema(schema_with = ...)]`. Each pattern is the
//! server's rule written as a regular expression, so a client (or a fuzzer) that follows the
//! document is never refused for the shape of a field. Two rules are only stated, not spelled:
//! currency codes and preset keys are listed in their canonical form (the server also takes
//! other case and surrounding whitespace), and an email's 254-byte limit is in its description.

use utoipa::openapi::schema::{
    Array, ArrayBuilder, Object, ObjectBuilder, SchemaFormat, SchemaType, Type,
};

/// `char::is_whitespace`, what `str::trim` strips.
const WS: &str = r"[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// Neither whitespace nor a control character (`char::is_control`).
const VISIBLE: &str = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// Not a control character.
const NOT_CONTROL: &str = r"[^\x00-\x1f\x7f-\x9f]";

/// `validate::text`: not blank, and no control character once trimmed (surrounding
/// whitespace may be any, tabs and newlines included).
fn text_pattern() -> String {
    format!("^{WS}*{VISIBLE}(?:{NOT_CONTROL}*{VISIBLE})?{WS}*$")
}

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new().schema_type(ty)
}

/// `validate::text(max)`: 1 to `max` characters, not blank, trimmed when stored.
fn text(max: usize, nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(text_pattern()))
        .description(Some(format!(
            "At most {max} characters, not blank, no control characters but surrounding whitespace; trimmed."
        )))
        .build()
}

/// `validate::optional_text(max)`: blank means none; otherwise as `text`.
fn optional_text(max: usize) -> Object {
    string(true)
        .max_length(Some(max))
        .pattern(Some(format!("^{WS}*$|{}", text_pattern())))
        .description(Some(format!(
            "At most {max} characters, no control characters but surrounding whitespace; trimmed; blank means none."
        )))
        .build()
}

pub fn text_80() -> Object {
    text(80, false)
}

pub fn text_70() -> Object {
    text(70, false)
}

pub fn text_70_or_null() -> Object {
    text(70, true)
}

pub fn text_120() -> Object {
    text(120, false)
}

pub fn text_120_or_null() -> Object {
    text(120, true)
}

pub fn text_200_or_null() -> Object {
    text(200, true)
}

pub fn text_64() -> Object {
    text(64, false)
}

pub fn text_64_or_null() -> Object {
    text(64, true)
}

pub fn text_1000() -> Object {
    text(1000, false)
}

pub fn text_1000_or_null() -> Object {
    text(1000, true)
}

pub fn optional_text_500() -> Object {
    optional_text(500)
}

pub fn optional_text_2000() -> Object {
    optional_text(2000)
}

/// `validate::email`: trimmed, one `@` with something before it, a domain with a dot that
/// neither starts nor ends it, no whitespace or control characters (at most 254 bytes).
pub fn email() -> Object {
    let local = r"[^@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
    let edge = r"[^@.\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
    string(false)
        .pattern(Some(format!(
            r"^{WS}*{local}+@{edge}{local}*\.{local}*{edge}{WS}*$"
        )))
        .description(Some(
            "An email address like `name@example.com` (at most 254 bytes); case does not matter.",
        ))
        .build()
}

/// `bank_account::iban`'s shape: 15 to 34 letters and digits, whitespace anywhere between
/// (it is dropped). The country, its length and the check sum are the server's to check.
fn iban(nullable: bool) -> Object {
    string(nullable)
        .pattern(Some(format!("^(?:{WS}*[A-Za-z0-9]){{15,34}}{WS}*$")))
        .description(Some(
            "An IBAN of a SEPA country, e.g. `DE89 3704 0044 0532 0130 00`; spaces and case do not matter.",
        ))
        .build()
}

pub fn iban_required() -> Object {
    iban(false)
}

pub fn iban_or_null() -> Object {
    iban(true)
}

/// `bank_account::bic` (ISO 9362): 8 or 11 characters, case as typed; blank or null for none.
pub fn bic_or_null() -> Object {
    string(true)
        .pattern(Some(format!(
            "^{WS}*$|^{WS}*[A-Za-z]{{6}}[A-Za-z2-9][A-NP-Za-np-z0-9](?:[A-Za-z0-9]{{3}})?{WS}*$"
        )))
        .description(Some(
            "A BIC of 8 or 11 characters, e.g. `COBADEFFXXX`; optional within SEPA.",
        ))
        .build()
}

/// `validate::date`: a calendar date `YYYY-MM-DD` between 1900 and 2999.
fn date(nullable: bool) -> Object {
    string(nullable)
        .format(Some(SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Date,
        )))
        .pattern(Some(
            r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        ))
        .description(Some("A date `YYYY-MM-DD` between 1900 and 2999."))
        .build()
}

pub fn date_required() -> Object {
    date(false)
}

pub fn date_or_null() -> Object {
    date(true)
}

/// `clock::parse_rfc3339`.
fn date_time(nullable: bool) -> Object {
    string(nullable)
        .format(Some(SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::DateTime,
        )))
        .description(Some("An RFC 3339 time like `2026-12-31T23:59:59Z`."))
        .build()
}

pub fn date_time_required() -> Object {
    date_time(false)
}

pub fn date_time_or_null() -> Object {
    date_time(true)
}

/// `money::Money::new`: an ISO 4217 code Outlay knows (case and surrounding whitespace are
/// ignored).
fn currency(nullable: bool) -> Object {
    let codes = outlay_core::money::CURRENCIES.iter().map(|(c, _)| *c);
    let mut values: Vec<serde_json::Value> = codes.map(serde_json::Value::from).collect();
    if nullable {
        values.push(serde_json::Value::Null);
    }
    string(nullable)
        .enum_values(Some(values))
        .description(Some("An ISO 4217 currency code, e.g. `EUR`."))
        .build()
}

pub fn currency_or_null() -> Object {
    currency(true)
}

/// A string that is one of `values`.
fn one_of(values: &[&str], nullable: bool) -> Object {
    let mut values: Vec<serde_json::Value> =
        values.iter().map(|v| serde_json::Value::from(*v)).collect();
    if nullable {
        values.push(serde_json::Value::Null);
    }
    string(nullable).enum_values(Some(values)).build()
}

/// A preset key (surrounding whitespace is ignored); null for `outlay`.
pub fn preset_or_null() -> Object {
    let keys: Vec<&str> = outlay_core::preset::all().iter().map(|p| p.key).collect();
    one_of(&keys, true)
}

/// Permission groups to switch off on a grant.
pub fn perm_groups() -> Array {
    let keys: Vec<&str> = outlay_core::PermGroup::ALL
        .into_iter()
        .map(outlay_core::PermGroup::key)
        .collect();
    ArrayBuilder::new().items(one_of(&keys, false)).build()
}

pub fn override_decision() -> Object {
    one_of(&["approve", "reject"], false)
}

pub fn delegation_kind() -> Object {
    one_of(&["approve", "submit"], false)
}

pub fn member_kind_or_null() -> Object {
    one_of(&["internal", "external"], true)
}

/// `validate::key`: a custom role's key.
pub fn role_key() -> Object {
    string(false)
        .pattern(Some("^[a-z][a-z0-9_]{1,39}$"))
        .description(Some(
            "2-40 characters of `a-z`, `0-9` and `_`, starting with a letter.",
        ))
        .build()
}

/// `mileage::unit`.
pub fn mileage_unit() -> Object {
    one_of(&["km", "mile"], false)
}

/// `mileage::vehicle`: a vehicle type.
pub fn vehicle() -> Object {
    string(false)
        .pattern(Some("^[a-z][a-z0-9_]{1,31}$"))
        .description(Some(
            "A vehicle type such as `car`, `motorbike`, `bicycle` or `electric_car`: 2-32 characters of `a-z`, `0-9` and `_`, starting with a letter.",
        ))
        .build()
}

/// `mileage::distance` and `mileage::rate`: a positive decimal as text, never a float (its
/// bounds are stated, not spelled).
fn decimal(places: usize, max: &str) -> Object {
    string(false)
        .pattern(Some(format!(r"^[0-9]{{1,7}}(\.[0-9]{{1,{places}}})?$")))
        .description(Some(format!(
            "A decimal above 0 and at most {max}, with at most {places} decimal places, as a string."
        )))
        .build()
}

pub fn distance() -> Object {
    decimal(3, "100000")
}

pub fn mileage_rate() -> Object {
    decimal(6, "1000")
}

/// `trip::country`: an ISO 3166-1 alpha-2 code in any case (checked against the assigned
/// codes), or none (null or blank).
pub fn country_or_null() -> Object {
    string(true)
        .pattern(Some(format!("^{WS}*$|^{WS}*[A-Za-z]{{2}}{WS}*$")))
        .description(Some(
            "An ISO 3166-1 alpha-2 country code, e.g. `PT`; blank means none.",
        ))
        .build()
}
