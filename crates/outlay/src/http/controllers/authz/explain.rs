//! `GET /api/v1/orgs/{org}/authz/explain`: explain a decision without taking the action. Anyone
//! may explain their own rights; explaining another member's needs `role.view`. The resource
//! must be visible to the caller.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::authz::{About, AskedGrant, Explain};
use outlay_core::TeamId;

/// Explain a decision without taking the action. Anyone may explain their own rights;
/// explaining another member's needs `role.view`. The resource must be visible to the caller.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/authz/explain", tag = "authz",
    params(InOrg, ExplainQuery),
    responses((status = 200, body = ExplainResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn explain(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ExplainQuery>,
) -> Result<Json<ExplainResponse>, WebError> {
    let action_key = q.action.trim();
    // `expense.view` asks about the widest reach; `expense.view.team` about that scope.
    let (action, scope) = match Action::from_key(action_key) {
        Some(a) => (a, None),
        None => {
            let p = Permission::parse(action_key).ok_or_else(|| {
                WebError::invalid(
                    "action",
                    format!("`{action_key}` is neither an action nor a permission of the catalog"),
                )
            })?;
            (p.action, p.scope)
        }
    };
    if q.amount_minor.is_some_and(|a| a < 0) {
        return Err(WebError::invalid("amount_minor", "must be zero or more"));
    }
    let resource = q
        .resource
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let id = |id: &str| -> Result<i64, WebError> {
        id.parse()
            .map_err(|_| WebError::invalid("resource", RESOURCE_FORMAT))
    };
    let about = match resource.map(|r| r.split_once(':')) {
        None => None,
        Some(Some(("expense", i))) => {
            if action.info().resource != outlay_core::Resource::Expense {
                return Err(WebError::invalid(
                    "action",
                    format!("`{action_key}` is not an expense action"),
                ));
            }
            Some(About::Expense(id(i)?))
        }
        Some(Some(("member", i))) => Some(About::Member(id(i)?)),
        Some(Some(("team", i))) => Some(About::Team(id(i)?)),
        Some(_) => return Err(WebError::invalid("resource", RESOURCE_FORMAT)),
    };
    let role = q.role.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if role.is_none() && (q.team_id.is_some() || q.revoke.is_some()) {
        return Err(WebError::invalid(
            "role",
            "`team_id` and `revoke` describe a grant: name its role",
        ));
    }
    let grant = match role {
        None => None,
        Some(_) if action != Action::RoleAssign => {
            return Err(WebError::invalid(
                "role",
                "a role is asked about with `role.assign` only",
            ))
        }
        Some(_) if matches!(about, Some(About::Expense(_) | About::Team(_))) => {
            return Err(WebError::invalid(
                "resource",
                "a grant is given to a member: `member:ID`",
            ))
        }
        Some(r) => Some(AskedGrant {
            role: r.to_string(),
            team: q.team_id.map(TeamId),
            revoke: q.revoke.unwrap_or(false),
        }),
    };
    let explain = Explain {
        member: MemberId(q.member),
        action,
        scope,
        about,
        amount_minor: q.amount_minor,
        grant,
    };
    Ok(Json(response(app.ask(&auth, org, explain).await?)))
}
