//! `GET /api/v1/orgs/{org}/authz/explain`: explain a decision without taking the action. Anyone
//! may explain their own rights; explaining another member's needs `role.view`. The resource
//! must be visible to the caller.

use super::*;
use crate::http::paths::InOrg;

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
    let (actor, mut conn) = app.reading(&auth, org).await?;
    // Asking about someone else needs `role.view` before the id is even looked up, so the
    // answer never tells whether a member exists.
    if q.member != actor.id().0 {
        if let Err(r) =
            authorize::company(&actor.principal, actor.ctx(), Action::RoleView).into_result()
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
    let ctx = actor.ctx();
    let resource = q
        .resource
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let parse_id = |id: &str| -> Result<i64, WebError> {
        id.parse()
            .map_err(|_| WebError::invalid("resource", RESOURCE_FORMAT))
    };
    let decision = match resource.map(|r| r.split_once(':')) {
        None => {
            let line = match scope {
                None if action.is_scoped() => Some(Line::Other),
                None => None,
                Some(Scope::Own) => Some(Line::Own),
                Some(Scope::Direct) => Some(Line::Direct),
                Some(Scope::Team) => Some(Line::Indirect),
                Some(Scope::All) => Some(Line::Other),
            };
            // A scope asks about a target that far away: someone who is nobody's teammate.
            let owner = line.map(|line| Target {
                member: if line == Line::Own {
                    subject.member()
                } else {
                    MemberId(0)
                },
                line,
                teams: &[],
            });
            authorize::decide(&Request {
                principal: &subject,
                action,
                resource: ResourceRef {
                    owner,
                    amount_minor: q.amount_minor,
                    ..ResourceRef::default()
                },
                context: ctx,
            })
        }
        Some(Some(("expense", id))) => {
            let id = parse_id(id)?;
            if action.info().resource != outlay_core::Resource::Expense {
                return Err(WebError::invalid(
                    "action",
                    format!("`{action_key}` is not an expense action"),
                ));
            }
            // The caller must be able to see the expense themselves.
            let mine = expenses::get(&mut conn, actor.org, actor.id(), id).await?;
            let seen = match &mine {
                Some(r) => {
                    let owner = r.owner();
                    let facts = r.facts(&owner, &actor.company.base_currency);
                    authorize::expense(&actor.principal, ctx, ExpenseAction::View, &facts)
                        .is_allowed()
                }
                None => false,
            };
            if !seen {
                return Err(app
                    .refused(
                        &actor,
                        "authz.explain",
                        &format!("expense:{id}"),
                        WebError::NotFound,
                    )
                    .await);
            }
            let Some(row) = expenses::get(&mut conn, actor.org, subject.member(), id).await? else {
                return Err(WebError::NotFound);
            };
            let owner = row.owner();
            let mut resource = row.facts(&owner, &actor.company.base_currency).resource();
            if q.amount_minor.is_some() {
                resource.amount_minor = q.amount_minor;
            }
            authorize::decide(&Request {
                principal: &subject,
                action,
                resource,
                context: ctx,
            })
        }
        Some(Some(("member", id))) => {
            let id = parse_id(id)?;
            let target = members::get(&mut conn, actor.org, MemberId(id)).await?;
            // The caller must be able to see the member themselves, or the answer leaks
            // whether the id exists.
            let target = match target {
                Some(t) => crate::http::controllers::members::seen_as(&mut conn, &actor, &t)
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
            let facts =
                scope::target(&mut conn, actor.org, subject.member(), target.member_id()).await?;
            authorize::decide(&Request {
                principal: &subject,
                action,
                resource: ResourceRef {
                    owner: Some(facts.target()),
                    amount_minor: q.amount_minor,
                    ..ResourceRef::default()
                },
                context: ctx,
            })
        }
        Some(Some(("team", id))) => {
            let id = parse_id(id)?;
            if outlay_store::teams::get(&mut conn, actor.org, TeamId(id))
                .await?
                .is_none()
            {
                return Err(WebError::NotFound);
            }
            authorize::decide(&Request {
                principal: &subject,
                action,
                resource: ResourceRef {
                    team: Some(TeamId(id)),
                    amount_minor: q.amount_minor,
                    ..ResourceRef::default()
                },
                context: ctx,
            })
        }
        Some(_) => return Err(WebError::invalid("resource", RESOURCE_FORMAT)),
    };
    Ok(Json(response(decision)))
}
