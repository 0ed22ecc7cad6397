//! `POST /api/v1/orgs/{org}/categories/{id}/archive`: archive an expense category. Needs
//! `category.manage`.

use super::*;
use crate::ops::categories::Archive;

/// Archive an expense category: it stays on its expenses and takes no new ones (archiving it
/// again changes nothing). Needs `category.manage`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/categories/{id}/archive", tag = "categories",
    params(CategoryPath),
    responses((status = 200, body = CategoryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn archive(
    State(app): State<App>,
    auth: Auth,
    Path(CategoryPath { org, id }): Path<CategoryPath>,
) -> Result<Json<CategoryOut>, WebError> {
    Ok(Json(out(app.perform(&auth, org, Archive { id }).await?)))
}
