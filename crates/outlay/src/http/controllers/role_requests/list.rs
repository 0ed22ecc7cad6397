//! `GET /api/v1/orgs/{org}/role-requests`: the caller's own requests and those they may decide,
//! newest first.

use super::*;
use crate::http::paths::InOrg;

/// The caller's own requests and those they may decide, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/role-requests", tag = "role requests",
    params(InOrg, ListQuery),
    responses((status = 200, body = crate::http::page::Page<RoleRequestOut>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Query(q): Query<ListQuery>,
) -> Result<Json<RoleRequestPage>, WebError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s @ ("open" | "approved" | "declined")) => Some(s),
        Some(s) => {
            return Err(WebError::invalid(
                "status",
                format!("`{s}` is not one of `open`, `approved`, `declined`"),
            ))
        }
    };
    let (actor, mut conn) = app.reading(&auth, org).await?;
    // Requests are few; the caller's view is filtered here, a page at a time.
    let mut items = Vec::new();
    let mut cursor = paging.cursor;
    let limit = usize::try_from(paging.limit).unwrap_or(50);
    let mut next_cursor = None;
    'pages: loop {
        let rows = role_requests::list(&mut conn, actor.org, status, cursor, 200).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        for r in &rows {
            let mine = r.member_id == actor.id().0;
            let may = decider(&mut conn, &actor, r).await?.is_ok();
            if mine || may {
                if items.len() == limit {
                    next_cursor = items.last().map(|i: &RoleRequestOut| i.id.to_string());
                    break 'pages;
                }
                items.push(out(r, may));
            }
        }
        cursor = Some(last);
    }
    Ok(Json(RoleRequestPage { items, next_cursor }))
}
