//! `POST /api/v1/orgs/{org}/role-requests`: ask for a role, with a reason and optional dates.
//! Anyone may ask.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::role_requests::Create;

/// Ask for a role, with a reason and optional dates. Anyone may ask.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/role-requests", tag = "role requests", request_body = NewRoleRequestIn,
    params(InOrg),
    responses((status = 201, body = RoleRequestOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewRoleRequestIn>,
) -> Result<(StatusCode, Json<RoleRequestOut>), WebError> {
    let reason = outlay_core::validate::text("reason", &req.reason, 1000)?;
    let time = |field: &str, v: &Option<String>| -> Result<Option<Timestamp>, WebError> {
        v.as_deref()
            .map(|s| {
                parse_rfc3339(s).ok_or_else(|| {
                    WebError::invalid(
                        field,
                        "must be an RFC 3339 time like `2026-12-31T23:59:59Z`",
                    )
                })
            })
            .transpose()
    };
    let spec = GrantSpec {
        team: req.team_id.map(TeamId),
        valid_from: time("valid_from", &req.valid_from)?,
        valid_until: time("valid_until", &req.valid_until)?,
        ..GrantSpec::role(req.role.trim())
    };
    let view = app.perform(&auth, org, Create { spec, reason }).await?;
    Ok((StatusCode::CREATED, Json(out(view))))
}
