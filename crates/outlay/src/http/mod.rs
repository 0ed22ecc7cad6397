//! The HTTP JSON API under `/api/v1`. Handlers are thin: parse, ask the core, call the store,
//! respond. Company-scoped routes carry the company id; a person acts there through their
//! membership, and what they may not see is a 404, whoever's it is.

mod access_log;
pub mod conn;
pub mod controllers;
pub mod edge;
pub mod error;
pub mod extract;
mod known_params;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod owned;
pub mod page;
pub mod paths;
mod per_address;
pub mod proxy;
pub mod schema;
mod strict_json;

/// The application layer's parts that handlers name.
pub use outlay_app::{actor, audit_writer, throttle};

use crate::clock::Clock;
use axum::routing::get;
use axum::Router;
use outlay_store::Store;
use std::sync::Arc;

pub use error::WebError;
pub use limits::Limits;

/// What every handler shares: the application layer (store, clock, audit writer, throttle,
/// through `Deref`), the server's limits and its metrics. Cloned for every request and
/// middleware layer, so it is one shared allocation and a clone is one reference count.
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
    /// The application layer every handler calls.
    pub app: outlay_app::App,
    pub limits: Arc<Limits>,
    pub metrics: Arc<metrics::Metrics>,
}

impl std::ops::Deref for Services {
    type Target = outlay_app::App;
    fn deref(&self) -> &outlay_app::App {
        &self.app
    }
}

impl App {
    /// An app with the default limits. Call inside a Tokio runtime: it starts the audit
    /// writer.
    pub fn new(store: Store, clock: Clock) -> App {
        App::with_limits(store, clock, Limits::default())
    }

    pub fn with_limits(store: Store, clock: Clock, limits: Limits) -> App {
        let metrics = metrics::Metrics::new();
        let observe: Arc<dyn outlay_app::Observe> = metrics.clone();
        App(Arc::new(Services {
            app: outlay_app::App::new(store, clock, limits.app(), observe),
            limits: Arc::new(limits),
            metrics,
        }))
    }

    /// A read connection, or a 503 when none comes free within the pool wait.
    pub async fn read_conn(&self) -> Result<outlay_store::Read, WebError> {
        Ok(self.checkout().await?)
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
        .route_layer(axum::middleware::from_fn(known_params::refuse_unknown))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::track,
        ))
        .fallback(|| async { WebError::NotFound })
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(limits, edge::edge))
        .layer(axum::middleware::from_fn(access_log::log))
        .with_state(app)
}

/// Serves the API on `listener` until ctrl-c or SIGTERM (or the task is dropped), within the
/// app's limits; then lets requests under way finish within the shutdown grace and drains
/// the audit queue.
pub async fn serve(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    let jobs = tokio::spawn(run_jobs(app.clone()));
    let served = conn::serve(listener, app, stop_signal()).await;
    jobs.abort();
    served
}

/// Runs due jobs every `jobs_every` while the server serves. A failed pass (the database
/// away) is logged and tried again at the next tick: a job is done in its transaction or not
/// at all.
async fn run_jobs(app: App) {
    let every = app.limits.jobs_every;
    // The first pass one period after start: a starting server answers requests first.
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = app.run_due_jobs(100).await {
            tracing::warn!(error = %e, "running due jobs failed");
        }
        if let Err(e) = app.send_notices(100).await {
            tracing::warn!(error = %e, "sending notices failed");
        }
        if let Err(e) = app.send_mails(100).await {
            tracing::warn!(error = %e, "sending mails failed");
        }
    }
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
