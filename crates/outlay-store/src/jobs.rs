//! Durable jobs and notices (tables `jobs` and `notices`, migration 0018). A report that
//! enters a step gets a reminder and an escalation job, due after its policy's delays; the
//! servers claim due jobs one at a time, each in the write transaction that does its effect.

use crate::{Backend, Conn, Result, Write};
use outlay_core::{MemberId, OrgId, Timestamp};
use sqlx::FromRow;

/// What a job does.
pub const REMINDER: &str = "approval_reminder";
pub const ESCALATION: &str = "approval_escalation";

/// Schedules the reminder and escalation of the step report `id` waits on now, after the
/// delays it keeps from its policy (none when the policy sets none). In the transaction of
/// the write that moved the report into that step.
pub(crate) async fn schedule(w: &mut Write, org: OrgId, id: i64) -> Result<()> {
    let now = w.now();
    for (kind, delay) in [(REMINDER, "remind_after"), (ESCALATION, "escalate_after")] {
        let sql = format!(
            "INSERT INTO jobs (org_id, kind, report_id, route_no, step_idx, due_at) \
             SELECT org_id, $3, id, route_no, step_idx, $4 + {delay} FROM reports \
             WHERE org_id = $1 AND id = $2 AND step_idx IS NOT NULL AND {delay} IS NOT NULL"
        );
        sqlx::query(&sql)
            .bind(org.0)
            .bind(id)
            .bind(kind)
            .bind(now.0)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, FromRow)]
pub struct JobRow {
    pub id: i64,
    pub org_id: i64,
    pub kind: String,
    pub report_id: i64,
    pub route_no: i64,
    pub step_idx: i64,
    pub due_at: i64,
}

/// Whether any job is due at `now`.
pub async fn any_due(conn: &mut Conn, now: Timestamp) -> Result<bool> {
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM jobs WHERE done_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT 1",
    )
    .bind(now.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(due.is_some())
}

/// Claims the oldest job due at `now` that no other server holds, for this transaction: on
/// PostgreSQL its row stays locked (others skip it) until the transaction ends; on SQLite
/// the transaction holds the write lock.
pub async fn claim(w: &mut Write, now: Timestamp) -> Result<Option<JobRow>> {
    let lock = match w.conn().backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT id, org_id, kind, report_id, route_no, step_idx, due_at FROM jobs \
         WHERE done_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT 1{lock}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(now.0)
        .fetch_optional(w.conn())
        .await?)
}

/// Marks claimed job `id` done with what came of it.
pub async fn finish(w: &mut Write, id: i64, outcome: &str) -> Result<()> {
    let now = w.now();
    let done =
        sqlx::query("UPDATE jobs SET done_at = $2, outcome = $3 WHERE id = $1 AND done_at IS NULL")
            .bind(id)
            .bind(now.0)
            .bind(outcome)
            .execute(w.conn())
            .await?;
    crate::owned::changed(done.rows_affected())
}

/// A notice for a member about report `report`.
pub struct Notice<'a> {
    pub member: MemberId,
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub report: Option<i64>,
}

/// Writes notices in the transaction of what they tell.
pub async fn notify(w: &mut Write, org: OrgId, notices: &[Notice<'_>]) -> Result<()> {
    let now = w.now();
    for n in notices {
        sqlx::query(
            "INSERT INTO notices (org_id, member_id, kind, subject, body, report_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(org.0)
        .bind(n.member.0)
        .bind(n.kind)
        .bind(n.subject)
        .bind(n.body)
        .bind(n.report)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub report_id: Option<i64>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// Member `member`'s notices, newest first: at most `limit`.
pub async fn notices_of(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    limit: i64,
) -> Result<Vec<NoticeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, subject, body, report_id, created_at, sent_at FROM notices \
         WHERE org_id = $1 AND member_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Active holders of any of `roles` in the company: whom a role step waits on.
pub async fn role_holders(
    conn: &mut Conn,
    org: OrgId,
    roles: &[String],
    now: Timestamp,
) -> Result<Vec<MemberId>> {
    let mut out = Vec::new();
    for role in roles {
        let sql = format!(
            "SELECT DISTINCT g.member_id FROM grants g JOIN members m ON m.org_id = g.org_id AND m.id = g.member_id \
             WHERE g.org_id = $1 AND g.role = $2 AND m.archived_at IS NULL AND {} ORDER BY g.member_id",
            crate::members::ACTIVE_GRANT
        );
        let ids: Vec<i64> = sqlx::query_scalar(&sql)
            .bind(org.0)
            .bind(role)
            .bind(now.0)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(ids.into_iter().map(MemberId));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A notice to e-mail, with its member's name and address.
#[derive(Clone, Debug, FromRow)]
pub struct Unsent {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub name: String,
    pub email: String,
}

/// Leases up to `limit` unsent notices, oldest first, to this server for `lease` seconds (a
/// short transaction of its own): others skip them until the lease ends. Sending happens with
/// no transaction open.
pub async fn lease_unsent(w: &mut Write, limit: i64, lease: i64) -> Result<Vec<Unsent>> {
    let now = w.now();
    let lock = match w.conn().backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE notices SET lease_until = $1 + $3 WHERE id IN (SELECT id FROM notices \
         WHERE sent_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until < $1) \
         ORDER BY id LIMIT $2{lock}) RETURNING id"
    );
    let ids: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(now.0)
        .bind(limit)
        .bind(lease)
        .fetch_all(w.conn())
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<Unsent> = sqlx::query_as(
            "SELECT n.id, n.subject, n.body, m.name, p.email FROM notices n \
             JOIN members m ON m.org_id = n.org_id AND m.id = n.member_id \
             JOIN persons p ON p.id = m.person_id WHERE n.id = $1",
        )
        .bind(id)
        .fetch_optional(w.conn())
        .await?;
        out.extend(row);
    }
    out.sort_by_key(|u| u.id);
    Ok(out)
}

/// Marks a notice failed for good (an address the relay refuses), with why.
pub async fn mark_failed(w: &mut Write, id: i64, why: &str) -> Result<()> {
    let now = w.now();
    sqlx::query(
        "UPDATE notices SET failed_at = $2, failure = $3 WHERE id = $1 AND sent_at IS NULL",
    )
    .bind(id)
    .bind(now.0)
    .bind(why)
    .execute(w.conn())
    .await?;
    Ok(())
}

/// Puts a job whose run failed off until `until`, so the next ones run meanwhile.
pub async fn postpone(w: &mut Write, id: i64, until: Timestamp, why: &str) -> Result<()> {
    sqlx::query("UPDATE jobs SET due_at = $2, outcome = $3 WHERE id = $1 AND done_at IS NULL")
        .bind(id)
        .bind(until.0)
        .bind(why)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// Marks notices sent.
pub async fn mark_sent(w: &mut Write, ids: &[i64]) -> Result<()> {
    let now = w.now();
    for id in ids {
        sqlx::query("UPDATE notices SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
            .bind(id)
            .bind(now.0)
            .execute(w.conn())
            .await?;
    }
    Ok(())
}
