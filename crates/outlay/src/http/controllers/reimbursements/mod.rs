//! Reimbursements by SEPA credit transfer: finance pays approved reports with one
//! pain.001.001.09 file for the company's bank, and fetches a file again later. The answer
//! is the file itself (`application/xml`, as an attachment), byte for byte the same each time.

mod create;
mod get;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path};
use crate::http::paths::SepaPath;
use crate::http::App;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use outlay_store::reimbursements::BatchRow;
use serde::Deserialize;
use utoipa::ToSchema;

/// Where file `id` of company `org` is fetched again.
fn location(org: i64, id: i64) -> String {
    format!("/api/v1/orgs/{org}/reimbursements/sepa/{id}")
}

/// A file as answered: its XML as stored, to be saved under its message id.
fn file(status: StatusCode, org: i64, batch: BatchRow) -> Response {
    let mut resp = (status, batch.xml).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    // The message id is of the SEPA character set: a safe file name, quoted.
    let disposition = format!("attachment; filename=\"{}.xml\"", batch.message_id);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&location(org, batch.id)) {
        headers.insert(header::LOCATION, v);
    }
    resp
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(create::create))
        .routes(utoipa_axum::routes!(get::get))
}
