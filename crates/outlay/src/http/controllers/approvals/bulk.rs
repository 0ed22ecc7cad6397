//! `POST /api/v1/orgs/{org}/approvals`: approve or reject up to 100 reports and expenses in
//! one request. Each item is its own decision, in its own transaction with its own audit
//! entry; the answer lists each item's outcome in the order sent.

use super::*;
use crate::ops::{expenses, reports};

/// At most this many items per request.
const MAX_ITEMS: usize = 100;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkItem {
    /// `report` or `expense`.
    #[schema(pattern = "^(report|expense)$")]
    pub kind: String,
    #[schema(minimum = 1)]
    pub id: i64,
    /// `approve` or `reject`.
    #[schema(pattern = "^(approve|reject)$")]
    pub decision: String,
    /// Why, for the owner: required to reject.
    #[schema(schema_with = crate::http::schema::text_1000_or_null)]
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkIn {
    /// 1 to 100 items, each decided on its own.
    #[schema(min_items = 1, max_items = 100)]
    pub items: Vec<BulkItem>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    pub kind: String,
    #[schema(minimum = 1)]
    pub id: i64,
    /// `done` or `refused`.
    pub outcome: String,
    /// Its status afterwards, when done.
    pub status: Option<String>,
    /// Why it was refused, as the single request would have answered.
    pub error: Option<ErrorDetail>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkOut {
    pub done: usize,
    pub refused: usize,
    /// One per item, in the order sent.
    pub results: Vec<BulkResult>,
}

/// An item as checked before any is decided: what no item may be is a 400 for the request.
struct Checked {
    report: bool,
    id: i64,
    approve: bool,
    note: Option<String>,
}

fn check(i: usize, item: &BulkItem) -> Result<Checked, WebError> {
    let field = |f: &str| format!("items[{i}].{f}");
    let report = match item.kind.as_str() {
        "report" => true,
        "expense" => false,
        other => {
            let why = format!("`{other}` is not one of `report`, `expense`");
            return Err(WebError::invalid(&field("kind"), why));
        }
    };
    let approve = match item.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            let why = format!("`{other}` is not one of `approve`, `reject`");
            return Err(WebError::invalid(&field("decision"), why));
        }
    };
    if item.id < 1 {
        return Err(WebError::invalid(&field("id"), "must be a positive id"));
    }
    let note = match &item.note {
        Some(n) => Some(
            outlay_core::validate::text("note", n, 1000)
                .map_err(|e| WebError::invalid(&field("note"), e.reason))?,
        ),
        None => None,
    };
    Ok(Checked {
        report,
        id: item.id,
        approve,
        note,
    })
}

/// One item, decided: its status afterwards.
async fn decide(app: &App, auth: &Auth, org: i64, item: Checked) -> Result<String, WebError> {
    let id = item.id;
    if !item.approve && item.note.is_none() {
        return Err(WebError::invalid("note", "is required to reject"));
    }
    let status = if item.report {
        let step = match (item.approve, item.note) {
            (true, note) => reports::Step::Approve(note),
            (false, note) => reports::Step::Reject(note.unwrap_or_default()),
        };
        let after = app.perform(auth, org, reports::Act { id, step }).await?;
        after.map(|v| v.row.status().as_str().to_string())
    } else {
        let step = match (item.approve, item.note) {
            (true, _) => expenses::Step::Approve,
            (false, note) => expenses::Step::Reject {
                reason: note.unwrap_or_default(),
            },
        };
        let after = app.perform(auth, org, expenses::Act { id, step }).await?;
        after.map(|v| v.row.status)
    };
    status.ok_or(WebError::NotFound)
}

/// Approve or reject up to 100 submitted reports and expenses: each item is decided and
/// audited on its own, exactly as its single request would be; the answer lists each
/// outcome (done with the new status, or refused with the error that request would have
/// answered).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/approvals", tag = "approvals", request_body = BulkIn,
    params(InOrg),
    responses((status = 200, body = BulkOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn bulk(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<BulkIn>,
) -> Result<Json<BulkOut>, WebError> {
    if req.items.is_empty() || req.items.len() > MAX_ITEMS {
        return Err(WebError::invalid(
            "items",
            format!("must hold 1 to {MAX_ITEMS} items"),
        ));
    }
    let checked = (req.items.iter().enumerate())
        .map(|(i, item)| check(i, item))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results = Vec::with_capacity(req.items.len());
    for (item, checked) in req.items.iter().zip(checked) {
        let (outcome, status, error) = match decide(&app, &auth, org, checked).await {
            Ok(status) => ("done", Some(status), None),
            // A busy database or a fault is the whole request's, not one item's.
            Err(e @ (WebError::Busy { .. } | WebError::Internal(_) | WebError::CorruptRow(_))) => {
                return Err(e)
            }
            Err(e) => ("refused", None, Some(e.detail())),
        };
        results.push(BulkResult {
            kind: item.kind.clone(),
            id: item.id,
            outcome: outcome.into(),
            status,
            error,
        });
    }
    let done = results.iter().filter(|r| r.outcome == "done").count();
    Ok(Json(BulkOut {
        done,
        refused: results.len() - done,
        results,
    }))
}
