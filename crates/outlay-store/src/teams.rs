//! Teams and who belongs to them.

use crate::{Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::{Action, MemberId, OrgId, TeamId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

/// Newest first, `limit` teams before `cursor`.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<TeamRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at FROM teams WHERE org_id = $1 AND ($2 IS NULL OR id < $2) \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(org.0)
    .bind(cursor)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn get(conn: &mut Conn, org: OrgId, team: TeamId) -> Result<Option<TeamRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, created_at FROM teams WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(team.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Member ids of every team of the company, as (team, member) pairs.
pub async fn memberships(conn: &mut Conn, org: OrgId) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT team_id, member_id FROM team_members WHERE org_id = $1 ORDER BY team_id, member_id",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?)
}

/// Member ids of the teams `teams`, as (team, member) pairs: one query for a page of teams.
pub async fn memberships_of(conn: &mut Conn, org: OrgId, teams: &[i64]) -> Result<Vec<(i64, i64)>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    // Team ids are integers from the store itself.
    let list = teams
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Ok(sqlx::query_as(&format!(
        "SELECT team_id, member_id FROM team_members WHERE org_id = $1 AND team_id IN ({list}) \
         ORDER BY team_id, member_id"
    ))
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn teams_of(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT team_id FROM team_members WHERE org_id = $1 AND member_id = $2 ORDER BY team_id",
    )
    .bind(org.0)
    .bind(member.0)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn create(w: &mut Write, org: OrgId, name: &str, permit: Permit) -> Result<TeamId> {
    w.consume(permit, org, &[Action::TeamManage], Subject::Company)?;
    let now = w.now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO teams (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?;
    Ok(TeamId(id))
}

/// Adds a member to a team; returns false when they were already in it.
pub async fn add_member(
    w: &mut Write,
    org: OrgId,
    team: TeamId,
    member: MemberId,
    permit: Permit,
) -> Result<bool> {
    w.consume(permit, org, &[Action::TeamManage], Subject::Company)?;
    insert_member(w.conn(), org, team, member).await
}

/// Puts a member in a team (for a consumed permit, or seeding); false when already in it.
pub(crate) async fn insert_member(
    conn: &mut Conn,
    org: OrgId,
    team: TeamId,
    member: MemberId,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO team_members (org_id, team_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(org.0)
    .bind(team.0)
    .bind(member.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a member from a team; returns false when they were not in it.
pub async fn remove_member(
    w: &mut Write,
    org: OrgId,
    team: TeamId,
    member: MemberId,
    permit: Permit,
) -> Result<bool> {
    w.consume(permit, org, &[Action::TeamManage], Subject::Company)?;
    let done = sqlx::query(
        "DELETE FROM team_members WHERE org_id = $1 AND team_id = $2 AND member_id = $3",
    )
    .bind(org.0)
    .bind(team.0)
    .bind(member.0)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() > 0)
}
