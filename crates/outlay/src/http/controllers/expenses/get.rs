//! `GET /api/v1/orgs/{org}/expenses/{id}`: one expense, if the caller may see it.

use super::*;
use crate::http::paths::ExpensePath;

/// One expense, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/expenses/{id}", tag = "expenses",
    params(ExpensePath),
    responses((status = 200, body = ExpenseOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(ExpensePath { org, id }): Path<ExpensePath>,
) -> Result<Json<ExpenseOut>, WebError> {
    let (actor, mut conn) = app.reading(&auth, org).await?;
    match visible(&mut conn, &actor, id).await {
        Ok(row) => {
            let delegated = delegated_to(&actor);
            let extra = delegated_actions(&mut conn, &actor, &delegated, id).await?;
            Ok(Json(out(&actor, row, &extra)))
        }
        Err(e) => Err(app
            .refused(&actor, "expense.view", &format!("expense:{id}"), e)
            .await),
    }
}
