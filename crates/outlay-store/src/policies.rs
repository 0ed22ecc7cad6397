//! Approval policies, versioned (table `approval_policies`, migration 0014): each save is a
//! new version, the newest is in force, and a company that never saved one follows its
//! preset's default (version 0, [`outlay_core::policy::preset_default`]).

use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, Subject};
use outlay_core::policy::Policy;
use outlay_core::{Action, OrgId};

/// A saved version of a company's policy.
#[derive(Clone, Debug)]
pub struct Saved {
    pub version: i64,
    pub policy: Policy,
    pub created_by: i64,
    pub created_at: i64,
}

/// The version in force, if the company saved one.
pub async fn current(conn: &mut Conn, org: OrgId) -> Result<Option<Saved>> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT version, rules, created_by, created_at FROM approval_policies \
         WHERE org_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((version, rules, created_by, created_at)) = row else {
        return Ok(None);
    };
    // Written by `save` from a checked policy: a row that does not read back is corrupt.
    let policy = serde_json::from_str(&rules).map_err(|e| {
        crate::StoreError::Corrupt(format!("approval policy version {version}: {e}"))
    })?;
    Ok(Some(Saved {
        version,
        policy,
        created_by,
        created_at,
    }))
}

/// Saves `policy` as the company's next version under a `policy.manage` permit; the new
/// version's number.
pub async fn save(w: &mut Write, org: OrgId, policy: &Policy, permit: Permit) -> Result<i64> {
    let by = w.consume(permit, org, &[Action::PolicyManage], Subject::Company)?;
    let rules = serde_json::to_string(policy)
        .map_err(|e| crate::StoreError::Corrupt(format!("approval policy: {e}")))?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO approval_policies (org_id, version, rules, created_by, created_at) \
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM approval_policies WHERE org_id = $1 \
         RETURNING version",
    )
    .bind(org.0)
    .bind(rules)
    .bind(by.actor.0)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}
