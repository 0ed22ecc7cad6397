//! `GET /api/v1/orgs/{org}/members/{id}`: one member, if the caller may see them.

use super::*;
use crate::http::paths::MemberPath;

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
    let (actor, mut conn) = app.reading(&auth, org).await?;
    match visible_member(&mut conn, &actor, id).await? {
        Some((row, target, facts)) => Ok(Json(
            full_member(&mut conn, &actor, &row, &target, &facts).await?,
        )),
        None => Err(app
            .refused(
                &actor,
                "member.view",
                &format!("member:{id}"),
                WebError::NotFound,
            )
            .await),
    }
}
