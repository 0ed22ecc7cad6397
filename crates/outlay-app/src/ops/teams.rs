//! Teams and their members. Changing a member's team changes access at once (the company's
//! access version moves with it).

use super::{Actor, Change, Done, Error, Page, Paging, Question, Result};
use outlay_core::{authorize, Action, MemberId, Reason, TeamId};
use outlay_store::{Conn, Write};
use serde_json::json;
use std::collections::HashMap;

/// A team with its members, and what the actor may do with it.
pub struct TeamView {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<i64>,
    pub allowed_actions: Vec<&'static str>,
}

/// Create a team.
pub struct Create {
    pub name: String,
}

impl Change for Create {
    type Output = TeamView;

    fn action(&self) -> &'static str {
        "team.manage"
    }

    fn target(&self, _: &Actor) -> String {
        format!("team:{}", self.name)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<TeamView>> {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::TeamManage)?;
        let id = match outlay_store::teams::create(w, actor.org, &self.name, permit).await {
            Ok(id) => id,
            Err(e) if e.is_unique_violation() => {
                return Err(Reason::TeamExists { name: self.name }.into())
            }
            Err(e) => return Err(e.into()),
        };
        let view = TeamView {
            id,
            name: self.name,
            members: vec![],
            allowed_actions: authorize::team_actions(&actor.principal, actor.ctx()),
        };
        Ok(Done::new(view, json!({"team_id": id.0})))
    }
}

/// Put a member in a team (`add`) or take them out. Whether anything changed.
pub struct ChangeMember {
    pub team: TeamId,
    pub member: MemberId,
    pub add: bool,
}

impl Change for ChangeMember {
    type Output = bool;

    fn action(&self) -> &'static str {
        if self.add {
            "team.add_member"
        } else {
            "team.remove_member"
        }
    }

    fn target(&self, _: &Actor) -> String {
        format!("team:{}/member:{}", self.team.0, self.member.0)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<bool>> {
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), Action::TeamManage)?;
        let team = outlay_store::teams::get(w, actor.org, self.team)
            .await?
            .ok_or(Error::NotFound)?;
        let member = outlay_store::members::get(w, actor.org, self.member)
            .await?
            .ok_or(Error::NotFound)?;
        let (team, member) = (TeamId(team.id), member.member_id());
        let changed = if self.add {
            outlay_store::teams::add_member(w, actor.org, team, member, permit).await?
        } else {
            outlay_store::teams::remove_member(w, actor.org, team, member, permit).await?
        };
        Ok(Done::new(changed, json!({"changed": changed})))
    }
}

/// The company's teams with their members. Needs `team.view`.
pub struct List {
    pub paging: Paging,
}

impl Question for List {
    type Output = Page<TeamView>;

    fn action(&self) -> &'static str {
        "team.view"
    }

    fn target(&self) -> String {
        "teams".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<TeamView>> {
        authorize::company(&actor.principal, actor.ctx(), Action::TeamView).into_result()?;
        let paging = self.paging;
        let mut rows =
            outlay_store::teams::list(conn, actor.org, paging.cursor, paging.fetch()).await?;
        let next_cursor = paging.finish(&mut rows, |t| t.id);
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        for (team, member) in outlay_store::teams::memberships_of(conn, actor.org, &ids).await? {
            members.entry(team).or_default().push(member);
        }
        let allowed = authorize::team_actions(&actor.principal, actor.ctx());
        let items = rows
            .into_iter()
            .map(|t| TeamView {
                members: members.remove(&t.id).unwrap_or_default(),
                id: TeamId(t.id),
                name: t.name,
                allowed_actions: allowed.clone(),
            })
            .collect();
        Ok(Page { items, next_cursor })
    }
}
