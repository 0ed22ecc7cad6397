//! Members, their grants and reporting lines, and principals loaded for decisions.

use crate::scope::{self, ACTIVE_GRANT};
use crate::{Conn, Result, StoreError};
use outlay_core::authorize::Permit;
use outlay_core::{
    Grant, GrantId, GrantSpec, MemberId, OrgId, Principal, ResolvedGrant, RoleBook, Scope, TeamId,
    Timestamp,
};
use sqlx::FromRow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberStatus {
    Invited,
    Active,
    Archived,
}

impl MemberStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            MemberStatus::Invited => "invited",
            MemberStatus::Active => "active",
            MemberStatus::Archived => "archived",
        }
    }
}

#[derive(Clone, Debug, FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub org_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub status: String,
    pub manager_id: Option<i64>,
    pub created_at: i64,
    pub archived_at: Option<i64>,
    /// How this member relates to whoever listed it: `own`, `team` or `other`.
    #[sqlx(default)]
    pub relation: Option<String>,
}

impl MemberRow {
    pub fn member_id(&self) -> MemberId {
        MemberId(self.id)
    }

    pub fn is_archived(&self) -> bool {
        self.status == "archived"
    }
}

const COLUMNS: &str = "m.id, m.org_id, m.person_id, m.name, p.email, m.status, m.manager_id, m.created_at, m.archived_at";

pub async fn get(conn: &mut Conn, org: OrgId, id: MemberId) -> Result<Option<MemberRow>> {
    let sql = format!("SELECT {COLUMNS} FROM members m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1 AND m.id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn by_person(conn: &mut Conn, org: OrgId, person: i64) -> Result<Option<MemberRow>> {
    let sql = format!("SELECT {COLUMNS} FROM members m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1 AND m.person_id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(person)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Members the actor may see at `scope`, newest first, with their relation to the actor.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    actor: MemberId,
    now: Timestamp,
    visible_at: Scope,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<MemberRow>> {
    let sql = format!(
        "{cte} SELECT {COLUMNS}, {rel} AS relation FROM members m JOIN persons p ON p.id = m.person_id \
         WHERE m.org_id = $1 AND {vis} AND ($4 IS NULL OR m.id < $4) ORDER BY m.id DESC LIMIT $5",
        cte = scope::team_scope_cte(),
        rel = scope::relation_column("m.id"),
        vis = scope::visible(visible_at, "m.id"),
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(actor.0)
        .bind(now.0)
        .bind(cursor)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn create(
    conn: &mut Conn,
    org: OrgId,
    person: i64,
    name: &str,
    status: MemberStatus,
    manager: Option<MemberId>,
    now: Timestamp,
) -> Result<MemberId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO members (org_id, person_id, name, status, manager_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(person)
    .bind(name)
    .bind(status.as_str())
    .bind(manager.map(|m| m.0))
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(MemberId(id))
}

pub async fn activate(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<()> {
    sqlx::query(
        "UPDATE members SET status = 'active' WHERE org_id = $1 AND id = $2 AND status = 'invited'",
    )
    .bind(org.0)
    .bind(member.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct GrantRow {
    id: i64,
    role: String,
    team_id: Option<i64>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
}

impl From<GrantRow> for Grant {
    fn from(r: GrantRow) -> Grant {
        Grant {
            id: GrantId(r.id),
            spec: GrantSpec {
                role: r.role,
                team: r.team_id.map(TeamId),
                valid_from: r.valid_from.map(Timestamp),
                valid_until: r.valid_until.map(Timestamp),
            },
        }
    }
}

pub async fn grants(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<Vec<Grant>> {
    let rows: Vec<GrantRow> = sqlx::query_as(
        "SELECT id, role, team_id, valid_from, valid_until FROM grants WHERE org_id = $1 AND member_id = $2 ORDER BY id",
    )
    .bind(org.0)
    .bind(member.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Grant::from).collect())
}

/// Grants of the members with ids in `from..=to`: one query for a page of members.
pub async fn grants_between(
    conn: &mut Conn,
    org: OrgId,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, Grant)>> {
    #[derive(FromRow)]
    struct Row {
        member_id: i64,
        #[sqlx(flatten)]
        grant: GrantRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT member_id, id, role, team_id, valid_from, valid_until FROM grants \
         WHERE org_id = $1 AND member_id BETWEEN $2 AND $3 ORDER BY id",
    )
    .bind(org.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.member_id, Grant::from(r.grant)))
        .collect())
}

/// The member as the rules see them. Grants of roles that no longer exist grant nothing.
pub async fn principal(conn: &mut Conn, org: OrgId, member: &MemberRow) -> Result<Principal> {
    let book = crate::roles::book(conn, org).await?;
    let grants = grants(conn, org, member.member_id()).await?;
    Ok(resolve(member, grants, &book))
}

pub fn resolve(member: &MemberRow, grants: Vec<Grant>, book: &RoleBook) -> Principal {
    let grants = grants
        .into_iter()
        .filter_map(|g| {
            book.get(&g.spec.role)
                .map(|role| ResolvedGrant::new(g, role))
        })
        .collect();
    Principal {
        member: member.member_id(),
        archived: member.is_archived(),
        grants,
    }
}

/// Replaces all of a member's grants with `specs`.
pub async fn replace_grants(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    specs: &[GrantSpec],
    now: Timestamp,
    _permit: &Permit,
) -> Result<()> {
    sqlx::query("DELETE FROM grants WHERE org_id = $1 AND member_id = $2")
        .bind(org.0)
        .bind(member.0)
        .execute(&mut *conn)
        .await?;
    for spec in specs {
        sqlx::query(
            "INSERT INTO grants (org_id, member_id, role, team_id, valid_from, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(org.0)
        .bind(member.0)
        .bind(&spec.role)
        .bind(spec.team.map(|t| t.0))
        .bind(spec.valid_from.map(|t| t.0))
        .bind(spec.valid_until.map(|t| t.0))
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn set_manager(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    manager: Option<MemberId>,
    _permit: &Permit,
) -> Result<()> {
    sqlx::query("UPDATE members SET manager_id = $3 WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(member.0)
        .bind(manager.map(|m| m.0))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Archives a member: access ends, nothing of theirs is deleted.
pub async fn archive(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    now: Timestamp,
    _permit: &Permit,
) -> Result<()> {
    sqlx::query(
        "UPDATE members SET status = 'archived', archived_at = $3 WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Active members other than `except` who hold an owner grant that is live now and never ends.
pub async fn other_permanent_owners(
    conn: &mut Conn,
    org: OrgId,
    except: MemberId,
    now: Timestamp,
) -> Result<usize> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT g.member_id) FROM grants g JOIN members m ON m.id = g.member_id AND m.org_id = g.org_id \
         WHERE g.org_id = $1 AND g.member_id <> $2 AND g.role = 'owner' AND m.status = 'active' \
           AND (g.valid_from IS NULL OR g.valid_from <= $3) AND g.valid_until IS NULL",
    )
    .bind(org.0)
    .bind(except.0)
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await?;
    usize::try_from(n).map_err(|_| StoreError::Corrupt("negative owner count".into()))
}

/// Whether making `manager` the manager of `member` would close a loop in the reporting line.
pub async fn would_cycle(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    manager: MemberId,
) -> Result<bool> {
    if member == manager {
        return Ok(true);
    }
    let found: bool = sqlx::query_scalar(
        "WITH RECURSIVE chain(id, depth) AS ( \
            SELECT manager_id, 1 FROM members WHERE org_id = $1 AND id = $2 \
            UNION ALL \
            SELECT m.manager_id, c.depth + 1 FROM members m JOIN chain c ON m.id = c.id \
            WHERE m.org_id = $1 AND c.depth < 64 \
         ) SELECT EXISTS(SELECT 1 FROM chain WHERE id = $3)",
    )
    .bind(org.0)
    .bind(manager.0)
    .bind(member.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(found)
}

/// One person's memberships across companies, for `/me`.
#[derive(Clone, Debug, FromRow)]
pub struct Membership {
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub status: String,
}

pub async fn memberships(conn: &mut Conn, person: i64) -> Result<Vec<Membership>> {
    Ok(sqlx::query_as(
        "SELECT m.org_id, o.name AS org_name, m.id AS member_id, m.status FROM members m \
         JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1 ORDER BY m.org_id",
    )
    .bind(person)
    .fetch_all(&mut *conn)
    .await?)
}

/// Role keys of a member's grants that are active now.
pub async fn active_roles(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    now: Timestamp,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT DISTINCT g.role FROM grants g WHERE g.org_id = $1 AND g.member_id = $2 AND {ACTIVE_GRANT} ORDER BY g.role"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(org.0)
        .bind(member.0)
        .bind(now.0)
        .fetch_all(&mut *conn)
        .await?)
}
