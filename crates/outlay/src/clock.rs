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

/// Parses RFC 3339 text into a timestamp.
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|d| Timestamp(d.unix_timestamp()))
}
