//! `POST /api/v1/orgs/{org}/expenses`: create a draft expense of one's own. Needs
//! `expense.create`.

use super::*;
use crate::http::paths::InOrg;

/// Create a draft expense of one's own. Needs `expense.create`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/expenses", tag = "expenses", request_body = ExpenseIn,
    params(InOrg),
    responses((status = 201, body = ExpenseOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<ExpenseIn>,
) -> Result<(StatusCode, Json<ExpenseOut>), WebError> {
    let input = ExpenseInput::parse(&req.raw())?;
    let on_behalf = req.on_behalf_of;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let result = async {
        let permit = match on_behalf {
            None => {
                let me = actor.principal_target();
                authorize::permit(&Request {
                    principal: &actor.principal,
                    action: Action::ExpenseCreate,
                    resource: ResourceRef::of_member(me.target()),
                    context: actor.ctx(),
                })?
                .0
            }
            Some(delegator) => {
                delegated(&mut tx, &actor, MemberId(delegator), Action::ExpenseCreate, None)
                    .await?
                    .0
            }
        };
        let on_behalf_of = permit.on_behalf_of();
        let id = expenses::create(&mut tx, actor.org, &input, permit).await?;
        let row = expenses::get(&mut tx, actor.org, actor.id(), id)
            .await?
            .ok_or(WebError::NotFound)?;
        let detail = json!({"expense_id": id, "amount_minor": row.amount_minor, "currency": row.currency,
                            "on_behalf_of": on_behalf_of.map(|m| m.0)});
        Ok((out(&actor, row, &[]), detail))
    }
    .await;
    let target = "expenses";
    let out = app
        .finish(tx, &actor, "expense.create", target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
