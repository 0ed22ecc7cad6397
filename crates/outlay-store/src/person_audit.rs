//! The person-level trail: logins, failed and throttled attempts at any password or token
//! check, logouts, passwords set and reset requests. These
//! belong to a person (or to an email nobody holds), not to a company, so they are kept apart
//! from the company audit log. Repeated identical attempts arrive already coalesced: one row
//! stands for `count` attempts between `at` and `last_at`.

use crate::{Conn, Result, Write};
use outlay_core::Timestamp;
use sqlx::FromRow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PersonEventKind {
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    /// A password was set: by an invitation, a reset link or a change (`reason`).
    PasswordSet,
    /// A reset link was asked for (and e-mailed when the account has a password).
    ResetRequested,
}

impl PersonEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonEventKind::Login => "login",
            PersonEventKind::LoginFailed => "login_failed",
            PersonEventKind::LoginThrottled => "login_throttled",
            PersonEventKind::Logout => "logout",
            PersonEventKind::PasswordSet => "password_set",
            PersonEventKind::ResetRequested => "reset_requested",
        }
    }
}

pub struct NewPersonEvent<'a> {
    pub at: Timestamp,
    pub last_at: Timestamp,
    pub count: u64,
    pub person: Option<i64>,
    pub email: &'a str,
    pub kind: PersonEventKind,
    pub address: &'a str,
    pub reason: &'a str,
}

#[derive(Clone, Debug, FromRow)]
pub struct PersonEventRow {
    pub id: i64,
    pub at: i64,
    pub last_at: i64,
    pub count: i64,
    pub person_id: Option<i64>,
    pub email: String,
    pub kind: String,
    pub address: String,
    pub reason: String,
}

/// Appends one event.
pub async fn record(w: &mut Write, ev: &NewPersonEvent<'_>) -> Result<i64> {
    w.person_audited();
    // Counts are small; one past i64::MAX would be a bug upstream, so saturate rather than
    // fail the write that carries a real event.
    let count = i64::try_from(ev.count.max(1)).unwrap_or(i64::MAX);
    Ok(sqlx::query_scalar(
        "INSERT INTO person_events (at, last_at, count, person_id, email, kind, address, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(ev.at.0)
    .bind(ev.last_at.0)
    .bind(count)
    .bind(ev.person)
    .bind(ev.email)
    .bind(ev.kind.as_str())
    .bind(ev.address)
    .bind(ev.reason)
    .fetch_one(w.conn())
    .await?)
}

/// A person's events, newest first.
pub async fn list(conn: &mut Conn, person: i64, limit: i64) -> Result<Vec<PersonEventRow>> {
    Ok(sqlx::query_as(
        "SELECT id, at, last_at, count, person_id, email, kind, address, reason \
         FROM person_events WHERE person_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(person)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Whether the person logged in successfully from `address` at or after `since`.
pub async fn logged_in_from(
    conn: &mut Conn,
    person: i64,
    address: &str,
    since: Timestamp,
) -> Result<bool> {
    // Counted rather than `EXISTS`: the Any driver decodes no SQLite booleans.
    let hits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM person_events \
         WHERE person_id = $1 AND address = $2 AND kind = 'login' AND at >= $3 LIMIT 1) AS hit",
    )
    .bind(person)
    .bind(address)
    .bind(since.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(hits > 0)
}

/// What login failures are counted against, in the trail's terms.
#[derive(Clone, Copy, Debug)]
pub enum FailuresOf<'a> {
    /// A client address, over every email.
    Address(&'a str),
    /// An email, from anywhere, since its latest login.
    Email(&'a str),
    /// An email from one address, since its latest login.
    EmailFrom(&'a str, &'a str),
}

/// Failed logins the trail holds for a key: how many, and when the latest was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last_at: Option<Timestamp>,
}

#[derive(FromRow)]
struct FailuresRow {
    count: i64,
    last_at: Option<i64>,
}

/// The failed logins recorded for `of` at or after `since` (for an email, only those after
/// its latest successful login), by every server on this database. What a server's audit
/// writer has not written yet is not in it.
pub async fn failures(conn: &mut Conn, of: FailuresOf<'_>, since: Timestamp) -> Result<Failures> {
    const SUM: &str =
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) AS count, MAX(last_at) AS last_at \
                       FROM person_events WHERE kind = 'login_failed' AND last_at >= $1";
    // A login ends the email's streak; it is found by the same index, newest first.
    const AFTER_LOGIN: &str = "AND last_at > COALESCE((SELECT MAX(l.last_at) FROM person_events l \
                               WHERE l.email = $2 AND l.kind = 'login'), 0)";
    let (sql, key, address) = match of {
        FailuresOf::Address(address) => (format!("{SUM} AND address = $2"), address, None),
        FailuresOf::Email(email) => (format!("{SUM} AND email = $2 {AFTER_LOGIN}"), email, None),
        FailuresOf::EmailFrom(email, address) => (
            format!("{SUM} AND email = $2 AND address = $3 {AFTER_LOGIN}"),
            email,
            Some(address),
        ),
    };
    let mut q = sqlx::query_as(&sql).bind(since.0).bind(key);
    if let Some(address) = address {
        q = q.bind(address);
    }
    let row: FailuresRow = q.fetch_one(&mut *conn).await?;
    Ok(Failures {
        count: row.count,
        last_at: row.last_at.map(Timestamp),
    })
}
