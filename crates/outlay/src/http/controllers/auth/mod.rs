//! Logging in and out: the operations are `ops::sessions`, with their throttling and trail.

mod login;
mod logout;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, ClientAddr};
use crate::http::throttle::address_text;
use crate::http::App;
use crate::ops::sessions;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(schema_with = crate::http::schema::email)]
    pub email: String,
    #[schema(min_length = 1)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_at: String,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(login::login))
        .routes(utoipa_axum::routes!(logout::logout))
}
