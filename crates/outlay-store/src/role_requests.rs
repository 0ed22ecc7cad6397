//! Role-change requests: a member asks for a role, with a reason and optional dates. Each
//! row carries the requester as its reader sees them (place in the reporting line, teams),
//! so who may decide each request of a page is decided without another query.

use crate::{scope, Backend, Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::permit::{RoleAsk, SelfService};
use outlay_core::Action;
use outlay_core::{ListScope, MemberId, OrgId, TeamId, Timestamp};
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
    /// The requester's place in the reader's reporting line.
    pub line: String,
    /// The requester's teams, comma-separated.
    pub member_teams: Option<String>,
}

impl RoleRequestRow {
    /// The requester as the reader sees them.
    pub fn member(&self) -> scope::TargetFacts {
        scope::TargetFacts {
            member: MemberId(self.member_id),
            line: outlay_core::Line::parse(&self.line),
            teams: scope::parse_teams(self.member_teams.as_deref()),
        }
    }
}

/// The columns of a request of `r`, its requester as `$2` sees them.
fn select(backend: Backend) -> String {
    format!(
        "SELECT r.id, r.member_id, r.role, r.team_id, r.reason, r.valid_from, r.valid_until, r.status, \
         r.created_at, r.decided_by, r.decided_at, r.decline_reason, {line} AS line, {teams} AS member_teams \
         FROM role_requests r",
        line = scope::line_column("r.member_id"),
        teams = scope::teams_column(backend, "r.member_id"),
    )
}

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
    insert(w.conn(), org, member, r, now).await
}

/// Inserts an open request (asking, or seeding).
pub(crate) async fn insert(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    r: &NewRoleRequest<'_>,
    now: Timestamp,
) -> Result<i64> {
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
    .fetch_one(conn)
    .await?)
}

/// Request `id`, its requester as `viewer` sees them.
pub async fn get(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Option<RoleRequestRow>> {
    let sql = select(Backend::of(conn)) + " WHERE r.org_id = $1 AND r.id = $3";
    let q = sqlx::query_as(&sql).bind(org.0).bind(viewer.0).bind(id);
    Ok(q.fetch_optional(&mut *conn).await?)
}

/// Requests of the company `viewer` may see, newest first, optionally of one status: their
/// own, and those of members in `reach` (where their `role.assign` reaches, if anywhere).
/// One statement whatever the page's size.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    reach: Option<&ListScope>,
    status: Option<&str>,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<RoleRequestRow>> {
    let reached = reach.map_or("1 = 0".into(), |r| scope::member_in(r, "r.member_id"));
    let sql = select(Backend::of(conn))
        + &format!(
            " WHERE r.org_id = $1 AND (r.member_id = $2 OR {reached}) AND ($3 IS NULL OR r.status = $3) \
             AND ($4 IS NULL OR r.id < $4) ORDER BY r.id DESC LIMIT $5"
        );
    let q = sqlx::query_as(&sql).bind(org.0).bind(viewer.0).bind(status);
    Ok(q.bind(cursor).bind(limit).fetch_all(&mut *conn).await?)
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
