//! [`Conn`], the one connection type every store function takes: a pooled sqlx connection
//! (PostgreSQL), a write transaction (either backend), or an in-place SQLite connection for
//! reads ([`crate::in_place`]). It is an sqlx executor of the Any driver, so store functions
//! run their queries on it unchanged, whichever it is. Every statement it runs is counted
//! in its store's [`Sent`] counter ([`crate::Store::statements`]).

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, Either, Execute};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One connection of either backend.
pub struct Conn {
    pub(crate) inner: Inner,
    sent: Sent,
}

/// How many statements a store's connections have sent to the database: shared by every
/// connection the store hands out, so that what a request costs in statements can be told
/// (a page must not cost a statement per row).
#[derive(Clone, Debug, Default)]
pub(crate) struct Sent(Arc<AtomicU64>);

impl Sent {
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn one(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

pub(crate) enum Inner {
    Pooled(sqlx::pool::PoolConnection<Any>),
    Tx(sqlx::Transaction<'static, Any>),
    InPlace(crate::in_place::Checkout),
}

impl Conn {
    pub(crate) fn new(inner: Inner, sent: &Sent) -> Conn {
        Conn {
            inner,
            sent: sent.clone(),
        }
    }

    /// The backend this connection talks to.
    pub fn backend(&self) -> crate::Backend {
        let name = match &self.inner {
            Inner::Pooled(c) => c.backend_name(),
            Inner::Tx(t) => t.backend_name(),
            Inner::InPlace(_) => return crate::Backend::Sqlite,
        };
        if name == "PostgreSQL" {
            crate::Backend::Postgres
        } else {
            crate::Backend::Sqlite
        }
    }
}

impl Conn {
    /// Commits a transaction ([`crate::Store::transaction`]).
    pub(crate) async fn commit(self) -> crate::Result<()> {
        match self.inner {
            Inner::Tx(tx) => Ok(tx.commit().await?),
            _ => Err(crate::StoreError::Corrupt(
                "a commit outside a transaction".to_string(),
            )),
        }
    }
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match &self.inner {
            Inner::Pooled(_) => "Conn::Pooled",
            Inner::Tx(_) => "Conn::Tx",
            Inner::InPlace(_) => "Conn::InPlace",
        })
    }
}

/// A statement run in place, as sqlx's stream would yield it.
fn in_place<'q>(
    c: &mut crate::in_place::Checkout,
    mut query: impl Execute<'q, Any>,
    max_rows: usize,
) -> Result<Vec<Either<AnyQueryResult, AnyRow>>, sqlx::Error> {
    let args = query.take_arguments().map_err(sqlx::Error::Encode)?;
    c.run(query.sql(), args, max_rows)
}

fn unsupported<T>() -> Result<T, sqlx::Error> {
    Err(sqlx::Error::Protocol(
        "preparing or describing statements is not supported on an in-place connection".to_string(),
    ))
}

impl<'c> sqlx::Executor<'c> for &'c mut Conn {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.sent.one();
        match &mut self.inner {
            Inner::Pooled(c) => (&mut **c).fetch_many(query),
            Inner::Tx(t) => (&mut **t).fetch_many(query),
            Inner::InPlace(c) => {
                let out: Vec<_> = match in_place(c, query, usize::MAX) {
                    Ok(out) => out.into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(e)],
                };
                Box::pin(futures_util::stream::iter(out))
            }
        }
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.sent.one();
        match &mut self.inner {
            Inner::Pooled(c) => (&mut **c).fetch_optional(query),
            Inner::Tx(t) => (&mut **t).fetch_optional(query),
            Inner::InPlace(c) => {
                let row = in_place(c, query, 1).map(|out| {
                    out.into_iter().find_map(|r| match r {
                        Either::Right(row) => Some(row),
                        Either::Left(_) => None,
                    })
                });
                Box::pin(std::future::ready(row))
            }
        }
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'c: 'e,
    {
        self.sent.one();
        match &mut self.inner {
            Inner::Pooled(c) => (&mut **c).prepare_with(sql, parameters),
            Inner::Tx(t) => (&mut **t).prepare_with(sql, parameters),
            Inner::InPlace(_) => Box::pin(std::future::ready(unsupported())),
        }
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>>
    where
        'c: 'e,
    {
        self.sent.one();
        match &mut self.inner {
            Inner::Pooled(c) => (&mut **c).describe(sql),
            Inner::Tx(t) => (&mut **t).describe(sql),
            Inner::InPlace(_) => Box::pin(std::future::ready(unsupported())),
        }
    }
}
