//! Teams and their members. Changing a member's team changes access at once.

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{authorize, Action, MemberId, TeamId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    pub id: i64,
    pub name: String,
    pub members: Vec<i64>,
    /// What the caller may do with the team now.
    pub allowed_actions: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TeamList {
    pub items: Vec<TeamOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

fn team_actions(actor: &crate::http::actor::Actor) -> Vec<String> {
    authorize::team_actions(&actor.principal, actor.ctx())
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Teams of the company with their members. Needs `team.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/teams", tag = "teams",
    params(("org" = i64, Path, description = "company id"), ListQuery),
    responses((status = 200, body = TeamList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
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

#[derive(Deserialize, ToSchema)]
pub struct NewTeam {
    #[schema(schema_with = crate::http::schema::text_80)]
    pub name: String,
}

/// Create a team. Needs `team.manage`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/teams", tag = "teams", request_body = NewTeam,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = TeamOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "name taken", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Body(req): Body<NewTeam>,
) -> Result<(StatusCode, Json<TeamOut>), WebError> {
    let name = outlay_core::validate::text("name", &req.name, 80)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("team:{name}");
    let result = async {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::TeamManage)?;
        match outlay_store::teams::create(&mut tx, actor.org, &name, permit).await {
            Ok(id) => Ok((
                TeamOut {
                    id: id.0,
                    name: name.clone(),
                    members: vec![],
                    allowed_actions: team_actions(&actor),
                },
                json!({"team_id": id.0}),
            )),
            Err(e) if e.is_unique_violation() => Err(WebError::Conflict {
                code: "team_exists",
                message: format!("a team named `{name}` exists"),
            }),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    let out = app
        .finish(tx, &actor, "team.manage", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

async fn change(
    app: App,
    auth: Auth,
    org: i64,
    team: i64,
    member: i64,
    add: bool,
) -> Result<StatusCode, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("team:{team}/member:{member}");
    let result = async {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::TeamManage)?;
        let team = outlay_store::teams::get(&mut tx, actor.org, TeamId(team))
            .await?
            .ok_or(WebError::NotFound)?;
        let m = outlay_store::members::get(&mut tx, actor.org, MemberId(member))
            .await?
            .ok_or(WebError::NotFound)?;
        let changed = if add {
            outlay_store::teams::add_member(
                &mut tx,
                actor.org,
                TeamId(team.id),
                m.member_id(),
                permit,
            )
            .await?
        } else {
            outlay_store::teams::remove_member(
                &mut tx,
                actor.org,
                TeamId(team.id),
                m.member_id(),
                permit,
            )
            .await?
        };
        Ok((StatusCode::NO_CONTENT, json!({"changed": changed})))
    }
    .await;
    let action = if add {
        "team.add_member"
    } else {
        "team.remove_member"
    };
    app.finish(tx, &actor, action, &target, result).await
}

/// Put a member in a team. Needs `team.manage`.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/teams/{id}/members/{member}", tag = "teams",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "team id"), ("member" = i64, Path, description = "member id")),
    responses((status = 204, description = "the member is in the team"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_member(
    State(app): State<App>,
    auth: Auth,
    Path((org, team, member)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, WebError> {
    change(app, auth, org, team, member, true).await
}

/// Take a member out of a team. Needs `team.manage`.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/teams/{id}/members/{member}", tag = "teams",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "team id"), ("member" = i64, Path, description = "member id")),
    responses((status = 204, description = "the member is not in the team"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_member(
    State(app): State<App>,
    auth: Auth,
    Path((org, team, member)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, WebError> {
    change(app, auth, org, team, member, false).await
}
