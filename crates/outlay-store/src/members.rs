//! Members, their grants and reporting lines, and principals loaded for decisions. A
//! principal is only ever built here, from stored grants: nothing outside the store can
//! make one up (the constructors from given grants are this crate's own).

use crate::scope;
use crate::{Conn, Result, StoreError, Write};
use outlay_core::invariants::ManagerMove;
use outlay_core::permit::{GrantSet, Invitee, ManagerChange, Permit, Subject};
use outlay_core::{
    Action, Grant, GrantId, GrantOptions, GrantSpec, ListScope, MemberId, MemberKind, OrgId,
    Principal, RoleBook, TeamId, Timestamp,
};

/// SQL condition: grant alias `g` is active at `$3`.
pub(crate) const ACTIVE_GRANT: &str =
    "(g.valid_from IS NULL OR g.valid_from <= $3) AND (g.valid_until IS NULL OR g.valid_until > $3)";
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
    pub kind: String,
    /// `kind` as the code knows it: a row with any other value is not read (`CorruptRow`).
    #[sqlx(rename = "kind")]
    known_kind: crate::stored::Known<MemberKind>,
    pub external_id: Option<String>,
    /// This member's place in the lister's reporting line: `own`, `direct`, `indirect`, `other`.
    #[sqlx(default)]
    pub line: Option<String>,
    /// This member's teams, comma-separated (lists only).
    #[sqlx(default)]
    pub teams: Option<String>,
}

impl MemberRow {
    pub fn member_id(&self) -> MemberId {
        MemberId(self.id)
    }

    pub fn is_archived(&self) -> bool {
        self.status == "archived"
    }

    pub fn kind(&self) -> MemberKind {
        self.known_kind.0
    }

    /// As the lister sees them (lists carry `line` and `teams`).
    pub fn target_facts(&self) -> scope::TargetFacts {
        scope::TargetFacts {
            member: self.member_id(),
            line: outlay_core::Line::parse(self.line.as_deref().unwrap_or("other")),
            teams: scope::parse_teams(self.teams.as_deref()),
        }
    }
}

const COLUMNS: &str = "m.id, m.org_id, m.person_id, m.name, p.email, m.status, m.manager_id, m.created_at, m.archived_at, m.kind, m.external_id";

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

/// Members the actor may see (`visible` from the core), newest first, each with their place
/// in the actor's reporting line and their teams. Every part of the reach is an index range
/// read backwards for at most a page, so a page costs the same however large the reach.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    actor: MemberId,
    visible: &ListScope,
    cursor: Option<i64>,
    limit: i64,
) -> Result<Vec<MemberRow>> {
    let (cursor_param, limit_param) = match cursor {
        Some(_) => (Some("$3"), "$4"),
        None => (None, "$3"),
    };
    let page = if visible.all {
        format!(
            "SELECT m.id FROM members m WHERE m.org_id = $1{} ORDER BY m.id DESC LIMIT {limit_param}",
            cursor_param.map(|c| format!(" AND m.id < {c}")).unwrap_or_default()
        )
    } else {
        match scope::newest_members(visible, cursor_param, limit_param) {
            Some(page) => page,
            None => return Ok(Vec::new()),
        }
    };
    let sql = format!(
        "SELECT {COLUMNS}, {line} AS line, {teams} AS teams \
         FROM ({page}) pick CROSS JOIN members m JOIN persons p ON p.id = m.person_id \
         WHERE m.id = pick.id AND m.org_id = $1 ORDER BY m.id DESC",
        line = scope::line_column("m.id"),
        teams = scope::teams_column(crate::Backend::of(conn), "m.id"),
    );
    let mut q = sqlx::query_as(&sql).bind(org.0).bind(actor.0);
    if let Some(c) = cursor {
        q = q.bind(c);
    }
    Ok(q.bind(limit).fetch_all(&mut *conn).await?)
}

/// A membership about to be created.
pub struct NewMember<'a> {
    pub person: i64,
    pub name: &'a str,
    pub status: MemberStatus,
    pub manager: Option<MemberId>,
    pub kind: MemberKind,
}

/// Who is invited and how they accept: the person, the member's name and external id, and
/// the invitation's token hash and expiry. Their kind, manager, team and grants are the
/// permit's.
pub struct Invite<'a> {
    pub person: i64,
    pub name: &'a str,
    pub external_id: Option<&'a str>,
    pub token_hash: &'a str,
    pub expires_at: Timestamp,
}

/// Invites the newcomer the permit describes (kind, manager, team, grants): the member row
/// (status `invited`) and the invitation that lets them accept.
pub async fn invite(
    w: &mut Write,
    org: OrgId,
    invite: &Invite<'_>,
    permit: Permit<Invitee>,
) -> Result<MemberId> {
    let (_, invitee) = w.take(permit, org, &[Action::MemberInvite], Subject::Newcomer)?;
    let now = w.now();
    let member = NewMember {
        person: invite.person,
        name: invite.name,
        status: MemberStatus::Invited,
        manager: invitee.manager(),
        kind: invitee.kind(),
    };
    let id = create(w.conn(), org, &member, now).await?;
    if let Some(team) = invitee.team() {
        crate::teams::insert_member(w.conn(), org, team, id).await?;
    }
    if let Some(external_id) = invite.external_id {
        sqlx::query("UPDATE members SET external_id = $3 WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id.0)
            .bind(external_id)
            .execute(w.conn())
            .await?;
    }
    for spec in invitee.grants() {
        insert_grant(w.conn(), org, id, spec, now).await?;
    }
    crate::auth::create_invitation(w, org, id, invite.token_hash, now, invite.expires_at).await?;
    Ok(id)
}

pub(crate) async fn create(
    conn: &mut Conn,
    org: OrgId,
    m: &NewMember<'_>,
    now: Timestamp,
) -> Result<MemberId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO members (org_id, person_id, name, status, manager_id, kind, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(m.person)
    .bind(m.name)
    .bind(m.status.as_str())
    .bind(m.manager.map(|m| m.0))
    .bind(m.kind.as_str())
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await?;
    let id = MemberId(id);
    // The newcomer's own line: themself, and everyone above their manager.
    sqlx::query(
        "INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth) \
         SELECT org_id, ancestor_id, $2, depth + 1 FROM reporting_lines \
         WHERE org_id = $1 AND member_id = $3 \
         UNION ALL SELECT $1, $2, $2, 0",
    )
    .bind(org.0)
    .bind(id.0)
    .bind(m.manager.map_or(-1, |m| m.0))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(FromRow)]
struct GrantRow {
    id: i64,
    role: String,
    team_id: Option<i64>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    max_amount_minor: Option<i64>,
    /// Read as an integer: the Any driver decodes no SQLite booleans.
    self_issue: Option<i64>,
    groups_off: crate::stored::Known<crate::stored::GroupsOff>,
}

const GRANT_COLUMNS: &str =
    "id, role, team_id, valid_from, valid_until, max_amount_minor, CAST(self_issue AS INTEGER) AS self_issue, groups_off";

impl From<GrantRow> for Grant {
    fn from(r: GrantRow) -> Grant {
        let mut options = GrantOptions::default().from_off_bits(r.groups_off.0 .0);
        options.max_amount_minor = r.max_amount_minor;
        options.self_issue = r.self_issue.map(|v| v != 0);
        Grant {
            id: GrantId(r.id),
            spec: GrantSpec {
                role: r.role,
                team: r.team_id.map(TeamId),
                valid_from: r.valid_from.map(Timestamp),
                valid_until: r.valid_until.map(Timestamp),
                options,
            },
        }
    }
}

pub async fn grants(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<Vec<Grant>> {
    let sql = format!(
        "SELECT {GRANT_COLUMNS} FROM grants WHERE org_id = $1 AND member_id = $2 ORDER BY id"
    );
    let rows: Vec<GrantRow> = sqlx::query_as(&sql)
        .bind(org.0)
        .bind(member.0)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(Grant::from).collect())
}

/// Grants of the members `ids`: one query for a page of members.
pub async fn grants_of(conn: &mut Conn, org: OrgId, ids: &[i64]) -> Result<Vec<(i64, Grant)>> {
    #[derive(FromRow)]
    struct Row {
        member_id: i64,
        #[sqlx(flatten)]
        grant: GrantRow,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Member ids are integers from the store itself.
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT member_id, {GRANT_COLUMNS} FROM grants \
         WHERE org_id = $1 AND member_id IN ({list}) ORDER BY id"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(org.0)
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

/// The member as the rules see them, with the company's role book the caller holds (loaded
/// by this crate too: [`crate::roles::book`]).
pub async fn principal_in(
    conn: &mut Conn,
    org: OrgId,
    member: &MemberRow,
    book: &RoleBook,
) -> Result<Principal> {
    let grants = grants(conn, org, member.member_id()).await?;
    Ok(resolve(member, grants, book))
}

/// The members of a page as the rules see them, in the page's order: one query for their
/// grants.
pub async fn principals_of(
    conn: &mut Conn,
    org: OrgId,
    rows: &[MemberRow],
    book: &RoleBook,
) -> Result<Vec<Principal>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_member: std::collections::HashMap<i64, Vec<Grant>> = Default::default();
    for (member, g) in grants_of(conn, org, &ids).await? {
        by_member.entry(member).or_default().push(g);
    }
    Ok(rows
        .iter()
        .map(|row| resolve(row, by_member.remove(&row.id).unwrap_or_default(), book))
        .collect())
}

pub(crate) fn resolve(member: &MemberRow, grants: Vec<Grant>, book: &RoleBook) -> Principal {
    Principal::load(
        OrgId(member.org_id),
        member.member_id(),
        member.is_archived(),
        member.kind(),
        grants,
        book,
    )
}

/// Takes a grant-set permit for `member`: the grants it was decided over must be the
/// member's stored grants still, or the change was decided on what is no longer there.
async fn take_grants(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    permit: Permit<GrantSet>,
) -> Result<GrantSet> {
    let (_, set) = w.take(permit, org, &[Action::RoleAssign], Subject::Member(member))?;
    let stored: Vec<GrantSpec> = grants(w, org, member)
        .await?
        .into_iter()
        .map(|g| g.spec)
        .collect();
    let before = set.before();
    let same = stored.len() == before.len()
        && stored.iter().all(|s| before.contains(s))
        && before.iter().all(|s| stored.contains(s));
    if !same {
        return Err(StoreError::Stale);
    }
    Ok(set)
}

/// Replaces all of a member's grants with the ones the permit carries.
pub async fn replace_grants(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    permit: Permit<GrantSet>,
) -> Result<()> {
    let set = take_grants(w, org, member, permit).await?;
    let now = w.now();
    sqlx::query("DELETE FROM grants WHERE org_id = $1 AND member_id = $2")
        .bind(org.0)
        .bind(member.0)
        .execute(w.conn())
        .await?;
    for spec in set.after() {
        insert_grant(w.conn(), org, member, spec, now).await?;
    }
    Ok(())
}

/// Adds the grants the permit carries beyond the member's, keeping their others: a permit
/// that takes a grant away is for [`replace_grants`].
pub async fn add_grant(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    permit: Permit<GrantSet>,
) -> Result<()> {
    let set = permit.payload();
    if let Some(gone) = set.before().iter().find(|s| !set.after().contains(s)) {
        return Err(StoreError::WrongPermit {
            permit: format!(
                "a change of member {}'s grants that removes `{}`",
                set.member().0,
                gone.role
            ),
            write: format!("adding grants to member {}", member.0),
        });
    }
    let set = take_grants(w, org, member, permit).await?;
    let now = w.now();
    for spec in set.added() {
        insert_grant(w.conn(), org, member, spec, now).await?;
    }
    Ok(())
}

/// Inserts a grant: for a consumed permit, or seeding.
pub(crate) async fn insert_grant(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    spec: &GrantSpec,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO grants (org_id, member_id, role, team_id, valid_from, valid_until, max_amount_minor, self_issue, groups_off, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(&spec.role)
    .bind(spec.team.map(|t| t.0))
    .bind(spec.valid_from.map(|t| t.0))
    .bind(spec.valid_until.map(|t| t.0))
    .bind(spec.options.max_amount_minor)
    .bind(spec.options.self_issue)
    .bind(i64::from(spec.options.off_bits()))
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A member's profile fields; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct ProfilePatch {
    pub name: Option<String>,
    pub kind: Option<MemberKind>,
    /// `Some(None)` clears it.
    pub external_id: Option<Option<String>>,
}

pub async fn update_profile(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    patch: &ProfilePatch,
    permit: Permit,
) -> Result<()> {
    w.consume(
        permit,
        org,
        &[Action::MemberManage],
        Subject::Member(member),
    )?;
    sqlx::query(
        "UPDATE members SET name = COALESCE($3, name), kind = COALESCE($4, kind), \
         external_id = CASE WHEN $5 THEN $6 ELSE external_id END WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(patch.name.as_deref())
    .bind(patch.kind.map(MemberKind::as_str))
    .bind(patch.external_id.is_some())
    .bind(patch.external_id.clone().flatten())
    .execute(w.conn())
    .await?;
    Ok(())
}

/// Gives `member` the manager the permit names. The core refused a reporting cycle before
/// the permit existed; should the line have changed since, the write is refused as stale.
pub async fn set_manager(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    permit: Permit<ManagerChange>,
) -> Result<()> {
    let (_, change) = w.take(
        permit,
        org,
        &[Action::MemberManage],
        Subject::Member(member),
    )?;
    if manager_move(w, org, member, change.manager())
        .await?
        .manager_in_subtree
    {
        return Err(StoreError::Stale);
    }
    crate::reporting_lines::move_under(w.conn(), org, member, change.manager()).await
}

/// What the reporting line says about giving `member` the manager `manager`: whether the
/// manager is the member or below them (the move would close a loop).
pub async fn manager_move(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    manager: Option<MemberId>,
) -> Result<ManagerMove> {
    let manager_in_subtree = match manager {
        Some(m) => would_cycle(conn, org, member, m).await?,
        None => false,
    };
    Ok(ManagerMove {
        member,
        manager,
        manager_in_subtree,
    })
}

/// Archives a member: access ends, nothing of theirs is deleted.
pub async fn archive(w: &mut Write, org: OrgId, member: MemberId, permit: Permit) -> Result<()> {
    w.consume(
        permit,
        org,
        &[Action::MemberArchive],
        Subject::Member(member),
    )?;
    let now = w.now();
    sqlx::query(
        "UPDATE members SET status = 'archived', archived_at = $3 WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(())
}

/// Unarchives a member: they come back as they were before, active, or invited when they
/// never accepted their invitation. Stale when someone unarchived them meanwhile.
pub async fn unarchive(w: &mut Write, org: OrgId, member: MemberId, permit: Permit) -> Result<()> {
    w.consume(
        permit,
        org,
        &[Action::MemberArchive],
        Subject::Member(member),
    )?;
    let done = sqlx::query(
        "UPDATE members SET archived_at = NULL, status = CASE WHEN EXISTS (SELECT 1 FROM \
         invitations i WHERE i.org_id = members.org_id AND i.member_id = members.id \
         AND i.accepted_at IS NULL) THEN 'invited' ELSE 'active' END \
         WHERE org_id = $1 AND id = $2 AND status = 'archived'",
    )
    .bind(org.0)
    .bind(member.0)
    .execute(w.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::Stale);
    }
    Ok(())
}

/// Active members other than `except` who hold a grant of the top role `top` that is live
/// now and never ends.
pub async fn other_permanent_tops(
    conn: &mut Conn,
    org: OrgId,
    except: MemberId,
    top: &str,
    now: Timestamp,
) -> Result<usize> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT g.member_id) FROM grants g JOIN members m ON m.id = g.member_id AND m.org_id = g.org_id \
         WHERE g.org_id = $1 AND g.member_id <> $2 AND g.role = $4 AND m.status = 'active' \
           AND (g.valid_from IS NULL OR g.valid_from <= $3) AND g.valid_until IS NULL",
    )
    .bind(org.0)
    .bind(except.0)
    .bind(now.0)
    .bind(top)
    .fetch_one(&mut *conn)
    .await?;
    usize::try_from(n).map_err(|_| StoreError::Corrupt("negative owner count".into()))
}

/// Whether making `manager` the manager of `member` would close a loop in the reporting line.
pub(crate) async fn would_cycle(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    manager: MemberId,
) -> Result<bool> {
    if member == manager {
        return Ok(true);
    }
    // A loop closes when the new manager is below the member already.
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2 AND member_id = $3",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(manager.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(found > 0)
}

/// One person's memberships across companies, for `/me`.
#[derive(Clone, Debug, FromRow)]
pub struct Membership {
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub status: String,
    pub preset: String,
    pub kind: String,
    pub closed_at: Option<i64>,
}

pub async fn memberships(conn: &mut Conn, person: i64) -> Result<Vec<Membership>> {
    Ok(sqlx::query_as(
        "SELECT m.org_id, o.name AS org_name, m.id AS member_id, m.status, o.preset, m.kind, o.closed_at FROM members m \
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

/// The member as they would be with these stored grants instead of theirs: for previews.
pub(crate) fn principal_with(
    member: &MemberRow,
    specs: &[GrantSpec],
    book: &RoleBook,
) -> Principal {
    let grants = specs
        .iter()
        .map(|spec| Grant {
            id: GrantId(0),
            spec: spec.clone(),
        })
        .collect();
    resolve(member, grants, book)
}

/// The reach for `action` the member would have at `now` with these grants instead of
/// theirs: for previews, which never hold a principal made of grants not stored.
pub fn reach_with(
    member: &MemberRow,
    specs: &[GrantSpec],
    book: &RoleBook,
    now: Timestamp,
    action: Action,
) -> Option<ListScope> {
    principal_with(member, specs, book).list_scope(now, action)
}

/// Members (other than `member`) whose data `after` reaches and `before` does not, and the
/// reverse, at most `limit` of each, as (id, name).
pub async fn reach_change(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    before: Option<&ListScope>,
    after: Option<&ListScope>,
    limit: i64,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let none = ListScope::default();
    let (before, after) = (before.unwrap_or(&none), after.unwrap_or(&none));
    if before == after {
        return Ok((Vec::new(), Vec::new()));
    }
    let side = |inside: &ListScope, outside: &ListScope| {
        format!(
            "SELECT m.id, m.name FROM members m WHERE m.org_id = $1 AND m.id <> $2 \
             AND {a} AND NOT {b} ORDER BY m.id LIMIT $3",
            a = scope::member_in(inside, "m.id"),
            b = scope::member_in(outside, "m.id"),
        )
    };
    let mut out = Vec::with_capacity(2);
    for sql in [side(after, before), side(before, after)] {
        let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
            .bind(org.0)
            .bind(member.0)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        out.push(rows);
    }
    let lost = out.pop().unwrap_or_default();
    let gained = out.pop().unwrap_or_default();
    Ok((gained, lost))
}

/// Members other than `except`, not archived, holding any grant of role `top`.
pub async fn other_tops(conn: &mut Conn, org: OrgId, except: MemberId, top: &str) -> Result<usize> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT g.member_id) FROM grants g JOIN members m ON m.id = g.member_id AND m.org_id = g.org_id \
         WHERE g.org_id = $1 AND g.member_id <> $2 AND g.role = $3 AND m.status <> 'archived'",
    )
    .bind(org.0)
    .bind(except.0)
    .bind(top)
    .fetch_one(&mut *conn)
    .await?;
    usize::try_from(n).map_err(|_| StoreError::Corrupt("negative count".into()))
}
