//! `POST /api/v1/orgs/{org}/delegations`: delegate one's approvals (or expense submissions) to
//! another member for a while.

use super::*;
use crate::http::paths::InOrg;

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
    let from = req.from.as_deref().map(|s| time("from", s)).transpose()?;
    let until = time("until", &req.until)?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let from = from.unwrap_or(actor.now);
    if until <= from {
        return Err(WebError::invalid("until", "must be after `from`"));
    }
    if until <= actor.now {
        return Err(WebError::invalid(
            "until",
            "is already past: the delegation would give nothing",
        ));
    }
    let delegator = MemberId(req.delegator_id.unwrap_or(actor.id().0));
    let target = format!("member:{}", delegator.0);
    let result = async {
        let delegator_row = members::get(&mut tx, actor.org, delegator)
            .await?
            .ok_or(WebError::NotFound)?;
        if delegator != actor.id() && crate::http::controllers::members::seen_as(&mut tx, &actor, &delegator_row).await?.is_none() {
            return Err(WebError::NotFound);
        }
        let permit = manage_right(&mut tx, &actor, delegator).await?;
        let delegate = members::get(&mut tx, actor.org, MemberId(req.delegate_id)).await?;
        match delegate {
            Some(d) if d.status == "active" && d.member_id() != delegator => {}
            Some(d) if d.member_id() == delegator => {
                return Err(WebError::invalid("delegate_id", "nobody delegates to themself"))
            }
            Some(_) => return Err(WebError::invalid("delegate_id", format!("member {} is not active", req.delegate_id))),
            None => {
                return Err(WebError::invalid(
                    "delegate_id",
                    format!("member {} does not exist in this company", req.delegate_id),
                ))
            }
        }
        let new = NewDelegation {
            delegator,
            delegate: MemberId(req.delegate_id),
            kind,
            valid_from: from,
            valid_until: until,
        };
        let id = delegations::create(&mut tx, actor.org, &new, permit).await?;
        let row = delegations::get(&mut tx, actor.org, id).await?.ok_or(WebError::NotFound)?;
        let detail = json!({"delegation_id": id, "delegate_id": req.delegate_id, "kind": kind.as_str(),
                            "from": rfc3339(from), "until": rfc3339(until)});
        Ok((out(&row, actor.now), detail))
    }
    .await;
    let out = app
        .finish(tx, &actor, "delegation.create", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
