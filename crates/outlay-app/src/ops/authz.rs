//! Explaining a decision without taking the action: may member M do action A (on a resource,
//! for an amount), and why. The answer is the one decision function's. Anyone explains their
//! own rights; another member's need `role.view`; the resource must be visible to the actor,
//! or the answer would tell whether it exists.

use super::{Actor, Error, Question, Result};
use outlay_core::authorize::{self, ExpenseAction, Request, ResourceRef};
use outlay_core::{Action, Decision, Line, MemberId, Scope, Target, TeamId};
use outlay_store::{expenses, members, scope, Conn};

/// What the explained action is on.
#[derive(Clone, Copy, Debug)]
pub enum About {
    Expense(i64),
    /// An action on that member's data, cards or payments.
    Member(i64),
    /// E.g. inviting into that team.
    Team(i64),
}

/// Explain `action` (at `scope`, when asking about a scope rather than a target) for
/// `member`.
pub struct Explain {
    pub member: MemberId,
    pub action: Action,
    pub scope: Option<Scope>,
    pub about: Option<About>,
    pub amount_minor: Option<i64>,
}

impl Question for Explain {
    type Output = Decision;

    fn action(&self) -> &'static str {
        "authz.explain"
    }

    fn target(&self) -> String {
        format!("member:{}", self.member.0)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Decision> {
        let ctx = actor.ctx();
        // Asking about someone else needs `role.view` before the id is even looked up, so
        // the answer never tells whether a member exists.
        if self.member != actor.id() {
            authorize::company(&actor.principal, ctx, Action::RoleView).into_result()?;
        }
        let subject_row = members::get(conn, actor.org, self.member)
            .await?
            .ok_or(Error::NotFound)?;
        let subject = members::principal(conn, actor.org, &subject_row).await?;
        let resource = match self.about {
            None => {
                let line = match self.scope {
                    None if self.action.is_scoped() => Some(Line::Other),
                    None => None,
                    Some(Scope::Own) => Some(Line::Own),
                    Some(Scope::Direct) => Some(Line::Direct),
                    Some(Scope::Team) => Some(Line::Indirect),
                    Some(Scope::All) => Some(Line::Other),
                };
                // A scope asks about a target that far away: someone who is nobody's
                // teammate.
                let owner = line.map(|line| Target {
                    member: if line == Line::Own {
                        subject.member()
                    } else {
                        MemberId(0)
                    },
                    line,
                    teams: &[],
                });
                return Ok(authorize::decide(&Request {
                    principal: &subject,
                    action: self.action,
                    resource: ResourceRef {
                        owner,
                        amount_minor: self.amount_minor,
                        ..ResourceRef::default()
                    },
                    context: ctx,
                }));
            }
            Some(About::Expense(id)) => {
                // The actor must be able to see the expense themselves.
                let mine = expenses::get(conn, actor.org, actor.id(), id).await?;
                let seen = mine.is_some_and(|r| {
                    let owner = r.owner();
                    let facts = r.facts(&owner, &actor.company.base_currency);
                    authorize::expense(&actor.principal, ctx, ExpenseAction::View, &facts)
                        .is_allowed()
                });
                if !seen {
                    return Err(Error::NotVisible(format!("expense:{id}")));
                }
                let row = expenses::get(conn, actor.org, subject.member(), id)
                    .await?
                    .ok_or_else(|| Error::NotVisible(format!("expense:{id}")))?;
                let owner = row.owner();
                let mut resource = row.facts(&owner, &actor.company.base_currency).resource();
                if self.amount_minor.is_some() {
                    resource.amount_minor = self.amount_minor;
                }
                return Ok(authorize::decide(&Request {
                    principal: &subject,
                    action: self.action,
                    resource,
                    context: ctx,
                }));
            }
            Some(About::Member(id)) => {
                let hidden = || Error::NotVisible(format!("member:{id}"));
                let id = MemberId(id);
                members::get(conn, actor.org, id)
                    .await?
                    .ok_or_else(hidden)?;
                super::members::seen_as(conn, actor, id)
                    .await?
                    .ok_or_else(hidden)?;
                let facts = scope::target(conn, actor.org, subject.member(), id).await?;
                return Ok(authorize::decide(&Request {
                    principal: &subject,
                    action: self.action,
                    resource: ResourceRef {
                        owner: Some(facts.target()),
                        amount_minor: self.amount_minor,
                        ..ResourceRef::default()
                    },
                    context: ctx,
                }));
            }
            Some(About::Team(id)) => {
                outlay_store::teams::get(conn, actor.org, TeamId(id))
                    .await?
                    .ok_or_else(|| Error::NotVisible(format!("team:{id}")))?;
                ResourceRef {
                    team: Some(TeamId(id)),
                    amount_minor: self.amount_minor,
                    ..ResourceRef::default()
                }
            }
        };
        Ok(authorize::decide(&Request {
            principal: &subject,
            action: self.action,
            resource,
            context: ctx,
        }))
    }
}
