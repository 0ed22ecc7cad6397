//! The command-line flags (and environment variables) for the server's limits; each left out
//! keeps its default from `http::Limits::default()`, named in its help and in README's
//! Configuration table.

use crate::http::limits::{parse_duration, Limits};
use crate::http::proxy::TrustedProxies;
use clap::Args;
use std::time::Duration;

#[derive(Args, Clone, Debug, Default)]
pub struct LimitArgs {
    /// Time from a request's first byte to the end of its headers [default: 10s].
    #[arg(long, env = "OUTLAY_HEADER_TIMEOUT", value_parser = parse_duration)]
    header_timeout: Option<Duration>,
    /// Time to receive a request body once its headers are in; then 408 [default: 10s].
    #[arg(long, env = "OUTLAY_BODY_TIMEOUT", value_parser = parse_duration)]
    body_timeout: Option<Duration>,
    /// Time to answer a request, its body included; then 503 [default: 15s].
    #[arg(long, env = "OUTLAY_REQUEST_TIMEOUT", value_parser = parse_duration)]
    request_timeout: Option<Duration>,
    /// Idle keep-alive connections, and answers nobody reads, are closed after this [default: 30s].
    #[arg(long, env = "OUTLAY_IDLE_TIMEOUT", value_parser = parse_duration)]
    idle_timeout: Option<Duration>,
    /// Open connections at once; one more is answered 503 and closed [default: 1024].
    #[arg(long, env = "OUTLAY_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Open connections from one client address at once (trusted proxies excepted); one more
    /// is answered 503 and closed [default: a quarter of --max-connections].
    #[arg(long, env = "OUTLAY_MAX_CONNECTIONS_PER_ADDRESS")]
    max_connections_per_address: Option<usize>,
    /// Multiplies every creation quota per person and per company per minute (README
    /// lists them; e.g. 100 companies founded per person); 0 turns quotas off [default: 1].
    #[arg(long, env = "OUTLAY_QUOTA_FACTOR")]
    quota_factor: Option<u32>,
    /// The largest request body in bytes; beyond it 413 [default: 1048576].
    #[arg(long, env = "OUTLAY_MAX_BODY_BYTES")]
    max_body_bytes: Option<usize>,
    /// How long a request waits for a database connection before a 503 [default: 2s].
    #[arg(long, env = "OUTLAY_POOL_WAIT", value_parser = parse_duration)]
    pool_wait: Option<Duration>,
    /// How long a statement waits for a database lock held by someone else before a 503
    /// (SQLite's busy timeout, PostgreSQL's lock_timeout) [default: 10s].
    #[arg(long, env = "OUTLAY_LOCK_WAIT", value_parser = parse_duration)]
    lock_wait: Option<Duration>,
    /// Failed logins per account before further attempts slow down [default: 5].
    #[arg(long, env = "OUTLAY_LOGIN_FREE_ATTEMPTS")]
    login_free_attempts: Option<u32>,
    /// Failed logins per client address before further attempts slow down [default: 20].
    #[arg(long, env = "OUTLAY_LOGIN_FREE_PER_ADDRESS")]
    login_free_per_address: Option<u32>,
    /// The longest delay a throttled account or address gets [default: 15m].
    #[arg(long, env = "OUTLAY_LOGIN_MAX_DELAY", value_parser = parse_duration)]
    login_max_delay: Option<Duration>,
    /// Password hashes computed at once, about 19 MiB each [default: CPU count, at most 8].
    #[arg(long, env = "OUTLAY_PASSWORD_HASHES")]
    password_hashes: Option<usize>,
    /// Identical refusals within this window are one audit entry with a count [default: 5s].
    #[arg(long, env = "OUTLAY_AUDIT_COALESCE", value_parser = parse_duration)]
    audit_coalesce: Option<Duration>,
    /// On SIGTERM or ctrl-c: how long requests under way may finish before the audit queue
    /// is drained and the process exits [default: 10s].
    #[arg(long, env = "OUTLAY_SHUTDOWN_GRACE", value_parser = parse_duration)]
    shutdown_grace: Option<Duration>,
    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For`
    /// names the client, for login throttling and the trail [default: none].
    #[arg(long, env = "OUTLAY_TRUSTED_PROXIES", value_parser = TrustedProxies::parse)]
    trusted_proxies: Option<TrustedProxies>,
    /// How often the server runs due jobs: approval reminders and escalations [default: 30s].
    #[arg(long, env = "OUTLAY_JOBS_EVERY", value_parser = parse_duration)]
    jobs_every: Option<Duration>,
    /// E-mail notices (approval requested, decided, reminders, escalations, paid) through
    /// this SMTP relay: `smtp://host:port`, with `user:password@` when it wants a login
    /// [default: none, notices are only kept for members to read].
    #[arg(long, env = "OUTLAY_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of notices [default: `Outlay <outlay@localhost>`].
    #[arg(long, env = "OUTLAY_MAIL_FROM")]
    mail_from: Option<String>,
    /// The server's address as people reach it: e-mailed invitation and password reset links
    /// start with it [default: http://127.0.0.1:8080].
    #[arg(long, env = "OUTLAY_PUBLIC_URL")]
    public_url: Option<String>,
    /// Development only: also show invitation tokens to the inviter in the API's answers, for
    /// trying Outlay without a mail server (`outlay demo` sets it) [default: off].
    #[arg(long, env = "OUTLAY_DEV_SHOW_TOKENS")]
    dev_show_tokens: bool,
    /// Distinct audit entries waiting to be written [default: 4096].
    #[arg(long, env = "OUTLAY_AUDIT_QUEUE")]
    audit_queue: Option<usize>,
}

impl LimitArgs {
    /// Turns on showing invitation tokens to inviters (`outlay demo`).
    pub fn show_tokens(&mut self) {
        self.dev_show_tokens = true;
    }

    /// The mailer `--smtp-url` and `--mail-from` describe, if a relay is given.
    pub fn mailer(&self) -> Result<Option<outlay_app::mail::Mailer>, String> {
        let Some(url) = &self.smtp_url else {
            return Ok(None);
        };
        let from = self
            .mail_from
            .as_deref()
            .unwrap_or("Outlay <outlay@localhost>");
        outlay_app::mail::Mailer::new(url, from).map(Some)
    }

    pub fn limits(&self) -> Limits {
        let mut l = Limits::default();
        let set = |slot: &mut Duration, v: Option<Duration>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut l.header_timeout, self.header_timeout);
        set(&mut l.body_timeout, self.body_timeout);
        set(&mut l.request_timeout, self.request_timeout);
        set(&mut l.idle_timeout, self.idle_timeout);
        set(&mut l.pool_wait, self.pool_wait);
        set(&mut l.lock_wait, self.lock_wait);
        set(&mut l.login.max_delay, self.login_max_delay);
        set(&mut l.audit.coalesce, self.audit_coalesce);
        set(&mut l.shutdown_grace, self.shutdown_grace);
        set(&mut l.jobs_every, self.jobs_every);
        l.max_connections = self.max_connections.unwrap_or(l.max_connections).max(1);
        if let Some(f) = self.quota_factor {
            l.quotas = outlay_app::quota::QuotaLimits::scaled(f);
        }
        l.max_connections_per_address = self
            .max_connections_per_address
            .unwrap_or(l.max_connections / 4)
            .clamp(1, l.max_connections);
        l.max_body_bytes = self.max_body_bytes.unwrap_or(l.max_body_bytes);
        l.login.free_per_account = self.login_free_attempts.unwrap_or(l.login.free_per_account);
        l.login.free_per_address = self
            .login_free_per_address
            .unwrap_or(l.login.free_per_address);
        l.login.hashes = self.password_hashes.unwrap_or(l.login.hashes).max(1);
        l.audit.queue = self.audit_queue.unwrap_or(l.audit.queue).max(1);
        if let Some(url) = &self.public_url {
            l.public_url = url.trim_end_matches('/').to_string();
        }
        l.dev_show_tokens = self.dev_show_tokens;
        if let Some(t) = &self.trusted_proxies {
            l.trusted_proxies = t.clone();
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn flags_override_their_limit_and_leave_the_rest_at_default() {
        let p = Probe::parse_from(["x", "--header-timeout", "3s", "--max-connections", "7"]);
        let l = p.limits.limits();
        assert_eq!(l.header_timeout, Duration::from_secs(3));
        assert_eq!(l.max_connections, 7);
        let d = Limits::default();
        assert_eq!(l.body_timeout, d.body_timeout);
        assert_eq!(l.login.free_per_account, d.login.free_per_account);
    }
}
