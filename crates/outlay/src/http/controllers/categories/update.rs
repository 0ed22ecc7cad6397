//! `PATCH /api/v1/orgs/{org}/categories/{id}`: change an expense category. Needs
//! `category.manage`.

use super::*;
use crate::ops::categories::Update;
use outlay_core::category::CategoryPatch;

/// Change an expense category's name, limit or receipt threshold; fields left out keep their
/// value. A new name is its expenses' too. Needs `category.manage`.
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/categories/{id}", tag = "categories", request_body = CategoryPatchIn,
    params(CategoryPath),
    responses((status = 200, body = CategoryOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "name taken", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<App>,
    auth: Auth,
    Path(CategoryPath { org, id }): Path<CategoryPath>,
    Body(req): Body<CategoryPatchIn>,
) -> Result<Json<CategoryOut>, WebError> {
    let patch = CategoryPatch {
        name: req.name,
        limit_minor: req.limit_minor,
        receipt_above_minor: req.receipt_above_minor,
    };
    Ok(Json(out(app
        .perform(&auth, org, Update { id, patch })
        .await?)))
}
