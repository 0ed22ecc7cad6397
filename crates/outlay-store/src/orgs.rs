//! Companies.

use crate::{Conn, Result};
use outlay_core::{OrgId, Timestamp};

pub async fn create(conn: &mut Conn, name: &str, now: Timestamp) -> Result<OrgId> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO orgs (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now.0)
            .fetch_one(&mut *conn)
            .await?;
    Ok(OrgId(id))
}

pub async fn name(conn: &mut Conn, org: OrgId) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM orgs WHERE id = $1")
        .bind(org.0)
        .fetch_optional(&mut *conn)
        .await?)
}
