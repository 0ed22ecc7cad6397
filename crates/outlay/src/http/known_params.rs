//! Unknown query parameters are refused: `?stauts=approved` answers 400 naming `stauts`
//! instead of silently listing everything. What each operation takes is what the OpenAPI
//! document lists for it, so the document and the server cannot disagree.

use super::error::WebError;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The query parameters of each documented operation, by path template and method.
type Known = HashMap<(String, Method), HashSet<String>>;

fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        use utoipa::openapi::path::ParameterIn;
        let mut known = Known::new();
        for (path, item) in &super::openapi::document().paths.paths {
            let operations = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
            ];
            for (method, op) in operations {
                let Some(op) = op else { continue };
                let names = op
                    .parameters
                    .iter()
                    .flatten()
                    .filter(|p| matches!(p.parameter_in, ParameterIn::Query))
                    .map(|p| p.name.clone())
                    .collect();
                known.insert((path.clone(), method), names);
            }
        }
        known
    })
}

/// Refuses a request to a documented operation whose query names a parameter the operation
/// does not take. Runs after routing (a route layer), where the matched path is known.
pub async fn refuse_unknown(req: Request, next: Next) -> Response {
    if let (Some(query), Some(path)) = (req.uri().query(), req.extensions().get::<MatchedPath>()) {
        let key = (path.as_str().to_string(), req.method().clone());
        if let Some(names) = known().get(&key) {
            for (name, _) in form_urlencoded::parse(query.as_bytes()) {
                if !names.contains(name.as_ref()) {
                    let shown: String = name.chars().take(64).collect();
                    return WebError::invalid(&shown, "is not a parameter of this operation")
                        .into_response();
                }
            }
        }
    }
    next.run(req).await
}
