//! `POST /api/v1/orgs/{org}/members`: invite a member with their grants. Needs `member.invite`;
//! only owners invite owners or admins; nobody grants beyond what they hold.

use super::*;
use crate::http::paths::InOrg;

/// Invite a member with their grants. Needs `member.invite`; only owners invite owners or
/// admins; nobody grants beyond what they hold.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/members", tag = "members", request_body = InviteRequest,
    params(InOrg),
    responses((status = 201, body = InviteResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "already a member", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn invite(
    State(app): State<App>,
    auth: Auth,
    Path(InOrg { org }): Path<InOrg>,
    Body(req): Body<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), WebError> {
    let email = outlay_core::validate::email(&req.email)?;
    let name = outlay_core::validate::text("name", &req.name, 120)?;
    let kind = match req.kind.as_deref() {
        None => MemberKind::Internal,
        Some(k) => MemberKind::parse(k).ok_or_else(|| {
            WebError::invalid(
                "kind",
                format!("`{k}` is not one of `internal`, `external`"),
            )
        })?,
    };
    let external_id = req
        .external_id
        .as_deref()
        .map(|e| outlay_core::validate::text("external_id", e, 120))
        .transpose()?;
    let (mut tx, actor) = app.writer(&auth, org).await?;
    let target = format!("invitation:{email}");
    let result = async {
        let proposed = resolve_grants(&mut tx, actor.org, &actor.book, &req.grants).await?;
        let manager = check_manager(&mut tx, actor.org, req.manager_id).await?;
        let team = match req.team_id {
            None => None,
            Some(t) => Some(
                outlay_store::teams::get(&mut tx, actor.org, TeamId(t))
                    .await?
                    .map(|t| TeamId(t.id))
                    .ok_or_else(|| {
                        WebError::invalid(
                            "team_id",
                            format!("team {t} does not exist in this company"),
                        )
                    })?,
            ),
        };
        // The newcomer as the inviter will see them: in the team, reporting to the manager.
        let newcomer = TargetFacts {
            member: MemberId(0),
            line: if manager == Some(actor.id()) {
                Line::Direct
            } else {
                Line::Other
            },
            teams: team.into_iter().collect(),
        };
        for (i, (spec, _)) in proposed.iter().enumerate() {
            if spec.valid_until.is_some_and(|u| u <= actor.now) {
                return Err(WebError::invalid(
                    &format!("grants[{i}].valid_until"),
                    "is already past: the grant would give nothing",
                ));
            }
        }
        let change = GrantChange {
            target: newcomer.target(),
            target_archived: false,
            target_kind: kind,
            current: &[],
            proposed: &proposed,
            // A new member holds nothing yet, so the last-top-role rule cannot bite.
            other_permanent_tops: 0,
            other_tops: members::other_tops(
                &mut tx,
                actor.org,
                MemberId(0),
                actor.book.preset().top,
            )
            .await?,
            top_role: actor.book.preset().top,
            base_role: actor.book.preset().base,
        };
        let permit =
            invariants::change_grants(&actor.principal, actor.ctx(), GrantVia::Invite, &change)?;
        let person = match outlay_store::auth::person_by_email(&mut tx, &email).await? {
            Some(p) => {
                if members::by_person(&mut tx, actor.org, p.id)
                    .await?
                    .is_some()
                {
                    return Err(WebError::Conflict {
                        code: "already_member",
                        message: format!("`{email}` is already a member of this company"),
                    });
                }
                p.id
            }
            None => {
                outlay_store::auth::create_person(&mut tx, &email, &name, None, actor.now).await?
            }
        };
        let specs: Vec<GrantSpec> = proposed.iter().map(|(s, _)| s.clone()).collect();
        let (token, token_hash) = crate::tokens::issue();
        let invite = members::Invite {
            member: members::NewMember {
                person,
                name: &name,
                status: MemberStatus::Invited,
                manager,
                kind,
            },
            team,
            external_id: external_id.as_deref(),
            grants: &specs,
            token_hash: &token_hash,
            expires_at: actor.now.plus_seconds(INVITATION_SECONDS),
        };
        let id = members::invite(&mut tx, actor.org, &invite, permit)
            .await
            .map_err(external_id_taken)?;
        let roles: Vec<&str> = specs.iter().map(|s| s.role.as_str()).collect();
        let _ = &roles;
        Ok((
            InviteResponse {
                id: id.0,
                invitation_token: token,
            },
            json!({"member_id": id.0, "email": email, "roles": roles}),
        ))
    }
    .await;
    let out = app
        .finish(tx, &actor, "member.invite", &target, result)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
