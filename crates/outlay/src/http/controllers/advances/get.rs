//! `GET /api/v1/orgs/{org}/advances/{id}`: one advance, if the caller may see it.

use super::*;
use crate::ops::owned::Get;

/// One advance, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/advances/{id}", tag = "advances",
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
) -> Result<Json<AdvanceOut>, WebError> {
    Ok(Json(out(app.ask(&auth, at.org, Get::new(at.id)).await?)))
}
