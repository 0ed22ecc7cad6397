//! Explaining a decision without taking the action: may member M do action A (on a resource,
//! for an amount), and why. The answer is the one decision function's. Anyone explains their
//! own rights; another member's need `role.view`; the resource must be visible to the actor,
//! or the answer would tell whether it exists. On an expense, what the member's own rights do
//! not allow is asked again under each active delegation to them that covers the action, as
//! acting would: the answer is that allow, or why the delegation does not give it (four-eyes,
//! or a verb the delegate no longer holds). A grant change (`role.assign` with a role) is
//! explained as the change would be decided (`grant.rs`).

mod grant;

pub use grant::AskedGrant;

use super::{Actor, Error, Question, Result};
use outlay_core::authorize::{self, Context, ExpenseAction, OnBehalf, Request, ResourceRef};
use outlay_core::{
    Action, Decision, DelegationKind, Line, MemberId, Reason, Scope, Target, TeamId,
};
use outlay_store::{delegations, expenses, members, scope, Conn};

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
    /// For `role.assign`: the grant given or taken away (`amount_minor` is its cap), to the
    /// member `about` names.
    pub grant: Option<AskedGrant>,
}

impl Explain {
    /// `action` on expense `id` for `subject` under each active delegation to them that
    /// covers it, the expense as each delegator sees it: the first allow, else why a
    /// delegation does not give it (four-eyes, a verb the delegate lacks), else `own`.
    async fn delegated(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        subject: &outlay_core::Principal,
        id: i64,
        own: Decision,
    ) -> Result<Decision> {
        let mut answer = own;
        for kind in [DelegationKind::Approve, DelegationKind::Submit] {
            if !kind.covers(self.action) {
                continue;
            }
            let given =
                delegations::active_to(conn, actor.org, subject.member(), kind, actor.now).await?;
            for d in given {
                let Some(row) = members::get(conn, actor.org, MemberId(d.delegator_id)).await?
                else {
                    continue;
                };
                let delegator = members::principal(conn, actor.org, &row).await?;
                let Some(expense) = expenses::get(conn, actor.org, delegator.member(), id).await?
                else {
                    continue;
                };
                let owner = expense.owner();
                let mut resource = expense
                    .facts(&owner, &actor.company.base_currency)
                    .resource();
                if self.amount_minor.is_some() {
                    resource.amount_minor = self.amount_minor;
                }
                let decision = authorize::decide(&Request {
                    principal: subject,
                    action: self.action,
                    resource,
                    context: Context {
                        on_behalf_of: Some(OnBehalf {
                            delegator: &delegator,
                            kind,
                        }),
                        ..actor.ctx()
                    },
                });
                match decision {
                    Decision::Allowed(_) => return Ok(decision),
                    Decision::Denied(Reason::SelfApproval | Reason::DelegateLacksAction { .. }) => {
                        answer = decision
                    }
                    Decision::Denied(_) => {}
                }
            }
        }
        Ok(answer)
    }
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
        if let Some(asked) = &self.grant {
            if self.action != Action::RoleAssign {
                return Err(outlay_core::validate::ValidationError::new(
                    "role",
                    "a role is asked about with `role.assign` only",
                )
                .into());
            }
            let to = match self.about {
                None => None,
                Some(About::Member(id)) => Some(MemberId(id)),
                Some(_) => {
                    return Err(outlay_core::validate::ValidationError::new(
                        "resource",
                        "a grant is given to a member: `member:ID`",
                    )
                    .into())
                }
            };
            return grant::explain(conn, actor, &subject, asked, self.amount_minor, to).await;
        }
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
                let own = authorize::decide(&Request {
                    principal: &subject,
                    action: self.action,
                    resource,
                    context: ctx,
                });
                if own.is_allowed() {
                    return Ok(own);
                }
                return self.delegated(conn, actor, &subject, id, own).await;
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
