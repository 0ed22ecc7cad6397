//! Delegations: a member lets another act for them for a while — approving while away
//! (`approve`), or creating and submitting expenses for them (`submit`). They end by
//! themselves at `until`; the delegator, or whoever manages the delegator, ends one early.

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::actor::Actor;
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::authorize::{self, Permit};
use outlay_core::{Action, DelegationKind, MemberId, Timestamp};
use outlay_store::delegations::{self, DelegationRow, NewDelegation};
use outlay_store::{members, scope, Conn};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct DelegationOut {
    pub id: i64,
    pub delegator_id: i64,
    pub delegate_id: i64,
    /// `approve` or `submit`.
    pub kind: String,
    pub from: String,
    pub until: String,
    /// Whether it lets the delegate act now.
    pub active: bool,
    pub created_by: i64,
    pub ended_at: Option<String>,
    pub ended_by: Option<i64>,
}

fn out(d: &DelegationRow, now: Timestamp) -> DelegationOut {
    let t = |s: i64| rfc3339(Timestamp(s));
    DelegationOut {
        id: d.id,
        delegator_id: d.delegator_id,
        delegate_id: d.delegate_id,
        kind: d.kind.clone(),
        from: t(d.valid_from),
        until: t(d.valid_until),
        active: d.active_at(now),
        created_by: d.created_by,
        ended_at: d.ended_at.map(t),
        ended_by: d.ended_by,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DelegationPage {
    pub items: Vec<DelegationOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDelegationIn {
    /// Who acts for the delegator.
    pub delegate_id: i64,
    /// RFC 3339; default now.
    #[schema(schema_with = crate::http::schema::date_time_or_null)]
    pub from: Option<String>,
    /// RFC 3339: the delegation ends by itself at this moment.
    #[schema(schema_with = crate::http::schema::date_time_required)]
    pub until: String,
    /// `approve` (decide what the delegator could) or `submit` (create and submit expenses
    /// for the delegator; never approve).
    #[schema(schema_with = crate::http::schema::delegation_kind)]
    pub kind: String,
    /// Delegate for someone else: needs `delegation.manage` reaching them. Default: oneself.
    pub delegator_id: Option<i64>,
}

/// The right to set up or end a delegation of `delegator`: `delegation.manage` reaching them
/// (one's own, or a report's, or anyone's).
async fn manage_right(
    conn: &mut Conn,
    actor: &Actor,
    delegator: MemberId,
) -> Result<Permit, WebError> {
    let facts = scope::target(conn, actor.org, actor.id(), delegator).await?;
    let (permit, _) = authorize::permit(&authorize::Request {
        principal: &actor.principal,
        action: Action::DelegationManage,
        resource: authorize::ResourceRef::of_member(facts.target()),
        context: actor.ctx(),
    })?;
    Ok(permit)
}

/// Delegate one's approvals (or expense submissions) to another member for a while.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/delegations", tag = "delegations", request_body = NewDelegationIn,
    params(("org" = i64, Path, description = "company id")),
    responses((status = 201, body = DelegationOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
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
        if delegator != actor.id() && super::members::seen_as(&mut tx, &actor, &delegator_row).await?.is_none() {
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

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// Delegations given by or to the caller, newest first; holders of `delegation.manage.all`
/// see the company's.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/delegations", tag = "delegations",
    params(("org" = i64, Path, description = "company id"), ListQuery),
    responses((status = 200, body = DelegationPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(org): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<DelegationPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let actor = app.reader(&auth, org).await?;
    let all = actor
        .principal
        .list_scope(actor.now, Action::DelegationManage)
        .is_some_and(|s| s.all);
    let mut conn = app.store.read().await?;
    let mut rows = if all {
        delegations::all(&mut conn, actor.org, paging.cursor, paging.fetch()).await?
    } else {
        delegations::involving(
            &mut conn,
            actor.org,
            actor.id(),
            paging.cursor,
            paging.fetch(),
        )
        .await?
    };
    let next_cursor = paging.finish(&mut rows, |d| d.id);
    let items = rows.iter().map(|d| out(d, actor.now)).collect();
    Ok(Json(DelegationPage { items, next_cursor }))
}

/// End a delegation early. Only the delegator, or whoever holds `delegation.manage` reaching
/// the delegator.
#[utoipa::path(delete, path = "/api/v1/orgs/{org}/delegations/{id}", tag = "delegations",
    params(("org" = i64, Path, description = "company id"), ("id" = i64, Path, description = "delegation id")),
    responses((status = 204, description = "ended"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "already ended", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn end(
    State(app): State<App>,
    auth: Auth,
    Path((org, id)): Path<(i64, i64)>,
) -> Result<StatusCode, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("delegation:{id}");
    let result = async {
        let row = delegations::get(&mut tx, actor.org, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let involved = row.delegator_id == actor.id().0 || row.delegate_id == actor.id().0;
        let permit = match manage_right(&mut tx, &actor, MemberId(row.delegator_id)).await {
            Ok(p) => p,
            // Those it does not concern and who may not manage it do not learn it exists.
            Err(_) if !involved => return Err(WebError::NotFound),
            Err(e) => return Err(e),
        };
        if !delegations::end(&mut tx, actor.org, id, MemberId(row.delegator_id), permit).await? {
            return Err(WebError::Conflict {
                code: "delegation_ended",
                message: "this delegation has already ended".into(),
            });
        }
        Ok((StatusCode::NO_CONTENT, json!({"delegation_id": id})))
    }
    .await;
    app.finish(tx, &actor, "delegation.end", &target, result)
        .await
}
