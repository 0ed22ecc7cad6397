//! Teams and their members. Changing a member's team changes access at once.

mod add_member;
mod create;
mod list;
mod remove_member;

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

pub type TeamList = crate::http::page::Page<TeamOut>;

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

#[derive(Deserialize, ToSchema)]
pub struct NewTeam {
    #[schema(schema_with = crate::http::schema::text_80)]
    pub name: String,
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

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list::list, create::create))
        .routes(utoipa_axum::routes!(
            add_member::add_member,
            remove_member::remove_member
        ))
}
