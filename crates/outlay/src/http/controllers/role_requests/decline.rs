//! `POST /api/v1/orgs/{org}/role-requests/{id}/decline`: decline a request, with a reason for
//! the requester.

use super::*;
use crate::http::paths::RequestPath;

/// Decline a request, with a reason for the requester.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests/{id}/decline", tag = "role requests", request_body = DeclineRequest,
    params(RequestPath),
    responses((status = 200, body = RoleRequestOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decline(
    State(app): State<App>,
    auth: Auth,
    Path(RequestPath { org, id }): Path<RequestPath>,
    Body(req): Body<DeclineRequest>,
) -> Result<Json<RoleRequestOut>, WebError> {
    let reason = outlay_core::validate::text("reason", req.reason.as_deref().unwrap_or(""), 1000)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("role_request:{id}");
    let result = async {
        let (row, permit) = decidable(&mut tx, &actor, id).await?;
        if !role_requests::decide(
            &mut tx,
            actor.org,
            id,
            MemberId(row.member_id),
            false,
            Some(&reason),
            permit,
        )
        .await?
        {
            return Err(WebError::Conflict {
                code: "request_decided",
                message: "this request was decided meanwhile".into(),
            });
        }
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((out(&row, false), json!({"decline_reason": reason})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "role_request.decline", &target, result)
            .await?,
    ))
}
