//! `GET /api/v1/orgs/{org}/delegations`: delegations given by or to the caller, newest first;
//! holders of `delegation.manage.all` see the company's.

use super::*;
use crate::http::paths::InOrg;

/// Delegations given by or to the caller, newest first; holders of `delegation.manage.all`
/// see the company's.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/delegations", tag = "delegations",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<DelegationOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<DelegationPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let actor = app.reader(&auth, org).await?;
    let all = actor
        .principal
        .list_scope(actor.now, Action::DelegationManage)
        .is_some_and(|s| s.all);
    let mut conn = app.store.read().await?;
    let mut rows = if all {
        delegations::all(&mut conn, actor.org, paging.cursor, paging.fetch()).await?
    } else {
        delegations::involving(
            &mut conn,
            actor.org,
            actor.id(),
            paging.cursor,
            paging.fetch(),
        )
        .await?
    };
    let next_cursor = paging.finish(&mut rows, |d| d.id);
    let items = rows.iter().map(|d| out(d, actor.now)).collect();
    Ok(Json(DelegationPage { items, next_cursor }))
}
