//! `POST /api/v1/orgs/{org}/categories`: add an expense category. Needs `category.manage`.

use super::*;
use crate::ops::categories::Create;
use axum::http::StatusCode;
use outlay_core::category::CategoryInput;

/// Add an expense category, with its limit per expense and receipt threshold. Needs
/// `category.manage`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/categories", tag = "categories", request_body = CategoryIn,
    params(InOrg),
    responses((status = 201, body = CategoryOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "name taken", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<CategoryIn>,
) -> Result<(StatusCode, Json<CategoryOut>), WebError> {
    let input = CategoryInput::parse(&req.name, req.limit_minor, req.receipt_above_minor)?;
    let row = app.perform(&auth, org, Create(input)).await?;
    Ok((StatusCode::CREATED, Json(out(row))))
}
