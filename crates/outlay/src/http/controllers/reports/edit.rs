//! `PATCH /api/v1/orgs/{org}/reports/{id}`: rename a draft report (or one sent back for
//! changes), put one's draft or rejected expenses in it, take expenses out.

use super::*;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportEditIn {
    /// A new title.
    #[schema(schema_with = crate::http::schema::text_200_or_null)]
    pub title: Option<String>,
    /// Expenses to put in: the report owner's, draft or rejected, in no other report.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub add: Vec<i64>,
    /// Expenses to take out.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub remove: Vec<i64>,
}

/// Rename a draft report (or one sent back for changes), put the owner's draft or rejected
/// expenses in it, take expenses out. Needs `report.submit` on it (one's own).
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/reports/{id}", tag = "reports", request_body = ReportEditIn,
    params(ReportPath),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<ReportEditIn>,
) -> Result<Json<ReportOut>, WebError> {
    let title = match req.title.as_deref() {
        Some(t) => Some(outlay_core::report::title(Some(t))?),
        None => None,
    };
    if req.add.len() > 500 || req.remove.len() > 500 {
        return Err(WebError::invalid("add", "at most 500 expenses at a time"));
    }
    let edit = Step::Edit {
        title,
        add: req.add,
        remove: req.remove,
    };
    step(&app, &auth, at, edit).await
}
