//! `GET /api/v1/orgs/{org}/members`: members the caller may see (`member.view` at own, team or
//! all scope), newest first.

use super::*;
use crate::http::paths::InOrg;

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
    let actor = app.reader(&auth, org).await?;
    let closed = matches!(
        authorize::company(&actor.principal, actor.ctx(), Action::MemberView),
        outlay_core::Decision::Denied(Reason::CompanyClosed)
    );
    let visible = actor.principal.list_scope(actor.now, Action::MemberView);
    let Some(visible) = visible.filter(|_| !closed) else {
        let err = Reason::NoPermission {
            action: Action::MemberView,
        }
        .into();
        return Err(app.refused(&actor, "member.view", "members", err).await);
    };
    let mut conn = app.store.read().await?;
    let mut rows = members::list(
        &mut conn,
        actor.org,
        actor.id(),
        &visible,
        paging.cursor,
        paging.fetch(),
    )
    .await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let book = &actor.book;
    let mut grants: HashMap<i64, Vec<outlay_core::Grant>> = HashMap::new();
    for (member, g) in members::grants_of(&mut conn, actor.org, &ids).await? {
        grants.entry(member).or_default().push(g);
    }
    let items = rows
        .iter()
        .map(|row| {
            let target = members::resolve(row, grants.remove(&row.id).unwrap_or_default(), book);
            let facts = row.target_facts();
            let teams = facts.teams.iter().map(|t| t.0).collect();
            member_out(&actor, row, &target, teams, &facts)
        })
        .collect();
    Ok(Json(MemberPage { items, next_cursor }))
}
