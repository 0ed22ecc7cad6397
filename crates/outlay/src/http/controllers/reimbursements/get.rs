//! `GET /api/v1/orgs/{org}/reimbursements/sepa/{id}`: a SEPA file again, as first answered.

use super::*;
use crate::ops::reimbursements::SepaFile;

/// A SEPA file again, byte for byte as it was answered when made: for whoever holds
/// `expense.reimburse` reaching every member it pays; a 404 for anyone else.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reimbursements/sepa/{id}", tag = "reimbursements",
    params(SepaPath),
    responses((status = 200, description = "the pain.001.001.09 file", content_type = "application/xml", body = String,
                headers(("Content-Disposition" = String, description = "`attachment`, named by the file's message id"))),
              (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<SepaPath>,
) -> Result<Response, WebError> {
    let batch = app.ask(&auth, at.org, SepaFile { id: at.id }).await?;
    Ok(file(StatusCode::OK, at.org, batch))
}
