//! `GET /api/v1/orgs/{org}/expenses`: the expenses the caller may see, newest first: their own,
//! their team's, or all, by the scope of their `expense.view`.

use super::*;
use crate::http::paths::InOrg;

/// The expenses the caller may see, newest first: their own, their team's, or all, by the
/// scope of their `expense.view`.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses", tag = "expenses",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<ExpenseOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ExpensePage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(ExpenseStatus::parse(s).ok_or_else(|| {
            WebError::invalid(
                "status",
                format!("`{s}` is not one of `draft`, `submitted`, `approved`, `rejected`"),
            )
        })?),
    };
    let (actor, mut conn) = app.reading(&auth, org).await?;
    let view = authorize::company(&actor.principal, actor.ctx(), Action::ExpenseView);
    let visible = actor.principal.list_scope(actor.now, Action::ExpenseView);
    let Some(visible) =
        visible.filter(|_| !matches!(view, Decision::Denied(Reason::CompanyClosed)))
    else {
        let err = Reason::NoPermission {
            action: Action::ExpenseView,
        }
        .into();
        return Err(app.refused(&actor, "expense.view", "expenses", err).await);
    };
    let filter = ListFilter {
        status,
        owner: q.owner.map(MemberId),
        cursor: paging.cursor,
        limit: paging.fetch(),
    };
    let mut rows = expenses::list(&mut conn, actor.org, actor.id(), &visible, &filter).await?;
    let next_cursor = paging.finish(&mut rows, |r| r.id);
    let delegated = delegated_to(&actor);
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let extra = delegated_actions(&mut conn, &actor, &delegated, r.id).await?;
        items.push(out(&actor, r, &extra));
    }
    Ok(Json(ExpensePage { items, next_cursor }))
}
