//! `GET /api/v1/me`: the logged-in person and their memberships in companies.

use super::*;

/// The logged-in person and their memberships in companies.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(State(app): State<App>, auth: Auth) -> Result<Json<MeResponse>, WebError> {
    let mut conn = app.read_for(&auth).await?;
    let rows = outlay_store::members::memberships(&mut conn, auth.person.id).await?;
    let mut memberships = Vec::with_capacity(rows.len());
    for m in rows.into_iter().filter(|m| m.status != "invited") {
        let mut roles = outlay_store::members::active_roles(
            &mut conn,
            OrgId(m.org_id),
            MemberId(m.member_id),
            auth.now,
        )
        .await?;
        let base = outlay_core::preset::get(&m.preset).and_then(|p| p.base);
        if let Some(base) = base.filter(|_| m.status == "active") {
            roles.insert(0, base.to_string());
        }
        memberships.push(MembershipOut {
            org_id: m.org_id,
            org_name: m.org_name,
            member_id: m.member_id,
            status: m.status,
            preset: m.preset,
            kind: m.kind,
            company_closed: m.closed_at.is_some(),
            roles,
        });
    }
    Ok(Json(MeResponse {
        person: PersonOut {
            id: auth.person.id,
            email: auth.person.email.clone(),
            name: auth.person.name.clone(),
        },
        memberships,
    }))
}
