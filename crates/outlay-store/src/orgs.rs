//! Companies: their preset, base currency, and whether they are closed.
//!
//! Dependencies go one way: members.rs -> roles.rs (a company's role book) -> this module
//! (its preset). Founding a company, which also makes a member, is `founding.rs`, above
//! both, so this module reads no other of the store's.

use crate::{Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::Action;
use outlay_core::{preset, OrgId, Preset, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub preset: String,
    pub base_currency: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub close_reason: Option<String>,
}

impl OrgRow {
    /// The company's preset; an unknown key (from a newer version) falls back to Outlay's.
    pub fn preset(&self) -> &'static Preset {
        preset::get(&self.preset).unwrap_or_else(preset::outlay)
    }

    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// The company row alone; `founding.rs` founds a company with its founder.
pub(crate) async fn create(
    conn: &mut Conn,
    name: &str,
    preset: &str,
    base_currency: &str,
    now: Timestamp,
) -> Result<OrgId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (name, preset, base_currency, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(preset)
    .bind(base_currency)
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(OrgId(id))
}

pub async fn get(conn: &mut Conn, org: OrgId) -> Result<Option<OrgRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, preset, base_currency, created_at, closed_at, close_reason FROM orgs WHERE id = $1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn name(conn: &mut Conn, org: OrgId) -> Result<Option<String>> {
    Ok(get(conn, org).await?.map(|o| o.name))
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
        .fetch_one(&mut *conn)
        .await?)
}

/// Closes the company; returns false when it was closed already.
pub async fn close(w: &mut Write, org: OrgId, reason: &str, permit: Permit) -> Result<bool> {
    w.consume(permit, org, &[Action::AccountClose], Subject::Company)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE orgs SET closed_at = $2, close_reason = $3 WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(org.0)
    .bind(now.0)
    .bind(reason)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The company's access version ([`crate::Write::commit`] bumps it with every change of
/// who may do what there); `None` when there is no such company.
pub async fn access_version(conn: &mut Conn, org: OrgId) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT access_version FROM orgs WHERE id = $1")
            .bind(org.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Every company's id, oldest first.
pub async fn ids(conn: &mut Conn) -> Result<Vec<OrgId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orgs ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(OrgId).collect())
}
