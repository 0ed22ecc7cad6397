//! What finance sets for travel (migration 0019): daily allowances per destination (table
//! `per_diems`) and mileage rates per vehicle and unit (table `mileage_rates`). Each is a
//! company table set whole under a `rate.manage` permit: what a set leaves out is gone.

use crate::{Conn, Result, Write};
use outlay_core::permit::{Permit, Subject};
use outlay_core::{Action, OrgId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct PerDiemRow {
    /// A country code (uppercase) or a folded place name (`outlay_core::trip::key_of`).
    pub destination: String,
    pub daily_minor: i64,
    pub set_by: i64,
    pub set_at: i64,
}

/// The company's daily allowances, by destination.
pub async fn per_diems(conn: &mut Conn, org: OrgId) -> Result<Vec<PerDiemRow>> {
    Ok(sqlx::query_as(
        "SELECT destination, daily_minor, set_by, set_at FROM per_diems WHERE org_id = $1 ORDER BY destination",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?)
}

/// Replaces the company's daily allowances with `rows` (destination key, daily amount).
pub async fn set_per_diems(
    w: &mut Write,
    org: OrgId,
    rows: &[(String, i64)],
    permit: Permit,
) -> Result<usize> {
    let by = w.consume(permit, org, &[Action::RateManage], Subject::Company)?;
    let now = w.now();
    sqlx::query("DELETE FROM per_diems WHERE org_id = $1")
        .bind(org.0)
        .execute(w.conn())
        .await?;
    for (destination, daily) in rows {
        sqlx::query(
            "INSERT INTO per_diems (org_id, destination, daily_minor, set_by, set_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org.0)
        .bind(destination)
        .bind(daily)
        .bind(by.actor.0)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    }
    Ok(rows.len())
}

#[derive(Clone, Debug, FromRow)]
pub struct MileageRateRow {
    pub vehicle: String,
    pub unit: String,
    /// Units of the company currency per `unit`, as a decimal's text.
    pub rate: String,
    pub set_by: i64,
    pub set_at: i64,
}

/// The company's mileage rates, by vehicle and unit.
pub async fn mileage_rates(conn: &mut Conn, org: OrgId) -> Result<Vec<MileageRateRow>> {
    Ok(sqlx::query_as(
        "SELECT vehicle, unit, rate, set_by, set_at FROM mileage_rates WHERE org_id = $1 ORDER BY vehicle, unit",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?)
}

/// The rate of `vehicle` per `unit`, if set.
pub async fn mileage_rate(
    conn: &mut Conn,
    org: OrgId,
    vehicle: &str,
    unit: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT rate FROM mileage_rates WHERE org_id = $1 AND vehicle = $2 AND unit = $3",
    )
    .bind(org.0)
    .bind(vehicle)
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Replaces the company's mileage rates with `rows` (vehicle, unit, rate's text).
pub async fn set_mileage_rates(
    w: &mut Write,
    org: OrgId,
    rows: &[(String, &str, String)],
    permit: Permit,
) -> Result<usize> {
    let by = w.consume(permit, org, &[Action::RateManage], Subject::Company)?;
    let now = w.now();
    sqlx::query("DELETE FROM mileage_rates WHERE org_id = $1")
        .bind(org.0)
        .execute(w.conn())
        .await?;
    for (vehicle, unit, rate) in rows {
        sqlx::query(
            "INSERT INTO mileage_rates (org_id, vehicle, unit, rate, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org.0)
        .bind(vehicle)
        .bind(*unit)
        .bind(rate)
        .bind(by.actor.0)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    }
    Ok(rows.len())
}
