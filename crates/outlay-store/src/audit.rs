//! The audit log: every change and every refused attempt, append-only, chained per company
//! and sealed with the server's audit key ([`crate::audit_chain`]), so that editing or
//! forging a past row breaks the chain where it happened, and removing the newest rows shows
//! against an exported head.

use crate::audit_chain::{self, AuditKey, Entry, Head, Sealed, Verdict, Verifier, GENESIS};
use crate::{Conn, Result};
use outlay_core::{MemberId, OrgId, Timestamp};
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

/// Appends an event. Call inside the write transaction of the change it records.
pub(crate) async fn record(
    conn: &mut Conn,
    key: Option<&AuditKey>,
    ev: NewEvent<'_>,
) -> Result<i64> {
    let prev = last_hash(conn, ev.org).await?;
    let (id, _) = insert_after(conn, key, &prev, &ev).await?;
    Ok(id)
}

/// Appends events in the order given, inside the caller's write transaction: each one's hash
/// covers the one before it in its company's chain, including earlier events of the same
/// batch. For the audit writer, which records refusals in batches.
pub(crate) async fn append(
    conn: &mut Conn,
    key: Option<&AuditKey>,
    events: &[NewEvent<'_>],
) -> Result<Vec<i64>> {
    // The newest hash per company seen so far in this batch: one lookup per company, not per
    // event, and the batch's own inserts are the chain's newest rows anyway.
    let mut heads: HashMap<i64, String> = HashMap::new();
    let mut ids = Vec::with_capacity(events.len());
    for ev in events {
        let prev = match heads.remove(&ev.org.0) {
            Some(h) => h,
            None => last_hash(conn, ev.org).await?,
        };
        let (id, hash) = insert_after(conn, key, &prev, ev).await?;
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
async fn insert_after(
    conn: &mut Conn,
    key: Option<&AuditKey>,
    prev: &str,
    ev: &NewEvent<'_>,
) -> Result<(i64, String)> {
    let detail = ev.detail.to_string();
    let member = ev.actor_member.map(|m| m.0);
    let sealed = Sealed {
        org: ev.org.0,
        at: ev.at.0,
        member,
        person: ev.actor_person,
        fields: [
            ev.action,
            ev.target,
            ev.outcome.as_str(),
            ev.reason,
            &detail,
        ],
    };
    let hash = audit_chain::seal(key, prev, &sealed);
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

/// Walks the company's chain from the start, in pages (constant memory however long the log
/// grows), with `key` for sealed entries and, when given, against the exported `head`.
pub async fn verify(
    conn: &mut Conn,
    org: OrgId,
    key: Option<&AuditKey>,
    head: Option<Head>,
) -> Result<Verdict> {
    let mut v = Verifier::new(org.0, key, head);
    let mut after = 0i64;
    loop {
        let rows = entries_after(conn, org, after, PAGE).await?;
        for r in &rows {
            if !v.push(r) {
                return Ok(v.finish());
            }
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => after = last.id,
            _ => return Ok(v.finish()),
        }
    }
}

/// Rows per page when walking a chain.
pub const PAGE: i64 = 1000;

/// The company's entries after id `after`, oldest first (for verifying and exporting).
pub async fn entries_after(
    conn: &mut Conn,
    org: OrgId,
    after: i64,
    limit: i64,
) -> Result<Vec<Entry>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT id, org_id, at, actor_member_id, actor_person_id, action, target, outcome, reason, detail, prev_hash, hash \
         FROM audit_events WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(org.0)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(EventRow::into_entry).collect())
}

/// The company's head now: how many entries its chain has and the newest one's seal.
pub async fn head(conn: &mut Conn, org: OrgId) -> Result<Head> {
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&mut *conn)
        .await?;
    let last: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, hash FROM audit_events WHERE org_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Head {
        org: org.0,
        entries: entries.max(0) as u64,
        last_id: last.as_ref().map(|l| l.0),
        last_mac: last.map(|l| l.1).unwrap_or_else(|| GENESIS.to_string()),
    })
}

impl EventRow {
    fn into_entry(self) -> Entry {
        Entry {
            id: self.id,
            org_id: self.org_id,
            at: self.at,
            actor_member_id: self.actor_member_id,
            actor_person_id: self.actor_person_id,
            action: self.action,
            target: self.target,
            outcome: self.outcome,
            reason: self.reason,
            detail: self.detail,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}
