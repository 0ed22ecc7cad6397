//! Expenses: create, read, list, and the steps of an expense's life (edit, delete, submit,
//! approve, reject, override), each by the actor's own rights or on behalf of someone who
//! delegated it to them. Every expense handed back carries the actions the core allows on
//! it now.
//!
//! Reads cost no statement per row or per delegation: an expense or a page is read in one
//! statement for the actor and, in the same statement, for each delegator of the delegations
//! in force to them (`expenses::list_seen`, `get_seen`); the delegators as the rules see them
//! come with the actor, so every row's delegated actions are decided in memory.

use super::{Actor, Change, Done, Error, Page, Paging, Question, Result};
use outlay_core::authorize::{
    self, Context, ExpenseAction, OnBehalf, Permit, Request, ResourceRef,
};
use outlay_core::expense::{ExpenseInput, ExpenseStatus, RawExpense};
use outlay_core::{Action, Decision, DelegationKind, Granted, MemberId, Reason};
use outlay_store::expenses::{self, ExpenseRow, ListFilter};
use outlay_store::{delegations, members, Conn, Write};
use serde_json::json;

/// An expense as the actor sees it, with what they may do with it now: their own rights
/// and what delegations to them allow.
pub struct ExpenseView {
    pub row: ExpenseRow,
    pub allowed_actions: Vec<&'static str>,
}

/// Fields of an edit as a person sent them: those left out keep their value.
#[derive(Clone, Debug, Default)]
pub struct ExpensePatch {
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub merchant: Option<String>,
    pub spent_on: Option<String>,
    pub category: Option<String>,
    pub note: Option<String>,
}

impl ExpensePatch {
    pub fn raw(&self) -> RawExpense<'_> {
        RawExpense {
            amount_minor: self.amount_minor,
            currency: self.currency.as_deref(),
            merchant: self.merchant.as_deref(),
            spent_on: self.spent_on.as_deref(),
            category: self.category.as_deref(),
            note: self.note.as_deref(),
        }
    }
}

/// Create a draft: one's own, or for whoever delegated submitting to the actor.
pub struct Create {
    pub input: ExpenseInput,
    pub on_behalf_of: Option<MemberId>,
}

/// One step in an expense's life.
pub enum Step {
    Edit(ExpensePatch),
    Delete,
    Submit,
    Approve,
    Reject {
        reason: String,
    },
    /// Turn a rejected expense into an approved one (`approve`) or back.
    Override {
        approve: bool,
        reason: String,
    },
}

impl Step {
    fn action(&self) -> ExpenseAction {
        match self {
            Step::Edit(_) => ExpenseAction::Edit,
            Step::Delete => ExpenseAction::Delete,
            Step::Submit => ExpenseAction::Submit,
            Step::Approve => ExpenseAction::Approve,
            Step::Reject { .. } => ExpenseAction::Reject,
            Step::Override { .. } => ExpenseAction::Override,
        }
    }
}

/// Take `step` on expense `id`. The expense afterwards, or `None` once deleted.
pub struct Act {
    pub id: i64,
    pub step: Step,
}

/// One expense, if the actor may see it.
pub struct Get {
    pub id: i64,
}

/// The expenses the actor may see, newest first.
pub struct List {
    pub status: Option<ExpenseStatus>,
    pub owner: Option<MemberId>,
    pub paging: Paging,
}

/// A delegation to the actor active now, with the delegator as the rules see them and
/// their place among the members rows are also read for ([`InForce::delegators`]).
struct Delegated<'a> {
    delegator: &'a outlay_core::Principal,
    kind: DelegationKind,
    seen: usize,
}

/// The delegations to the actor in force now (approve before submit, as loaded), and their
/// delegators, each once: the members an expense is also read for, so that each delegation
/// is decided on the expense as its delegator sees it.
struct InForce<'a> {
    delegated: Vec<Delegated<'a>>,
    delegators: Vec<MemberId>,
}

fn in_force(actor: &Actor) -> InForce<'_> {
    let mut delegators: Vec<MemberId> = Vec::new();
    let delegated = actor
        .delegations
        .iter()
        .filter(|(d, _)| d.active_at(actor.now))
        .map(|(d, delegator)| {
            let member = delegator.member();
            let seen = match delegators.iter().position(|m| *m == member) {
                Some(i) => i,
                None => {
                    delegators.push(member);
                    delegators.len() - 1
                }
            };
            Delegated {
                delegator,
                kind: d.kind(),
                seen,
            }
        })
        .collect();
    InForce {
        delegated,
        delegators,
    }
}

impl Delegated<'_> {
    /// The context of a decision for the delegator under this delegation.
    fn ctx<'a>(&'a self, actor: &Actor) -> Context<'a> {
        Context {
            on_behalf_of: Some(OnBehalf {
                delegator: self.delegator,
                kind: self.kind,
            }),
            ..actor.ctx()
        }
    }
}

/// The actions the actor may take on `row` for those who delegated to them, each decided on
/// the row as its delegator sees it: `row` was read for [`InForce::delegators`].
fn delegated_actions(actor: &Actor, in_force: &InForce<'_>, row: &ExpenseRow) -> Vec<&'static str> {
    let mut out = Vec::new();
    for d in &in_force.delegated {
        let Some(owner) = row.owner_seen_by(d.seen) else {
            continue;
        };
        let facts = row.facts(&owner, &actor.company.base_currency);
        out.extend(authorize::expense_actions(
            &actor.principal,
            d.ctx(actor),
            &facts,
        ));
    }
    out
}

/// The expense as the actor sees it, with the actions their own rights allow plus `extra`.
fn view(actor: &Actor, row: ExpenseRow, extra: &[&'static str]) -> ExpenseView {
    let owner = row.owner();
    let facts = row.facts(&owner, &actor.company.base_currency);
    let mine = authorize::expense_actions(&actor.principal, actor.ctx(), &facts);
    let allowed_actions = ExpenseAction::ALL
        .into_iter()
        .map(ExpenseAction::as_str)
        .filter(|a| mine.contains(a) || extra.contains(a))
        .collect();
    ExpenseView {
        row,
        allowed_actions,
    }
}

/// The expense as the actor sees it now, with the delegated actions too: `row` was read for
/// the delegators in force ([`read`]).
fn seen(actor: &Actor, row: ExpenseRow) -> ExpenseView {
    let extra = delegated_actions(actor, &in_force(actor), &row);
    view(actor, row, &extra)
}

/// Expense `id` as the actor and each delegator in force to them see it: one statement.
async fn read(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Option<ExpenseRow>> {
    let in_force = in_force(actor);
    Ok(expenses::get_seen(conn, actor.org, actor.id(), &in_force.delegators, id).await?)
}

/// Loads an expense the actor may see, themself or through an active delegation; anything
/// else is not found, whoever's it is. Read for the delegators in force too ([`read`]).
async fn visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ExpenseRow> {
    let row = read(conn, actor, id).await?.ok_or(Error::NotFound)?;
    let owner = row.owner();
    let facts = row.facts(&owner, &actor.company.base_currency);
    if authorize::expense(&actor.principal, actor.ctx(), ExpenseAction::View, &facts).is_allowed() {
        return Ok(row);
    }
    // Viewing is one of what every delegation covers, decided on the expense as the
    // delegator sees it.
    let in_force = in_force(actor);
    let through = in_force.delegated.iter().any(|d| {
        row.owner_seen_by(d.seen).is_some_and(|owner| {
            let facts = row.facts(&owner, &actor.company.base_currency);
            authorize::permit(&Request {
                principal: &actor.principal,
                action: Action::ExpenseView,
                resource: facts.resource(),
                context: d.ctx(actor),
            })
            .is_ok()
        })
    });
    if through {
        Ok(row)
    } else {
        Err(Error::NotFound)
    }
}

/// Decides `action` for the actor acting for `delegator` under an active delegation of
/// `kind`, on expense `id` (or on the delegator's own new expense when `id` is `None`).
/// `None` when the delegator or the expense is not found.
async fn on_behalf(
    conn: &mut Conn,
    actor: &Actor,
    delegator: MemberId,
    kind: DelegationKind,
    action: Action,
    id: Option<i64>,
) -> Result<Option<Result<(Permit, Granted), Reason>>> {
    let Some(row) = members::get(conn, actor.org, delegator).await? else {
        return Ok(None);
    };
    let principal = members::principal_in(conn, actor.org, &row, &actor.book).await?;
    let context = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: &principal,
            kind,
        }),
        ..actor.ctx()
    };
    let decision = match id {
        Some(id) => {
            // The expense as the delegator sees it: their reach decides.
            let Some(expense) = expenses::get(conn, actor.org, delegator, id).await? else {
                return Ok(None);
            };
            let owner = expense.owner();
            let facts = expense.facts(&owner, &actor.company.base_currency);
            authorize::permit(&Request {
                principal: &actor.principal,
                action,
                resource: facts.resource(),
                context,
            })
        }
        None => {
            let me = outlay_store::scope::target(conn, actor.org, delegator, delegator).await?;
            authorize::permit(&Request {
                principal: &actor.principal,
                action,
                resource: ResourceRef::of_member(me.target()),
                context,
            })
        }
    };
    Ok(Some(decision))
}

/// The permit for `action` on expense `id` (or a new one when `None`) through active
/// delegations to the actor, from `from` or else from anyone. A refusal by four-eyes on a
/// delegator's behalf, or because the actor no longer holds the verb themself, says so;
/// otherwise `refusal` stands.
async fn delegated(
    conn: &mut Conn,
    actor: &Actor,
    from: Option<MemberId>,
    action: Action,
    id: Option<i64>,
    mut refusal: Reason,
) -> Result<(Permit, Granted)> {
    for kind in [DelegationKind::Approve, DelegationKind::Submit] {
        if !kind.covers(action) {
            continue;
        }
        for d in delegations::active_to(conn, actor.org, actor.id(), kind, actor.now).await? {
            let delegator = MemberId(d.delegator_id);
            if from.is_some_and(|f| f != delegator) {
                continue;
            }
            match on_behalf(conn, actor, delegator, kind, action, id).await? {
                Some(Ok(p)) => return Ok(p),
                Some(Err(r @ (Reason::SelfApproval | Reason::DelegateLacksAction { .. }))) => {
                    refusal = r
                }
                Some(Err(r)) if from.is_some() => refusal = r,
                _ => {}
            }
        }
    }
    Err(refusal.into())
}

impl Change for Create {
    type Output = ExpenseView;

    fn action(&self) -> &'static str {
        "expense.create"
    }

    fn target(&self, _: &Actor) -> String {
        "expenses".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<ExpenseView>> {
        let permit = match self.on_behalf_of {
            None => {
                let me = actor.principal_target();
                authorize::permit(&Request {
                    principal: &actor.principal,
                    action: Action::ExpenseCreate,
                    resource: ResourceRef::of_member(me.target()),
                    context: actor.ctx(),
                })?
                .0
            }
            Some(delegator) => {
                let refusal = Reason::NotDelegated {
                    action: Action::ExpenseCreate,
                };
                delegated(
                    w,
                    actor,
                    Some(delegator),
                    Action::ExpenseCreate,
                    None,
                    refusal,
                )
                .await?
                .0
            }
        };
        let on_behalf_of = permit.on_behalf_of();
        let id = expenses::create(w, actor.org, &self.input, permit).await?;
        let row = expenses::get(w, actor.org, actor.id(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let detail = json!({"expense_id": id, "amount_minor": row.amount_minor, "currency": row.currency,
                            "on_behalf_of": on_behalf_of.map(|m| m.0)});
        Ok(Done::new(view(actor, row, &[]), detail))
    }
}

impl Change for Act {
    type Output = Option<ExpenseView>;

    fn action(&self) -> &'static str {
        match self.step {
            Step::Edit(_) => "expense.edit",
            Step::Delete => "expense.delete",
            Step::Submit => "expense.submit",
            Step::Approve => "expense.approve",
            Step::Reject { .. } => "expense.reject",
            Step::Override { .. } => "expense.override",
        }
    }

    fn target(&self, _: &Actor) -> String {
        format!("expense:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<Option<ExpenseView>>> {
        let id = self.id;
        let row = visible(w, actor, id).await?;
        let action = self.step.action().permission();
        let owner = row.owner();
        let facts = row.facts(&owner, &actor.company.base_currency);
        let own = authorize::permit(&Request {
            principal: &actor.principal,
            action,
            resource: facts.resource(),
            context: actor.ctx(),
        });
        let (permit, granted) = match own {
            Ok(p) => p,
            // Not by their own rights: perhaps for someone who delegated it to them.
            Err(mine) => delegated(w, actor, None, action, Some(id), mine).await?,
        };
        // The permit moves this one expense along this one step of the lifecycle.
        let permit = permit.into_transition(self.step.action())?;
        let mut detail = match self.step {
            Step::Edit(patch) => {
                let input = row.input().patched(&patch.raw())?;
                expenses::update(w, actor.org, id, &input, permit).await?;
                json!({"before": {"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant},
                       "after": {"amount_minor": input.money.amount_minor, "currency": input.money.currency, "merchant": input.merchant}})
            }
            Step::Delete => {
                expenses::delete(w, actor.org, id, permit).await?;
                json!({"amount_minor": row.amount_minor, "currency": row.currency, "merchant": row.merchant})
            }
            Step::Submit => {
                expenses::submit(w, actor.org, id, permit).await?;
                json!({})
            }
            Step::Approve => {
                expenses::decide(w, actor.org, id, None, permit).await?;
                json!({})
            }
            Step::Reject { reason } => {
                expenses::decide(w, actor.org, id, Some(&reason), permit).await?;
                json!({"reject_reason": reason})
            }
            Step::Override { approve, reason } => {
                if let Some(r) = authorize::override_status(approve, row.status()) {
                    return Err(r.into());
                }
                expenses::override_decision(w, actor.org, id, approve, &reason, permit).await?;
                let decision = if approve { "approve" } else { "reject" };
                json!({"override": decision, "override_reason": reason, "before": row.status})
            }
        };
        detail["reason"] = json!(granted.to_string());
        if let Some(m) = granted.on_behalf_of {
            detail["on_behalf_of"] = json!(m.0);
        }
        let after = read(w, actor, id).await?.map(|row| seen(actor, row));
        Ok(Done::new(after, detail))
    }
}

impl Question for Get {
    type Output = ExpenseView;

    fn action(&self) -> &'static str {
        "expense.view"
    }

    fn target(&self) -> String {
        format!("expense:{}", self.id)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<ExpenseView> {
        let row = visible(conn, actor, self.id).await?;
        Ok(seen(actor, row))
    }
}

impl Question for List {
    type Output = Page<ExpenseView>;

    fn action(&self) -> &'static str {
        "expense.view"
    }

    fn target(&self) -> String {
        "expenses".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<ExpenseView>> {
        let view_all = authorize::company(&actor.principal, actor.ctx(), Action::ExpenseView);
        let visible = actor.principal.list_scope(actor.now, Action::ExpenseView);
        let Some(visible) =
            visible.filter(|_| !matches!(view_all, Decision::Denied(Reason::CompanyClosed)))
        else {
            return Err(Reason::NoPermission {
                action: Action::ExpenseView,
            }
            .into());
        };
        let filter = ListFilter {
            status: self.status,
            owner: self.owner,
            cursor: self.paging.cursor,
            limit: self.paging.fetch(),
        };
        // An owner filter decides the shape alone, whatever the reach; otherwise the
        // reach's size does, which is the same while the actor's access version is.
        let status = filter.status.is_some();
        let shape = match (filter.owner, actor.list_shapes.get(&visible, status)) {
            (None, Some(shape)) => shape,
            (owner, _) => {
                let shape = expenses::shape(conn, actor.org, actor.id(), &visible, &filter).await?;
                if owner.is_none() {
                    actor.list_shapes.put(&visible, status, shape);
                }
                shape
            }
        };
        // One statement for the page, read for the delegators in force too.
        let in_force = in_force(actor);
        let mut rows = expenses::list_seen(
            conn,
            actor.org,
            actor.id(),
            &in_force.delegators,
            &visible,
            &filter,
            shape,
        )
        .await?;
        let next_cursor = self.paging.finish(&mut rows, |r| r.id);
        let items = rows
            .into_iter()
            .map(|r| {
                let extra = delegated_actions(actor, &in_force, &r);
                view(actor, r, &extra)
            })
            .collect();
        Ok(Page { items, next_cursor })
    }
}
