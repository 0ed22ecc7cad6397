//! Reimbursements by SEPA credit transfer: the files (tables `sepa_batches` and
//! `sepa_batch_reports`, migration 0016). A file is written only together with the `pay`
//! steps of its reports, one permit each, in one transaction; the reports are paid with the
//! file's message id as reference. The file's text is kept as it was answered, to be
//! fetched again byte for byte.

use crate::scope::{self, TargetFacts};
use crate::{Backend, Conn, Result, StoreError, Write};
use outlay_core::permit::{Permit, Transition};
use outlay_core::report::{ReportStatus, ReportStep};
use outlay_core::{Line, MemberId, OrgId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub message_id: String,
    pub execution_date: String,
    pub report_count: i64,
    pub control_sum_minor: i64,
    /// The pain.001.001.09 file, as answered when it was made.
    pub xml: String,
}

/// A file about to be written: what is known before its id is.
pub struct NewBatch<'a> {
    pub execution_date: &'a str,
    pub control_sum_minor: i64,
}

/// What a file is once its id is known: its message id and its text.
pub struct Written {
    pub message_id: String,
    pub xml: String,
}

/// Writes a file paying the reports of `pays` (the permits of their `pay` steps, in the
/// file's order), its message id and text made by `write` from its id, and pays each report
/// with that message id as reference. A permit for another step or company is refused
/// before any SQL runs; `write`'s error leaves the transaction for the caller to roll back.
pub async fn record<E>(
    w: &mut Write,
    org: OrgId,
    batch: &NewBatch<'_>,
    pays: Vec<Permit<Transition<ReportStatus>>>,
    write: impl FnOnce(i64) -> std::result::Result<Written, E>,
) -> Result<std::result::Result<BatchRow, E>> {
    let Some(first) = pays.first() else {
        return Err(StoreError::WrongPermit {
            permit: "no permit".into(),
            write: "a SEPA file paying no report".into(),
        });
    };
    let by = first.actor();
    if let Some(p) = pays
        .iter()
        .find(|p| p.org() != org || p.actor() != by || p.payload().step() != ReportStep::Pay)
    {
        return Err(StoreError::WrongPermit {
            permit: format!("{} in company {}", p.action().key(), p.org().0),
            write: format!("a SEPA file paying reports of company {}", org.0),
        });
    }
    let now = w.now();
    let count = i64::try_from(pays.len()).unwrap_or(i64::MAX);
    // The message id and text name the file's id, which only the insert gives: they are
    // written right after, in the same transaction, so nobody ever reads them empty.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sepa_batches (org_id, created_by, created_at, message_id, execution_date, \
         report_count, control_sum_minor, xml) VALUES ($1, $2, $3, '', $4, $5, $6, '') RETURNING id",
    )
    .bind(org.0)
    .bind(by.0)
    .bind(now.0)
    .bind(batch.execution_date)
    .bind(count)
    .bind(batch.control_sum_minor)
    .fetch_one(w.conn())
    .await?;
    let written = match write(id) {
        Ok(w) => w,
        Err(e) => return Ok(Err(e)),
    };
    sqlx::query("UPDATE sepa_batches SET message_id = $3, xml = $4 WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .bind(&written.message_id)
        .bind(&written.xml)
        .execute(w.conn())
        .await?;
    for permit in pays {
        let report = permit.payload().row();
        crate::reports::pay(w, org, report, &written.message_id, permit).await?;
        sqlx::query(
            "INSERT INTO sepa_batch_reports (org_id, batch_id, report_id) VALUES ($1, $2, $3)",
        )
        .bind(org.0)
        .bind(id)
        .bind(report)
        .execute(w.conn())
        .await?;
    }
    get(w, org, id)
        .await?
        .map(Ok)
        .ok_or_else(|| StoreError::Corrupt(format!("SEPA file {id} vanished as it was written")))
}

/// File `id` of company `org`.
pub async fn get(conn: &mut Conn, org: OrgId, id: i64) -> Result<Option<BatchRow>> {
    Ok(sqlx::query_as(
        "SELECT id, created_by, created_at, message_id, execution_date, report_count, \
         control_sum_minor, xml FROM sepa_batches WHERE org_id = $1 AND id = $2",
    )
    .bind(org.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The members file `id` pays, each once, as `viewer` sees them (their place in the
/// viewer's reporting line, their teams): one statement.
pub async fn creditors(
    conn: &mut Conn,
    org: OrgId,
    viewer: MemberId,
    id: i64,
) -> Result<Vec<TargetFacts>> {
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT o.owner_id, {line} AS line, {teams} AS teams FROM \
         (SELECT DISTINCT r.owner_id FROM sepa_batch_reports b \
          JOIN reports r ON r.org_id = b.org_id AND r.id = b.report_id \
          WHERE b.org_id = $1 AND b.batch_id = $3) o ORDER BY o.owner_id",
        line = scope::line_column("o.owner_id"),
        teams = scope::teams_column(backend, "o.owner_id"),
    );
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(&sql)
        .bind(org.0)
        .bind(viewer.0)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(member, line, teams)| TargetFacts {
            member: MemberId(member),
            line: Line::parse(&line),
            teams: scope::parse_teams(teams.as_deref()),
        })
        .collect())
}
