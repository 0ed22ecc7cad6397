//! `POST /api/v1/orgs/{org}/members/{id}/grants/preview`: preview replacing a member's grants:
//! what they would gain and lose, whose data would enter or leave their reach, and whether the
//! caller may make the change. Nothing is changed. Needs `role.view`, or a grant that assigns
//! roles.

use super::*;
use crate::http::paths::MemberPath;
use crate::ops::members::PreviewGrants;

/// Preview replacing a member's grants: what they would gain and lose, whose data would
/// enter or leave their reach, and whether the caller may make the change. Nothing is
/// changed. Needs `role.view`, or a grant that assigns roles.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/grants/preview", tag = "members", request_body = GrantsRequest,
    params(MemberPath),
    responses((status = 200, body = GrantsPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn preview_grants(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<GrantsRequest>,
) -> Result<Json<GrantsPreview>, WebError> {
    let preview = PreviewGrants {
        member: id,
        grants: grant_specs(&req.grants)?,
    };
    let p = app.ask(&auth, org, preview).await?;
    let people = |v: Vec<(i64, String)>| {
        v.into_iter()
            .map(|(member_id, name)| ReachChange { member_id, name })
            .collect()
    };
    let (allowed, code, reason) = match p.decision {
        Ok(()) => (
            true,
            "granted".to_string(),
            "the change is allowed".to_string(),
        ),
        Err(r) => (false, r.code().to_string(), r.to_string()),
    };
    Ok(Json(GrantsPreview {
        allowed,
        code,
        reason,
        gained: p.gained,
        lost: p.lost,
        people_gained: people(p.people_gained),
        people_lost: people(p.people_lost),
    }))
}
