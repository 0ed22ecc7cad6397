//! `DELETE /api/v1/orgs/{org}/delegations/{id}`: end a delegation early. Only the delegator, or
//! whoever holds `delegation.manage` reaching the delegator.

use super::*;
use crate::http::paths::DelegationPath;

/// End a delegation early. Only the delegator, or whoever holds `delegation.manage` reaching
/// the delegator.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/delegations/{id}", tag = "delegations",
    params(DelegationPath),
    responses((status = 204, description = "ended"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "already ended", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn end(
    State(app): State<App>,
    auth: Auth,
    Path(DelegationPath { org, id }): Path<DelegationPath>,
) -> Result<StatusCode, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("delegation:{id}");
    let result = async {
        let row = delegations::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let involved = row.delegator_id == actor.id().0 || row.delegate_id == actor.id().0;
        let permit = match manage_right(&mut tx, &actor, MemberId(row.delegator_id)).await {
            Ok(p) => p,
            // Those it does not concern and who may not manage it do not learn it exists.
            Err(_) if !involved => return Err(WebError::NotFound),
            Err(e) => return Err(e),
        };
        if !delegations::end(&mut tx, actor.org, id, MemberId(row.delegator_id), permit).await? {
            return Err(WebError::Conflict {
                code: "delegation_ended",
                message: "this delegation has already ended".into(),
            });
        }
        Ok((StatusCode::NO_CONTENT, json!({"delegation_id": id})))
    }
    .await;
    app.finish(tx, &actor, "delegation.end", &target, result)
        .await
}
