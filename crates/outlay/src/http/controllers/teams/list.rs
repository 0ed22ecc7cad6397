//! `GET /api/v1/orgs/{org}/teams`: teams of the company with their members. Needs `team.view`.

use super::*;
use crate::http::paths::InOrg;

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
    let actor = app.reader(&auth, org).await?;
    if let Err(r) =
        authorize::company(&actor.principal, actor.ctx(), Action::TeamView).into_result()
    {
        return Err(app.refused(&actor, "team.view", "teams", r.into()).await);
    }
    let mut conn = app.store.read().await?;
    let mut rows =
        outlay_store::teams::list(&mut conn, actor.org, paging.cursor, paging.fetch()).await?;
    let next_cursor = paging.finish(&mut rows, |t| t.id);
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    for (team, member) in outlay_store::teams::memberships_of(&mut conn, actor.org, &ids).await? {
        members.entry(team).or_default().push(member);
    }
    let items = rows
        .into_iter()
        .map(|t| TeamOut {
            members: members.remove(&t.id).unwrap_or_default(),
            id: t.id,
            name: t.name,
            allowed_actions: team_actions(&actor),
        })
        .collect();
    Ok(Json(TeamList { items, next_cursor }))
}
