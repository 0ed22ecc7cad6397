//! `POST /api/v1/orgs/{org}/members/{id}/archive`: archive a member: they can no longer log in
//! or act; their data and history stay. Needs `member.archive` reaching the member.

use super::*;
use crate::http::paths::MemberPath;

/// Archive a member: they can no longer log in or act; their data and history stay. Needs
/// `member.archive` reaching the member.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members/{id}/archive", tag = "members",
    params(MemberPath),
    responses((status = 200, body = MemberOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "last owner", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn archive(
    State(app): State<App>,
    auth: Auth,
    Path(MemberPath { org, id }): Path<MemberPath>,
) -> Result<Json<MemberOut>, WebError> {
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target_name = format!("member:{id}");
    let result = async {
        let (row, target, facts) = visible_member(&mut tx, &actor, id)
            .await?
            .ok_or(WebError::NotFound)?;
        let top = actor.book.preset().top;
        let others =
            members::other_permanent_tops(&mut tx, actor.org, row.member_id(), top, actor.now)
                .await?;
        let permit = invariants::archive_member(
            &actor.principal,
            actor.ctx(),
            facts.target(),
            &target,
            others,
            top,
        )?;
        members::archive(&mut tx, actor.org, row.member_id(), permit).await?;
        let row = members::get(&mut tx, actor.org, row.member_id())
            .await?
            .ok_or(WebError::NotFound)?;
        let grants = members::grants(&mut tx, actor.org, row.member_id()).await?;
        let target = members::resolve(&row, grants, &actor.book);
        let out = full_member(&mut tx, &actor, &row, &target, &facts).await?;
        Ok((out, json!({})))
    }
    .await;
    Ok(Json(
        app.finish(tx, &actor, "member.archive", &target_name, result)
            .await?,
    ))
}
