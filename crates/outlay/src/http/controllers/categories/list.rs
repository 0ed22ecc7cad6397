//! `GET /api/v1/orgs/{org}/categories`: the company's expense categories.

use super::*;
use crate::ops::categories::List;

/// The company's expense categories by name, archived ones included: any member.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/categories", tag = "categories",
    params(InOrg),
    responses((status = 200, body = Vec<CategoryOut>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
) -> Result<Json<Vec<CategoryOut>>, WebError> {
    let rows = app.ask(&auth, org, List).await?;
    Ok(Json(rows.into_iter().map(out).collect()))
}
