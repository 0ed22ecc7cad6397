//! Outlay's store: SQL through sqlx, versioned migrations, SQLite (WAL) embedded by default.
//! Every row carries its company and every query filters on it; every reference to a member
//! or a team carries the company too, `(org_id, id)`, so the database itself refuses a row
//! that points into another company. List queries push the caller's reach into the WHERE
//! clause. Every change runs on a [`Write`] (one transaction holding the company's write
//! lock, with its fixed time and its audit entry) and consumes the permit the core decided
//! for it; reads run on a [`Read`] connection.

pub mod advances;
pub mod allowances;
pub mod audit;
pub mod audit_chain;
pub mod auth;
pub mod backup;
pub mod bank_accounts;
pub mod bench_data;
mod busy;
pub mod categories;
pub mod checks;
mod conn;
pub mod corrections;
pub mod delegations;
pub mod expenses;
pub mod founding;
pub mod fx;
mod in_place;
pub mod jobs;
pub mod mails;
pub mod members;
pub mod migration_source;
pub mod orgs;
pub mod owned;
pub mod person_audit;
pub mod policies;
pub mod reimbursements;
pub mod report_steps;
mod reporting_lines;
pub mod reports;
pub mod role_requests;
pub mod roles;
pub mod scope;
pub mod seed;
pub mod stored;
pub mod teams;
pub mod trips;
pub mod write;

pub use write::{Author, Read, Write};

use outlay_core::{OrgId, Timestamp};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::time::Duration;
use thiserror::Error;

pub use conn::Conn;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A database lock or connection did not come free within its wait: nothing is wrong,
    /// try again shortly.
    #[error("the database is busy: {0}")]
    Busy(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "unsupported database url `{0}`: use `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`"
    )]
    UnsupportedUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// Backing up or restoring a database file failed (`backup.rs`).
    #[error("{0}")]
    Backup(String),
    /// A row holds a value the code does not know (`corrupt_row`): never read as a default.
    #[error("corrupt row: {table}.{column} holds `{value}`, which Outlay does not know")]
    CorruptRow {
        table: &'static str,
        column: &'static str,
        value: String,
    },
    /// The row was changed by someone else since it was read: nothing was written.
    #[error("the record changed meanwhile")]
    Stale,
    /// A permit was offered for a write it does not allow: nothing was written.
    #[error("a permit for {permit} cannot open a write of {write}")]
    WrongPermit { permit: String, write: String },
    /// A write of a company whose lock the transaction does not hold.
    #[error("company {} is not locked by this transaction", .0.0)]
    NotLocked(OrgId),
    /// A permitted change was about to commit without its audit entry.
    #[error("a change was about to commit without its audit entry")]
    Unaudited,
}

impl StoreError {
    /// Whether the error is a uniqueness violation (someone else holds that name or email).
    /// The stable code of an error the caller is told about (`corrupt_row`), if it has one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            StoreError::CorruptRow { .. } => Some("corrupt_row"),
            StoreError::Busy(_) => Some("busy"),
            _ => None,
        }
    }

    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl From<sqlx::Error> for StoreError {
    /// Every database error of the store passes here: a busy one is told apart from a fault.
    fn from(e: sqlx::Error) -> StoreError {
        if let Some(c) = stored::corrupt_value(&e) {
            return StoreError::CorruptRow {
                table: c.table,
                column: c.column,
                value: c.value.clone(),
            };
        }
        if busy::is_busy(&e) {
            StoreError::Busy(e)
        } else {
            StoreError::Database(e)
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The backend of an open connection.
    pub fn of(conn: &Conn) -> Backend {
        conn.backend()
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a statement waits for a database lock held by someone else before it gives up
/// as busy, unless the store is opened with another wait ([`Store::open_waiting`]).
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: std::sync::Arc<str>,
    lock_wait: Duration,
    /// SQLite on a file: the connections reads run on in place ([`in_place`]).
    in_place: Option<std::sync::Arc<in_place::Pool>>,
    /// Statements sent through this store's connections ([`Store::statements`]).
    sent: conn::Sent,
    /// Seals the audit entries this store writes; without one they carry a plain hash
    /// (libraries and tests that set none; servers always set one).
    audit_key: Option<audit_chain::AuditKey>,
}

impl Store {
    /// Opens the database at `url`: `sqlite://outlay.db` (created if missing) or
    /// `postgres://user:password@host/db`.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_waiting(url, LOCK_WAIT).await
    }

    /// Like [`Store::open`], with statements waiting at most `lock_wait` for a lock held by
    /// someone else (SQLite's busy timeout, PostgreSQL's `lock_timeout`), then failing as
    /// [`StoreError::Busy`].
    pub async fn open_waiting(url: &str, lock_wait: Duration) -> Result<Store> {
        Store::open_with(url, 8, lock_wait).await
    }

    /// The same database through a pool of its own of `connections`: for a writer that
    /// must never wait for the requests' connections (the audit writer).
    pub async fn dedicated(&self, connections: u32) -> Result<Store> {
        let mut store = Store::open_with(&self.url, connections, self.lock_wait).await?;
        store.audit_key = self.audit_key.clone();
        Ok(store)
    }

    /// This store, sealing the audit entries it writes with `key`.
    pub fn with_audit_key(mut self, key: audit_chain::AuditKey) -> Store {
        self.audit_key = Some(key);
        self
    }

    /// The key this store seals audit entries with, if any.
    pub fn audit_key(&self) -> Option<&audit_chain::AuditKey> {
        self.audit_key.as_ref()
    }

    /// Opens no connection yet: the first use does (at start, `migrate`), so a store holds
    /// no connection, and no lock, it has not needed.
    async fn open_with(url: &str, connections: u32, lock_wait: Duration) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_string()))?;
        // A request waits at most this long for a connection, then answers 503 with
        // Retry-After: a short wait beats a stalled server. Connections are used at once
        // after they are handed out; a failed one fails its request and is replaced, so no
        // round trip checks each one first.
        let options = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(3))
            .test_before_acquire(false);
        let pool = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // The busy timeout first: setting WAL may itself wait for a lock.
                let setup = format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    lock_wait.as_millis()
                );
                options
                    .after_connect(move |conn, _| {
                        let setup = setup.clone();
                        Box::pin(async move {
                            use sqlx::Executor;
                            conn.execute(setup.as_str()).await?;
                            Ok(())
                        })
                    })
                    .connect_lazy(&url)?
            }
            Backend::Postgres => {
                let setup = format!("SET lock_timeout = {}", lock_wait.as_millis());
                options
                    .after_connect(move |conn, _| {
                        let setup = setup.clone();
                        Box::pin(async move {
                            use sqlx::Executor;
                            conn.execute(setup.as_str()).await?;
                            Ok(())
                        })
                    })
                    .connect_lazy(url)?
            }
        };
        let in_place = match backend {
            Backend::Sqlite => in_place::Pool::for_url(url, connections, lock_wait),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            backend,
            url: url.into(),
            lock_wait,
            in_place,
            sent: conn::Sent::default(),
            audit_key: None,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// How many statements this store's connections have sent to the database since it was
    /// opened: every statement of every store function, on every backend, reads and writes
    /// (a transaction's own `BEGIN` and `COMMIT`, and migrations, are not counted). What a
    /// request costs in statements is the difference across it; a list page costs the same
    /// whatever its size (`outlay-app/tests/list_statements.rs`).
    pub fn statements(&self) -> u64 {
        self.sent.get()
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize> {
        let mut conn = self.pooled().await?;
        let before = applied(&mut conn).await;
        self.migrator().run(&self.pool).await?;
        let after = applied(&mut conn).await;
        Ok(after.saturating_sub(before))
    }

    /// Runs another set of migrations (tests: the schema as it was at an earlier version).
    pub async fn run_migrator(&self, migrator: &sqlx::migrate::Migrator) -> Result<()> {
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// A write transaction with the fixed time `now`, holding no company's lock yet
    /// ([`Write::lock`]): for changes of people and sessions, founding a company, and
    /// accepting an invitation (which learns its company from the token).
    pub async fn write(&self, now: Timestamp) -> Result<Write> {
        Ok(Write::new(
            self.transaction().await?,
            now,
            self.audit_key.clone(),
        ))
    }

    /// A transaction; on SQLite it holds the write lock from the start.
    pub(crate) async fn transaction(&self) -> Result<Conn> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Conn::new(conn::Inner::Tx(tx), &self.sent))
    }

    /// A write transaction holding `org`'s write lock: one writer at a time per company, on
    /// every server sharing the database.
    pub async fn write_for(&self, org: OrgId, now: Timestamp) -> Result<Write> {
        let mut w = self.write(now).await?;
        w.lock(org).await?;
        Ok(w)
    }

    /// Keeps the query planner's statistics current. SQLite: `PRAGMA optimize` (analyzes,
    /// within a bounded effort, the tables whose statistics are missing or stale; meant to
    /// run at start and then about hourly). PostgreSQL's autovacuum analyzes tables as they
    /// change, so there is nothing to do there.
    pub async fn optimize(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("PRAGMA optimize=0x10002")
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// A connection for reads: on SQLite one used in place, on the caller's thread.
    pub async fn read(&self) -> Result<Read> {
        let inner = match &self.in_place {
            Some(pool) => conn::Inner::InPlace(pool.checkout().await?),
            None => conn::Inner::Pooled(self.pool.acquire().await?),
        };
        Ok(Read(Conn::new(inner, &self.sent)))
    }

    /// A connection of sqlx's pool whatever the backend (for the benchmark loader's
    /// statements that are not reads).
    pub(crate) async fn pooled(&self) -> Result<Read> {
        Ok(Read(Conn::new(
            conn::Inner::Pooled(self.pool.acquire().await?),
            &self.sent,
        )))
    }

    pub async fn close(&self) {
        if let Some(pool) = &self.in_place {
            pool.close();
        }
        self.pool.close().await;
    }
}

/// Whether the database answers on this connection.
pub async fn ping(conn: &mut Conn) -> Result<()> {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(())
}

/// How many migrations have been applied; none when the table does not exist yet.
async fn applied(conn: &mut Conn) -> usize {
    let n: std::result::Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await;
    n.ok().and_then(|n| usize::try_from(n).ok()).unwrap_or(0)
}
