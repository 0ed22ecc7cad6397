//! `POST /api/v1/orgs/{org}/reports/{id}/approve`, `/reject`, `/request-changes`: decide a
//! submitted report as a whole; `/expenses/{expense_id}/reject`: reject one expense out of it. Needs `report.approve` at the owner's scope; nobody decides
//! their own report or one they had a hand in (four-eyes).

use super::*;

/// The note a decision requires.
fn required(note: Option<String>) -> Result<String, WebError> {
    Ok(outlay_core::validate::text(
        "note",
        note.as_deref().unwrap_or(""),
        1000,
    )?)
}

/// Approve a submitted report: its expenses are approved with it. Needs `report.approve`
/// at the owner's scope; never one's own (four-eyes).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/approve", tag = "reports", request_body = NoteIn,
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<NoteIn>,
) -> Result<Json<ReportOut>, WebError> {
    let note = match req.note {
        Some(n) => Some(required(Some(n))?),
        None => None,
    };
    step(&app, &auth, at, Step::Approve(note)).await
}

/// Reject a submitted report with the reason (`note`, required): its expenses are rejected
/// with it.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/reject", tag = "reports", request_body = NoteIn,
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<NoteIn>,
) -> Result<Json<ReportOut>, WebError> {
    step(&app, &auth, at, Step::Reject(required(req.note)?)).await
}

/// Send a submitted report back to its owner saying what to change (`note`, required): its
/// expenses are drafts again until they resubmit it.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/request-changes", tag = "reports", request_body = NoteIn,
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn request_changes(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<NoteIn>,
) -> Result<Json<ReportOut>, WebError> {
    step(&app, &auth, at, Step::RequestChanges(required(req.note)?)).await
}

/// Reject one expense out of a submitted report with the reason (`note`, required): it
/// leaves the report, rejected, back to its owner, and the rest of the report goes on. Same
/// rights as deciding the report; never the report's last expense (reject the report).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/expenses/{expense_id}/reject", tag = "reports",
    request_body = NoteIn,
    params(crate::http::paths::ReportExpensePath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject_expense(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<crate::http::paths::ReportExpensePath>,
    Body(req): Body<NoteIn>,
) -> Result<Json<ReportOut>, WebError> {
    let reason = required(req.note)?;
    let report = ReportPath {
        org: at.org,
        id: at.id,
    };
    let expense = at.expense_id;
    step(&app, &auth, report, Step::RejectExpense { expense, reason }).await
}
