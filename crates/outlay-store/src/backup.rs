//! Backups of a SQLite database. `VACUUM INTO` writes a consistent snapshot of the whole
//! database (what sits in the `-wal` file included) as one self-contained file, while the
//! server goes on serving: it reads inside one read transaction, which writers do not
//! block. A restore checks that the file is a whole Outlay database before it is put in
//! place. PostgreSQL has its own tools (`pg_dump`), documented in README.md.

use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The database file of a `sqlite://PATH[?...]` URL; None for another backend or memory.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let file = url.strip_prefix("sqlite://")?.split('?').next()?;
    (!file.is_empty() && !file.contains(":memory:")).then(|| PathBuf::from(file))
}

fn fail(what: impl Into<String>) -> StoreError {
    StoreError::Backup(what.into())
}

/// Writes a snapshot of the database `db` to `to`, which must not exist.
pub fn snapshot(db: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(fail(format!("{} exists already", to.display())));
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(format!("cannot open {}: {e}", db.display())))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| fail(e.to_string()))?;
    let target = to
        .to_str()
        .ok_or_else(|| fail(format!("{} is not a UTF-8 path", to.display())))?;
    conn.execute("VACUUM INTO ?1", [target])
        .map_err(|e| fail(format!("backup failed: {e}")))?;
    Ok(())
}

/// What a backup file holds, once checked: the migrations it is at and its companies.
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub migrations: i64,
    pub companies: i64,
}

/// Checks that `file` is a whole, uncorrupted Outlay database.
pub fn check(file: &Path) -> Result<Checked> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(format!("cannot open {}: {e}", file.display())))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| fail(format!("{} is not a SQLite database: {e}", file.display())))?;
    if integrity != "ok" {
        return Err(fail(format!("{} is damaged: {integrity}", file.display())));
    }
    let count = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|_| fail(format!("{} is not an Outlay database", file.display())))
    };
    Ok(Checked {
        migrations: count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")?,
        companies: count("SELECT COUNT(*) FROM orgs")?,
    })
}

/// Puts the checked backup `from` in place of the database `db`: copied beside it first,
/// then renamed over it, so a failure halfway leaves the old database whole. The old
/// database's `-wal` and `-shm` files go: they belong to the file being replaced.
pub fn restore(from: &Path, db: &Path) -> Result<Checked> {
    let checked = check(from)?;
    let staged = PathBuf::from(format!("{}.restoring", db.display()));
    std::fs::copy(from, &staged)
        .map_err(|e| fail(format!("cannot copy to {}: {e}", staged.display())))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail(format!("cannot remove {}: {e}", side.display()))),
        }
    }
    std::fs::rename(&staged, db)
        .map_err(|e| fail(format!("cannot put {} in place: {e}", db.display())))?;
    Ok(checked)
}
