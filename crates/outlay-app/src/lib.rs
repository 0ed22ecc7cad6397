//! Outlay's application layer: what every front end calls (the JSON API today, web pages and
//! the CLI alike), with no HTTP types. It owns who calls ([`Session`], loaded into an
//! [`Actor`] per company), the typed commands (`ops`: a `Change` runs in one write
//! transaction holding the company's lock, a `Question` on one read connection), running them
//! with their audit trail ([`App::perform`], [`App::ask`]), the audit writer, the login
//! throttle, the password gate and the clock. Layers: core <- store <- app <- outlay.

pub mod actor;
pub mod audit_writer;
pub mod clock;
pub mod jobs;
pub mod limits;
pub mod mail;
pub mod ops;
pub mod password;
mod perform;
pub mod quota;
pub mod session;
pub mod throttle;
pub mod tokens;

pub use actor::Actor;
pub use limits::AppLimits;
pub use ops::{Change, Error, Question};
pub use session::Session;

use audit_writer::AuditWriter;
use clock::Clock;
use outlay_core::{OrgId, Timestamp};
use outlay_store::{Store, Write};
use password::HashGate;
use std::sync::Arc;
use std::time::Duration;
use throttle::Throttle;

/// What a front end counts about the application layer's work (the HTTP server's metrics);
/// nothing by default.
pub trait Observe: Send + Sync {
    /// A wait for a database connection, and whether it ran out.
    fn pool_wait(&self, _took: Duration, _timed_out: bool) {}
    /// A login attempt held back by the throttle.
    fn throttled_login(&self) {}
}

/// Counts nothing.
pub struct Unobserved;

impl Observe for Unobserved {}

/// The application layer's services, shared by every request: one allocation, and a clone is
/// one reference count.
#[derive(Clone)]
pub struct App(Arc<Services>);

impl std::ops::Deref for App {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What every operation may use.
pub struct Services {
    pub store: Store,
    pub clock: Clock,
    pub limits: AppLimits,
    pub audit: AuditWriter,
    pub throttle: Arc<Throttle>,
    pub quotas: Arc<quota::Quotas>,
    pub hashes: Arc<HashGate>,
    pub metrics: Arc<dyn Observe>,
    pub actors: Arc<actor::ActorCache>,
}

impl App {
    /// The application layer over `store`. Call inside a Tokio runtime: it starts the audit
    /// writer.
    pub fn new(store: Store, clock: Clock, limits: AppLimits, metrics: Arc<dyn Observe>) -> App {
        // The decoy hash (verified against for unknown emails) costs a full argon2 run the
        // first time: compute it now, off the async threads, not inside the first login.
        tokio::task::spawn_blocking(|| {
            password::decoy();
        });
        App(Arc::new(Services {
            audit: AuditWriter::start(store.clone(), limits.audit.clone()),
            throttle: Arc::new(Throttle::new(limits.login.clone())),
            quotas: Arc::new(quota::Quotas::new(limits.quotas.clone())),
            hashes: Arc::new(HashGate::new(limits.login.hashes, limits.login.hash_wait)),
            limits,
            metrics,
            actors: Arc::default(),
            store,
            clock,
        }))
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// A read connection, or `PoolBusy` when none comes free within the pool wait: a caller
    /// never queues behind an exhausted pool for long, and busy is told apart from a database
    /// that fails.
    pub async fn checkout(&self) -> Result<outlay_store::Read, Error> {
        let started = std::time::Instant::now();
        let conn = tokio::time::timeout(self.limits.pool_wait, self.store.read()).await;
        self.metrics.pool_wait(started.elapsed(), conn.is_err());
        match conn {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(Error::PoolBusy),
        }
    }

    /// The connection a session was read on (one snapshot for the whole request), or a
    /// fresh one.
    pub async fn read_for(&self, session: &Session) -> Result<outlay_store::Read, Error> {
        match session.take_read() {
            Some(conn) => Ok(conn),
            None => self.checkout().await,
        }
    }

    /// A write transaction holding `org`'s lock, or `PoolBusy` when no connection (or the
    /// lock) comes free within the pool wait.
    pub async fn write_for(&self, org: OrgId, now: Timestamp) -> Result<Write, Error> {
        let started = std::time::Instant::now();
        let w = tokio::time::timeout(self.limits.pool_wait, self.store.write_for(org, now)).await;
        self.metrics.pool_wait(started.elapsed(), w.is_err());
        match w {
            Ok(w) => Ok(w?),
            Err(_) => Err(Error::PoolBusy),
        }
    }
}
