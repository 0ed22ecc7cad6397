//! Outlay's store: SQL through sqlx, versioned migrations, SQLite (WAL) embedded by default.
//! Every row carries its company and every query filters on it; every reference to a member
//! or a team carries the company too, `(org_id, id)`, so the database itself refuses a row
//! that points into another company. List queries push the caller's scope (own / team / all)
//! into the WHERE clause. Writes that must see a consistent state run in one `BEGIN IMMEDIATE`
//! transaction with their audit record.

pub mod audit;
pub mod auth;
pub mod bench_data;
pub mod delegations;
pub mod expenses;
pub mod members;
pub mod orgs;
pub mod person_audit;
pub mod role_requests;
pub mod roles;
pub mod scope;
pub mod teams;

use outlay_core::OrgId;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::time::Duration;
use thiserror::Error;

/// One connection of either backend.
pub use sqlx::AnyConnection as Conn;

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "unsupported database url `{0}`: use `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`"
    )]
    UnsupportedUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// The row was changed by someone else since it was read: nothing was written.
    #[error("the record changed meanwhile")]
    Stale,
}

impl StoreError {
    /// Whether the error is a uniqueness violation (someone else holds that name or email).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
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
        if conn.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the database at `url`: `sqlite://outlay.db` (created if missing) or
    /// `postgres://user:password@host/db`.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_string()))?;
        // A request waits at most this long for a connection, then answers 503 with
        // Retry-After: a short wait beats a stalled server. Connections are used at once
        // after they are handed out; a failed one fails its request and is replaced, so no
        // round trip checks each one first.
        let options = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(3))
            .test_before_acquire(false);
        let pool = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                options
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            use sqlx::Executor;
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => options.connect(url).await?,
        };
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.acquire().await?;
        let before = applied(&mut conn).await;
        self.migrator().run(&self.pool).await?;
        let after = applied(&mut conn).await;
        Ok(after.saturating_sub(before))
    }

    /// A transaction that holds the write lock from its start, so what it reads stays true
    /// until it commits. SQLite has one writer for the whole file.
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A write transaction holding `org`'s write lock: one writer at a time per company, on
    /// every server sharing the database.
    pub async fn write_for(&self, org: OrgId) -> Result<Tx> {
        let mut tx = self.write().await?;
        Store::lock(&mut tx, org).await?;
        Ok(tx)
    }

    /// Takes `org`'s write lock inside a transaction begun with [`Store::write`], once the
    /// company is known (accepting an invitation learns it from the token).
    pub async fn lock(tx: &mut Conn, org: OrgId) -> Result<()> {
        if Backend::of(tx) == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
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

    /// A connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How many migrations have been applied; none when the table does not exist yet.
async fn applied(conn: &mut Conn) -> usize {
    let n: std::result::Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await;
    n.ok().and_then(|n| usize::try_from(n).ok()).unwrap_or(0)
}
