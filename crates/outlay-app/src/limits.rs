//! What the application layer holds each caller to: how long an operation waits for a
//! database connection, login attempts and password hashes at once, and the audit writer's
//! queue. The HTTP server's own limits (timeouts, connections, bodies) are its own; it hands
//! these on. Defaults suit one small server.

use std::time::Duration;

/// The limits the application layer enforces.
#[derive(Clone, Debug)]
pub struct AppLimits {
    /// How long an operation waits for a database connection before it is refused as busy.
    pub pool_wait: Duration,
    pub login: LoginLimits,
    pub audit: AuditLimits,
    /// Where notices are e-mailed; none: they are only kept for members to read.
    pub mail: Option<crate::mail::Mailer>,
    /// The server's address as people reach it, without a trailing slash: e-mailed links
    /// (invitations, password resets) start with it.
    pub public_url: String,
    /// Creations per person and per company per minute (`quota.rs`).
    pub quotas: crate::quota::QuotaLimits,
}

impl Default for AppLimits {
    fn default() -> AppLimits {
        AppLimits {
            pool_wait: Duration::from_secs(2),
            login: LoginLimits::default(),
            audit: AuditLimits::default(),
            mail: None,
            public_url: DEFAULT_PUBLIC_URL.to_string(),
            quotas: crate::quota::QuotaLimits::default(),
        }
    }
}

/// Where e-mailed links point unless `--public-url` says otherwise.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

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
