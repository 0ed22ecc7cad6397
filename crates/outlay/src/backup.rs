//! `outlay backup`, `outlay restore`, and bench-data's guard against loading benchmark
//! people (who share the published demo password) into a database that serves people.

use outlay_store::backup::{self, sqlite_file};
use outlay_store::Store;
use std::path::Path;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const POSTGRES_WAY: &str = "for PostgreSQL use pg_dump and pg_restore (README, \"Backups\")";

pub async fn backup(url: &str, to: &Path) -> Result<(), BoxError> {
    let db = sqlite_file(url).ok_or(POSTGRES_WAY)?;
    if !db.exists() {
        return Err(format!("no database at {}", db.display()).into());
    }
    let (db2, to2) = (db.clone(), to.to_path_buf());
    tokio::task::spawn_blocking(move || backup::snapshot(&db2, &to2)).await??;
    let checked = backup::check(to)?;
    println!(
        "backed up {} to {} ({} companies, {} migrations); restore with `outlay restore {}`",
        db.display(),
        to.display(),
        checked.companies,
        checked.migrations,
        to.display()
    );
    Ok(())
}

pub async fn restore(from: &Path, url: &str, force: bool) -> Result<(), BoxError> {
    let db = sqlite_file(url).ok_or(POSTGRES_WAY)?;
    if db.exists() && !force {
        return Err(format!(
            "{} exists: stop the server, then restore with --force to replace it",
            db.display()
        )
        .into());
    }
    let (from2, db2) = (from.to_path_buf(), db.clone());
    let checked = tokio::task::spawn_blocking(move || backup::restore(&from2, &db2)).await??;
    println!(
        "restored {} from {} ({} companies, {} migrations); start the server on it",
        db.display(),
        from.display(),
        checked.companies,
        checked.migrations
    );
    Ok(())
}

/// Refuses a database that holds a company bench-data did not make.
pub async fn refuse_serving(url: &str) -> Result<(), BoxError> {
    if sqlite_file(url).is_some_and(|f| !f.exists()) {
        return Ok(());
    }
    let store = Store::open(url).await?;
    let mut conn = store.read().await?;
    let others = outlay_store::bench_data::companies_not_loaded(&mut conn).await?;
    drop(conn);
    store.close().await;
    if others > 0 {
        return Err(format!(
            "{url} holds {others} compan(y/ies) that bench-data did not make: benchmark people \
             share the published demo password, so they are not loaded there. Use a database \
             of their own (the default, sqlite://outlay-bench.db), or --force"
        )
        .into());
    }
    Ok(())
}
