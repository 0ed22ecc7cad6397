//! The operations. Every operation is one typed command run by the acting member: the JSON
//! handlers call it now and the web pages will call the same one later. An
//! operation loads what its rules need, asks the core, writes through the store with the
//! core's permit, and says what happened (with the detail its audit entry records).
//! Nothing here speaks HTTP (no requests, responses or status codes); refusals and
//! conflicts are the core's reasons. The services an operation may use (the store, the
//! audit writer, the login throttle) are the crate's `App`.
//!
//! A change runs in one write transaction holding the company's lock, with the actor loaded
//! inside it (`App::perform`); a question runs on one read connection (`App::ask`). Both
//! record refusals in the audit log.

pub mod advances;
pub mod allowances;
pub mod approvals;
pub mod audit;
pub mod authz;
pub mod bank_accounts;
pub mod categories;
mod checks;
pub mod corrections;
pub mod delegations;
pub mod expenses;
pub mod guard;
pub mod invitations;
pub mod members;
pub mod notices;
pub mod orgs;
pub mod owned;
pub mod page;
pub mod passwords;
pub mod policies;
pub mod rates;
pub mod reimbursements;
pub mod reports;
pub mod role_requests;
pub mod roles;
pub mod sessions;
pub mod teams;
pub mod trips;

use outlay_core::validate::ValidationError;
use outlay_core::Reason;
use outlay_store::{Conn, StoreError, Write};
use serde_json::Value;
use std::future::Future;

pub use crate::actor::Actor;
pub use page::{Page, Paging};

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command's input is wrong: which field, and why.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// The target does not exist, or the actor may not see it: the same answer either way.
    #[error("no such resource")]
    NotFound,
    /// Like `NotFound`, for a target other than the operation's own (e.g. the resource an
    /// explanation is about): its refusal names this target.
    #[error("no such resource")]
    NotVisible(String),
    /// The core refused: a missing right (forbidden) or a rule of the data (conflict).
    #[error("{0}")]
    Denied(Reason),
    /// The core refused one item of the command's list, which `field` names
    /// (`report_ids[2]`): the command is refused whole.
    #[error("`{field}`: {reason}")]
    DeniedAt { field: String, reason: Reason },
    /// The person did not prove who they are (a wrong password).
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Too many failed logins: try again after `retry_after` seconds.
    #[error("too many login attempts")]
    Throttled { retry_after: u64 },
    /// Past a creation quota (`quota.rs`): try again after `retry_after` seconds.
    #[error("`{action}`: over the quota per minute")]
    OverQuota {
        action: &'static str,
        retry_after: u64,
    },
    /// No database connection came free within the pool wait, or a database lock within
    /// the lock wait.
    #[error("the server is busy")]
    PoolBusy,
    /// Too many password hashes at once, or hashing failed.
    #[error("the password check could not run")]
    PasswordGate(crate::password::GateError),
    #[error("{0}")]
    Store(StoreError),
}

impl From<crate::password::GateError> for Error {
    fn from(e: crate::password::GateError) -> Error {
        Error::PasswordGate(e)
    }
}

impl From<Reason> for Error {
    fn from(r: Reason) -> Error {
        Error::Denied(r)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            // A conditional write that found the row changed: another request won.
            StoreError::Stale => Error::Denied(Reason::ChangedMeanwhile),
            // Busy for now, not a fault: the caller answers it like a pool wait.
            StoreError::Busy(_) => Error::PoolBusy,
            e => Error::Store(e),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        StoreError::from(e).into()
    }
}

impl Error {
    pub fn invalid(field: &str, reason: impl Into<String>) -> Error {
        Error::Invalid(ValidationError::new(field, reason))
    }

    /// This error about item `field` of the command's list: a refusal names the item, and
    /// what the actor may not see is, there, an id that names nothing. Other errors (a busy
    /// database, a fault) are the whole command's.
    pub fn at(self, field: &str) -> Error {
        match self {
            Error::Denied(reason) => Error::DeniedAt {
                field: field.to_string(),
                reason,
            },
            Error::NotFound | Error::NotVisible(_) => {
                Error::invalid(field, "names nothing the caller may see")
            }
            e => e,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a change did, and the detail its audit entry records.
pub struct Done<T> {
    pub value: T,
    pub detail: Value,
}

impl<T> Done<T> {
    pub fn new(value: T, detail: Value) -> Done<T> {
        Done { value, detail }
    }
}

/// An operation that changes the company, run inside one write transaction.
pub trait Change: Send + Sized {
    type Output: Send;
    /// The audit log's name for it, e.g. `expense.approve`.
    fn action(&self) -> &'static str;
    /// What the audit entry names as its target, e.g. `expense:7`.
    fn target(&self, actor: &Actor) -> String;
    fn apply(
        self,
        w: &mut Write,
        actor: &Actor,
    ) -> impl Future<Output = Result<Done<Self::Output>>> + Send;
}

/// An operation that reads, on one read connection.
pub trait Question: Send + Sized {
    type Output: Send;
    /// The audit log's name for a refusal of it, e.g. `expense.view`.
    fn action(&self) -> &'static str;
    /// What a refusal's audit entry names as its target.
    fn target(&self) -> String;
    fn ask(
        self,
        conn: &mut Conn,
        actor: &Actor,
    ) -> impl Future<Output = Result<Self::Output>> + Send;
}
