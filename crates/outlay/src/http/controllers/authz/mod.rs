//! Explaining decisions: may member M do action A (on resource R, for an amount), and why.
//! The answer is the one decision function's, naming the single grant that allowed it or the
//! rule that refused.

mod explain;

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path, Query};
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::{Action, Decision, MemberId, Permission};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ExplainQuery {
    /// The member whose rights are explained.
    pub member: i64,
    /// An action such as `expense.approve` or `member.invite`.
    pub action: String,
    /// `expense:ID`, `member:ID` (an action on that member's data, cards or payments) or
    /// `team:ID` (e.g. inviting into that team).
    pub resource: Option<String>,
    /// An amount in minor units of the company currency, to ask about caps (with `role`:
    /// the cap of the grant given).
    pub amount_minor: Option<i64>,
    /// With `role.assign`: may the member grant this role (to the member `resource` names)?
    pub role: Option<String>,
    /// With `role`: the team the grant is bound to.
    pub team_id: Option<i64>,
    /// With `role`: taking the grant away instead of giving it.
    pub revoke: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ExplainResponse {
    pub allowed: bool,
    /// `granted` or the code of the refusing rule, e.g. `four_eyes`, `out_of_scope`.
    pub code: String,
    /// The deciding grant and permission, or the refusing rule, in words.
    pub reason: String,
    /// For allows: the permission that allowed it.
    pub permission: Option<String>,
    /// For allows: the grant and role behind it (grant 0 is the base role).
    pub grant_id: Option<i64>,
    pub role: Option<String>,
    /// For allows by a team-bound grant: its team.
    pub team_id: Option<i64>,
}

fn response(d: Decision) -> ExplainResponse {
    let (permission, grant_id, role, team_id) = match &d {
        Decision::Allowed(g) => (
            Some(g.permission.key()),
            Some(g.grant.0),
            Some(g.role.to_string()),
            g.team.map(|t| t.0),
        ),
        Decision::Denied(_) => (None, None, None, None),
    };
    ExplainResponse {
        allowed: d.is_allowed(),
        code: d.code().to_string(),
        reason: d.to_string(),
        permission,
        grant_id,
        role,
        team_id,
    }
}

const RESOURCE_FORMAT: &str = "must be `expense:ID`, `member:ID` or `team:ID`";

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(explain::explain))
}
