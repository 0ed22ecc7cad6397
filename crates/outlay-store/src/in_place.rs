//! Reads on SQLite in place: statements run synchronously on the caller's thread, through
//! connections of the store's own (rusqlite, on the same libsqlite3 as sqlx), each keeping
//! its prepared statements. sqlx runs every SQLite connection on a worker thread of its own
//! and every statement and row is a round trip to it; for a read of a few rows that round
//! trip, not SQLite, was most of the cost. Rows come back as the Any driver's rows, typed
//! exactly as sqlx's SQLite driver types them (by each value's storage class), so every
//! store function reads them unchanged. Transactions (every [`crate::Write`]) stay on sqlx;
//! these connections are read-only (`PRAGMA query_only`).

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx::Either;
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Prepared statements kept per connection: the store's reads are a few dozen shapes.
const STATEMENTS: usize = 256;

/// The in-place connections of one database file, at most `slots` in use at once.
pub(crate) struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Handle>>,
    slots: Arc<tokio::sync::Semaphore>,
    /// SQLite's busy timeout: how long a read waits for a lock held by someone else.
    lock_wait: Duration,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("in_place::Pool")
            .field("path", &self.path)
            .finish()
    }
}

/// One connection and what it remembers of each statement's shape.
struct Handle {
    conn: rusqlite::Connection,
    shapes: sqlx_core::HashMap<Box<str>, Arc<Shape>>,
}

/// What is fixed about a statement: which argument each of its parameters takes, and its
/// result columns as the Any driver's rows carry them.
struct Shape {
    /// For parameter `i + 1`, the index of its argument.
    arguments: Vec<usize>,
    columns: Columns,
}

/// A statement's result columns as the Any driver's rows carry them.
struct Columns {
    names: Arc<sqlx_core::HashMap<UStr, usize>>,
    columns: Vec<AnyColumn>,
}

/// A connection checked out of the pool; back in it when dropped.
pub(crate) struct Checkout {
    handle: Option<Handle>,
    pool: Arc<Pool>,
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Checkout {
    fn drop(&mut self) {
        // A snapshot ends here: the connection goes back to the pool reading nothing.
        if let Some(handle) = &self.handle {
            if !handle.conn.is_autocommit() {
                let ended = handle
                    .conn
                    .prepare_cached("ROLLBACK")
                    .and_then(|mut s| s.execute([]));
                if ended.is_err() {
                    // Not given back: a connection still inside a transaction would pin
                    // the snapshot of whoever took it next.
                    self.handle = None;
                }
            }
        }
        if let (Some(handle), Ok(mut idle)) = (self.handle.take(), self.pool.idle.lock()) {
            if !self.pool.slots.is_closed() {
                idle.push(handle);
            }
        }
    }
}

impl Pool {
    /// The in-place pool of the SQLite database at `url`; `None` for an in-memory database
    /// (another connection would be another database).
    pub(crate) fn for_url(url: &str, slots: u32, lock_wait: Duration) -> Option<Arc<Pool>> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse().ok()?;
        Some(Arc::new(Pool {
            path: options.get_filename().to_path_buf(),
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(tokio::sync::Semaphore::new(slots.max(1) as usize)),
            lock_wait,
        }))
    }

    /// A connection: an idle one, or a new one while fewer than `slots` are in use (else it
    /// waits for one to come back).
    pub(crate) async fn checkout(self: &Arc<Pool>) -> Result<Checkout, sqlx::Error> {
        let slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let handle = match idle {
            Some(h) => h,
            None => self.open()?,
        };
        Ok(Checkout {
            handle: Some(handle),
            pool: Arc::clone(self),
            _slot: slot,
        })
    }

    fn open(&self) -> Result<Handle, sqlx::Error> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(error)?;
        // The lock wait first: the pragmas below read the schema, which may wait for a lock.
        conn.busy_timeout(self.lock_wait).map_err(error)?;
        // As the sqlx connections are set up (`Store::open_with`); WAL is the file's own mode.
        // Reads only: a write here would escape the write lock, the permit and the audit
        // entry every change takes (`crate::Write`), so SQLite refuses one.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA query_only = ON;",
        )
        .map_err(error)?;
        // Plans independent of the values bound: otherwise, with the statistics that
        // `PRAGMA optimize` gathers (SQLite is built with STAT4), a kept statement whose plan
        // might depend on a bound value is compiled again at every run, which was half of the
        // cost of reading one expense.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(error)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        Ok(Handle {
            conn,
            shapes: sqlx_core::HashMap::default(),
        })
    }

    /// Closes the idle connections; those in use close when they come back.
    pub(crate) fn close(&self) {
        self.slots.close();
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}

type Output = Vec<Either<AnyQueryResult, AnyRow>>;

impl Checkout {
    /// Makes every statement from here until the checkout is dropped read one snapshot of
    /// the database: one read transaction (taken at the first statement) instead of one
    /// per statement, so the reads of a request agree with each other and its locking is
    /// paid once.
    pub(crate) fn snapshot(&mut self) -> Result<(), sqlx::Error> {
        let handle = self.handle.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        if handle.conn.is_autocommit() {
            let mut begin = handle.conn.prepare_cached("BEGIN").map_err(error)?;
            begin.execute([]).map_err(error)?;
        }
        Ok(())
    }

    /// Runs one statement with its arguments; at most `max_rows` rows are read. The rows,
    /// then the statement's result, as sqlx's `fetch_many` yields them.
    pub(crate) fn run(
        &mut self,
        sql: &str,
        args: Option<AnyArguments<'_>>,
        max_rows: usize,
    ) -> Result<Output, sqlx::Error> {
        let handle = self.handle.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        let mut stmt = handle.conn.prepare_cached(sql).map_err(error)?;
        let values = args.map(|a| a.values.0).unwrap_or_default();
        let shape = match handle.shapes.get(sql) {
            Some(c) => Arc::clone(c),
            None => {
                let c = Arc::new(shape_of(&stmt)?);
                if handle.shapes.len() >= STATEMENTS {
                    handle.shapes.clear();
                }
                handle.shapes.insert(sql.into(), Arc::clone(&c));
                c
            }
        };
        for (i, n) in shape.arguments.iter().enumerate() {
            // Unbound parameters are NULL, as with sqlx.
            if let Some(value) = values.get(*n) {
                bind(&mut stmt, i + 1, value)?;
            }
        }
        let columns = &shape.columns;
        let readonly = stmt.readonly();
        let mut out = Vec::new();
        let mut rows = stmt.raw_query();
        while out.len() < max_rows {
            let Some(row) = rows.next().map_err(error)? else {
                break;
            };
            let mut values = Vec::with_capacity(columns.columns.len());
            for i in 0..columns.columns.len() {
                values.push(AnyValue {
                    kind: value(row.get_ref(i).map_err(error)?)?,
                });
            }
            out.push(Either::Right(AnyRow {
                column_names: Arc::clone(&columns.names),
                columns: columns.columns.clone(),
                values,
            }));
        }
        drop(rows);
        let (rows_affected, last_insert_id) = if readonly {
            (0, None)
        } else {
            (handle.conn.changes(), Some(handle.conn.last_insert_rowid()))
        };
        out.push(Either::Left(AnyQueryResult {
            rows_affected,
            last_insert_id,
        }));
        Ok(out)
    }
}

fn shape_of(stmt: &rusqlite::Statement<'_>) -> Result<Shape, sqlx::Error> {
    let mut arguments = Vec::with_capacity(stmt.parameter_count());
    let mut next = 0;
    for i in 1..=stmt.parameter_count() {
        // `$N` and `?N` name argument N; anything else takes the next one (as sqlx does).
        let n = match stmt.parameter_name(i) {
            Some(name) => name
                .strip_prefix('$')
                .or_else(|| name.strip_prefix('?'))
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| {
                    sqlx::Error::Protocol(format!("unsupported SQL parameter `{name}`"))
                })?,
            None => {
                next += 1;
                next
            }
        };
        // `?0` takes no argument: it stays NULL.
        arguments.push(n.checked_sub(1).unwrap_or(usize::MAX));
    }
    Ok(Shape {
        arguments,
        columns: columns_of(stmt)?,
    })
}

fn columns_of(stmt: &rusqlite::Statement<'_>) -> Result<Columns, sqlx::Error> {
    let mut names = sqlx_core::HashMap::new();
    let mut columns = Vec::with_capacity(stmt.column_count());
    for i in 0..stmt.column_count() {
        let name = UStr::new(stmt.column_name(i).map_err(error)?);
        names.insert(name.clone(), i);
        columns.push(AnyColumn {
            ordinal: i,
            name,
            type_info: AnyTypeInfo {
                kind: AnyTypeInfoKind::Null,
            },
        });
    }
    Ok(Columns {
        names: Arc::new(names),
        columns,
    })
}

fn bind(
    stmt: &mut rusqlite::Statement<'_>,
    i: usize,
    value: &AnyValueKind<'_>,
) -> Result<(), sqlx::Error> {
    let done = match value {
        AnyValueKind::Null(_) => stmt.raw_bind_parameter(i, rusqlite::types::Null),
        AnyValueKind::Bool(b) => stmt.raw_bind_parameter(i, i64::from(*b)),
        AnyValueKind::SmallInt(v) => stmt.raw_bind_parameter(i, i64::from(*v)),
        AnyValueKind::Integer(v) => stmt.raw_bind_parameter(i, i64::from(*v)),
        AnyValueKind::BigInt(v) => stmt.raw_bind_parameter(i, *v),
        AnyValueKind::Real(v) => stmt.raw_bind_parameter(i, f64::from(*v)),
        AnyValueKind::Double(v) => stmt.raw_bind_parameter(i, *v),
        AnyValueKind::Text(t) => stmt.raw_bind_parameter(i, t.as_ref()),
        AnyValueKind::Blob(b) => stmt.raw_bind_parameter(i, b.as_ref()),
        other => {
            return Err(sqlx::Error::Protocol(format!(
                "unsupported argument {other:?}"
            )))
        }
    };
    done.map_err(error)
}

/// A value as sqlx's SQLite driver hands it to the Any driver: typed by its storage class.
fn value(v: rusqlite::types::ValueRef<'_>) -> Result<AnyValueKind<'static>, sqlx::Error> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(f) => AnyValueKind::Double(f),
        ValueRef::Text(t) => AnyValueKind::Text(Cow::Owned(
            std::str::from_utf8(t)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
                .to_string(),
        )),
        ValueRef::Blob(b) => AnyValueKind::Blob(Cow::Owned(b.to_vec())),
    })
}

/// An SQLite error as sqlx reports it: database errors keep their kind (a uniqueness
/// violation is still one).
fn error(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(f, message) => {
            let message = message.unwrap_or_else(|| f.to_string());
            sqlx::Error::Database(Box::new(SqliteError {
                code: f.extended_code,
                message,
            }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

#[derive(Debug)]
struct SqliteError {
    code: i32,
    message: String,
}

impl std::fmt::Display for SqliteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for SqliteError {}

impl sqlx::error::DatabaseError for SqliteError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use rusqlite::ffi;
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
