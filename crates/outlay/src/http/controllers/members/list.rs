//! `GET /api/v1/orgs/{org}/members`: members the caller may see (`member.view` at own, team or
//! all scope), newest first.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::members::List;

/// Members the caller may see (`member.view` at own, team or all scope), newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/members", tag = "members",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<MemberOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<MemberPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let page = app.ask(&auth, org, List { paging }).await?;
    Ok(Json(MemberPage::shown(page, member_out)))
}
