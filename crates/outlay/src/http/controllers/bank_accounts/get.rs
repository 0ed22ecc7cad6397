//! `GET /api/v1/orgs/{org}/members/{id}/bank-account`: a member's payout account.

use super::*;
use crate::ops::bank_accounts::Get;

/// A member's payout account: for the member themself and whoever holds `expense.reimburse`
/// reaching them; a 404 for anyone else, and when none is set.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members/{id}/bank-account", tag = "reimbursements", operation_id = "get_bank_account",
    params(MemberPath),
    responses((status = 200, body = BankAccountOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<BankAccountOut>, WebError> {
    let row = app.ask(&auth, org, Get { member: id }).await?;
    Ok(Json(out(row)))
}
