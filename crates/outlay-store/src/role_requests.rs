//! Role-change requests: a member asks for a role, with a reason and optional dates.

use crate::{Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::permit::{RoleAsk, SelfService};
use outlay_core::Action;
use outlay_core::{MemberId, OrgId, TeamId, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct RoleRequestRow {
    pub id: i64,
    pub member_id: i64,
    pub role: String,
    pub team_id: Option<i64>,
    pub reason: String,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decline_reason: Option<String>,
}

const COLUMNS: &str = "id, member_id, role, team_id, reason, valid_from, valid_until, status, created_at, decided_by, decided_at, decline_reason";

/// What is asked for; who asks is the token's.
pub struct NewRoleRequest<'a> {
    pub role: &'a str,
    pub team: Option<TeamId>,
    pub reason: &'a str,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
}

/// Records a member's request for a role: asking needs no grant, only the token of the
/// rule that lets members ask ([`outlay_core::member::request_role`]), which names the
/// company and the member; the request is still a change to audit.
pub async fn create(
    w: &mut Write,
    r: &NewRoleRequest<'_>,
    token: SelfService<RoleAsk>,
) -> Result<i64> {
    let RoleAsk { org, member } = *token.kind();
    w.lock(org).await?;
    w.self_service(token, false);
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO role_requests (org_id, member_id, role, team_id, reason, valid_from, valid_until, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(r.role)
    .bind(r.team.map(|t| t.0))
    .bind(r.reason)
    .bind(r.valid_from.map(|t| t.0))
    .bind(r.valid_until.map(|t| t.0))
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

pub async fn get(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<RoleRequestRow>> {
    let sql = format!("SELECT {COLUMNS} FROM role_requests WHERE org_id = $1 AND id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Requests of the company, newest first, optionally of one status.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    status: Option<&str>,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<RoleRequestRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM role_requests WHERE org_id = $1 AND ($2 IS NULL OR status = $2) \
         AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(status)
        .bind(cursor)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

/// Records the decision on an open request; false when it was decided already.
pub async fn decide(
    w: &mut Write,
    org: OrgId,
    id: i64,
    requester: MemberId,
    approved: bool,
    decline_reason: Option<&str>,
    permit: Permit,
) -> Result<bool> {
    let by = w.consume(
        permit,
        org,
        &[Action::RoleAssign],
        Subject::Member(requester),
    )?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE role_requests SET status = $3, decided_by = $4, decided_at = $5, decline_reason = $6 \
         WHERE org_id = $1 AND id = $2 AND member_id = $7 AND status = 'open'",
    )
    .bind(org.0)
    .bind(id)
    .bind(if approved { "approved" } else { "declined" })
    .bind(by.actor.0)
    .bind(now.0)
    .bind(decline_reason)
    .bind(requester.0)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}
