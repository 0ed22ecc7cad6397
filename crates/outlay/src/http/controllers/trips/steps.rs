//! The steps of a trip's life: `DELETE` (its owner withdraws an undecided request; its
//! expenses stay, unlinked), `/approve` and `/reject` (`trip.approve`, never one's own).

use super::*;

/// A note a decision records.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextIn {
    /// A note for the owner: optional on approve, the reason on reject.
    #[schema(schema_with = crate::http::schema::text_200_or_null)]
    pub text: Option<String>,
}

fn required(text: Option<&str>) -> Result<String, WebError> {
    Ok(outlay_core::validate::text(
        "text",
        text.unwrap_or(""),
        200,
    )?)
}

/// Withdraw one's own request before it is decided.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/trips/{id}", tag = "trips",
    params(TripPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<TripPath>,
) -> Result<StatusCode, WebError> {
    let act = Act {
        id: at.id,
        step: Step::Cancel,
    };
    app.perform(&auth, at.org, act).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approve a requested trip (`trip.approve` at the owner's scope; never one's own).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/trips/{id}/approve", tag = "trips", request_body = TextIn,
    params(TripPath),
    responses((status = 200, body = TripOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<TripPath>,
    Body(req): Body<TextIn>,
) -> Result<Json<TripOut>, WebError> {
    let note = req.text.as_deref().map(|t| required(Some(t))).transpose()?;
    step(&app, &auth, at, Step::Approve(note)).await
}

/// Reject a requested trip with the reason (`text`, required).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/trips/{id}/reject", tag = "trips", request_body = TextIn,
    params(TripPath),
    responses((status = 200, body = TripOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<TripPath>,
    Body(req): Body<TextIn>,
) -> Result<Json<TripOut>, WebError> {
    step(
        &app,
        &auth,
        at,
        Step::Reject(required(req.text.as_deref())?),
    )
    .await
}
