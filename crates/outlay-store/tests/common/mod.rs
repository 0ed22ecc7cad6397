//! What the store's tests share: a migrated store on each backend under test (SQLite always;
//! PostgreSQL when `OUTLAY_TEST_DATABASE_URL` names a server), dropped again afterwards.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use outlay_store::Store;

/// One backend under test.
pub struct Backend {
    pub label: &'static str,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server and the database to drop when done.
    pg: Option<(String, String)>,
}

impl Backend {
    /// Closes the store and drops its PostgreSQL database; cleanup never fails a test.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((server, name)) = self.pg {
            use sqlx::Connection;
            if let Ok(mut admin) = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await
            {
                // FORCE: a closed pool's server sessions can still be ending.
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await;
            }
        }
    }
}

/// A fresh, migrated store per backend; `test` names the databases.
pub async fn backends(test: &str) -> Vec<Backend> {
    let out = unmigrated(test).await;
    for b in &out {
        b.store.migrate().await.unwrap();
    }
    out
}

/// A fresh store per backend with the migrations before `version` applied, as a database
/// made by an earlier Outlay is: [`Store::migrate`] then applies the rest.
pub async fn backends_before(test: &str, version: i64) -> Vec<Backend> {
    let out = unmigrated(test).await;
    for b in &out {
        let dir = format!("{}/migrations/{}", env!("CARGO_MANIFEST_DIR"), b.label);
        let mut migrator = sqlx::migrate::Migrator::new(std::path::Path::new(&dir))
            .await
            .unwrap();
        let earlier: Vec<_> = migrator
            .migrations
            .iter()
            .filter(|m| m.version < version)
            .cloned()
            .collect();
        migrator.migrations = std::borrow::Cow::Owned(earlier);
        b.store.run_migrator(&migrator).await.unwrap();
    }
    out
}

async fn unmigrated(test: &str) -> Vec<Backend> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}",
        dir.path().join(format!("{test}.db")).display()
    );
    let mut out = vec![Backend {
        label: "sqlite",
        store: Store::open(&url).await.unwrap(),
        _dir: Some(dir),
        pg: None,
    }];
    if let Ok(server) = std::env::var("OUTLAY_TEST_DATABASE_URL") {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let server = server.trim_end_matches('/').to_string();
        let name = format!("outlay_{test}_{}", std::process::id());
        let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&sql).execute(&mut admin).await.unwrap();
        }
        out.push(Backend {
            label: "postgres",
            store: Store::open(&format!("{server}/{name}")).await.unwrap(),
            _dir: None,
            pg: Some((server, name)),
        });
    }
    out
}
