//! The HTTP JSON API under `/api/v1`. Handlers are thin: parse, ask the core, call the store,
//! respond. Company-scoped routes carry the company id; a person acts there through their
//! membership, and what they may not see is a 404, whoever's it is.

pub mod actor;
pub mod controllers;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod page;

use crate::clock::Clock;
use axum::routing::{get, post, put};
use axum::Router;
use outlay_core::Timestamp;
use outlay_store::Store;

pub use error::WebError;

/// What every handler shares: the store and the clock.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Clock,
}

impl App {
    pub fn new(store: Store, clock: Clock) -> App {
        App { store, clock }
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }
}

pub fn router(app: App) -> Router {
    use controllers::*;
    let api = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(me::me))
        .route("/presets", get(orgs::presets))
        .route("/orgs", post(orgs::create))
        .route("/orgs/{org}", get(orgs::get))
        .route("/orgs/{org}/close", post(orgs::close))
        .route(
            "/orgs/{org}/delegations",
            get(delegations::list).post(delegations::create),
        )
        .route(
            "/orgs/{org}/delegations/{id}",
            axum::routing::delete(delegations::end),
        )
        .route(
            "/orgs/{org}/role-requests",
            get(role_requests::list).post(role_requests::create),
        )
        .route(
            "/orgs/{org}/role-requests/{id}/approve",
            post(role_requests::approve),
        )
        .route(
            "/orgs/{org}/role-requests/{id}/decline",
            post(role_requests::decline),
        )
        .route(
            "/invitations/{token}/accept",
            post(members::accept_invitation),
        )
        .route("/orgs/{org}/permissions", get(catalog::permissions))
        .route("/orgs/{org}/roles", get(roles::list).post(roles::create))
        .route(
            "/orgs/{org}/members",
            get(members::list).post(members::invite),
        )
        .route(
            "/orgs/{org}/members/{id}",
            get(members::get).patch(members::update_profile),
        )
        .route(
            "/orgs/{org}/members/{id}/permissions",
            get(members::permissions),
        )
        .route(
            "/orgs/{org}/members/{id}/grants",
            put(members::replace_grants),
        )
        .route(
            "/orgs/{org}/members/{id}/manager",
            put(members::set_manager),
        )
        .route("/orgs/{org}/members/{id}/archive", post(members::archive))
        .route(
            "/orgs/{org}/members/{id}/grants/preview",
            post(members::preview_grants),
        )
        .route("/orgs/{org}/teams", get(teams::list).post(teams::create))
        .route(
            "/orgs/{org}/teams/{id}/members/{member}",
            put(teams::add_member).delete(teams::remove_member),
        )
        .route(
            "/orgs/{org}/expenses",
            get(expenses::list).post(expenses::create),
        )
        .route(
            "/orgs/{org}/expenses/{id}",
            get(expenses::get)
                .patch(expenses::edit)
                .delete(expenses::delete),
        )
        .route("/orgs/{org}/expenses/{id}/submit", post(expenses::submit))
        .route("/orgs/{org}/expenses/{id}/approve", post(expenses::approve))
        .route("/orgs/{org}/expenses/{id}/reject", post(expenses::reject))
        .route(
            "/orgs/{org}/expenses/{id}/override",
            post(expenses::override_decision),
        )
        .route("/orgs/{org}/authz/explain", get(authz::explain))
        .route("/orgs/{org}/audit", get(audit::list))
        .route("/orgs/{org}/audit/verify", get(audit::verify))
        .route("/openapi.json", get(openapi::serve));
    Router::new()
        .nest("/api/v1", api)
        .fallback(|| async { WebError::NotFound })
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .with_state(app)
}

/// Serves the API on `listener` until ctrl-c (or the task is dropped).
pub async fn serve(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
