//! `POST /api/v1/orgs/{org}/role-requests`: ask for a role, with a reason and optional dates.
//! Anyone may ask.

use super::*;
use crate::http::paths::InOrg;

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
    let valid_from = time("valid_from", &req.valid_from)?;
    let valid_until = time("valid_until", &req.valid_until)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let spec = GrantSpec {
        team: req.team_id.map(TeamId),
        valid_from,
        valid_until,
        ..GrantSpec::role(req.role.trim())
    };
    let resolved = invariants::resolve_grants(&actor.book, std::slice::from_ref(&spec))
        .map_err(|e| WebError::invalid(e.field.trim_start_matches("grants[0]."), e.reason))?;
    let (spec, role) = resolved.into_iter().next().ok_or(WebError::NotFound)?;
    if spec.valid_until.is_some_and(|u| u <= actor.now) {
        return Err(WebError::invalid("valid_until", "is already past"));
    }
    if let Some(t) = spec.team {
        if outlay_store::teams::get(&mut tx, actor.org, t)
            .await?
            .is_none()
        {
            return Err(WebError::invalid(
                "team_id",
                format!("team {t} does not exist in this company"),
            ));
        }
    }
    let target = format!("member:{}", actor.id().0);
    let result = async {
        if actor.company.is_closed() {
            return Err(Reason::CompanyClosed.into());
        }
        if actor.book.preset().base == Some(&*role.key) {
            return Err(Reason::BaseRole {
                role: role.key.to_string(),
            }
            .into());
        }
        let new = NewRoleRequest {
            member: actor.id(),
            role: &spec.role,
            team: spec.team,
            reason: &reason,
            valid_from: spec.valid_from,
            valid_until: spec.valid_until,
        };
        let id = role_requests::create(&mut tx, actor.org, &new).await?;
        let row = role_requests::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        Ok((
            out(&row, false),
            json!({"request_id": id, "role": spec.role, "team_id": spec.team.map(|t| t.0)}),
        ))
    }
    .await;
    let out = app
        .finish(tx, &actor, "role_request.create", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
