//! Input validation errors: which field, and why, in words a person can act on.

use thiserror::Error;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("`{field}` {reason}")]
pub struct ValidationError {
    pub field: String,
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> ValidationError {
        ValidationError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Non-empty text of at most `max` characters, trimmed. The limit counts what was sent,
/// surrounding whitespace included, so the API document can state it as a plain length.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v.to_string())
}

/// Optional text: empty becomes `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// A plausible email address: one `@`, something on both sides, a dot in the domain.
pub fn email(value: &str) -> Result<String, ValidationError> {
    let v = value.trim().to_ascii_lowercase();
    let ok = v.len() <= 254
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !v.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(v)
    } else {
        Err(ValidationError::new(
            "email",
            "must be an email address like `name@example.com`",
        ))
    }
}

/// A calendar date `YYYY-MM-DD` between 1900 and 2999.
pub fn date(field: &str, value: &str) -> Result<String, ValidationError> {
    let bad = || ValidationError::new(field, format!("must be a date `YYYY-MM-DD`, got `{value}`"));
    let b = value.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(&value[0..4])?, num(&value[5..7])?, num(&value[8..10])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1900..=2999).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(value.to_string())
}

/// A key for custom roles: lowercase letters, digits and `_`, 2 to 40 long.
pub fn key(field: &str, value: &str) -> Result<String, ValidationError> {
    let ok = (2..=40).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        Err(ValidationError::new(
            field,
            "must be 2-40 characters of `a-z`, `0-9` and `_`, starting with a letter",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(date("d", "2024-02-29").is_ok());
        assert!(date("d", "2023-02-29").is_err());
        assert!(date("d", "2023-13-01").is_err());
        assert!(date("d", "2023-1-01").is_err());
        assert!(date("d", "yesterday").is_err());
        assert!(date("d", "2024-+1-01").is_err());
        assert!(date("d", "+024-01-01").is_err());
    }

    #[test]
    fn the_length_limit_counts_surrounding_whitespace() {
        assert_eq!(text("t", " ab ", 4).ok(), Some("ab".into()));
        assert!(text("t", " ab  ", 4).is_err());
    }

    #[test]
    fn emails_are_normalised_to_lowercase() {
        assert_eq!(
            email(" Alice@Acme.Example ").ok(),
            Some("alice@acme.example".into())
        );
        assert!(email("alice").is_err());
        assert!(email("a@b").is_err());
        assert!(email("a b@c.d").is_err());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("m", "  Taxi ", 10).ok(), Some("Taxi".into()));
        assert!(text("m", "   ", 10).is_err());
        assert!(text("m", "abcdefghijk", 10).is_err());
    }
}
