//! Reach as SQL. Parameters are numbered the same in every scoped query: `$1` company, `$2`
//! the member whose rights decide. A list is limited by the core's [`ListScope`] for the
//! action (the union of what each active grant reaches); every row carries its owner's place
//! in that member's reporting line and the owner's teams, so the core decides each row's
//! actions without another query.

use crate::{Conn, Result};
use outlay_core::{Line, ListScope, MemberId, OrgId, Target, TeamId};

/// CTE defining `reports(id)`: everyone below `$2` in the reporting line, read from the
/// reporting-lines table (an index range, not a recursive walk).
pub const REPORTS_CTE: &str = "WITH reports(id) AS ( \
        SELECT member_id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2 AND depth > 0 \
    )";

/// SQL condition restricting `column` (a member id, whose manager is `manager_column`) to
/// what `scope` reaches.
pub fn visible(scope: &ListScope, column: &str, manager_column: &str) -> String {
    if scope.all {
        return "1 = 1".to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    if scope.own || scope.direct || scope.subtree {
        parts.push(format!("{column} = $2"));
    }
    if scope.direct {
        parts.push(format!("{manager_column} = $2"));
    }
    if scope.subtree {
        parts.push(format!("{column} IN (SELECT id FROM reports)"));
    }
    if !scope.teams.is_empty() {
        // Team ids are integers from the store itself, never from the request.
        let ids: Vec<String> = scope.teams.iter().map(|t| t.0.to_string()).collect();
        parts.push(format!(
            "{column} IN (SELECT member_id FROM team_members WHERE org_id = $1 AND team_id IN ({}))",
            ids.join(", ")
        ));
    }
    if parts.is_empty() {
        return "1 = 0".to_string();
    }
    format!("({})", parts.join(" OR "))
}

/// SQL expression naming `column`'s place in `$2`'s reporting line.
pub fn line_column(column: &str, manager_column: &str) -> String {
    format!(
        "CASE WHEN {column} = $2 THEN 'own' \
              WHEN {manager_column} = $2 THEN 'direct' \
              WHEN {column} IN (SELECT id FROM reports) THEN 'indirect' \
              ELSE 'other' END"
    )
}

/// SQL expression listing `column`'s teams, comma-separated.
pub fn teams_column(backend: crate::Backend, column: &str) -> String {
    let agg = match backend {
        crate::Backend::Sqlite => "group_concat(tm.team_id)",
        crate::Backend::Postgres => "string_agg(tm.team_id::text, ',')",
    };
    format!("(SELECT {agg} FROM team_members tm WHERE tm.org_id = $1 AND tm.member_id = {column})")
}

/// Parses [`teams_column`]'s text.
pub fn parse_teams(s: Option<&str>) -> Vec<TeamId> {
    s.unwrap_or("")
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .map(TeamId)
        .collect()
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
