//! What one client may take from the server: time per request phase, connections, body size,
//! login attempts, password hashes at once, and the audit writer's queue. The defaults suit one
//! small server; `outlay serve` sets each from a flag or the environment (README,
//! Configuration).

pub use outlay_app::limits::{AppLimits, AuditLimits, LoginLimits};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Limits {
    /// From a request's first byte to the end of its headers.
    pub header_timeout: Duration,
    /// To receive a request's whole body once its headers are in.
    pub body_timeout: Duration,
    /// To answer a request once its headers are in, reading the body included; beyond it the
    /// answer is 503.
    pub request_timeout: Duration,
    /// A kept-alive connection with no request under way, or a response the client does not
    /// read, is closed after this long.
    pub idle_timeout: Duration,
    /// Open connections at once; beyond it a new connection is answered 503 and closed.
    pub max_connections: usize,
    /// Open connections from one client address at once (a trusted proxy's excepted);
    /// beyond it a new connection from that address is answered 503 and closed.
    pub max_connections_per_address: usize,
    /// Creations per person and per company per minute; past them, 429.
    pub quotas: outlay_app::quota::QuotaLimits,
    /// The largest request body; beyond it, 413.
    pub max_body_bytes: usize,
    /// How long a request waits for a database connection before it is answered 503.
    pub pool_wait: Duration,
    /// How long a statement waits for a database lock held by someone else before it is
    /// answered 503. The store is opened with it (`Store::open_waiting`).
    pub lock_wait: Duration,
    /// How long shutdown waits for requests under way before it drains the audit queue.
    pub shutdown_grace: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: super::proxy::TrustedProxies,
    pub login: LoginLimits,
    pub audit: AuditLimits,
    /// How often the server runs due jobs (approval reminders and escalations) and sends
    /// notices.
    pub jobs_every: Duration,
    /// Where notices are e-mailed (`--smtp-url`); none by default.
    pub mail: Option<outlay_app::mail::Mailer>,
    /// The server's address as people reach it (`--public-url`): e-mailed links start with it.
    pub public_url: String,
    /// Development only (`--dev-show-tokens`, which `outlay demo` sets): invitation tokens
    /// are also shown to the inviter, so a tour or a test without a mail server can accept.
    /// Off: a token travels only in the e-mail to the invited address.
    pub dev_show_tokens: bool,
}

impl Limits {
    /// What the application layer enforces of these limits.
    pub fn app(&self) -> AppLimits {
        AppLimits {
            pool_wait: self.pool_wait,
            login: self.login.clone(),
            audit: self.audit.clone(),
            mail: self.mail.clone(),
            public_url: self.public_url.trim_end_matches('/').to_string(),
            quotas: self.quotas.clone(),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_connections_per_address: 256,
            quotas: outlay_app::quota::QuotaLimits::default(),
            max_body_bytes: 1024 * 1024,
            pool_wait: Duration::from_secs(2),
            lock_wait: outlay_store::LOCK_WAIT,
            shutdown_grace: Duration::from_secs(10),
            trusted_proxies: super::proxy::TrustedProxies::default(),
            login: LoginLimits::default(),
            audit: AuditLimits::default(),
            jobs_every: Duration::from_secs(30),
            mail: None,
            public_url: outlay_app::limits::DEFAULT_PUBLIC_URL.to_string(),
            dev_show_tokens: false,
        }
    }
}

/// Parses a duration written as `500ms`, `10s`, `2m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms, 10s, 2m or 1h"))?;
    match unit.trim() {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n.saturating_mul(60))),
        "h" => Ok(Duration::from_secs(n.saturating_mul(3600))),
        other => Err(format!(
            "`{other}` is not a unit: use ms, s, m or h (`{text}`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_or_without_a_unit() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5d").is_err());
    }
}
