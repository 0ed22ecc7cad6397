//! `GET /api/v1/orgs/{org}/trips/{id}`: one trip, if the caller may see it.

use super::*;
use crate::ops::owned::Get;

/// One trip, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/trips/{id}", tag = "trips",
    params(TripPath),
    responses((status = 200, body = TripOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<TripPath>,
) -> Result<Json<TripOut>, WebError> {
    Ok(Json(out(app.ask(&auth, at.org, Get::new(at.id)).await?)))
}
