//! `POST /api/v1/orgs/{org}/expenses/{id}/correct`: correct an approved expense not yet paid.
//! Needs `expense.correct`; never one's own expense.

use super::*;
use crate::ops::corrections::Correct;
use outlay_core::correction::Correction;

/// Correct the category, amount or VAT of an approved expense not yet paid, with a
/// mandatory reason. Needs `expense.correct`; never one's own expense; a paid one is final
/// (409). The audit log keeps it before and after; its owner gets a notice; a report it is
/// in totals the new amount.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses/{id}/correct", tag = "expenses", request_body = CorrectionIn,
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn correct(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
    Body(req): Body<CorrectionIn>,
) -> Result<Json<ExpenseOut>, WebError> {
    let correction = Correction::parse(
        req.category.as_deref(),
        req.amount_minor,
        req.vat_minor,
        req.reason.as_deref(),
    )?;
    let view = app.perform(&auth, org, Correct { id, correction }).await?;
    Ok(Json(out(view)))
}
