//! One error type for every handler, mapped to its status once: 400 invalid input (field and
//! reason), 401 no or bad token, 403 refused with the reason, 404 not visible, 409 refused by
//! an invariant, 500 for what is our fault (logged, never detailed to the caller).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use outlay_core::validate::ValidationError;
use outlay_core::{DenialKind, Reason};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub enum WebError {
    Invalid(ValidationError),
    Unauthorized(&'static str),
    NotFound,
    MethodNotAllowed,
    Denied(Reason),
    Conflict { code: &'static str, message: String },
    Internal(String),
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_input`, `four_eyes`, `last_owner`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The offending input field, for `invalid_input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl WebError {
    pub fn invalid(field: &str, reason: impl Into<String>) -> WebError {
        WebError::Invalid(ValidationError::new(field, reason))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Invalid(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Denied(r) => match r.kind() {
                DenialKind::Forbidden => StatusCode::FORBIDDEN,
                DenialKind::Conflict => StatusCode::CONFLICT,
            },
            WebError::Conflict { .. } => StatusCode::CONFLICT,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<ValidationError> for WebError {
    fn from(e: ValidationError) -> WebError {
        WebError::Invalid(e)
    }
}

impl From<Reason> for WebError {
    fn from(r: Reason) -> WebError {
        WebError::Denied(r)
    }
}

impl From<outlay_store::StoreError> for WebError {
    fn from(e: outlay_store::StoreError) -> WebError {
        match e {
            outlay_store::StoreError::Stale => WebError::Conflict {
                code: "changed_meanwhile",
                message: "it changed meanwhile; reload and try again".into(),
            },
            e => WebError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (code, message, field) = match self {
            WebError::Invalid(e) => ("invalid_input".to_string(), e.to_string(), Some(e.field)),
            WebError::Unauthorized(m) => ("unauthorized".to_string(), m.to_string(), None),
            WebError::NotFound => (
                "not_found".to_string(),
                "no such resource".to_string(),
                None,
            ),
            WebError::MethodNotAllowed => (
                "method_not_allowed".to_string(),
                "this route does not take that method".to_string(),
                None,
            ),
            WebError::Denied(r) => (r.code().to_string(), r.to_string(), None),
            WebError::Conflict { code, message } => (code.to_string(), message, None),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    "internal".to_string(),
                    "internal error; it has been logged".to_string(),
                    None,
                )
            }
        };
        let mut resp = (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code,
                    message,
                    field,
                },
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}
