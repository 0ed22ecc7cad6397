//! Keeping the reporting lines (the closure table: every ancestor, member, depth) true when a
//! member moves with everyone below them. A move changes only the pairs (ancestor above the
//! member, member of the subtree); of those, the ancestors both lines share (the lowest
//! common manager and above) keep their rows and at most shift their depth, and each ancestor
//! the member leaves is renamed in place to one they gain at the same rank. Rows are deleted
//! or inserted only for what is left over. An update that keeps the row's keys fires no
//! foreign-key check, and a rename fires one instead of an insert's three: on PostgreSQL most
//! of a move's time was those checks (docs/benchmarks.md, "Moving a subtree").

use crate::{Backend, Conn, Result};
use outlay_core::{MemberId, OrgId};

/// One ancestor of the member and its depth above them (1 = their manager).
type Rung = (i64, i64);

/// What a move does to the pairs (ancestor above the member, member of the subtree), as
/// changes per ancestor. Every depth change is "add this to the row's depth": a subtree
/// member's depth below an ancestor is the ancestor's depth above the member plus theirs
/// below the member.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Shared ancestors whose depth above the member changes, with the change.
    pub shift: Vec<(i64, i64)>,
    /// An ancestor left (`from`) replaced by one gained (`to`), with the depth change.
    pub rename: Vec<(i64, i64, i64)>,
    /// Ancestors left with nothing to rename them to: their rows go.
    pub cut: Vec<i64>,
    /// Ancestors gained with nothing renamed to them, and their depth above the member.
    pub add: Vec<Rung>,
}

impl Plan {
    /// The changes taking the member's line from `old` to `new` (each an ancestor with its
    /// depth above the member, any order).
    pub fn between(old: &[Rung], new: &[Rung]) -> Plan {
        let depth_in = |line: &[Rung], a: i64| line.iter().find(|r| r.0 == a).map(|r| r.1);
        let mut plan = Plan::default();
        let mut left: Vec<Rung> = Vec::new();
        for &(a, d) in old {
            match depth_in(new, a) {
                Some(n) if n != d => plan.shift.push((a, n - d)),
                Some(_) => {}
                None => left.push((a, d)),
            }
        }
        let mut gained: Vec<Rung> = new
            .iter()
            .copied()
            .filter(|(a, _)| depth_in(old, *a).is_none())
            .collect();
        // Nearest first on both sides, so a sibling move renames the old manager to the new.
        left.sort_by_key(|r| r.1);
        gained.sort_by_key(|r| r.1);
        let pairs = left.len().min(gained.len());
        for (&(from, d), &(to, n)) in left.iter().zip(&gained) {
            plan.rename.push((from, to, n - d));
        }
        plan.cut = left[pairs..].iter().map(|r| r.0).collect();
        plan.add = gained[pairs..].to_vec();
        plan
    }
}

/// The member `$2`'s subtree (themself included) as a condition on `member_id`. PostgreSQL
/// gets the members as one array, probed in the primary key under the fixed ancestor; as a
/// join or an IN subquery its planner hashed a scan of the ancestor's whole subtree.
fn subtree(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            "member_id = ANY (ARRAY(SELECT member_id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2))"
        }
        Backend::Sqlite => {
            "member_id IN (SELECT member_id FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $2)"
        }
    }
}

/// The member's ancestors with their depth above `of`, plus `extra` (1 for a manager's line
/// as the member's new one: the manager is at depth 1, their manager 2...).
async fn line(conn: &mut Conn, org: OrgId, of: MemberId, extra: i64) -> Result<Vec<Rung>> {
    Ok(sqlx::query_as(
        "SELECT ancestor_id, depth + $3 FROM reporting_lines \
         WHERE org_id = $1 AND member_id = $2 AND depth + $3 > 0",
    )
    .bind(org.0)
    .bind(of.0)
    .bind(extra)
    .fetch_all(&mut *conn)
    .await?)
}

/// Moves `member` (and everyone below them) under `manager` (or to the top): the member row
/// and the reporting lines change together, in the caller's transaction. The caller has
/// made sure the manager is not in the member's subtree.
pub(crate) async fn move_under(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    manager: Option<MemberId>,
) -> Result<()> {
    sqlx::query("UPDATE members SET manager_id = $3 WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(member.0)
        .bind(manager.map(|m| m.0))
        .execute(&mut *conn)
        .await?;
    let old = line(conn, org, member, 0).await?;
    let new = match manager {
        Some(m) => line(conn, org, m, 1).await?,
        None => Vec::new(),
    };
    let plan = Plan::between(&old, &new);
    let within = subtree(conn.backend());
    for (ancestor, by) in plan.shift {
        let sql = format!(
            "UPDATE reporting_lines SET depth = depth + $4 \
             WHERE org_id = $1 AND ancestor_id = $3 AND {within}"
        );
        run(conn, &sql, org, member, &[ancestor, by]).await?;
    }
    for (from, to, by) in plan.rename {
        let sql = format!(
            "UPDATE reporting_lines SET ancestor_id = $4, depth = depth + $5 \
             WHERE org_id = $1 AND ancestor_id = $3 AND {within}"
        );
        run(conn, &sql, org, member, &[from, to, by]).await?;
    }
    for ancestor in plan.cut {
        let sql = format!(
            "DELETE FROM reporting_lines WHERE org_id = $1 AND ancestor_id = $3 AND {within}"
        );
        run(conn, &sql, org, member, &[ancestor]).await?;
    }
    for (ancestor, depth) in plan.add {
        let sql = "INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth) \
                   SELECT org_id, $3, member_id, depth + $4 FROM reporting_lines \
                   WHERE org_id = $1 AND ancestor_id = $2";
        run(conn, sql, org, member, &[ancestor, depth]).await?;
    }
    Ok(())
}

/// Runs one statement of a move: `$1` the company, `$2` the member, then `rest`.
async fn run(conn: &mut Conn, sql: &str, org: OrgId, member: MemberId, rest: &[i64]) -> Result<()> {
    let mut q = sqlx::query(sql).bind(org.0).bind(member.0);
    for v in rest {
        q = q.bind(*v);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Plan;

    #[test]
    fn a_sibling_move_renames_the_manager_and_keeps_the_shared_top() {
        // 10 -> 20 -> member; 10 -> 30. The member moves under 30.
        let plan = Plan::between(&[(20, 1), (10, 2)], &[(30, 1), (10, 2)]);
        assert_eq!(
            plan,
            Plan {
                rename: vec![(20, 30, 0)],
                ..Plan::default()
            }
        );
    }

    #[test]
    fn moving_up_shifts_the_shared_line_and_cuts_what_is_left() {
        // 10 -> 20 -> 40 -> member; the member moves under 10.
        let plan = Plan::between(&[(40, 1), (20, 2), (10, 3)], &[(10, 1)]);
        assert_eq!(plan.shift, vec![(10, -2)]);
        assert!(plan.rename.is_empty());
        assert_eq!(plan.cut, vec![40, 20]);
        assert!(plan.add.is_empty());
    }

    #[test]
    fn moving_down_renames_nearest_first_and_adds_the_rest() {
        // The member under 10 moves under 50, which is under 60, under 10.
        let plan = Plan::between(&[(10, 1)], &[(50, 1), (60, 2), (10, 3)]);
        assert_eq!(plan.shift, vec![(10, 2)]);
        assert!(plan.rename.is_empty());
        assert_eq!(plan.add, vec![(50, 1), (60, 2)]);
    }

    #[test]
    fn leaving_for_another_line_renames_rank_by_rank() {
        // 1 -> 2 -> member becomes 7 -> 8 -> 9 -> member (no shared ancestor).
        let plan = Plan::between(&[(2, 1), (1, 2)], &[(9, 1), (8, 2), (7, 3)]);
        assert_eq!(plan.rename, vec![(2, 9, 0), (1, 8, 0)]);
        assert!(plan.cut.is_empty());
        assert_eq!(plan.add, vec![(7, 3)]);
        assert!(Plan::between(&[(2, 1)], &[]).cut == vec![2]);
    }
}
