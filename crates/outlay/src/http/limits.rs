//! What one client may take from the server: time per request phase, connections, body size,
//! login attempts, password hashes at once, and the audit writer's queue. The defaults suit one
//! small server; `outlay serve` sets each from a flag or the environment (README,
//! Configuration).

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
}

#[derive(Clone, Debug)]
pub struct LoginLimits {
    /// Failed logins per account before attempts slow down.
    pub free_per_account: u32,
    /// Failed logins per client address, over all accounts, before attempts slow down.
    pub free_per_address: u32,
    /// The first delay; each further failure doubles it, up to `max_delay`.
    pub base_delay: Duration,
    /// The longest an account or address is ever held back: nobody is locked out for good.
    pub max_delay: Duration,
    /// Delays up to this long are served (the answer comes late); longer ones are a 429 with
    /// `Retry-After`.
    pub inline_delay: Duration,
    /// Failures are forgotten after this long without a new one.
    pub forget_after: Duration,
    /// An address the account logged in from within this long is judged on its own, so
    /// failures from elsewhere never hold the real user back there.
    pub known_address_for: Duration,
    /// Password hashes computed at once (argon2id, about 19 MiB each).
    pub hashes: usize,
    /// How long a login waits for a free hash before it is answered 503.
    pub hash_wait: Duration,
    /// Accounts and addresses tracked at once; the oldest are forgotten first.
    pub max_tracked: usize,
}

#[derive(Clone, Debug)]
pub struct AuditLimits {
    /// Distinct entries waiting to be written; beyond it new ones fold into a per-actor
    /// aggregate (counted, not dropped).
    pub queue: usize,
    /// Identical entries within this window are written as one, with a count and first and
    /// last time.
    pub coalesce: Duration,
    /// How long reading the audit log waits for the queue to be written first.
    pub flush_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_body_bytes: 1024 * 1024,
            pool_wait: Duration::from_secs(2),
            lock_wait: outlay_store::LOCK_WAIT,
            shutdown_grace: Duration::from_secs(10),
            trusted_proxies: super::proxy::TrustedProxies::default(),
            login: LoginLimits::default(),
            audit: AuditLimits::default(),
        }
    }
}

impl Default for LoginLimits {
    fn default() -> LoginLimits {
        LoginLimits {
            free_per_account: 5,
            free_per_address: 20,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
            inline_delay: Duration::from_secs(2),
            forget_after: Duration::from_secs(3600),
            known_address_for: Duration::from_secs(30 * 24 * 3600),
            hashes: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 8),
            hash_wait: Duration::from_secs(1),
            max_tracked: 100_000,
        }
    }
}

impl Default for AuditLimits {
    fn default() -> AuditLimits {
        AuditLimits {
            queue: 4096,
            coalesce: Duration::from_secs(5),
            flush_wait: Duration::from_secs(5),
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
