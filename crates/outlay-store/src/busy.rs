//! Which database errors mean "busy for now" rather than a fault, whichever way they came:
//! sqlx's pool had no connection within its wait, SQLite's lock stayed taken past the lock
//! wait (through sqlx or an in-place connection), or PostgreSQL gave up on a lock (lock
//! timeout, deadlock, serialization failure), or the database server is away (unreachable,
//! restarting, out of connections). Each becomes [`crate::StoreError::Busy`], which
//! the HTTP layer answers 503 with `Retry-After`, never 500.

/// SQLite's primary result codes for a lock held by someone else (the low byte of an
/// extended code).
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;

/// PostgreSQL's SQLSTATEs for a lock it gave up on: serialization failure, deadlock, lock
/// not available (`lock_timeout`).
const POSTGRES_BUSY: [&str; 3] = ["40001", "40P01", "55P03"];

/// PostgreSQL's SQLSTATEs for a server that is away for now: connection exceptions (class
/// 08), shutting down or starting up (57P01-57P03), too many connections (53300).
fn postgres_away(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        // The database server cannot be reached (refused, reset, gone mid-query): an outage
        // to wait out, answered 503 with Retry-After like a busy pool, not a 500.
        sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some()
            {
                POSTGRES_BUSY.contains(&code.as_ref()) || postgres_away(&code)
            } else {
                // SQLite, through sqlx or in place: the extended result code, as a number.
                code.parse::<i64>()
                    .is_ok_and(|n| matches!(n & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
            }
        }
        _ => false,
    }
}
