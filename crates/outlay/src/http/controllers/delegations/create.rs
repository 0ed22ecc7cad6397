//! `POST /api/v1/orgs/{org}/delegations`: delegate one's approvals (or expense submissions) to
//! another member for a while.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::delegations::Create;

/// Delegate one's approvals (or expense submissions) to another member for a while.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/delegations", tag = "delegations", request_body = NewDelegationIn,
    params(InOrg),
    responses((status = 201, body = DelegationOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<NewDelegationIn>,
) -> Result<(StatusCode, Json<DelegationOut>), WebError> {
    let kind = DelegationKind::parse(&req.kind).ok_or_else(|| {
        WebError::invalid(
            "kind",
            format!("`{}` is not one of `approve`, `submit`", req.kind),
        )
    })?;
    let time = |field: &str, s: &str| {
        parse_rfc3339(s).ok_or_else(|| {
            WebError::invalid(
                field,
                "must be an RFC 3339 time like `2026-12-31T23:59:59Z`",
            )
        })
    };
    let create = Create {
        delegator: req.delegator_id.map(MemberId),
        delegate: MemberId(req.delegate_id),
        kind,
        from: req.from.as_deref().map(|s| time("from", s)).transpose()?,
        until: time("until", &req.until)?,
    };
    let row = app.perform(&auth, org, create).await?;
    Ok((StatusCode::CREATED, Json(out(row))))
}
