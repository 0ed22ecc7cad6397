//! The audit log: every change and every refused attempt, append-only, hash-chained per
//! company so that editing or deleting a past row breaks the chain where it happened.

use crate::{Conn, Result};
use outlay_core::{MemberId, OrgId, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }
}

pub struct NewEvent<'a> {
    pub org: OrgId,
    pub at: Timestamp,
    pub actor_member: Option<MemberId>,
    pub actor_person: Option<i64>,
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: Outcome,
    pub reason: &'a str,
    pub detail: serde_json::Value,
}

#[derive(Clone, Debug, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub org_id: i64,
    pub at: i64,
    pub actor_member_id: Option<i64>,
    pub actor_person_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub reason: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hash of one event over its fields and its predecessor's hash, each length-prefixed.
fn chain_hash(
    prev: &str,
    org: i64,
    at: i64,
    member: Option<i64>,
    person: Option<i64>,
    fields: [&str; 5],
) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    put(prev);
    put(&org.to_string());
    put(&at.to_string());
    put(&member.map(|m| m.to_string()).unwrap_or_default());
    put(&person.map(|p| p.to_string()).unwrap_or_default());
    for f in fields {
        put(f);
    }
    hex::encode(h.finalize())
}

/// Appends an event. Call inside the write transaction of the change it records.
pub(crate) async fn record(conn: &mut Conn, ev: NewEvent<'_>) -> Result<i64> {
    let prev = last_hash(conn, ev.org).await?;
    let (id, _) = insert_after(conn, &prev, &ev).await?;
    Ok(id)
}

/// Appends events in the order given, inside the caller's write transaction: each one's hash
/// covers the one before it in its company's chain, including earlier events of the same
/// batch. For the audit writer, which records refusals in batches.
pub(crate) async fn append(conn: &mut Conn, events: &[NewEvent<'_>]) -> Result<Vec<i64>> {
    // The newest hash per company seen so far in this batch: one lookup per company, not per
    // event, and the batch's own inserts are the chain's newest rows anyway.
    let mut heads: HashMap<i64, String> = HashMap::new();
    let mut ids = Vec::with_capacity(events.len());
    for ev in events {
        let prev = match heads.remove(&ev.org.0) {
            Some(h) => h,
            None => last_hash(conn, ev.org).await?,
        };
        let (id, hash) = insert_after(conn, &prev, ev).await?;
        heads.insert(ev.org.0, hash);
        ids.push(id);
    }
    Ok(ids)
}

/// The hash of the company's newest event, or the genesis hash when it has none.
async fn last_hash(conn: &mut Conn, org: OrgId) -> Result<String> {
    let prev: Option<String> = sqlx::query_scalar(
        "SELECT hash FROM audit_events WHERE org_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(prev.unwrap_or_else(|| GENESIS.to_string()))
}

/// Inserts `ev` as the successor of `prev`; returns its id and hash.
async fn insert_after(conn: &mut Conn, prev: &str, ev: &NewEvent<'_>) -> Result<(i64, String)> {
    let detail = ev.detail.to_string();
    let member = ev.actor_member.map(|m| m.0);
    let hash = chain_hash(
        prev,
        ev.org.0,
        ev.at.0,
        member,
        ev.actor_person,
        [
            ev.action,
            ev.target,
            ev.outcome.as_str(),
            ev.reason,
            &detail,
        ],
    );
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_events (org_id, at, actor_member_id, actor_person_id, action, target, outcome, reason, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(ev.org.0)
    .bind(ev.at.0)
    .bind(member)
    .bind(ev.actor_person)
    .bind(ev.action)
    .bind(ev.target)
    .bind(ev.outcome.as_str())
    .bind(ev.reason)
    .bind(&detail)
    .bind(prev)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, hash))
}

/// Newest first, `limit` rows before `cursor`.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT id, org_id, at, actor_member_id, actor_person_id, action, target, outcome, reason, detail, prev_hash, hash \
         FROM audit_events WHERE org_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(org.0)
    .bind(cursor)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Walks the company's chain from the start: `Ok(n)` when all `n` events hold, or
/// `Err(id)` of the first event whose hash or link does not match.
pub async fn verify(conn: &mut Conn, org: OrgId) -> Result<std::result::Result<usize, i64>> {
    // Streams the chain a page at a time (keyset on id): memory stays constant however long
    // the log grows.
    const PAGE: i64 = 1000;
    let mut prev = GENESIS.to_string();
    let mut after = 0i64;
    let mut checked = 0usize;
    loop {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, org_id, at, actor_member_id, actor_person_id, action, target, outcome, reason, detail, prev_hash, hash \
             FROM audit_events WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(org.0)
        .bind(after)
        .bind(PAGE)
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            let expect = chain_hash(
                &prev,
                r.org_id,
                r.at,
                r.actor_member_id,
                r.actor_person_id,
                [&r.action, &r.target, &r.outcome, &r.reason, &r.detail],
            );
            if r.prev_hash != prev || r.hash != expect {
                return Ok(Err(r.id));
            }
            prev = expect;
            checked += 1;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => after = last.id,
            _ => return Ok(Ok(checked)),
        }
    }
}
