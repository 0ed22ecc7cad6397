//! The acting member: a person with a live token, acting in one company through their
//! membership there. Also where outcomes reach the audit log: changes inside their own
//! transaction, refusals through the audit writer (the change itself rolled back).

use crate::ops::Error;
use crate::session::Session;
use crate::App;
use outlay_core::authorize::Context;
use outlay_core::{Action, ListScope, MemberId, OrgId, Principal, Reason, RoleBook, Timestamp};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::members::{self, MemberRow};
use outlay_store::orgs::OrgRow;
use outlay_store::owned::Shape;
use outlay_store::{Conn, Write};
use serde_json::{json, Value};

/// The acting member at the time of one request: what was loaded for them (shared with the
/// cache, not copied per request; its fields read through `Deref`), the company as loaded
/// with it, and the request's time.
#[derive(Clone)]
pub struct Actor {
    pub now: Timestamp,
    pub company: OrgRow,
    loaded: std::sync::Arc<Member>,
}

impl std::ops::Deref for Actor {
    type Target = Member;
    fn deref(&self) -> &Member {
        &self.loaded
    }
}

/// The acting member as loaded: membership, company, roles, grants, teams, delegations.
pub struct Member {
    pub org: OrgId,
    pub book: RoleBook,
    pub member: MemberRow,
    pub principal: Principal,
    /// The teams the actor belongs to.
    pub teams: Vec<outlay_core::TeamId>,
    pub person: i64,
    /// Delegations to the actor that are active or begin later, each with its delegator as
    /// the rules see them: cached with the actor (ending or creating one bumps the access
    /// version), filtered by time at each use.
    pub delegations: std::sync::Arc<[(outlay_store::delegations::DelegationRow, Principal)]>,
    /// How the actor's lists are read, per table, reach and filter: the shape depends on
    /// the size of the reach, which only changes with lines, teams and members, and those
    /// bump the access version this member was loaded under.
    pub list_shapes: Shapes,
}

/// List shapes by table, by reach and by whether a status filter is set
/// (`outlay_store::owned::shape`).
#[derive(Default)]
pub struct Shapes(std::sync::Mutex<std::collections::HashMap<ShapeKey, Shape>>);

/// A table, a reach, and whether a status filter is set.
pub type ShapeKey = (&'static str, ListScope, bool);

/// Beyond this many an actor's remembered shapes start over (reaches vary with grants'
/// windows only, so a handful is the norm).
const SHAPES: usize = 64;

impl Shapes {
    pub fn get(&self, key: &ShapeKey) -> Option<Shape> {
        let shapes = self.0.lock().ok()?;
        shapes.get(key).copied()
    }

    pub fn put(&self, key: ShapeKey, shape: Shape) {
        if let Ok(mut shapes) = self.0.lock() {
            if shapes.len() >= SHAPES {
                shapes.clear();
            }
            shapes.insert(key, shape);
        }
    }
}

impl Actor {
    pub fn id(&self) -> MemberId {
        self.member.member_id()
    }

    /// The actor as the target of their own actions (creating their own expense).
    pub fn principal_target(&self) -> outlay_store::scope::TargetFacts {
        outlay_store::scope::TargetFacts {
            member: self.id(),
            line: outlay_core::Line::Own,
            teams: self.teams.clone(),
        }
    }

    /// The context of this actor's own decisions: now, in the company's current state.
    pub fn ctx(&self) -> Context<'static> {
        Context {
            company_closed: self.company.is_closed(),
            ..Context::at(self.now)
        }
    }
}

#[derive(Clone)]
enum Loaded {
    Active(Actor),
    Archived(Actor),
}

/// Actors as loaded, per (person, company), under the company's access version they were
/// loaded at. Every change of grants, lines, teams, roles, members or delegations bumps the
/// version in its own transaction, so a cached actor is used only while nothing that makes
/// it up has changed, on any server.
#[derive(Default)]
pub struct ActorCache {
    entries: std::sync::Mutex<std::collections::HashMap<(i64, i64), (i64, Loaded)>>,
}

/// Beyond this many (person, company) pairs the cache starts over: memory stays bounded
/// whatever the number of members.
const CACHED_ACTORS: usize = 50_000;

impl ActorCache {
    fn get(&self, person: i64, org: i64, version: i64, now: Timestamp) -> Option<Loaded> {
        let entries = self.entries.lock().ok()?;
        let (v, loaded) = entries.get(&(person, org))?;
        if *v != version {
            return None;
        }
        let mut loaded = loaded.clone();
        match &mut loaded {
            Loaded::Active(a) | Loaded::Archived(a) => a.now = now,
        }
        Some(loaded)
    }

    fn put(&self, person: i64, org: i64, version: i64, loaded: &Loaded) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHED_ACTORS {
                entries.clear();
            }
            entries.insert((person, org), (version, loaded.clone()));
        }
    }
}

async fn load(conn: &mut Conn, session: &Session, org: i64) -> Result<Loaded, Error> {
    let org = OrgId(org);
    let member = members::by_person(conn, org, session.person.id).await?;
    // Not a member here, or not yet accepted: the company does not exist for them.
    let member = member
        .filter(|m| m.status != "invited")
        .ok_or(Error::NotFound)?;
    let company = outlay_store::orgs::get(conn, org)
        .await?
        .ok_or(Error::NotFound)?;
    let book = RoleBook::new(
        company.preset(),
        outlay_store::roles::custom(conn, org).await?,
    );
    let principal = members::principal_in(conn, org, &member, &book).await?;
    let teams = outlay_store::teams::teams_of(conn, org, member.member_id())
        .await?
        .into_iter()
        .map(outlay_core::TeamId)
        .collect();
    let archived = member.is_archived();
    let mut delegations = Vec::new();
    for d in outlay_store::delegations::open_to(conn, org, member.member_id(), session.now).await? {
        let Some(row) = members::get(conn, org, MemberId(d.delegator_id)).await? else {
            continue;
        };
        let delegator = members::principal_in(conn, org, &row, &book).await?;
        delegations.push((d, delegator));
    }
    let actor = Actor {
        now: session.now,
        company,
        loaded: std::sync::Arc::new(Member {
            org,
            book,
            member,
            principal,
            teams,
            person: session.person.id,
            delegations: delegations.into(),
            list_shapes: Shapes::default(),
        }),
    };
    Ok(if archived {
        Loaded::Archived(actor)
    } else {
        Loaded::Active(actor)
    })
}

fn event<'a>(
    actor: &Actor,
    action: &'a str,
    target: &'a str,
    outcome: Outcome,
    reason: &'a str,
    detail: Value,
) -> NewEvent<'a> {
    NewEvent {
        org: actor.org,
        at: actor.now,
        actor_member: Some(actor.id()),
        actor_person: Some(actor.person),
        action,
        target,
        outcome,
        reason,
        detail,
    }
}

impl App {
    /// The actor for a read, from the cache while the company's access version is the one
    /// it was loaded at.
    pub async fn reader(&self, session: &Session, org: i64) -> Result<Actor, Error> {
        Ok(self.reading(session, org).await?.0)
    }

    /// The actor for a read and the connection it was loaded on, for the read itself: one
    /// pool checkout per request.
    pub async fn reading(
        &self,
        session: &Session,
        org: i64,
    ) -> Result<(Actor, outlay_store::Read), Error> {
        let mut conn = self.read_for(session).await?;
        // The version first: what is loaded after it is at least as new as it. The session's
        // statement read it already when the path names this company.
        let version = match session.access {
            Some((o, version)) if o == org => version,
            _ => outlay_store::orgs::access_version(&mut conn, OrgId(org)).await?,
        }
        .ok_or(Error::NotFound)?;
        let loaded = match self
            .actors
            .get(session.person.id, org, version, session.now)
        {
            Some(loaded) => loaded,
            None => {
                let loaded = load(&mut conn, session, org).await?;
                self.actors.put(session.person.id, org, version, &loaded);
                loaded
            }
        };
        match loaded {
            // A closed company is read only by those the core lets read it (its owners and
            // auditors): the one question is whether reading at all is still allowed.
            Loaded::Active(a) if a.company.is_closed() => {
                drop(conn);
                let read =
                    outlay_core::authorize::company(&a.principal, a.ctx(), Action::AuditView);
                match read {
                    outlay_core::Decision::Denied(Reason::CompanyClosed) => Err(self
                        .refused(
                            &a,
                            "access",
                            &format!("org:{org}"),
                            Error::Denied(Reason::CompanyClosed),
                        )
                        .await),
                    _ => Ok((a, self.checkout().await?)),
                }
            }
            Loaded::Active(a) => Ok((a, conn)),
            Loaded::Archived(a) => {
                drop(conn);
                Err(self
                    .refused(
                        &a,
                        "access",
                        &format!("org:{org}"),
                        Error::Denied(Reason::Archived),
                    )
                    .await)
            }
        }
    }

    /// A write transaction and the actor, loaded inside it so their rights cannot change
    /// between the check and the write.
    pub async fn writer(&self, session: &Session, org: i64) -> Result<(Write, Actor), Error> {
        let mut tx = self.write_for(OrgId(org), session.now).await?;
        match load(&mut tx, session, org).await? {
            Loaded::Active(a) => Ok((tx, a)),
            Loaded::Archived(a) => {
                let target = format!("org:{org}");
                let reason = Reason::Archived;
                tx.audit(event(
                    &a,
                    "access",
                    &target,
                    Outcome::Denied,
                    reason.code(),
                    json!({"message": reason.to_string()}),
                ))
                .await?;
                tx.commit().await?;
                Err(Error::Denied(reason))
            }
        }
    }

    /// Records a refused attempt and hands the error back. The record goes through the
    /// audit writer's queue and never waits: the caller may still hold a connection, and
    /// waiting here for another one is what let a flood of refusals stall every company.
    pub async fn refused(&self, actor: &Actor, action: &str, target: &str, err: Error) -> Error {
        let (code, message) = match &err {
            Error::Denied(r) => (r.code(), r.to_string()),
            Error::DeniedAt { field, reason } => (reason.code(), format!("{field}: {reason}")),
            Error::NotFound | Error::NotVisible(_) => (
                "not_visible",
                "the target does not exist or may not be seen".to_string(),
            ),
            _ => return err,
        };
        self.audit.refused(crate::audit_writer::Refusal {
            org: actor.org,
            member: Some(actor.id()),
            person: Some(actor.person),
            action: action.to_string(),
            target: target.to_string(),
            reason: code.to_string(),
            message,
            at: actor.now,
        });
        err
    }

    /// Ends a write: on success records the change and commits; on refusal rolls the change
    /// back and records the refusal.
    pub async fn finish<T>(
        &self,
        mut tx: Write,
        actor: &Actor,
        action: &str,
        target: &str,
        result: Result<(T, Value), Error>,
    ) -> Result<T, Error> {
        match result {
            Ok((value, detail)) => {
                tx.audit(event(
                    actor,
                    action,
                    target,
                    Outcome::Allowed,
                    "granted",
                    detail,
                ))
                .await?;
                tx.commit().await?;
                Ok(value)
            }
            Err(err) => {
                drop(tx);
                Err(self.refused(actor, action, target, err).await)
            }
        }
    }
}
