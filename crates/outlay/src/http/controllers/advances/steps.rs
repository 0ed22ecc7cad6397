//! The steps of an advance's life: `DELETE` (its owner withdraws an undecided request),
//! `/approve` and `/reject` (`advance.approve`, never one's own), `/disburse`, `/settle` and
//! `/return` (finance, `advance.disburse`).

use super::*;

/// A note or reference a step records.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextIn {
    /// A note for the owner (approve: optional; reject: the reason), or the payment's
    /// reference (disburse, return).
    #[schema(schema_with = crate::http::schema::text_200_or_null)]
    pub text: Option<String>,
}

fn required(text: Option<String>) -> Result<String, WebError> {
    Ok(outlay_core::validate::text(
        "text",
        text.as_deref().unwrap_or(""),
        200,
    )?)
}

/// Withdraw one's own request before it is decided.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/advances/{id}", tag = "advances",
    params(AdvancePath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
) -> Result<StatusCode, WebError> {
    let act = Act {
        id: at.id,
        step: Step::Cancel,
    };
    app.perform(&auth, at.org, act).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approve a requested advance (`advance.approve` at the owner's scope; never one's own).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances/{id}/approve", tag = "advances", request_body = TextIn,
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
    Body(req): Body<TextIn>,
) -> Result<Json<AdvanceOut>, WebError> {
    let note = req.text.map(|t| required(Some(t))).transpose()?;
    step(&app, &auth, at, Step::Approve(note)).await
}

/// Reject a requested advance with the reason (`text`, required).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances/{id}/reject", tag = "advances", request_body = TextIn,
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
    Body(req): Body<TextIn>,
) -> Result<Json<AdvanceOut>, WebError> {
    step(&app, &auth, at, Step::Reject(required(req.text)?)).await
}

/// Pay out an approved advance, with the payment's reference (`text`, required).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances/{id}/disburse", tag = "advances", request_body = TextIn,
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn disburse(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
    Body(req): Body<TextIn>,
) -> Result<Json<AdvanceOut>, WebError> {
    step(&app, &auth, at, Step::Disburse(required(req.text)?)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleIn {
    /// An approved, not yet paid report of the advance's owner.
    pub report_id: i64,
    /// What of it the advance covers: at most what the advance has unclaimed and what of the
    /// report no advance covers yet.
    pub amount_minor: i64,
}

/// Settle a paid advance against one of its owner's approved reports.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances/{id}/settle", tag = "advances", request_body = SettleIn,
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn settle(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
    Body(req): Body<SettleIn>,
) -> Result<Json<AdvanceOut>, WebError> {
    let settle = Step::Settle {
        report: req.report_id,
        amount_minor: req.amount_minor,
    };
    step(&app, &auth, at, settle).await
}

/// Close a paid advance: what was not claimed came back (`text`: the refund's reference).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/advances/{id}/return", tag = "advances", request_body = TextIn,
    params(AdvancePath),
    responses((status = 200, body = AdvanceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn settle_return(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<AdvancePath>,
    Body(req): Body<TextIn>,
) -> Result<Json<AdvanceOut>, WebError> {
    step(&app, &auth, at, Step::Return(required(req.text)?)).await
}
