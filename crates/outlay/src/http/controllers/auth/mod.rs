//! Logging in and out, resetting a forgotten password by e-mail and changing one's password:
//! the operations are `ops::sessions` and `ops::passwords`, with their throttling and trail.

mod change_password;
mod confirm_reset;
mod login;
mod logout;
mod request_reset;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, ClientAddr, Path};
use crate::http::throttle::address_text;
use crate::http::App;
use crate::ops::{passwords, sessions};
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

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    #[schema(schema_with = crate::http::schema::email)]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewPasswordRequest {
    /// At least 10 characters (and at most 1024 bytes).
    #[schema(min_length = 10)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    #[schema(min_length = 1)]
    pub current_password: String,
    /// At least 10 characters (and at most 1024 bytes).
    #[schema(min_length = 10)]
    pub new_password: String,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(login::login))
        .routes(utoipa_axum::routes!(logout::logout))
        .routes(utoipa_axum::routes!(request_reset::request_reset))
        .routes(utoipa_axum::routes!(confirm_reset::confirm_reset))
        .routes(utoipa_axum::routes!(change_password::change_password))
}
