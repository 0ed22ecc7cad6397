//! The application-layer kit for rows a member owns (expenses now; reports, advances, trips
//! next): reading a row the actor may see, a page of them, the actions each allows, and the
//! permit for a step, each by the actor's own rights or for someone who delegated it to them.
//! A resource implements [`Governed`] (the facts its decisions read) and its commands call
//! these; one delegation path serves reads and writes alike.
//!
//! Reads cost no statement per row or per delegation: a row or a page is read in one
//! statement for the actor and, in the same statement, for each delegator of the delegations
//! in force to them ([`outlay_store::owned`]); the delegators as the rules see them come with
//! the actor, so every row's delegated actions are decided in memory.

use super::{Actor, Error, Page, Paging, Question, Result};
use outlay_core::authorize::{self, Context, OnBehalf, Permit, Request, ResourceRef};
use outlay_core::lifecycle::Lifecycle;
use outlay_core::{Action, Decision, DelegationKind, Granted, MemberId, Principal, Reason};
use outlay_store::owned::{self, Filter, Owned};
use outlay_store::scope::TargetFacts;
use outlay_store::{delegations, members, Conn};

/// A member-owned resource as its decisions see it.
pub trait Governed: Owned {
    /// The facts a decision about the row reads, its owner seen as `owner`; an amount counts
    /// against caps only in the company's currency (`base_currency`).
    fn resource<'a>(&'a self, owner: &'a TargetFacts, base_currency: &str) -> ResourceRef<'a>;
}

type Status<R> = <R as Owned>::Status;

/// The catalog action of reading `R`'s rows.
fn view_action<R: Owned>() -> Action {
    Status::<R>::permission(Status::<R>::VIEW)
}

/// A row as the actor sees it, with what they may do with it now: their own rights and what
/// delegations to them allow.
pub struct View<R> {
    pub row: R,
    pub allowed_actions: Vec<&'static str>,
}

/// A delegation to the actor active now, with the delegator as the rules see them and
/// their place among the members rows are also read for ([`InForce::delegators`]).
struct Delegated<'a> {
    delegator: &'a Principal,
    kind: DelegationKind,
    seen: usize,
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

/// The delegations to the actor in force now (approve before submit, as loaded), and their
/// delegators, each once: the members a row is also read for, so that each delegation is
/// decided on the row as its delegator sees it.
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
            let seen = delegators
                .iter()
                .position(|m| *m == member)
                .unwrap_or_else(|| {
                    delegators.push(member);
                    delegators.len() - 1
                });
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

/// The names of the steps `principal` may take in `ctx` on `row`, its owner seen as `owner`.
fn steps<R: Governed>(
    actor: &Actor,
    ctx: Context<'_>,
    row: &R,
    owner: &TargetFacts,
) -> Vec<&'static str> {
    let resource = row.resource(owner, &actor.company.base_currency);
    let step_allowed = |s: &&Step<R>| {
        let action = Status::<R>::permission(**s);
        action != view_action::<R>()
            && authorize::decide(&Request {
                principal: &actor.principal,
                action,
                resource,
                context: ctx,
            })
            .is_allowed()
    };
    Status::<R>::STEPS
        .iter()
        .filter(step_allowed)
        .map(|s| Status::<R>::step_name(*s))
        .collect()
}

type Step<R> = <Status<R> as Lifecycle>::Step;

/// The row as the actor sees it, with the actions their own rights allow and those the
/// delegations in force allow, each decided on the row as its delegator sees it (`row` was
/// read for [`InForce::delegators`]).
pub fn view<R: Governed>(actor: &Actor, row: R) -> View<R> {
    view_with(actor, &in_force(actor), row)
}

/// [`view`] with the delegations in force already gathered.
fn view_with<R: Governed>(actor: &Actor, in_force: &InForce<'_>, row: R) -> View<R> {
    let mut allowed = steps(actor, actor.ctx(), &row, &row.seen().owner());
    for d in &in_force.delegated {
        if let Some(owner) = row.seen().seen_by(d.seen) {
            allowed.extend(steps(actor, d.ctx(actor), &row, &owner));
        }
    }
    // In the lifecycle's order, each once.
    let allowed_actions = Status::<R>::STEPS
        .iter()
        .map(|s| Status::<R>::step_name(*s))
        .filter(|s| allowed.contains(s))
        .collect();
    View {
        row,
        allowed_actions,
    }
}

/// Row `id` as the actor and each delegator in force to them see it: one statement.
pub async fn read<R: Governed>(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Option<R>> {
    let delegators = in_force(actor).delegators;
    Ok(owned::get(conn, actor.org, actor.id(), &delegators, id).await?)
}

/// Loads a row the actor may see, themself or through an active delegation (viewing is
/// one of what every delegation covers, decided on the row as the delegator sees it);
/// anything else is not found, whoever's it is.
pub async fn visible<R: Governed>(conn: &mut Conn, actor: &Actor, id: i64) -> Result<R> {
    let row: R = read(conn, actor, id).await?.ok_or(Error::NotFound)?;
    let base = &actor.company.base_currency;
    let may_view = |ctx: Context<'_>, owner: &TargetFacts| {
        authorize::decide(&Request {
            principal: &actor.principal,
            action: view_action::<R>(),
            resource: row.resource(owner, base),
            context: ctx,
        })
        .is_allowed()
    };
    let seen = row.seen();
    // Through a delegation only when not by their own rights.
    let through = || {
        let in_force = in_force(actor);
        let mut delegated = in_force.delegated.iter();
        delegated.any(|d| {
            seen.seen_by(d.seen)
                .is_some_and(|o| may_view(d.ctx(actor), &o))
        })
    };
    if may_view(actor.ctx(), &seen.owner()) || through() {
        Ok(row)
    } else {
        Err(Error::NotFound)
    }
}

/// The permit for `action` on `row` (or on a new row of the actor's, or of `from`'s when
/// given). By the actor's own rights first; a refusal there on an existing row is retried
/// through each active delegation to them; `from` names the one delegator to act for.
pub async fn permit<R: Governed>(
    conn: &mut Conn,
    actor: &Actor,
    action: Action,
    row: Option<&R>,
    from: Option<MemberId>,
) -> Result<(Permit, Granted)> {
    if let Some(delegator) = from {
        let refusal = Reason::NotDelegated { action };
        return delegated::<R>(
            conn,
            actor,
            Some(delegator),
            action,
            row.map(R::id),
            refusal,
        )
        .await;
    }
    let me = actor.principal_target();
    let owner = row.map(|r| r.seen().owner());
    let resource = match (row, &owner) {
        (Some(r), Some(o)) => r.resource(o, &actor.company.base_currency),
        _ => ResourceRef::of_member(me.target()),
    };
    let own = authorize::permit(&Request {
        principal: &actor.principal,
        action,
        resource,
        context: actor.ctx(),
    });
    match (own, row) {
        (Ok(p), _) => Ok(p),
        (Err(mine), None) => Err(mine.into()),
        // Not by their own rights: perhaps for someone who delegated it to them.
        (Err(mine), Some(r)) => delegated::<R>(conn, actor, None, action, Some(r.id()), mine).await,
    }
}

/// The permit for `action` on row `id` (or a new one when `None`) through active
/// delegations to the actor, from `from` or else from anyone. A refusal by four-eyes on a
/// delegator's behalf, or because the actor no longer holds the verb themself, says so;
/// otherwise `refusal` stands.
async fn delegated<R: Governed>(
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
            match on_behalf::<R>(conn, actor, delegator, kind, action, id).await? {
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

/// Decides `action` for the actor acting for `delegator` under an active delegation of
/// `kind`, on row `id` as the delegator sees it (or on the delegator's own new row when
/// `None`). `None` when the delegator or the row is not found.
async fn on_behalf<R: Governed>(
    conn: &mut Conn,
    actor: &Actor,
    delegator: MemberId,
    kind: DelegationKind,
    action: Action,
    id: Option<i64>,
) -> Result<Option<std::result::Result<(Permit, Granted), Reason>>> {
    let Some(member) = members::get(conn, actor.org, delegator).await? else {
        return Ok(None);
    };
    let principal = members::principal_in(conn, actor.org, &member, &actor.book).await?;
    let context = Context {
        on_behalf_of: Some(OnBehalf {
            delegator: &principal,
            kind,
        }),
        ..actor.ctx()
    };
    let decide = |resource| {
        authorize::permit(&Request {
            principal: &actor.principal,
            action,
            resource,
            context,
        })
    };
    Ok(Some(match id {
        Some(id) => {
            let Some(row) = owned::get::<R>(conn, actor.org, delegator, &[], id).await? else {
                return Ok(None);
            };
            let owner = row.seen().owner();
            decide(row.resource(&owner, &actor.company.base_currency))
        }
        None => {
            let me = outlay_store::scope::target(conn, actor.org, delegator, delegator).await?;
            decide(ResourceRef::of_member(me.target()))
        }
    }))
}

/// The rows the actor may see, newest first, by `filter` (its state and owner; the paging
/// is `paging`'s): one statement for the page, read for the delegators in force too.
pub async fn list<R: Governed>(
    conn: &mut Conn,
    actor: &Actor,
    filter: Filter<Status<R>>,
    paging: Paging,
) -> Result<Page<View<R>>> {
    let action = view_action::<R>();
    let view_all = authorize::company(&actor.principal, actor.ctx(), action);
    let visible = actor.principal.list_scope(actor.now, action);
    let Some(visible) =
        visible.filter(|_| !matches!(view_all, Decision::Denied(Reason::CompanyClosed)))
    else {
        return Err(Reason::NoPermission { action }.into());
    };
    let filter = Filter {
        cursor: paging.cursor,
        limit: paging.fetch(),
        ..filter
    };
    // An owner filter decides the shape alone, whatever the reach; otherwise the reach's
    // size does, which is the same while the actor's access version is.
    let key = (R::TABLE, visible.clone(), filter.status.is_some());
    let shape = match (filter.owner, actor.list_shapes.get(&key)) {
        (None, Some(shape)) => shape,
        (owner, _) => {
            let shape = owned::shape(conn, actor.org, actor.id(), &visible, &filter).await?;
            if owner.is_none() {
                actor.list_shapes.put(key, shape);
            }
            shape
        }
    };
    let in_force = in_force(actor);
    let (me, delegators) = (actor.id(), &in_force.delegators);
    let mut rows: Vec<R> =
        owned::list(conn, actor.org, me, delegators, &visible, &filter, shape).await?;
    let next_cursor = paging.finish(&mut rows, R::id);
    let items = rows
        .into_iter()
        .map(|r| view_with(actor, &in_force, r))
        .collect();
    Ok(Page { items, next_cursor })
}

/// How audit entries name row `id` of `R`: `expense:7`.
pub fn target<R: Owned>(id: i64) -> String {
    let noun = Status::<R>::NOUN;
    format!("{}:{id}", noun.rsplit(' ').next().unwrap_or(noun))
}

/// One row of `R`, if the actor may see it.
pub struct Get<R> {
    pub id: i64,
    row: std::marker::PhantomData<fn() -> R>,
}

impl<R> Get<R> {
    pub fn new(id: i64) -> Get<R> {
        Get {
            id,
            row: std::marker::PhantomData,
        }
    }
}

impl<R: Governed> Question for Get<R> {
    type Output = View<R>;

    fn action(&self) -> &'static str {
        view_action::<R>().key()
    }

    fn target(&self) -> String {
        target::<R>(self.id)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<View<R>> {
        let row = visible(conn, actor, self.id).await?;
        Ok(view(actor, row))
    }
}

/// The rows of `R` the actor may see, newest first, by `filter` (its cursor and limit are
/// `paging`'s).
pub struct List<R: Owned> {
    pub filter: Filter<Status<R>>,
    pub paging: Paging,
}

impl<R: Governed> Question for List<R> {
    type Output = Page<View<R>>;

    fn action(&self) -> &'static str {
        view_action::<R>().key()
    }

    fn target(&self) -> String {
        R::TABLE.into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<View<R>>> {
        list(conn, actor, self.filter, self.paging).await
    }
}

/// A row the actor may take a step on now, and why: the grant behind the decision (and
/// whom they act for, under a delegation).
pub struct Actionable<R> {
    pub view: View<R>,
    pub granted: Granted,
}

/// The rows in `status` the actor may take `step` on now, by their own rights or for a
/// delegator in force, oldest first: up to `limit`, and whether more follow. Rows are read
/// where the actor's own `view` reaches, and where each delegator's reaches for a delegation
/// that covers the step (as that delegator sees them): a page at a time, one statement each,
/// decided in memory. Rows in reach that the actor still may not act on (their own, one they
/// had a hand in) are passed over.
pub async fn actionable<R: Governed>(
    conn: &mut Conn,
    actor: &Actor,
    status: Status<R>,
    step: Step<R>,
    limit: usize,
) -> Result<(Vec<Actionable<R>>, bool)> {
    let action = Status::<R>::permission(step);
    let in_force = in_force(actor);
    // By id: a row found by the actor's own reach is kept as such.
    let mut found: std::collections::BTreeMap<i64, Actionable<R>> = Default::default();
    let mut more = false;
    let own = actor.principal.list_scope(actor.now, view_action::<R>());
    if let Some(scope) = own {
        let me = (actor.id(), &in_force.delegators[..]);
        let rows = walk::<R>(conn, actor, me, &scope, status, limit, |row| {
            granted(actor, &in_force, row, action)
        })
        .await?;
        more |= rows.1;
        for (row, granted) in rows.0 {
            let view = view_with(actor, &in_force, row);
            found.insert(view.row.id(), Actionable { view, granted });
        }
    }
    for d in in_force.delegated.iter().filter(|d| d.kind.covers(action)) {
        let Some(scope) = d.delegator.list_scope(actor.now, view_action::<R>()) else {
            continue;
        };
        let ctx = d.ctx(actor);
        let base = &actor.company.base_currency;
        let decide = |row: &R| {
            authorize::decide(&Request {
                principal: &actor.principal,
                action,
                resource: row.resource(&row.seen().owner(), base),
                context: ctx,
            })
            .into_result()
            .ok()
        };
        let them = (d.delegator.member(), &[][..]);
        let rows = walk::<R>(conn, actor, them, &scope, status, limit, decide).await?;
        more |= rows.1;
        for (row, granted) in rows.0 {
            if found.contains_key(&row.id()) {
                continue;
            }
            // Outside the actor's own reach: what they may do is what the delegation lends.
            let allowed_actions = steps(actor, ctx, &row, &row.seen().owner());
            let view = View {
                row,
                allowed_actions,
            };
            found.insert(view.row.id(), Actionable { view, granted });
        }
    }
    more |= found.len() > limit;
    Ok((found.into_values().take(limit).collect(), more))
}

/// Up to `limit` rows in `status` within `scope` of `viewer` (read also for `seen_as`),
/// oldest first, that `take` grants; and whether more follow.
async fn walk<R: Governed>(
    conn: &mut Conn,
    actor: &Actor,
    (viewer, seen_as): (MemberId, &[MemberId]),
    scope: &outlay_core::ListScope,
    status: Status<R>,
    limit: usize,
    take: impl Fn(&R) -> Option<Granted>,
) -> Result<(Vec<(R, Granted)>, bool)> {
    let page = i64::try_from(limit.clamp(50, 500)).unwrap_or(500);
    let mut filter = Filter {
        status: Some(status),
        oldest_first: true,
        limit: page,
        ..Filter::default()
    };
    let shape = owned::shape(conn, actor.org, viewer, scope, &filter).await?;
    let mut out = Vec::new();
    loop {
        let rows: Vec<R> =
            owned::list(conn, actor.org, viewer, seen_as, scope, &filter, shape).await?;
        let full = i64::try_from(rows.len()).unwrap_or(0) == page;
        filter.cursor = rows.last().map(R::id);
        for row in rows {
            if let Some(granted) = take(&row) {
                if out.len() == limit {
                    return Ok((out, true));
                }
                out.push((row, granted));
            }
        }
        if !full {
            return Ok((out, false));
        }
    }
}

/// The grant under which the actor may take `action` on `row`: their own first, then each
/// delegation in force, decided on the row as its delegator sees it.
fn granted<R: Governed>(
    actor: &Actor,
    in_force: &InForce<'_>,
    row: &R,
    action: Action,
) -> Option<Granted> {
    let base = &actor.company.base_currency;
    let decide = |ctx: Context<'_>, owner: &TargetFacts| {
        authorize::decide(&Request {
            principal: &actor.principal,
            action,
            resource: row.resource(owner, base),
            context: ctx,
        })
        .into_result()
        .ok()
    };
    let seen = row.seen();
    decide(actor.ctx(), &seen.owner()).or_else(|| {
        in_force.delegated.iter().find_map(|d| {
            let owner = seen.seen_by(d.seen)?;
            decide(d.ctx(actor), &owner)
        })
    })
}
