//! Teams and their members. Changing a member's team changes access at once.

mod add_member;
mod create;
mod list;
mod remove_member;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use crate::ops::teams::{ChangeMember, TeamView};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{MemberId, TeamId};
use serde::{Deserialize, Serialize};
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

/// A team as the API shows it.
fn team_out(t: TeamView) -> TeamOut {
    TeamOut {
        id: t.id.0,
        name: t.name,
        members: t.members,
        allowed_actions: t.allowed_actions.into_iter().map(str::to_string).collect(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewTeam {
    #[schema(schema_with = crate::http::schema::text_80)]
    pub name: String,
}

/// Puts a member in a team or takes them out.
async fn change(
    app: App,
    auth: Auth,
    org: i64,
    team: i64,
    member: i64,
    add: bool,
) -> Result<StatusCode, WebError> {
    let change = ChangeMember {
        team: TeamId(team),
        member: MemberId(member),
        add,
    };
    app.perform(&auth, org, change).await?;
    Ok(StatusCode::NO_CONTENT)
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
