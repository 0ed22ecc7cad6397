//! What the checks at a report's submit read (its expenses with their categories' rules, and
//! the owner's expenses of the same days, which a duplicate would be among) and the flags
//! they found, kept on each expense (`expenses.flags`, migration 0024) by the submit's
//! write ([`crate::reports::submit`]). The rules are the core's ([`outlay_core::checks`]).

use crate::{Conn, Result, Write};
use outlay_core::checks::Flag;
use outlay_core::OrgId;
use sqlx::FromRow;

/// An expense's flags, as its last submit in a report found them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags(pub Vec<Flag>);

impl TryFrom<Option<String>> for Flags {
    type Error = serde_json::Error;

    /// Written only from typed flags: one that does not read back fails the row's read.
    fn try_from(s: Option<String>) -> std::result::Result<Flags, serde_json::Error> {
        match s {
            None => Ok(Flags::default()),
            Some(s) => serde_json::from_str(&s).map(Flags),
        }
    }
}

/// One expense of a report, with what the checks read.
#[derive(Clone, Debug, FromRow)]
pub struct Checked {
    pub id: i64,
    pub owner_id: i64,
    pub merchant: String,
    pub spent_on: String,
    pub amount_minor: i64,
    pub currency: String,
    /// In another currency: as converted when saved.
    pub base_amount_minor: Option<i64>,
    pub receipt: Option<String>,
    pub category: String,
    pub limit_minor: Option<i64>,
    pub receipt_above_minor: Option<i64>,
}

/// One expense of the owner's that another could duplicate.
#[derive(Clone, Debug, FromRow)]
pub struct SpentRow {
    pub id: i64,
    pub merchant: String,
    pub spent_on: String,
    pub amount_minor: i64,
    pub currency: String,
}

/// Report `id`'s expenses with their categories' rules, and every expense of its owner
/// spent on one of their days (theirs included): two statements.
pub async fn facts(conn: &mut Conn, org: OrgId, id: i64) -> Result<(Vec<Checked>, Vec<SpentRow>)> {
    let checked: Vec<Checked> = sqlx::query_as(
        "SELECT x.id, x.owner_id, x.merchant, x.spent_on, x.amount_minor, x.currency, x.base_amount_minor, \
         x.receipt, x.category, c.limit_minor, c.receipt_above_minor \
         FROM report_expenses re JOIN expenses x ON x.org_id = re.org_id AND x.id = re.expense_id \
         LEFT JOIN expense_categories xc ON xc.org_id = x.org_id AND xc.expense_id = x.id \
         LEFT JOIN categories c ON c.org_id = xc.org_id AND c.id = xc.category_id \
         WHERE re.org_id = $1 AND re.report_id = $2 ORDER BY x.id",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let spent = sqlx::query_as(
        "SELECT o.id, o.merchant, o.spent_on, o.amount_minor, o.currency FROM expenses o \
         WHERE o.org_id = $1 AND EXISTS (SELECT 1 FROM report_expenses re \
         JOIN expenses x ON x.org_id = re.org_id AND x.id = re.expense_id \
         WHERE re.org_id = $1 AND re.report_id = $2 AND x.owner_id = o.owner_id AND x.spent_on = o.spent_on) \
         ORDER BY o.id",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok((checked, spent))
}

/// Keeps the flags of each of report `report`'s expenses (none: an empty list); only in
/// that report's submit.
pub(crate) async fn record(
    w: &mut Write,
    org: OrgId,
    report: i64,
    flags: &[(i64, Vec<Flag>)],
) -> Result<()> {
    for (id, found) in flags {
        let json = serde_json::to_string(found)
            .map_err(|e| crate::StoreError::Corrupt(format!("flags of expense {id}: {e}")))?;
        sqlx::query(
            "UPDATE expenses SET flags = $3 WHERE org_id = $1 AND id = $2 AND id IN \
             (SELECT expense_id FROM report_expenses WHERE org_id = $1 AND report_id = $4)",
        )
        .bind(org.0)
        .bind(id)
        .bind(json)
        .bind(report)
        .execute(w.conn())
        .await?;
    }
    Ok(())
}
