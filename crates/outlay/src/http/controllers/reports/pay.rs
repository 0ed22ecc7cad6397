//! `POST /api/v1/orgs/{org}/reports/{id}/pay`: mark an approved report paid. Paid is final.

use super::*;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayIn {
    /// The payment's reference (a bank transfer's, a payroll run's): required.
    #[schema(schema_with = crate::http::schema::text_200_or_null, required = true)]
    pub reference: Option<String>,
}

/// Mark an approved report paid, with the payment's reference. Needs `expense.reimburse`;
/// paid is final.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/pay", tag = "reports", request_body = PayIn,
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn pay(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<PayIn>,
) -> Result<Json<ReportOut>, WebError> {
    let reference =
        outlay_core::validate::text("reference", req.reference.as_deref().unwrap_or(""), 200)?;
    step(&app, &auth, at, Step::Pay(reference)).await
}
