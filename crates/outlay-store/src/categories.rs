//! Expense categories (table `categories`, migration 0023): the company's list, written
//! under `category.manage`, and each expense's link to its category (`expense_categories`),
//! written with the expense. An expense keeps its category's name in `expenses.category` too
//! (what lists show and approval rules match), so a rename renames it there in the same
//! transaction.

use crate::{Conn, Result, Write};
use outlay_core::category::{CategoryInput, DEFAULTS};
use outlay_core::permit::{Permit, Subject};
use outlay_core::{Action, OrgId, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub limit_minor: Option<i64>,
    pub receipt_above_minor: Option<i64>,
    pub archived_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CategoryRow {
    pub fn input(&self) -> CategoryInput {
        CategoryInput {
            name: self.name.clone(),
            limit_minor: self.limit_minor,
            receipt_above_minor: self.receipt_above_minor,
        }
    }
}

const COLUMNS: &str =
    "id, name, limit_minor, receipt_above_minor, archived_at, created_at, updated_at";

/// The company's categories, archived ones included, by name.
pub async fn list(conn: &mut Conn, org: OrgId) -> Result<Vec<CategoryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE org_id = $1 ORDER BY name, id");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn get(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<CategoryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE org_id = $1 AND id = $2");
    let q = sqlx::query_as(&sql).bind(org.0).bind(id);
    Ok(q.fetch_optional(&mut *conn).await?)
}

pub async fn by_name(conn: &mut Conn, org: OrgId, name: &str) -> Result<Option<CategoryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE org_id = $1 AND name = $2");
    let q = sqlx::query_as(&sql).bind(org.0).bind(name);
    Ok(q.fetch_optional(&mut *conn).await?)
}

/// A new company's default list; only while founding or seeding it, in that transaction.
pub(crate) async fn seed_defaults(conn: &mut Conn, org: OrgId, now: Timestamp) -> Result<()> {
    for name in DEFAULTS {
        sqlx::query(
            "INSERT INTO categories (org_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)",
        )
        .bind(org.0)
        .bind(name)
        .bind(now.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a category under a `category.manage` permit; its id. The name is free (the caller
/// looked): a race for the same name fails on the unique key.
pub async fn create(w: &mut Write, org: OrgId, c: &CategoryInput, permit: Permit) -> Result<i64> {
    w.consume(permit, org, &[Action::CategoryManage], Subject::Company)?;
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO categories (org_id, name, limit_minor, receipt_above_minor, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(&c.name)
    .bind(c.limit_minor)
    .bind(c.receipt_above_minor)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

/// Sets category `id`'s fields under a `category.manage` permit; its expenses take a new
/// name with it. `false` when the company has no such category.
pub async fn update(
    w: &mut Write,
    org: OrgId,
    id: i64,
    c: &CategoryInput,
    permit: Permit,
) -> Result<bool> {
    w.consume(permit, org, &[Action::CategoryManage], Subject::Company)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE categories SET name = $3, limit_minor = $4, receipt_above_minor = $5, updated_at = $6 \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id)
    .bind(&c.name)
    .bind(c.limit_minor)
    .bind(c.receipt_above_minor)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    sqlx::query(
        "UPDATE expenses SET category = $3 WHERE org_id = $1 AND category <> $3 AND id IN \
         (SELECT expense_id FROM expense_categories WHERE org_id = $1 AND category_id = $2)",
    )
    .bind(org.0)
    .bind(id)
    .bind(&c.name)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Archives category `id` under a `category.manage` permit: it takes no new expense.
/// `false` when the company has no such category, or it is archived already.
pub async fn archive(w: &mut Write, org: OrgId, id: i64, permit: Permit) -> Result<bool> {
    w.consume(permit, org, &[Action::CategoryManage], Subject::Company)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE categories SET archived_at = $3, updated_at = $3 \
         WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    )
    .bind(org.0)
    .bind(id)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Links expense `id` to the company's category of its name, `name` (none when the company
/// has no category of that name: seeded history). Only after a permitted write of that
/// expense in the same transaction (or while seeding).
pub(crate) async fn link(conn: &mut Conn, org: OrgId, id: i64, name: &str) -> Result<()> {
    sqlx::query("DELETE FROM expense_categories WHERE org_id = $1 AND expense_id = $2")
        .bind(org.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO expense_categories (org_id, expense_id, category_id) \
         SELECT $1, $2, id FROM categories WHERE org_id = $1 AND name = $3",
    )
    .bind(org.0)
    .bind(id)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
