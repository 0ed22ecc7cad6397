//! Explaining decisions: may member M do action A (on resource R), and why.

use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Path, Query};
use crate::http::App;
use axum::extract::State;
use axum::Json;
use outlay_core::authorize::{self, ExpenseAction};
use outlay_core::{Action, Decision, MemberId, Reason, Relation};
use outlay_store::{expenses, members, scope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ExplainQuery {
    /// The member whose rights are explained.
    pub member: i64,
    /// An action such as `expense.approve` or `member.invite`.
    pub action: String,
    /// `expense:ID` or `member:ID`, for actions on one resource.
    pub resource: Option<String>,
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
    /// For allows: the grant and role behind it.
    pub grant_id: Option<i64>,
    pub role: Option<String>,
}

fn response(d: Decision) -> ExplainResponse {
    let (permission, grant_id, role) = match &d.reason {
        Reason::Granted {
            permission,
            grant,
            role,
            ..
        } => (
            Some(permission.key()),
            Some(grant.0),
            Some(role.to_string()),
        ),
        _ => (None, None, None),
    };
    ExplainResponse {
        allowed: d.allowed,
        code: d.reason.code().to_string(),
        reason: d.reason.to_string(),
        permission,
        grant_id,
        role,
    }
}

/// Explain a decision without taking the action. Anyone may explain their own rights;
/// explaining another member's needs `role.view`. The resource must be visible to the caller.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/authz/explain", tag = "authz",
    params(("org" = i64, Path, description = "company id"), ExplainQuery),
    responses((status = 200, body = ExplainResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn explain(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<ExplainQuery>,
) -> Result<Json<ExplainResponse>, WebError> {
    let actor = app.reader(&auth, org).await?;
    let mut conn = app.store.read().await?;
    // Asking about someone else needs `role.view` before the id is even looked up, so the
    // answer never tells whether a member exists.
    if q.member != actor.id().0 {
        if let Err(r) =
            authorize::company(&actor.principal, actor.now, Action::RoleView).into_result()
        {
            return Err(app
                .refused(
                    &actor,
                    "authz.explain",
                    &format!("member:{}", q.member),
                    r.into(),
                )
                .await);
        }
    }
    let subject_row = members::get(&mut conn, actor.org, MemberId(q.member)).await?;
    let Some(subject_row) = subject_row else {
        return Err(app
            .refused(
                &actor,
                "authz.explain",
                &format!("member:{}", q.member),
                WebError::NotFound,
            )
            .await);
    };
    let subject = members::principal(&mut conn, actor.org, &subject_row).await?;
    let action_key = q.action.trim();
    let resource = q
        .resource
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let decision = match resource.map(|r| r.split_once(':')) {
        None => {
            // `expense.view` asks about the widest reach; `expense.view.team` about that scope.
            let (action, reach) = match Action::from_key(action_key) {
                Some(action) => (action, Relation::Other),
                None => {
                    let p = outlay_core::Permission::parse(action_key).ok_or_else(|| {
                        WebError::invalid(
                            "action",
                            format!("`{action_key}` is neither an action nor a permission of the catalog"),
                        )
                    })?;
                    let reach = match p.scope {
                        Some(outlay_core::Scope::Own) => Relation::Own,
                        Some(outlay_core::Scope::Team) => Relation::Team,
                        _ => Relation::Other,
                    };
                    (p.action, reach)
                }
            };
            if action.is_scoped() {
                authorize::scoped(&subject, actor.now, action, reach)
            } else {
                authorize::company(&subject, actor.now, action)
            }
        }
        Some(Some(("expense", id))) => {
            let id: i64 = id.parse().map_err(|_| {
                WebError::invalid("resource", "must be `expense:ID` or `member:ID`")
            })?;
            let action = ExpenseAction::parse(action_key)
                .ok_or_else(|| WebError::invalid("action", format!("`{action_key}` is not an expense action (view, edit, delete, submit, approve, reject)")))?;
            // The caller must be able to see the expense themselves.
            let mine = expenses::get(&mut conn, actor.org, actor.id(), actor.now, id).await?;
            let seen = mine.filter(|r| {
                authorize::expense(
                    &actor.principal,
                    actor.now,
                    ExpenseAction::View,
                    r.facts(),
                    r.relation(),
                )
                .allowed
            });
            let Some(row) = seen else {
                return Err(app
                    .refused(
                        &actor,
                        "authz.explain",
                        &format!("expense:{id}"),
                        WebError::NotFound,
                    )
                    .await);
            };
            let relation = scope::relation(
                &mut conn,
                actor.org,
                subject.member,
                actor.now,
                MemberId(row.owner_id),
            )
            .await?;
            authorize::expense(&subject, actor.now, action, row.facts(), relation)
        }
        Some(Some(("member", id))) => {
            let id: i64 = id.parse().map_err(|_| {
                WebError::invalid("resource", "must be `expense:ID` or `member:ID`")
            })?;
            let action = Action::from_key(action_key)
                .filter(|a| a.info().resource == outlay_core::Resource::Member)
                .ok_or_else(|| {
                    WebError::invalid("action", format!("`{action_key}` is not a member action"))
                })?;
            let target = members::get(&mut conn, actor.org, MemberId(id)).await?;
            // The caller must be able to see the member themselves, or the answer leaks
            // whether the id exists.
            let target = match target {
                Some(t) => super::members::seen_as(&mut conn, &actor, &t)
                    .await?
                    .map(|_| t),
                None => None,
            };
            let Some(target) = target else {
                return Err(app
                    .refused(
                        &actor,
                        "authz.explain",
                        &format!("member:{id}"),
                        WebError::NotFound,
                    )
                    .await);
            };
            let relation = scope::relation(
                &mut conn,
                actor.org,
                subject.member,
                actor.now,
                target.member_id(),
            )
            .await?;
            authorize::scoped(&subject, actor.now, action, relation)
        }
        Some(_) => {
            return Err(WebError::invalid(
                "resource",
                "must be `expense:ID` or `member:ID`",
            ))
        }
    };
    Ok(Json(response(decision)))
}
