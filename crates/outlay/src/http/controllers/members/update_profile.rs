//! `PATCH /api/v1/orgs/{org}/members/{id}`: change a member's profile: name, kind, external
//! identifier. Needs `member.manage` reaching the member. The login email belongs to the
//! person, not to one company.

use super::*;
use crate::http::paths::MemberPath;

/// Change a member's profile: name, kind, external identifier. Needs `member.manage`
/// reaching the member. The login email belongs to the person, not to one company.
#[utoipa::path(patch, path = "/api/v1/orgs/{org}/members/{id}", tag = "members", request_body = ProfileRequest,
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "external id taken, or external member holding cards", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_profile(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
    Body(req): Body<ProfileRequest>,
) -> Result<Json<MemberOut>, WebError> {
    let name = req
        .name
        .as_deref()
        .map(|n| outlay_core::validate::text("name", n, 120))
        .transpose()?;
    let kind = req
        .kind
        .as_deref()
        .map(|k| {
            MemberKind::parse(k).ok_or_else(|| {
                WebError::invalid(
                    "kind",
                    format!("`{k}` is not one of `internal`, `external`"),
                )
            })
        })
        .transpose()?;
    let external_id = match &req.external_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(e)) => Some(Some(outlay_core::validate::text("external_id", e, 120)?)),
    };
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let permit =
            invariants::manage_member(&actor.principal, actor.ctx(), facts.target(), false)?;
        if kind == Some(MemberKind::External) {
            if let Some(g) = target.stored_grants().find(|g| g.role.holds_cards()) {
                return Err(Reason::ExternalNoCards {
                    role: g.role.key.to_string(),
                }
                .into());
            }
        }
        let patch = members::ProfilePatch {
            name: name.clone(),
            kind,
            external_id: external_id.clone(),
        };
        members::update_profile(&mut tx, actor.org, row.member_id(), &patch, permit)
            .await
            .map_err(external_id_taken)?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let updated = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &updated, &facts).await?;
        Ok((
            out,
            json!({"name": name, "kind": kind.map(MemberKind::as_str), "external_id": external_id}),
        ))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.profile", &target_name, result)
            .await?,
    ))
}
