//! Delegations: someone acts for someone else for a while. Ending one early keeps the row.

use crate::{Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::Action;
use outlay_core::{DelegationKind, MemberId, OrgId, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct DelegationRow {
    pub id: i64,
    pub delegator_id: i64,
    pub delegate_id: i64,
    pub kind: String,
    /// `kind` as the code knows it: a row with any other value is not read (`CorruptRow`).
    #[sqlx(rename = "kind")]
    known_kind: crate::stored::Known<DelegationKind>,
    pub valid_from: i64,
    pub valid_until: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub ended_at: Option<i64>,
    pub ended_by: Option<i64>,
}

impl DelegationRow {
    pub fn kind(&self) -> DelegationKind {
        self.known_kind.0
    }

    /// Active from `valid_from` (inclusive) until `valid_until` or its early end (exclusive).
    pub fn active_at(&self, now: Timestamp) -> bool {
        self.valid_from <= now.0
            && now.0 < self.valid_until
            && self.ended_at.is_none_or(|e| now.0 < e)
    }
}

const COLUMNS: &str = "id, delegator_id, delegate_id, kind, valid_from, valid_until, created_by, created_at, ended_at, ended_by";

pub struct NewDelegation {
    pub delegator: MemberId,
    pub delegate: MemberId,
    pub kind: DelegationKind,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

pub async fn create(w: &mut Write, org: OrgId, d: &NewDelegation, permit: Permit) -> Result<i64> {
    let by = w.consume(
        permit,
        org,
        &[Action::DelegationManage],
        Subject::Member(d.delegator),
    )?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO delegations (org_id, delegator_id, delegate_id, kind, valid_from, valid_until, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(d.delegator.0)
    .bind(d.delegate.0)
    .bind(d.kind.as_str())
    .bind(d.valid_from.0)
    .bind(d.valid_until.0)
    .bind(by.actor.0)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

pub async fn get(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<DelegationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Delegations given by or to `member`, newest first.
pub async fn involving(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND (delegator_id = $2 OR delegate_id = $2) \
         AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(member.0)
        .bind(cursor)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

/// Every delegation of the company, newest first.
pub async fn all(
    conn: &mut Conn,
    org: OrgId,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(cursor)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

/// Delegations to `delegate` of `kind` active at `now`.
pub async fn active_to(
    conn: &mut Conn,
    org: OrgId,
    delegate: MemberId,
    kind: DelegationKind,
    now: Timestamp,
) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND delegate_id = $2 AND kind = $3 \
         AND valid_from <= $4 AND valid_until > $4 AND (ended_at IS NULL OR ended_at > $4) ORDER BY id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(delegate.0)
        .bind(kind.as_str())
        .bind(now.0)
        .fetch_all(&mut *conn)
        .await?)
}

/// Delegations to `delegate` of every kind active at `now`, `approve` before `submit`: one
/// query where a page needs them all.
/// The delegations to `delegate` that are active at `now` or begin later, ordered as
/// [`all_active_to`]: what may become active without another change.
pub async fn open_to(
    conn: &mut Conn,
    org: OrgId,
    delegate: MemberId,
    now: Timestamp,
) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND delegate_id = $2 \
         AND valid_until > $3 AND (ended_at IS NULL OR ended_at > $3) ORDER BY kind, id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(delegate.0)
        .bind(now.0)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn all_active_to(
    conn: &mut Conn,
    org: OrgId,
    delegate: MemberId,
    now: Timestamp,
) -> Result<Vec<DelegationRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM delegations WHERE org_id = $1 AND delegate_id = $2 \
         AND valid_from <= $3 AND valid_until > $3 AND (ended_at IS NULL OR ended_at > $3) ORDER BY kind, id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(delegate.0)
        .bind(now.0)
        .fetch_all(&mut *conn)
        .await?)
}

/// Ends `delegator`'s delegation `id` now; false when it had ended already (or is not
/// theirs). The permit is for managing the delegator's delegations.
pub async fn end(
    w: &mut Write,
    org: OrgId,
    id: i64,
    delegator: MemberId,
    permit: Permit,
) -> Result<bool> {
    let by = w.consume(
        permit,
        org,
        &[Action::DelegationManage],
        Subject::Member(delegator),
    )?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE delegations SET ended_at = $3, ended_by = $4 WHERE org_id = $1 AND id = $2 \
         AND delegator_id = $5 AND ended_at IS NULL AND valid_until > $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(now.0)
    .bind(by.actor.0)
    .bind(delegator.0)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}
