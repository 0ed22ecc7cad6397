//! One error type for every handler, mapped to its status once: 400 invalid input (field and
//! reason), 401 no or bad token, 403 refused with the reason, 404 not visible, 408 a body that
//! did not arrive in time, 409 refused by an invariant, 413 a body over the limit, 415 a body
//! that is not JSON, 429 too many login attempts and 503 busy (both with `Retry-After`), 500
//! for what is our fault (logged, never detailed to the caller, except a stored value the
//! code does not know: `corrupt_row` names its table, column and value).

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
    /// Refused by the core: 403 for a missing right, 409 for a rule of the data.
    Denied(Reason),
    /// Like `Denied`, for one item of the request's list, which `field` names.
    DeniedAt {
        field: String,
        reason: Reason,
    },
    /// The body is over the limit, in bytes.
    TooLarge(usize),
    /// The body is not declared as JSON.
    UnsupportedMediaType,
    /// The body did not arrive within the body timeout.
    BodyTimeout,
    /// Too many login attempts: try again after `retry_after` seconds.
    Throttled {
        retry_after: u64,
    },
    /// Past a creation quota per minute (`action`): try again after `retry_after` seconds.
    OverQuota {
        action: &'static str,
        retry_after: u64,
    },
    /// Out of a shared resource for now (database connections or locks, password hashes,
    /// time): try again after `retry_after` seconds. Never our fault alone, so never a 500.
    Busy {
        retry_after: u64,
        message: &'static str,
    },
    /// A stored value the code does not know (`corrupt_row`): our fault, a 500 that names
    /// the table, column and value, so whoever runs the server can mend the row.
    CorruptRow(String),
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
    /// The offending input field, for `invalid_input`; for a refusal of one item of a list
    /// sent (`report_ids[2]`), that item.
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
            WebError::Denied(r) | WebError::DeniedAt { reason: r, .. } => match r.kind() {
                DenialKind::Forbidden => StatusCode::FORBIDDEN,
                DenialKind::Conflict => StatusCode::CONFLICT,
            },
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            WebError::Throttled { .. } | WebError::OverQuota { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            WebError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebError::CorruptRow(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// No database connection came free within the wait.
    pub fn pool_busy() -> WebError {
        WebError::Busy {
            retry_after: 1,
            message: "the server is busy; try again shortly",
        }
    }

    /// The seconds a client should wait before trying again, for 429 and 503.
    fn retry_after(&self) -> Option<u64> {
        match self {
            WebError::Throttled { retry_after }
            | WebError::OverQuota { retry_after, .. }
            | WebError::Busy { retry_after, .. } => Some((*retry_after).max(1)),
            _ => None,
        }
    }
}

impl From<crate::password::GateError> for WebError {
    fn from(e: crate::password::GateError) -> WebError {
        match e {
            crate::password::GateError::Busy => WebError::Busy {
                retry_after: 1,
                message: "too many password checks at once; try again shortly",
            },
            crate::password::GateError::Failed(e) => WebError::Internal(e),
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

impl From<crate::ops::Error> for WebError {
    fn from(e: crate::ops::Error) -> WebError {
        match e {
            crate::ops::Error::Invalid(e) => WebError::Invalid(e),
            crate::ops::Error::NotFound | crate::ops::Error::NotVisible(_) => WebError::NotFound,
            crate::ops::Error::Denied(r) => WebError::Denied(r),
            crate::ops::Error::DeniedAt { field, reason } => WebError::DeniedAt { field, reason },
            crate::ops::Error::Unauthenticated(m) => WebError::Unauthorized(m),
            crate::ops::Error::Throttled { retry_after } => WebError::Throttled { retry_after },
            crate::ops::Error::OverQuota {
                action,
                retry_after,
            } => WebError::OverQuota {
                action,
                retry_after,
            },
            crate::ops::Error::PoolBusy => WebError::pool_busy(),
            crate::ops::Error::PasswordGate(e) => e.into(),
            crate::ops::Error::Store(e) => e.into(),
        }
    }
}

impl From<outlay_store::StoreError> for WebError {
    fn from(e: outlay_store::StoreError) -> WebError {
        match &e {
            outlay_store::StoreError::Stale => WebError::Denied(Reason::ChangedMeanwhile),
            outlay_store::StoreError::Busy(_) => WebError::pool_busy(),
            outlay_store::StoreError::CorruptRow { .. } => WebError::CorruptRow(e.to_string()),
            _ => WebError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> WebError {
        outlay_store::StoreError::from(e).into()
    }
}

impl WebError {
    /// What the error body says: its code, message and field. A bulk answer lists one per
    /// refused item.
    pub fn detail(self) -> ErrorDetail {
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
            WebError::DeniedAt { field, reason } => (
                reason.code().to_string(),
                format!("`{field}`: {reason}"),
                Some(field),
            ),
            WebError::TooLarge(limit) => (
                "payload_too_large".to_string(),
                format!("the body is larger than {limit} bytes"),
                None,
            ),
            WebError::UnsupportedMediaType => (
                "unsupported_media_type".to_string(),
                "send the body as JSON, with `Content-Type: application/json`".to_string(),
                None,
            ),
            WebError::BodyTimeout => (
                "request_timeout".to_string(),
                "the body did not arrive in time".to_string(),
                None,
            ),
            WebError::OverQuota { action, .. } => (
                "quota_exceeded".to_string(),
                format!("too many `{action}` this minute; wait as `Retry-After` says"),
                None,
            ),
            WebError::Throttled { .. } => (
                "too_many_attempts".to_string(),
                "too many login attempts; wait as `Retry-After` says".to_string(),
                None,
            ),
            WebError::Busy { message, .. } => ("busy".to_string(), message.to_string(), None),
            WebError::CorruptRow(detail) => {
                tracing::error!(%detail, "corrupt row");
                ("corrupt_row".to_string(), detail, None)
            }
            WebError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    "internal".to_string(),
                    "internal error; it has been logged".to_string(),
                    None,
                )
            }
        };
        ErrorDetail {
            code,
            message,
            field,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after();
        let error = self.detail();
        let mut resp = (status, Json(ErrorBody { error })).into_response();
        if let Some(secs) = retry_after {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}
