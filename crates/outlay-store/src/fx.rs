//! Exchange rates (table `fx_rates`, migration 0015): finance sets them, one per currency and
//! date; an expense converts at the latest one on or before its spending date.

use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, Subject};
use outlay_core::{Action, OrgId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct RateRow {
    pub currency: String,
    pub rate_on: String,
    /// Units of the company currency per unit of `currency`, as a decimal's text.
    pub rate: String,
    pub set_by: i64,
    pub set_at: i64,
}

/// The rate of `currency` in force on `on` (YYYY-MM-DD): the latest set on or before it.
pub async fn rate_on(
    conn: &mut Conn,
    org: OrgId,
    currency: &str,
    on: &str,
) -> Result<Option<RateRow>> {
    Ok(sqlx::query_as(
        "SELECT currency, rate_on, rate, set_by, set_at FROM fx_rates \
         WHERE org_id = $1 AND currency = $2 AND rate_on <= $3 ORDER BY rate_on DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(currency)
    .bind(on)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The company's rates, newest date first, of one currency or all: at most `limit`.
pub async fn list(
    conn: &mut Conn,
    org: OrgId,
    currency: Option<&str>,
    limit: i64,
) -> Result<Vec<RateRow>> {
    Ok(sqlx::query_as(
        "SELECT currency, rate_on, rate, set_by, set_at FROM fx_rates \
         WHERE org_id = $1 AND ($2 IS NULL OR currency = $2) ORDER BY rate_on DESC, currency LIMIT $3",
    )
    .bind(org.0)
    .bind(currency)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Sets each (currency, date, rate), replacing a rate of the same currency and date, under a
/// `rate.manage` permit. How many were written.
pub async fn set(
    w: &mut Write,
    org: OrgId,
    rates: &[(String, String, String)],
    permit: Permit,
) -> Result<usize> {
    let by = w.consume(permit, org, &[Action::RateManage], Subject::Company)?;
    let now = w.now();
    for (currency, on, rate) in rates {
        sqlx::query(
            "INSERT INTO fx_rates (org_id, currency, rate_on, rate, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (org_id, currency, rate_on) DO UPDATE SET rate = excluded.rate, \
             set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(org.0)
        .bind(currency)
        .bind(on)
        .bind(rate)
        .bind(by.actor.0)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    }
    Ok(rates.len())
}
