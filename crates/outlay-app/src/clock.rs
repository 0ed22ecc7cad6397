//! The clock, as a value the server holds: the core never reads time, the server reads it
//! here once per request and passes it down.

use outlay_core::Timestamp;
use std::sync::Arc;

pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system() -> Clock {
    Arc::new(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Timestamp(i64::try_from(secs).unwrap_or(i64::MAX))
    })
}

/// RFC 3339 text of a timestamp, for responses.
pub fn rfc3339(t: Timestamp) -> String {
    time::OffsetDateTime::from_unix_timestamp(t.0)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.0.to_string())
}

/// Parses RFC 3339 text into a timestamp. Fractions round up to the next whole second, so a
/// window never opens before its `valid_from` nor lasts past its `valid_until`.
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|d| {
            let whole = d.unix_timestamp();
            Timestamp(if d.nanosecond() > 0 { whole + 1 } else { whole })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_of_a_second_round_up() {
        assert_eq!(
            parse_rfc3339("2026-01-01T00:00:00Z"),
            Some(Timestamp(1_767_225_600))
        );
        assert_eq!(
            parse_rfc3339("2026-01-01T00:00:00.1Z"),
            Some(Timestamp(1_767_225_601))
        );
        assert_eq!(
            parse_rfc3339("2025-12-31T23:59:59.9Z"),
            Some(Timestamp(1_767_225_600))
        );
        assert_eq!(parse_rfc3339("tomorrow"), None);
    }
}
