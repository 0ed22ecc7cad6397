//! `GET` and `POST /api/v1/orgs/{org}/reports/{id}/comments`: a report's comments, visible to
//! everyone who can see the report; written by those with a part in it (its owner, whoever
//! may decide it, finance paying it), never by read-only roles.

use super::*;
use crate::ops::reports::{Comment, Comments};
use outlay_store::reports::CommentRow;

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: String,
}

fn shown(c: CommentRow) -> CommentOut {
    CommentOut {
        id: c.id,
        author_id: c.author_id,
        author_name: c.author_name,
        body: c.body,
        created_at: rfc3339(Timestamp(c.created_at)),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// The comment: 1 to 1,000 characters.
    #[schema(schema_with = crate::http::schema::text_1000)]
    pub body: String,
}

/// A report's comments, oldest first, if the caller may see the report.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reports/{id}/comments", tag = "reports", operation_id = "list_comments",
    params(ReportPath),
    responses((status = 200, body = Vec<CommentOut>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
) -> Result<Json<Vec<CommentOut>>, WebError> {
    let comments = app.ask(&auth, at.org, Comments { id: at.id }).await?;
    Ok(Json(comments.into_iter().map(shown).collect()))
}

/// Comment on a report: its owner, whoever may decide it, or finance paying it. Read-only
/// roles read comments and write none (403).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/reports/{id}/comments", tag = "reports", operation_id = "create_comment", request_body = CommentIn,
    params(ReportPath),
    responses((status = 201, body = CommentOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(at): Path<ReportPath>,
    Body(req): Body<CommentIn>,
) -> Result<(StatusCode, Json<CommentOut>), WebError> {
    let body = outlay_core::report::comment(&req.body)?;
    let c = app
        .perform(&auth, at.org, Comment { id: at.id, body })
        .await?;
    Ok((StatusCode::CREATED, Json(shown(c))))
}
