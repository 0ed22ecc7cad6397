//! Permits and self-service tokens: what the store's writes demand. A [`Permit`] is proof
//! that a decision allowed one action, for one actor, in one company, and it names exactly
//! what it may write: its payload ([`Subject`] for a plain change of one thing, or a
//! [`Transition`] of one row along its lifecycle, a [`GrantSet`] of one member, a [`ManagerChange`], a
//! [`RoleDefinition`], an [`Invitee`]). Each store write takes the permit of its own kind, so
//! offering the wrong kind does not compile; the payload is decided here, in the core, and
//! nothing outside the core can make or change one.
//!
//! Writes that no member's grant decides (asking for a role, founding a company, accepting
//! an invitation, opening a session) take a [`SelfService`] token instead, made by the rule
//! that allows them; the store records each in an audit trail like any permitted change.

use crate::catalog::{Action, Resource};
use crate::decision::{Granted, Reason};
use crate::expense::ExpenseStatus;
use crate::grant::GrantSpec;
use crate::ids::{MemberId, OrgId, TeamId};
use crate::lifecycle::{self, After, Lifecycle};
use crate::principal::{MemberKind, Principal};
use crate::role::Role;

/// The one thing a permit opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The company as a whole: its settings, or a new row that belongs to no member yet
    /// (a team, a custom role).
    Company,
    /// A member: their grants, line or profile, or a new row of theirs (an expense, a
    /// delegation, a role request).
    Member(MemberId),
    /// One existing row by kind and id (an expense, a delegation, a role request).
    Row(Resource, i64),
    /// A member who does not exist yet: an invitation's newcomer.
    Newcomer,
}

impl Subject {
    /// What a request is about, as precisely as it says.
    pub fn of(resource: &crate::authorize::ResourceRef<'_>) -> Subject {
        match (resource.kind, resource.id, resource.owner) {
            (Some(kind), Some(id), _) => Subject::Row(kind, id),
            (_, None, Some(owner)) => Subject::Member(owner.member),
            _ => Subject::Company,
        }
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Company => f.write_str("the company"),
            Subject::Member(m) => write!(f, "member {}", m.0),
            Subject::Row(kind, id) => write!(f, "{kind:?} {id}"),
            Subject::Newcomer => f.write_str("a new member"),
        }
    }
}

/// What a permit carries: it says which one thing it is about.
pub trait Payload: std::fmt::Debug {
    fn subject(&self) -> Subject;
}

impl Payload for Subject {
    fn subject(&self) -> Subject {
        *self
    }
}

/// One step of one row along its lifecycle: from the state the decision saw to the one the
/// table gives ([`lifecycle::after`]). `L` is the resource's state type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition<L: Lifecycle = ExpenseStatus> {
    row: i64,
    step: L::Step,
    from: L,
    to: After<L>,
}

impl<L: Lifecycle> Transition<L> {
    /// The row's id.
    pub fn row(&self) -> i64 {
        self.row
    }
    pub fn step(&self) -> L::Step {
        self.step
    }
    /// The state the write applies from (its SQL is conditional on it).
    pub fn from(&self) -> L {
        self.from
    }
    pub fn to(&self) -> After<L> {
        self.to
    }
}

impl<L: Lifecycle> Payload for Transition<L> {
    fn subject(&self) -> Subject {
        Subject::Row(L::RESOURCE, self.row)
    }
}

/// One member's stored grants, as they were when the change was decided (`before`) and as
/// the decisions allow them to become (`after`): each grant given or taken away was one
/// `role.assign` decision, and `granted` names the grant of the actor behind each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantSet {
    member: MemberId,
    before: Vec<GrantSpec>,
    after: Vec<GrantSpec>,
    granted: Vec<Granted>,
}

impl GrantSet {
    pub fn member(&self) -> MemberId {
        self.member
    }
    pub fn before(&self) -> &[GrantSpec] {
        &self.before
    }
    pub fn after(&self) -> &[GrantSpec] {
        &self.after
    }
    /// The allow behind each grant given (in `after`'s order), then each taken away.
    pub fn granted(&self) -> &[Granted] {
        &self.granted
    }
    /// The grants `after` holds that `before` does not.
    pub fn added(&self) -> impl Iterator<Item = &GrantSpec> {
        self.after.iter().filter(|s| !self.before.contains(s))
    }
}

impl Payload for GrantSet {
    fn subject(&self) -> Subject {
        Subject::Member(self.member)
    }
}

/// One member's new manager (`None`: nobody), checked against reporting cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagerChange {
    member: MemberId,
    manager: Option<MemberId>,
}

impl ManagerChange {
    pub fn member(&self) -> MemberId {
        self.member
    }
    pub fn manager(&self) -> Option<MemberId> {
        self.manager
    }
}

impl Payload for ManagerChange {
    fn subject(&self) -> Subject {
        Subject::Member(self.member)
    }
}

/// One custom role, exactly as checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDefinition {
    role: Role,
}

impl RoleDefinition {
    pub fn role(&self) -> &Role {
        &self.role
    }
}

impl Payload for RoleDefinition {
    fn subject(&self) -> Subject {
        Subject::Company
    }
}

/// A newcomer as invited: their kind, manager, team and grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    kind: MemberKind,
    manager: Option<MemberId>,
    team: Option<TeamId>,
    grants: Vec<GrantSpec>,
}

impl Invitee {
    pub fn kind(&self) -> MemberKind {
        self.kind
    }
    pub fn manager(&self) -> Option<MemberId> {
        self.manager
    }
    pub fn team(&self) -> Option<TeamId> {
        self.team
    }
    pub fn grants(&self) -> &[GrantSpec] {
        &self.grants
    }
}

impl Payload for Invitee {
    fn subject(&self) -> Subject {
        Subject::Newcomer
    }
}

/// Proof that a decision allowed one action on one payload in one company, for `actor`.
/// Only this crate can make one; it is neither `Clone` nor `Copy`, so the store consumes it
/// with the one write it allows.
#[derive(Debug)]
pub struct Permit<P = Subject> {
    org: OrgId,
    action: Action,
    actor: MemberId,
    on_behalf_of: Option<MemberId>,
    /// The name of the row's state the decision saw, for [`Permit::into_transition`].
    seen: Option<&'static str>,
    payload: P,
}

impl<P: Payload> Permit<P> {
    pub(crate) fn new(principal: &Principal, action: Action, payload: P) -> Permit<P> {
        Permit {
            org: principal.org(),
            action,
            actor: principal.member(),
            on_behalf_of: None,
            seen: None,
            payload,
        }
    }

    pub fn org(&self) -> OrgId {
        self.org
    }

    pub fn action(&self) -> Action {
        self.action
    }

    pub fn subject(&self) -> Subject {
        self.payload.subject()
    }

    /// What the permit may write.
    pub fn payload(&self) -> &P {
        &self.payload
    }

    /// The member who was allowed: the one to record as the author of the change.
    pub fn actor(&self) -> MemberId {
        self.actor
    }

    /// The delegator, when the actor acted on their behalf.
    pub fn on_behalf_of(&self) -> Option<MemberId> {
        self.on_behalf_of
    }

    /// Spends the permit: its payload, for the one write it allows (the store's).
    pub fn into_payload(self) -> P {
        self.payload
    }

    pub(crate) fn acting_for(mut self, on_behalf_of: Option<MemberId>) -> Permit<P> {
        self.on_behalf_of = on_behalf_of;
        self
    }

    pub(crate) fn seeing(mut self, state: Option<lifecycle::State>) -> Permit<P> {
        self.seen = state.map(lifecycle::State::name);
        self
    }

    /// The same decision, carrying another payload (the core's own refinements).
    pub(crate) fn with_payload<Q: Payload>(self, payload: Q) -> Permit<Q> {
        Permit {
            org: self.org,
            action: self.action,
            actor: self.actor,
            on_behalf_of: self.on_behalf_of,
            seen: self.seen,
            payload,
        }
    }
}

impl Permit<Subject> {
    /// Binds an allowed decision on one row to the one step the caller takes: from the state
    /// the decision saw, to where the lifecycle table leads. A decision on another action,
    /// or about another kind of row, or a step the table has no row for, is refused.
    pub fn into_transition<L: Lifecycle>(
        self,
        step: L::Step,
    ) -> Result<Permit<Transition<L>>, Reason> {
        let refused = Reason::NoPermission {
            action: L::permission(step),
        };
        let Subject::Row(kind, row) = self.payload else {
            return Err(refused);
        };
        let Some(from) = self.seen.and_then(lifecycle::state::<L>) else {
            return Err(refused);
        };
        if kind != L::RESOURCE || L::permission(step) != self.action {
            return Err(refused);
        }
        let to = lifecycle::after(step, from)
            .ok_or_else(|| lifecycle::wrong_status(from, L::step_name(step)))?;
        Ok(self.with_payload(Transition {
            row,
            step,
            from,
            to,
        }))
    }
}

/// The core's payload constructors, for its own rules.
pub(crate) fn grant_set(
    member: MemberId,
    before: Vec<GrantSpec>,
    after: Vec<GrantSpec>,
    granted: Vec<Granted>,
) -> GrantSet {
    GrantSet {
        member,
        before,
        after,
        granted,
    }
}

pub(crate) fn manager_change(member: MemberId, manager: Option<MemberId>) -> ManagerChange {
    ManagerChange { member, manager }
}

pub(crate) fn role_definition(role: Role) -> RoleDefinition {
    RoleDefinition { role }
}

pub(crate) fn invitee(
    kind: MemberKind,
    manager: Option<MemberId>,
    team: Option<TeamId>,
    grants: Vec<GrantSpec>,
) -> Invitee {
    Invitee {
        kind,
        manager,
        team,
        grants,
    }
}

/// A change no member's grant decides, allowed by its own rule: the token names what it
/// allows. Only this crate makes one; it is neither `Clone` nor `Copy`.
#[derive(Debug)]
pub struct SelfService<K> {
    kind: K,
}

impl<K> SelfService<K> {
    pub(crate) fn new(kind: K) -> SelfService<K> {
        SelfService { kind }
    }

    pub fn kind(&self) -> &K {
        &self.kind
    }

    /// Spends the token (the store's write).
    pub fn into_kind(self) -> K {
        self.kind
    }
}

/// Founding a company: anyone logged in may found one and holds its top role; a server
/// operator founds one for someone who accepts later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Founding {
    pub founder_person: i64,
}

/// A member asking for a role for themself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleAsk {
    pub org: OrgId,
    pub member: MemberId,
}

/// Accepting one invitation: the invited member becomes active, and a person without a
/// password sets theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acceptance {
    pub org: OrgId,
    pub member: MemberId,
    pub person: i64,
}

/// A person who proved who they are opens a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionStart {
    pub person: i64,
}

/// A person who proved who they are sets a new password: `reason` says by what proof
/// (`reset`: a link e-mailed to them; `change`: their current password).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordSet {
    pub person: i64,
    pub reason: &'static str,
}

/// A password reset link is issued for a person who has a password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResetIssue {
    pub person: i64,
}

/// Founding a company needs no right beyond being a person (logged in, or named by the
/// server's operator).
pub fn found_company(founder_person: i64) -> SelfService<Founding> {
    SelfService::new(Founding { founder_person })
}

/// A person who gave the right password (checked by the caller, which holds the hash)
/// opens a session, unless every membership they have is archived.
pub fn open_session(
    person: i64,
    every_membership_archived: bool,
) -> Result<SelfService<SessionStart>, Reason> {
    if every_membership_archived {
        return Err(Reason::Archived);
    }
    Ok(SelfService::new(SessionStart { person }))
}
