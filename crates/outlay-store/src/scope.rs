//! The caller's scope as SQL. Parameters are numbered the same in every scoped query:
//! `$1` company, `$2` acting member, `$3` now (Unix seconds).
//!
//! Team scope is the actor's direct and indirect reports plus the members of every team for
//! which the actor holds an active team-bound grant: the same rule as `OrgChart::relation`.

use outlay_core::{MemberId, OrgId, Relation, Scope, Timestamp};

/// SQL condition: grant alias `g` is active at `$3`.
pub const ACTIVE_GRANT: &str =
    "(g.valid_from IS NULL OR g.valid_from <= $3) AND (g.valid_until IS NULL OR g.valid_until > $3)";

/// CTE defining `scope(id)`: the members in the actor's team scope.
pub fn team_scope_cte() -> String {
    format!(
        "WITH RECURSIVE reports(id, depth) AS ( \
            SELECT id, 1 FROM members WHERE org_id = $1 AND manager_id = $2 \
            UNION ALL \
            SELECT m.id, r.depth + 1 FROM members m JOIN reports r ON m.manager_id = r.id \
            WHERE m.org_id = $1 AND r.depth < 64 \
        ), scope(id) AS ( \
            SELECT id FROM reports \
            UNION \
            SELECT tm.member_id FROM team_members tm JOIN grants g ON g.team_id = tm.team_id \
            WHERE tm.org_id = $1 AND g.org_id = $1 AND g.member_id = $2 AND {ACTIVE_GRANT} \
        )"
    )
}

/// SQL condition restricting `column` (a member id) to what `scope` reaches.
pub fn visible(scope: Scope, column: &str) -> String {
    match scope {
        Scope::All => "1 = 1".to_string(),
        Scope::Team => format!("({column} = $2 OR {column} IN (SELECT id FROM scope))"),
        Scope::Own => format!("{column} = $2"),
    }
}

/// SQL expression naming how `column` relates to the actor: `own`, `team` or `other`.
pub fn relation_column(column: &str) -> String {
    format!(
        "CASE WHEN {column} = $2 THEN 'own' \
              WHEN {column} IN (SELECT id FROM scope) THEN 'team' \
              ELSE 'other' END"
    )
}

pub fn parse_relation(s: &str) -> Relation {
    match s {
        "own" => Relation::Own,
        "team" => Relation::Team,
        _ => Relation::Other,
    }
}

/// How `target` relates to `actor` now.
pub async fn relation(
    conn: &mut crate::Conn,
    org: OrgId,
    actor: MemberId,
    now: Timestamp,
    target: MemberId,
) -> crate::Result<Relation> {
    if actor == target {
        return Ok(Relation::Own);
    }
    let sql = format!(
        "WITH RECURSIVE chain(id, depth) AS ( \
            SELECT manager_id, 1 FROM members WHERE org_id = $1 AND id = $4 \
            UNION ALL \
            SELECT m.manager_id, c.depth + 1 FROM members m JOIN chain c ON m.id = c.id \
            WHERE m.org_id = $1 AND c.depth < 64 \
        ) \
        SELECT EXISTS(SELECT 1 FROM chain WHERE id = $2) \
            OR EXISTS(SELECT 1 FROM team_members tm JOIN grants g ON g.team_id = tm.team_id \
                      WHERE tm.org_id = $1 AND tm.member_id = $4 AND g.org_id = $1 \
                        AND g.member_id = $2 AND {ACTIVE_GRANT})"
    );
    let in_team: bool = sqlx::query_scalar(&sql)
        .bind(org.0)
        .bind(actor.0)
        .bind(now.0)
        .bind(target.0)
        .fetch_one(&mut *conn)
        .await?;
    Ok(if in_team {
        Relation::Team
    } else {
        Relation::Other
    })
}
