//! The store's two kinds of connection, as types. Reads run on a [`Read`] connection (or
//! inside a write, through `Deref`). Every change runs on a [`Write`]: one transaction with
//! one fixed `now`, holding the write lock of each company it changes, that consumes the
//! permit of each change it makes and refuses to commit a permitted change without its
//! audit entry. A store function that changes a company takes `&mut Write` and a `Permit` by
//! value, so a write on a read connection, or without a decision, does not compile; a permit
//! for another company, action or subject is refused before any SQL runs.

use crate::audit::{self, NewEvent};
use crate::audit_chain::AuditKey;
use crate::{Backend, Conn, Result, StoreError};
use outlay_core::permit::{Payload, Permit, SelfService, Subject};
use outlay_core::{Action, MemberId, OrgId, Timestamp};
use std::ops::{Deref, DerefMut};

/// A pooled connection for reads.
pub struct Read(pub(crate) Conn);

impl Read {
    /// From here on, every read on this connection sees one snapshot of the database, until
    /// it is dropped. On SQLite this is one read transaction, which also pays the file
    /// locking once instead of at each statement; a PostgreSQL connection reads each
    /// statement's own snapshot, as before. Keep such a connection only for the length of
    /// a request: while it is held, SQLite cannot checkpoint past its snapshot.
    pub fn snapshot(&mut self) -> Result<()> {
        if let crate::conn::Inner::InPlace(c) = &mut (self.0).inner {
            c.snapshot()?;
        }
        Ok(())
    }
}

impl Deref for Read {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Read {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// Who made a change, from the permit it consumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Author {
    pub actor: MemberId,
    pub on_behalf_of: Option<MemberId>,
}

/// One write transaction. Reads inside it see what it wrote.
pub struct Write {
    /// Always a transaction ([`crate::Store::write`]).
    tx: Conn,
    now: Timestamp,
    /// Seals the audit entries this transaction writes.
    audit_key: Option<AuditKey>,
    /// Companies whose write lock this transaction holds.
    locked: Vec<OrgId>,
    /// A permitted change was made ...
    changed: bool,
    /// ... and an audit entry recorded.
    audited: bool,
    /// A change of who may do what: the locked companies' access versions are bumped.
    access_changed: bool,
}

impl Write {
    pub(crate) fn new(tx: Conn, now: Timestamp, audit_key: Option<AuditKey>) -> Write {
        Write {
            tx,
            now,
            audit_key,
            locked: Vec::new(),
            changed: false,
            audited: false,
            access_changed: false,
        }
    }

    /// The transaction's time: every row it writes is stamped with it.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Takes `org`'s write lock: one writer at a time per company, on every server sharing
    /// the database (PostgreSQL: a transaction-scoped advisory lock; SQLite: the file's one
    /// writer lock, already held). Several companies are locked in ascending order by the
    /// caller, so two writers never wait on each other crosswise.
    pub async fn lock(&mut self, org: OrgId) -> Result<()> {
        if self.locked.contains(&org) {
            return Ok(());
        }
        if Backend::of(&self.tx) == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(org.0)
                .execute(&mut self.tx)
                .await?;
        }
        self.locked.push(org);
        Ok(())
    }

    /// The connection, for the store's own writes that need no permit (people, sessions,
    /// founding a company) and for consumed permits' SQL.
    pub(crate) fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    fn holds(&self, org: OrgId) -> Result<()> {
        if self.locked.contains(&org) {
            Ok(())
        } else {
            Err(StoreError::NotLocked(org))
        }
    }

    /// Consumes `permit` for a change of `subject` in `org` by one of `actions`; refuses a
    /// permit for anything else.
    pub(crate) fn consume(
        &mut self,
        permit: Permit,
        org: OrgId,
        actions: &[Action],
        subject: Subject,
    ) -> Result<Author> {
        self.take(permit, org, actions, subject).map(|(by, _)| by)
    }

    /// [`Write::consume`] for a permit of any kind: the author and what the permit carries,
    /// which is all the write may write. The caller has checked the payload's details
    /// (e.g. a transition's step) before, so a refused permit leaves nothing changed.
    pub(crate) fn take<P: Payload>(
        &mut self,
        permit: Permit<P>,
        org: OrgId,
        actions: &[Action],
        subject: Subject,
    ) -> Result<(Author, P)> {
        self.holds(org)?;
        if permit.org() != org || !actions.contains(&permit.action()) || permit.subject() != subject
        {
            return Err(StoreError::WrongPermit {
                permit: format!(
                    "{} on {} in company {}",
                    permit.action().key(),
                    permit.subject(),
                    permit.org().0
                ),
                write: format!(
                    "{} on {subject} in company {}",
                    actions
                        .iter()
                        .map(|a| a.key())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    org.0
                ),
            });
        }
        self.changed = true;
        // Writes of people, roles and the company may change access; spending only data.
        if permit.action().changes_access() {
            self.access_changed = true;
        }
        let by = Author {
            actor: permit.actor(),
            on_behalf_of: permit.on_behalf_of(),
        };
        Ok((by, permit.into_payload()))
    }

    /// Spends a self-service token (asking for a role, founding a company, accepting an
    /// invitation, opening a session): a change no grant decides, which still commits only
    /// with its audit entry (the company's log, or the person-level trail for sessions).
    /// `access`: whether it changes who may do what.
    pub(crate) fn self_service<K>(&mut self, token: SelfService<K>, access: bool) -> K {
        self.changed = true;
        self.access_changed |= access;
        token.into_kind()
    }

    /// An entry of the person-level trail was recorded in this transaction.
    pub(crate) fn person_audited(&mut self) {
        self.audited = true;
    }

    /// Marks a seeding write: no permit, no audit entry, but servers' cached access must
    /// still see it.
    pub(crate) fn seeded(&mut self) {
        self.access_changed = true;
    }

    /// Records the audit entry of what this transaction does, in its company's hash chain,
    /// stamped with the transaction's time.
    pub async fn audit(&mut self, mut ev: NewEvent<'_>) -> Result<i64> {
        self.holds(ev.org)?;
        ev.at = self.now;
        let id = audit::record(&mut self.tx, self.audit_key.as_ref(), ev).await?;
        self.audited = true;
        Ok(id)
    }

    /// Appends events that happened earlier (the audit writer's refusals), each in its
    /// company's chain, in the order given; each company's lock must be held.
    pub async fn append_audit(&mut self, events: &[NewEvent<'_>]) -> Result<Vec<i64>> {
        for ev in events {
            self.holds(ev.org)?;
        }
        let ids = audit::append(&mut self.tx, self.audit_key.as_ref(), events).await?;
        self.audited = true;
        Ok(ids)
    }

    /// Commits; a permitted change without an audit entry is rolled back instead.
    pub async fn commit(self) -> Result<()> {
        if self.changed && !self.audited {
            return Err(StoreError::Unaudited);
        }
        let mut tx = self.tx;
        if self.access_changed {
            for org in &self.locked {
                sqlx::query("UPDATE orgs SET access_version = access_version + 1 WHERE id = $1")
                    .bind(org.0)
                    .execute(&mut tx)
                    .await?;
            }
        }
        tx.commit().await
    }
}

impl Deref for Write {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}
