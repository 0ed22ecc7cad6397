//! `POST /api/v1/orgs/{org}/expenses`: create a draft expense of one's own. Needs
//! `expense.create`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::expenses::Create;
use outlay_core::expense::ExpenseInput;
use outlay_core::MemberId;

/// Create a draft expense of one's own. Needs `expense.create`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses", tag = "expenses", request_body = ExpenseIn,
    params(InOrg),
    responses((status = 201, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<ExpenseIn>,
) -> Result<(StatusCode, Json<ExpenseOut>), WebError> {
    let on_behalf_of = req.on_behalf_of.map(MemberId);
    let input = ExpenseInput::parse(&req.patch().raw())?;
    let create = Create {
        input,
        on_behalf_of,
    };
    let view = app.perform(&auth, org, create).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
