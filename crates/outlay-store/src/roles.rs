//! Custom roles of a company. Permissions are stored as their catalog keys.

use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, RoleDefinition, Subject};
use outlay_core::role::{Assignable, Role, TeamBinding};
use outlay_core::Action;
use outlay_core::{OrgId, PermSet, Permission, RoleBook};
use sqlx::FromRow;
use std::sync::Arc;

#[derive(FromRow)]
struct RoleRow {
    key: String,
    name: String,
    description: String,
    permissions: String,
    /// Read as an integer: the Any driver decodes no SQLite booleans.
    read_only: i64,
    assignable: String,
}

impl From<RoleRow> for Role {
    fn from(r: RoleRow) -> Role {
        let mut permissions = PermSet::EMPTY;
        // Keys no longer in the catalog grant nothing.
        for p in r
            .permissions
            .split_whitespace()
            .filter_map(Permission::parse)
        {
            permissions.insert(p);
        }
        Role {
            key: Arc::from(r.key.as_str()),
            name: r.name,
            description: r.description,
            permissions,
            read_only: r.read_only != 0,
            builtin: false,
            team_binding: TeamBinding::Optional,
            assignable: Assignable::Roles(r.assignable.split_whitespace().map(Arc::from).collect()),
            top: false,
            // Decided by the role book, from the preset's admin-grade permissions.
            top_controlled: false,
            single: false,
        }
    }
}

pub async fn custom(conn: &mut Conn, org: OrgId) -> Result<Vec<Role>> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT key, name, description, permissions, CAST(read_only AS INTEGER) AS read_only, assignable FROM roles WHERE org_id = $1 ORDER BY key",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Role::from).collect())
}

/// The company's preset roles plus its custom roles.
pub async fn book(conn: &mut Conn, org: OrgId) -> Result<RoleBook> {
    let preset = crate::orgs::get(conn, org)
        .await?
        .map_or_else(outlay_core::preset::outlay, |o| o.preset());
    Ok(RoleBook::new(preset, custom(conn, org).await?))
}

/// Defines the custom role `key` as the permit carries it: a permit for another role is
/// refused before any SQL runs.
pub async fn create(
    w: &mut Write,
    org: OrgId,
    key: &str,
    permit: Permit<RoleDefinition>,
) -> Result<()> {
    let defined = &*permit.payload().role().key;
    if defined != key {
        return Err(crate::StoreError::WrongPermit {
            permit: format!("defining role `{defined}`"),
            write: format!("defining role `{key}`"),
        });
    }
    let (_, definition) = w.take(permit, org, &[Action::RoleManage], Subject::Company)?;
    let role = definition.role();
    let now = w.now();
    let keys: Vec<String> = role.permissions.iter().map(|p| p.key()).collect();
    sqlx::query(
        "INSERT INTO roles (org_id, key, name, description, permissions, read_only, assignable, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $8, $7)",
    )
    .bind(org.0)
    .bind(&*role.key)
    .bind(&role.name)
    .bind(&role.description)
    .bind(keys.join(" "))
    .bind(role.read_only)
    .bind(now.0)
    .bind(role.assignable.keys().join(" "))
    .execute(w.conn())
    .await?;
    Ok(())
}
