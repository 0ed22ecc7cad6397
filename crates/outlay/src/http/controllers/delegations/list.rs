//! `GET /api/v1/orgs/{org}/delegations`: delegations given by or to the caller, newest first;
//! holders of `delegation.manage.all` see the company's.

use super::*;
use crate::http::paths::InOrg;
use crate::ops::delegations::List;

/// Delegations given by or to the caller, newest first; holders of `delegation.manage.all`
/// see the company's.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/delegations", tag = "delegations",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<DelegationOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<DelegationPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let page = app.ask(&auth, org, List { paging }).await?;
    Ok(Json(DelegationPage::shown(page, out)))
}
