//! `DELETE /api/v1/orgs/{org}/expenses/{id}`: delete a draft or rejected expense. Approved
//! expenses are final (409).

use super::*;
use crate::http::paths::ExpensePath;

/// Delete a draft or rejected expense. Approved expenses are final (409).
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(ExpensePath),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<StatusCode, WebError> {
    act(&app, &auth, org, id, ExpenseAction::Delete, async |tx: &mut Write, actor: &Actor, row: &ExpenseRow, permit: Permit| {
        expenses::delete(tx, actor.org, row.id, permit).await?;
        Ok(json!({"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant}))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
