//! `GET /api/v1/orgs/{org}/members/{id}`: one member, if the caller may see them.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::Get;

/// One member, if the caller may see them.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members/{id}", tag = "members",
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<MemberOut>, WebError> {
    Ok(Json(member_out(
        app.ask(&auth, org, Get { member: id }).await?,
    )))
}
