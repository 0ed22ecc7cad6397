//! Delegations: a member lets another act for them for a while — approving while away
//! (`approve`), or creating and submitting expenses for them (`submit`). They end by
//! themselves at `until`; the delegator, or whoever manages the delegator, ends one early.

mod create;
mod end;
mod list;

use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::{ErrorBody, WebError};
use crate::http::extract::{Auth, Body, Path, Query};
use crate::http::page::Paging;
use crate::http::App;
use crate::ops::delegations::DelegationView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlay_core::{DelegationKind, MemberId, Timestamp};
use serde::{Deserialize, Serialize};
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

fn out(v: DelegationView) -> DelegationOut {
    let d = &v.row;
    let t = |s: i64| rfc3339(Timestamp(s));
    DelegationOut {
        id: d.id,
        delegator_id: d.delegator_id,
        delegate_id: d.delegate_id,
        kind: d.kind.clone(),
        from: t(d.valid_from),
        until: t(d.valid_until),
        active: v.active,
        created_by: d.created_by,
        ended_at: d.ended_at.map(t),
        ended_by: d.ended_by,
    }
}

pub type DelegationPage = crate::http::page::Page<DelegationOut>;

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

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^(0*[1-9][0-9]{0,17})?$")]
    pub cursor: Option<String>,
}

/// This resource's routes, each registered once: with axum and in the OpenAPI document.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<crate::http::App> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(create::create, list::list))
        .routes(utoipa_axum::routes!(end::end))
}
