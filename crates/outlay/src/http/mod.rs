//! The HTTP JSON API under `/api/v1`. Handlers are thin: parse, ask the core, call the store,
//! respond. Company-scoped routes carry the company id; a person acts there through their
//! membership, and what they may not see is a 404, whoever's it is.

pub mod actor;
pub mod audit_writer;
pub mod conn;
pub mod controllers;
pub mod edge;
pub mod error;
pub mod extract;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod page;
pub mod paths;
pub mod perform;
pub mod proxy;
pub mod schema;
pub mod throttle;

use crate::clock::Clock;
use crate::password::HashGate;
use audit_writer::AuditWriter;
use axum::routing::get;
use axum::Router;
use outlay_core::{OrgId, Timestamp};
use outlay_store::{Store, Write};
use std::sync::Arc;
use throttle::Throttle;

pub use error::WebError;
pub use limits::Limits;

/// What every handler shares: the store, the clock, the limits and what enforces them, and
/// the audit writer. Cloned for every request and middleware layer, so it is one shared
/// allocation and a clone is one reference count.
#[derive(Clone)]
pub struct App(Arc<Services>);

impl std::ops::Deref for App {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What the server shares between requests.
pub struct Services {
    pub store: Store,
    pub clock: Clock,
    pub limits: Arc<Limits>,
    pub audit: AuditWriter,
    pub throttle: Arc<Throttle>,
    pub hashes: Arc<HashGate>,
    pub metrics: Arc<metrics::Metrics>,
    pub actors: Arc<actor::ActorCache>,
}

impl App {
    /// An app with the default limits. Call inside a Tokio runtime: it starts the audit
    /// writer.
    pub fn new(store: Store, clock: Clock) -> App {
        App::with_limits(store, clock, Limits::default())
    }

    pub fn with_limits(store: Store, clock: Clock, limits: Limits) -> App {
        // The decoy hash (verified against for unknown emails) costs a full argon2 run the
        // first time: compute it now, off the async threads, not inside the first login.
        tokio::task::spawn_blocking(|| {
            crate::password::decoy();
        });
        App(Arc::new(Services {
            audit: AuditWriter::start(store.clone(), limits.audit.clone()),
            throttle: Arc::new(Throttle::new(limits.login.clone())),
            hashes: Arc::new(HashGate::new(limits.login.hashes, limits.login.hash_wait)),
            limits: Arc::new(limits),
            metrics: metrics::Metrics::new(),
            actors: Arc::default(),
            store,
            clock,
        }))
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// A read connection, or a 503 when none comes free within the pool wait: a request
    /// never queues behind an exhausted pool for long.
    pub async fn read_conn(&self) -> Result<outlay_store::Read, WebError> {
        Ok(self.checkout().await?)
    }

    /// The connection a GET's session was read on (one snapshot for the whole request), or
    /// a fresh one.
    pub async fn read_for(&self, auth: &extract::Auth) -> Result<outlay_store::Read, WebError> {
        match auth.take_read() {
            Some(conn) => Ok(conn),
            None => self.read_conn().await,
        }
    }

    /// `read_conn` for the application layer: busy (`PoolBusy`) is told apart from a
    /// database that fails.
    pub async fn checkout(&self) -> Result<outlay_store::Read, crate::ops::Error> {
        let started = std::time::Instant::now();
        let conn = tokio::time::timeout(self.limits.pool_wait, self.store.read()).await;
        self.metrics.pool_wait(started.elapsed(), conn.is_err());
        match conn {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(crate::ops::Error::PoolBusy),
        }
    }

    /// A write transaction holding `org`'s lock, or a 503 when no connection (or the lock)
    /// comes free within the pool wait.
    pub async fn write_for(&self, org: OrgId, now: Timestamp) -> Result<Write, WebError> {
        let started = std::time::Instant::now();
        let w = tokio::time::timeout(self.limits.pool_wait, self.store.write_for(org, now)).await;
        self.metrics.pool_wait(started.elapsed(), w.is_err());
        match w {
            Ok(w) => Ok(w?),
            Err(_) => Err(WebError::pool_busy()),
        }
    }
}

pub fn router(app: App) -> Router {
    use controllers::*;
    // Every API route comes from its resource's `routes()`, registered once with axum and
    // in the OpenAPI document.
    let (api, _) = openapi::api();
    let limits = Arc::clone(&app.limits);
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::serve))
        .merge(api)
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::track,
        ))
        .fallback(|| async { WebError::NotFound })
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(limits, edge::edge))
        .with_state(app)
}

/// Serves the API on `listener` until ctrl-c or SIGTERM (or the task is dropped), within the
/// app's limits; then lets requests under way finish within the shutdown grace and drains
/// the audit queue.
pub async fn serve(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    conn::serve(listener, app, stop_signal()).await
}

/// Ctrl-c, or SIGTERM (what process managers and orchestrators send) on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
