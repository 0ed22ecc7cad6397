//! Explaining a grant change: may member M grant (or revoke) role R, bound to a team, with a
//! cap, to member T? The answer is the `role.assign` decision the change itself would get,
//! with the same facts about T (their kind, whether they hold R, the company's other
//! top-role holders), naming the grant that allows it or the rule that refuses.

use super::super::{Actor, Error, Result};
use outlay_core::authorize::{self, GrantAsk, GrantFacts};
use outlay_core::role::TeamBinding;
use outlay_core::validate::ValidationError;
use outlay_core::{Decision, GrantSpec, MemberId, Principal, TeamId};
use outlay_store::{members, scope, Conn};

/// The grant an explanation asks about.
#[derive(Clone, Debug)]
pub struct AskedGrant {
    /// A role key (or alias) of the company.
    pub role: String,
    /// The team the grant would be bound to.
    pub team: Option<TeamId>,
    /// Taking the grant away instead of giving it.
    pub revoke: bool,
}

/// `subject`'s `role.assign` decision on `asked` for member `to` (for nobody in particular
/// when `None`: then only unbound grants of `subject` reach), with `cap` as the grant's cap.
pub(super) async fn explain(
    conn: &mut Conn,
    actor: &Actor,
    subject: &Principal,
    asked: &AskedGrant,
    cap: Option<i64>,
    to: Option<MemberId>,
) -> Result<Decision> {
    let role = actor.book.get(asked.role.trim()).ok_or_else(|| {
        ValidationError::new(
            "role",
            format!("`{}` is not a role of this company", asked.role.trim()),
        )
    })?;
    match (role.team_binding, asked.team) {
        (TeamBinding::Required, None) => {
            return Err(ValidationError::new(
                "team_id",
                format!("role `{}` is always bound to a team", role.key),
            )
            .into())
        }
        (TeamBinding::Never, Some(_)) => {
            return Err(ValidationError::new(
                "team_id",
                format!("role `{}` cannot be bound to a team", role.key),
            )
            .into())
        }
        _ => {}
    }
    if let Some(team) = asked.team {
        outlay_store::teams::get(conn, actor.org, team)
            .await?
            .ok_or_else(|| Error::NotVisible(format!("team:{}", team.0)))?;
    }
    let mut spec = GrantSpec::role(&role.key);
    spec.team = asked.team;
    spec.options.max_amount_minor = cap;
    let ask = if asked.revoke {
        GrantAsk::revoke(role, &spec)
    } else {
        GrantAsk::give(role, &spec)
    };
    let Some(to) = to else {
        return Ok(authorize::assign(subject, actor.ctx(), None, &ask));
    };
    // The member must be visible to the caller, or the answer would tell they exist.
    let hidden = || Error::NotVisible(format!("member:{}", to.0));
    let row = members::get(conn, actor.org, to)
        .await?
        .ok_or_else(hidden)?;
    super::super::members::seen_as(conn, actor, to)
        .await?
        .ok_or_else(hidden)?;
    let holder = members::principal(conn, actor.org, &row).await?;
    let preset = actor.book.preset();
    let facts = GrantFacts {
        base: preset.base == Some(&*role.key),
        holder_kind: row.kind(),
        holder_has_role: holder.stored_grants().any(|g| g.role.key == role.key),
        other_tops: members::other_tops(conn, actor.org, to, preset.top).await?,
    };
    let target = scope::target(conn, actor.org, subject.member(), to).await?;
    Ok(authorize::assign(
        subject,
        actor.ctx(),
        Some(target.target()),
        &ask.with_facts(facts),
    ))
}
