//! `GET /api/v1/orgs/{org}/teams`: teams of the company with their members. Needs `team.view`.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::teams::List;

/// Teams of the company with their members. Needs `team.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/teams", tag = "teams",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<TeamOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<TeamList>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let page = app.ask(&auth, org, List { paging }).await?;
    Ok(Json(TeamList::shown(page, team_out)))
}
