//! Request extractors whose failures are `WebError`s: a bad body, query or path is a 400 that
//! names the field, a body over the limit a 413, one not declared JSON a 415, one that does not
//! arrive in time a 408, and a missing or dead token is a 401.

use super::edge::BodyRules;
use super::error::WebError;
use super::App;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// A JSON object body; a type or shape error names the offending field. An empty body reads
/// as `{}`.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, WebError> {
        let bytes = read_body(req).await?;
        let bytes: &[u8] = if bytes.is_empty() { b"{}" } else { &bytes };
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        let super::strict_json::Strict(mut json) =
            serde::Deserialize::deserialize(&mut *de).map_err(|e| malformed(&e.to_string()))?;
        // Trailing bytes after the JSON value make the whole body malformed.
        de.end()
            .map_err(|e| WebError::invalid("body", before_position(&e.to_string())))?;
        // Every body is an object; serde would also read a struct from an array of its fields
        // in order, which no client means and the document does not allow.
        if !json.is_object() {
            return Err(WebError::invalid("body", "must be a JSON object"));
        }
        whole_numbers(&mut json);
        let value = serde_path_to_error::deserialize(json).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner();
            let reason = before_position(&inner.to_string()).to_string();
            WebError::invalid(&body_field(&path, inner.classify(), &reason), reason)
        })?;
        Ok(Body(value))
    }
}

/// A body that is not one JSON value with distinct keys: a duplicate key is named as the
/// field, anything else is the body's fault.
fn malformed(text: &str) -> WebError {
    let reason = before_position(text);
    if let Some((key, _)) = reason
        .strip_prefix('`')
        .and_then(|r| r.split_once(&format!("` {}", super::strict_json::DUPLICATE)))
    {
        return WebError::invalid(key, super::strict_json::DUPLICATE);
    }
    WebError::invalid("body", reason)
}

/// An error's text without serde_json's "at line L column C", which means nothing to a caller
/// who did not lay out the body by hand.
fn before_position(text: &str) -> &str {
    text.split(" at line ").next().unwrap_or(text)
}

/// The largest magnitude at which every whole number is exactly one `f64`.
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// JSON has one kind of number: `2.0` is the integer `2` (JSON Schema says so too), so a
/// whole-number float becomes an integer before the typed read, which takes `i64` only from
/// integers. Fractions and floats past 2^53 (no longer exact) stay floats and are refused.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() <= EXACT_F64)
            {
                // In range and whole, so the conversion is exact.
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// The body's bytes, within the request's body rules. A declared type other than JSON is
/// refused before anything is read; an undeclared one only if the body is not empty (bodiless
/// POSTs such as `/submit` need no header).
async fn read_body(req: Request) -> Result<Bytes, WebError> {
    let rules = req
        .extensions()
        .get::<BodyRules>()
        .copied()
        .unwrap_or_default();
    let declared = declared_json(req.headers());
    if declared == Some(false) {
        return Err(WebError::UnsupportedMediaType);
    }
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > rules.max_bytes as u64) {
        return Err(WebError::TooLarge(rules.max_bytes));
    }
    let body = Limited::new(req.into_body(), rules.max_bytes);
    let collected = tokio::time::timeout(rules.timeout, body.collect())
        .await
        .map_err(|_| WebError::BodyTimeout)?;
    let bytes = match collected {
        Ok(c) => c.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(WebError::TooLarge(rules.max_bytes))
        }
        Err(e) => return Err(WebError::invalid("body", format!("could not be read: {e}"))),
    };
    if declared.is_none() && !bytes.is_empty() {
        return Err(WebError::UnsupportedMediaType);
    }
    Ok(bytes)
}

/// `Some(true)` for `application/json` (or `application/*+json`, parameters allowed),
/// `Some(false)` for any other declared type, `None` when no type is declared.
fn declared_json(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get(CONTENT_TYPE)?;
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json")),
    )
}

/// The client's address, when the request came over a connection that knows it: the peer,
/// or behind a trusted reverse proxy the client it names (`http::proxy`).
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<App> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &App,
    ) -> Result<Self, std::convert::Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip());
        Ok(ClientAddr(peer.map(|peer| {
            app.limits.trusted_proxies.client(peer, &parts.headers)
        })))
    }
}

/// The field a body error is about: the path to it, with a missing field's own name added;
/// `body` when the JSON itself is malformed or not an object.
fn body_field(path: &str, category: serde_json::error::Category, reason: &str) -> String {
    use serde_json::error::Category;
    if matches!(category, Category::Syntax | Category::Eof | Category::Io) {
        return "body".to_string();
    }
    let at = match path {
        "." | "?" | "" => None,
        p => Some(p),
    };
    let missing = reason
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next());
    match (at, missing) {
        (None, Some(name)) => name.to_string(),
        (Some(p), Some(name)) => format!("{p}.{name}"),
        (Some(p), None) => p.to_string(),
        (None, None) => "body".to_string(),
    }
}

/// Query parameters; a bad value names the parameter.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded_de(q);
        de.map(Query)
    }
}

fn serde_urlencoded_de<T: DeserializeOwned>(q: &str) -> Result<T, WebError> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{q}")
            .parse()
            .map_err(|_| WebError::invalid("query", "is not a valid query string"))?,
    )
    .map(|axum::extract::Query(v)| v)
    .map_err(|e| {
        let text = e.body_text();
        let detail = text.trim_start_matches("Failed to deserialize query string: ");
        match detail.split_once(": ") {
            Some((field, reason)) if !field.contains(' ') => WebError::invalid(field, reason),
            _ => WebError::invalid("query", detail),
        }
    })
}

/// Typed path parameters (`paths.rs`); ids that are not positive numbers are simply not
/// found.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send + super::paths::Checked> FromRequestParts<S>
    for Path<T>
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .ok()
            .map(|axum::extract::Path(v)| v)
            .filter(super::paths::Checked::valid)
            .map(Path)
            .ok_or(WebError::NotFound)
    }
}

/// A caller with a live bearer token: the application layer's session (`Deref`).
pub struct Auth(pub outlay_app::Session);

impl std::ops::Deref for Auth {
    type Target = outlay_app::Session;
    fn deref(&self) -> &outlay_app::Session {
        &self.0
    }
}

impl FromRequestParts<App> for Auth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, WebError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(WebError::Unauthorized(
                "missing `Authorization: Bearer` token",
            ))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(WebError::Unauthorized(
                "the `Authorization` header must be `Bearer TOKEN`",
            ))?;
        let token_hash = crate::tokens::digest(token);
        let now = app.now();
        // The company the path names, if any: its access version comes with the session.
        let org = axum::extract::RawPathParams::from_request_parts(parts, app)
            .await
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "org")
                    .and_then(|(_, value)| value.parse::<i64>().ok())
            });
        let mut conn = app.read_conn().await?;
        let reading = parts.method == axum::http::Method::GET;
        if reading {
            conn.snapshot()?;
        }
        let session = outlay_store::auth::live_session(
            &mut conn,
            &token_hash,
            now,
            org.map(outlay_core::OrgId),
        )
        .await?
        .ok_or(WebError::Unauthorized("invalid, expired or revoked token"))?;
        let person = session.person;
        let access = org.map(|org| (org, session.access_version));
        Ok(Auth(outlay_app::Session::new(
            person,
            token_hash,
            now,
            access,
            reading.then_some(conn),
        )))
    }
}

/// A field that may be null where leaving it out means something else (keep it): with
/// `#[serde(default)]`, `None` when left out, `Some(None)` for an explicit null.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
