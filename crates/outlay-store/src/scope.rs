//! Reach as SQL. Parameters are numbered the same in every scoped query: `$1` company, `$2`
//! the member whose rights decide. A list is limited by the core's [`ListScope`] for the
//! action (the union of what each active grant reaches); every row carries its owner's place
//! in that member's reporting line and the owner's teams, so the core decides each row's
//! actions without another query.
//!
//! Everything here is an indexed lookup: the reporting-lines closure table answers "is X
//! below me, and how far" with one primary-key probe, and "who is below me" with one index
//! range, so no query walks the reporting tree. Lists choose their shape by the size of the
//! reach ([`reach_size`]): a small reach goes owner first through the owners' indexes, a
//! large one walks the company's index newest first and checks each row's owner (against
//! the reach built once, or with a probe per row when the reach is very large); a reach of
//! `all` has no scope condition at all. Member lists merge index ranges of each part of the
//! reach. The per-row columns ([`line_column`], [`teams_column`]) are computed for the rows
//! of the page only.

use crate::{Backend, Conn, Result};
use outlay_core::{Line, ListScope, MemberId, OrgId, Target, TeamId};

/// Up to this many members in a reach, lists go owner first: each owner's rows come from
/// their own index range and are merged; beyond it, the company's rows are walked newest
/// first and each owner is checked (about `limit × company / reach` rows). Owner first
/// costs a few microseconds per owner plus their rows (fewer with a status filter); the
/// walk a fraction of a microsecond per row passed. Measured at 100,000 members and
/// 5,000,000 expenses: SQLite reads index entries in process and stays cheaper owner first
/// up to about 500 owners; PostgreSQL pays more per owner and crosses over at about 200,
/// or about 500 when a status filter leaves each owner few rows.
pub fn owners_first_max(backend: Backend, status_filter: bool) -> i64 {
    match (backend, status_filter) {
        (Backend::Sqlite, _) => 500,
        (Backend::Postgres, false) => 200,
        (Backend::Postgres, true) => 500,
    }
}

/// From this many members in a reach on, the walk checks each row's owner with a probe
/// rather than building the reach first (PostgreSQL): building it costs about as much as
/// the probes of the rows a page walks past (fewer, the larger the reach) at around 9,000
/// members in a company of 100,000; counting that far costs about a millisecond.
pub const PROBE_FROM: i64 = 8_000;

/// The team ids of a scope as an SQL list. Team ids are integers from the store itself,
/// never from the request.
fn team_list(teams: &[TeamId]) -> String {
    teams
        .iter()
        .map(|t| t.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL condition: the member in `column` is reached by `scope`, checked by indexed probes
/// (the closure table's primary key, the team memberships of one member). The planner may
/// instead build the reach once and look each row up in it (PostgreSQL hashes it).
pub fn member_in(scope: &ListScope, column: &str) -> String {
    member_condition(scope, column, "")
}

/// [`member_in`], always one probe per row: for a walk that stops after a page, when the
/// reach is too large to build for each request. PostgreSQL would otherwise hash the whole
/// reach first (`OFFSET 0` keeps the subquery a per-row lookup); SQLite probes per row anyway.
pub fn member_in_per_row(backend: Backend, scope: &ListScope, column: &str) -> String {
    let fence = match backend {
        Backend::Postgres => " OFFSET 0",
        Backend::Sqlite => "",
    };
    member_condition(scope, column, fence)
}

fn member_condition(scope: &ListScope, column: &str, fence: &str) -> String {
    if scope.all {
        return "1 = 1".to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    if scope.own || scope.direct || scope.subtree {
        parts.push(format!("{column} = $2"));
    }
    if scope.subtree {
        parts.push(format!(
            "EXISTS (SELECT 1 FROM reporting_lines rl WHERE rl.org_id = $1 AND rl.ancestor_id = $2 \
             AND rl.member_id = {column}{fence})"
        ));
    } else if scope.direct {
        parts.push(format!(
            "EXISTS (SELECT 1 FROM reporting_lines rl WHERE rl.org_id = $1 AND rl.ancestor_id = $2 \
             AND rl.member_id = {column} AND rl.depth = 1{fence})"
        ));
    }
    if !scope.teams.is_empty() {
        parts.push(format!(
            "EXISTS (SELECT 1 FROM team_members tm WHERE tm.org_id = $1 AND tm.member_id = {column} \
             AND tm.team_id IN ({}){fence})",
            team_list(&scope.teams)
        ));
    }
    if parts.is_empty() {
        return "1 = 0".to_string();
    }
    format!("({})", parts.join(" OR "))
}

/// The parts of a reach (not `all`) as SELECTs of one column `id`, each an index range:
/// the viewer, their direct reports, everyone below them, the members of their teams.
/// `id_below` restricts each part to ids below a cursor (SQL placeholder), `limit` keeps the
/// newest of each part (SQL placeholder), for member lists.
fn reach_parts(scope: &ListScope, id_below: Option<&str>, limit: Option<&str>) -> Vec<String> {
    let mut parts = Vec::new();
    let bound = |col: &str| match id_below {
        Some(c) => format!(" AND {col} < {c}"),
        None => String::new(),
    };
    let newest = |col: &str| match limit {
        Some(n) => format!(" ORDER BY {col} DESC LIMIT {n}"),
        None => String::new(),
    };
    if scope.subtree {
        // Depth 0 is the viewer themself.
        parts.push(format!(
            "SELECT member_id AS id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2{}{}",
            bound("member_id"),
            newest("member_id")
        ));
    } else {
        if scope.own || scope.direct {
            parts.push(format!(
                "SELECT id FROM members WHERE org_id = $1 AND id = $2{}",
                bound("id")
            ));
        }
        if scope.direct {
            parts.push(format!(
                "SELECT id FROM members WHERE org_id = $1 AND manager_id = $2{}{}",
                bound("id"),
                newest("id")
            ));
        }
    }
    if !scope.teams.is_empty() {
        parts.push(format!(
            "SELECT {distinct}member_id AS id FROM team_members WHERE org_id = $1 AND team_id IN ({teams}){}{}",
            bound("member_id"),
            newest("member_id"),
            distinct = if scope.teams.len() > 1 { "DISTINCT " } else { "" },
            teams = team_list(&scope.teams),
        ));
    }
    parts
}

/// The members a reach (not `all`) holds, as one SELECT of a column `id` without
/// duplicates; `None` when it holds nobody.
pub fn reach_ids(scope: &ListScope) -> Option<String> {
    let parts = reach_parts(scope, None, None);
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(
            parts
                .iter()
                .enumerate()
                .map(|(i, p)| format!("SELECT id FROM ({p}) r{i}"))
                .collect::<Vec<_>>()
                .join(" UNION "),
        ),
    }
}

/// The newest members of a reach (not `all`) with ids below `id_below`, at most `limit` (SQL
/// placeholders), newest first: each part is an index range read backwards, then merged.
pub fn newest_members(scope: &ListScope, id_below: Option<&str>, limit: &str) -> Option<String> {
    let parts = reach_parts(scope, id_below, Some(limit));
    if parts.is_empty() {
        return None;
    }
    let union = parts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("SELECT id FROM ({p}) r{i}"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    Some(format!(
        "SELECT id FROM ({union}) u ORDER BY id DESC LIMIT {limit}"
    ))
}

/// How many members `scope` reaches (not `all`), counted up to `cap`: at most `cap` index
/// entries are read however large the reach. Overlaps count twice.
pub async fn reach_size(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    scope: &ListScope,
    cap: i64,
) -> Result<i64> {
    let parts = reach_parts(scope, None, None);
    if parts.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT {}",
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| format!("(SELECT COUNT(*) FROM ({p} LIMIT {cap}) c{i})"))
            .collect::<Vec<_>>()
            .join(" + ")
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(org.0)
        .bind(viewer.0)
        .fetch_one(&mut *conn)
        .await?)
}

/// SQL expression naming the place of the member in `column` in `$2`'s reporting line: one
/// primary-key probe of the closure table.
pub fn line_column(column: &str) -> String {
    line_column_of(column, "$2")
}

/// [`line_column`] in the reporting line of the member in `viewer` (an SQL placeholder).
pub fn line_column_of(column: &str, viewer: &str) -> String {
    format!(
        "CASE WHEN {column} = {viewer} THEN 'own' ELSE COALESCE(\
            (SELECT CASE WHEN rl.depth = 1 THEN 'direct' ELSE 'indirect' END FROM reporting_lines rl \
             WHERE rl.org_id = $1 AND rl.ancestor_id = {viewer} AND rl.member_id = {column}), 'other') END"
    )
}

/// SQL expression listing the teams of the member in `column`, comma-separated: one index
/// range of that member's memberships.
pub fn teams_column(backend: Backend, column: &str) -> String {
    let agg = match backend {
        Backend::Sqlite => "group_concat(tm.team_id)",
        Backend::Postgres => "string_agg(tm.team_id::text, ',')",
    };
    format!("(SELECT {agg} FROM team_members tm WHERE tm.org_id = $1 AND tm.member_id = {column})")
}

/// Parses [`teams_column`]'s text, in ascending order.
pub fn parse_teams(s: Option<&str>) -> Vec<TeamId> {
    let mut teams: Vec<TeamId> = s
        .unwrap_or("")
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .map(TeamId)
        .collect();
    teams.sort_unstable();
    teams
}

/// A target member as one principal sees them, owned (the core's [`Target`] borrows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetFacts {
    pub member: MemberId,
    pub line: Line,
    pub teams: Vec<TeamId>,
}

impl TargetFacts {
    pub fn target(&self) -> Target<'_> {
        Target {
            member: self.member,
            line: self.line,
            teams: &self.teams,
        }
    }
}

/// `target` as `principal` sees them now: their place in the principal's reporting line and
/// their teams.
pub async fn target(
    conn: &mut Conn,
    org: OrgId,
    principal: MemberId,
    target: MemberId,
) -> Result<TargetFacts> {
    let teams: Vec<i64> = sqlx::query_scalar(
        "SELECT team_id FROM team_members WHERE org_id = $1 AND member_id = $2 ORDER BY team_id",
    )
    .bind(org.0)
    .bind(target.0)
    .fetch_all(&mut *conn)
    .await?;
    let teams = teams.into_iter().map(TeamId).collect();
    if principal == target {
        return Ok(TargetFacts {
            member: target,
            line: Line::Own,
            teams,
        });
    }
    let depth: Option<i64> = sqlx::query_scalar(
        "SELECT depth FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2 AND member_id = $3",
    )
    .bind(org.0)
    .bind(principal.0)
    .bind(target.0)
    .fetch_optional(&mut *conn)
    .await?;
    let line = match depth {
        Some(1) => Line::Direct,
        Some(d) if d > 1 => Line::Indirect,
        _ => Line::Other,
    };
    Ok(TargetFacts {
        member: target,
        line,
        teams,
    })
}
