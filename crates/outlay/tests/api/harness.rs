//! Boots a real server for a test and speaks JSON to it as the demo people.

use outlay::demo::Seeded;
use outlay_core::demo;
use outlay_core::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub struct TestServer {
    pub base: String,
    pub seeded: Seeded,
    /// The server's database: a fresh SQLite file, or a fresh PostgreSQL database when
    /// `OUTLAY_TEST_DATABASE_URL` names a server (`postgres://user:password@host:port`).
    pub database_url: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
    _task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A fresh database, migrated and seeded with the demo companies, served on 127.0.0.1.
    pub async fn start() -> TestServer {
        TestServer::boot(outlay::clock::system(), true).await
    }

    /// Like `start`, but the server reads the time from the returned cell (unix seconds), which
    /// the test sets; it starts at the system time, and the demo is seeded at that time.
    pub async fn start_with_clock() -> (TestServer, Arc<AtomicI64>) {
        let cell = Arc::new(AtomicI64::new(outlay::clock::system()().0));
        let read = Arc::clone(&cell);
        let clock: outlay::clock::Clock = Arc::new(move || Timestamp(read.load(Ordering::SeqCst)));
        (TestServer::boot(clock, true).await, cell)
    }

    /// A fresh, migrated database (`database_url`) with no company at all, served on 127.0.0.1
    /// on the system clock: for what the CLI writes into the same file.
    pub async fn start_empty() -> TestServer {
        TestServer::boot(outlay::clock::system(), false).await
    }

    /// Like `start_with_clock`, with these limits (how often jobs run, say).
    pub async fn start_with_clock_and_limits(
        limits: outlay::Limits,
    ) -> (TestServer, Arc<AtomicI64>) {
        let cell = Arc::new(AtomicI64::new(outlay::clock::system()().0));
        let read = Arc::clone(&cell);
        let clock: outlay::clock::Clock = Arc::new(move || Timestamp(read.load(Ordering::SeqCst)));
        (TestServer::boot_with(clock, true, limits).await, cell)
    }

    /// A second server on the same database, reading the time from `cell`, with `limits`.
    pub async fn twin_on_clock(&self, cell: &Arc<AtomicI64>, limits: outlay::Limits) -> Twin {
        let store = outlay_store::Store::open(&self.database_url)
            .await
            .unwrap()
            .with_audit_key(audit_key());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let read = Arc::clone(cell);
        let clock: outlay::clock::Clock = Arc::new(move || Timestamp(read.load(Ordering::SeqCst)));
        let app = outlay::App::with_limits(store, clock, limits);
        let task = tokio::spawn(async move {
            let _ = outlay::serve(listener, app).await;
        });
        Twin { base, _task: task }
    }

    /// Servers for stories run in development mode: inviters see invitation tokens, so a
    /// story needs no mail server (`identity.rs` reads them from real e-mail instead).
    async fn boot(clock: outlay::clock::Clock, seed: bool) -> TestServer {
        let limits = outlay::Limits {
            dev_show_tokens: true,
            ..outlay::Limits::default()
        };
        TestServer::boot_with(clock, seed, limits).await
    }

    async fn boot_with(
        clock: outlay::clock::Clock,
        seed: bool,
        limits: outlay::Limits,
    ) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        let store = outlay_store::Store::open(&database_url)
            .await
            .unwrap()
            .with_audit_key(audit_key());
        store.migrate().await.unwrap();
        let seeded = if seed {
            outlay::demo::seed(&store, clock(), |_| {}).await.unwrap()
        } else {
            Seeded {
                companies: Vec::new(),
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = outlay::App::with_limits(store, clock, limits);
        let task = tokio::spawn(async move {
            let _ = outlay::serve(listener, app).await;
        });
        TestServer {
            base,
            seeded,
            database_url,
            client: reqwest::Client::new(),
            _dir: dir,
            _task: task,
        }
    }

    /// The id of a seeded company by name (`"Eloope Demo"`, ...).
    pub fn org(&self, name: &str) -> i64 {
        self.company(name).org.0
    }

    pub fn acme(&self) -> i64 {
        self.company("Acme").org.0
    }

    pub fn globex(&self) -> i64 {
        self.company("Globex").org.0
    }

    fn company(&self, name: &str) -> &outlay::demo::SeededCompany {
        self.seeded
            .companies
            .iter()
            .find(|c| c.name == name)
            .unwrap()
    }

    /// The member id of a demo person by first name (`alice`, `gina`, ...).
    pub fn member(&self, who: &str) -> i64 {
        let email = email_of(who);
        self.seeded
            .companies
            .iter()
            .flat_map(|c| c.people.iter())
            .find(|(e, _, _)| *e == email)
            .map(|(_, m, _)| m.0)
            .unwrap_or_else(|| panic!("no demo person {who}"))
    }

    pub fn team(&self, company: &str, name: &str) -> i64 {
        self.company(company).teams[name].0
    }

    /// Logs in as a demo person and returns their session.
    pub async fn login(&self, who: &str) -> Session {
        let anon = self.anonymous();
        let (status, body) = anon
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(serde_json::json!({"email": email_of(who), "password": demo::PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login as {who}: {body}");
        Session {
            token: Some(body["token"].as_str().unwrap().to_string()),
            ..anon
        }
    }

    /// Tries a login with any email and password; returns the status and body.
    pub async fn try_login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.anonymous()
            .post(
                "/api/v1/auth/login",
                serde_json::json!({"email": email, "password": password}),
            )
            .await
    }

    /// A client without a token.
    pub fn anonymous(&self) -> Session {
        Session {
            base: self.base.clone(),
            token: None,
            client: self.client.clone(),
        }
    }
}

/// A database of its own for one test server: a SQLite file in `dir`, or, when
/// `OUTLAY_TEST_DATABASE_URL` is set, a new database on that PostgreSQL server.
pub async fn fresh_database(dir: &tempfile::TempDir) -> String {
    match std::env::var("OUTLAY_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            use sqlx::Connection;
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            sqlx::any::install_default_drivers();
            let server = server.trim_end_matches('/');
            let name = format!(
                "outlay_test_{}_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
                .await
                .unwrap();
            static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
            // Whether a run is alive is told by /proc (Linux); elsewhere nothing is swept.
            let proc_fs = std::path::Path::new("/proc/self").exists();
            if proc_fs && !SWEPT.swap(true, Ordering::SeqCst) {
                sweep_databases_of_ended_runs(&mut admin).await;
            }
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}", dir.path().join("outlay.db").display()),
    }
}

/// Drops the databases that earlier test runs made and left (a test cannot drop its own
/// at its end), so a long-lived local server does not pile them up; a run whose process
/// is still alive keeps its own.
async fn sweep_databases_of_ended_runs(admin: &mut sqlx::AnyConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'outlay\\_test\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or("");
        let alive = pid.is_empty() || std::path::Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            // Another run may be sweeping the same one: whoever comes second finds it gone.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *admin)
                .await;
        }
    }
}

/// The `error.code` of an error body (empty when there is none).
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn email_of(who: &str) -> String {
    if who.contains('@') {
        return who.to_string();
    }
    let domain = if demo::GLOBEX.person(who).is_some() {
        demo::GLOBEX.domain
    } else {
        demo::ACME.domain
    };
    format!("{who}@{domain}")
}

#[derive(Clone)]
pub struct Session {
    pub base: String,
    pub token: Option<String>,
    client: reqwest::Client,
}

impl Session {
    /// The same client, speaking with `token`.
    pub fn with_token(&self, token: &str) -> Session {
        Session {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    /// Sends a request; returns the status and the JSON body (`Null` when empty).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Every expense this session can list in `org`, following cursors.
    pub async fn all_expenses(&self, org: i64, query: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/orgs/{org}/expenses?limit=500{query}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let (status, body) = self.get(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            out.extend(body["items"].as_array().unwrap().iter().cloned());
            match body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return out,
            }
        }
    }
}

/// A second server on the same database, as a second machine behind a load balancer runs it.
pub struct Twin {
    pub base: String,
    _task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts another server on this server's database, on its own port.
    pub async fn twin(&self) -> Twin {
        self.twin_with_limits(outlay::Limits::default()).await
    }

    /// [`Self::twin`] with the given limits.
    pub async fn twin_with_limits(&self, limits: outlay::Limits) -> Twin {
        let store = outlay_store::Store::open(&self.database_url)
            .await
            .unwrap()
            .with_audit_key(audit_key());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = outlay::App::with_limits(store, outlay::clock::system(), limits);
        let task = tokio::spawn(async move {
            let _ = outlay::serve(listener, app).await;
        });
        Twin { base, _task: task }
    }
}

impl Session {
    /// The same login, speaking to another server.
    pub fn at(&self, base: &str) -> Session {
        Session {
            base: base.to_string(),
            ..self.clone()
        }
    }
}

/// Edge tests: servers with their own limits, clients from other loopback addresses.
impl TestServer {
    /// Like `start`, with the given limits; also returns a handle on the server's store (the
    /// same pool), so a test can take its connections away.
    pub async fn start_with_limits(limits: outlay::Limits) -> (TestServer, outlay_store::Store) {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        let store = outlay_store::Store::open(&database_url)
            .await
            .unwrap()
            .with_audit_key(audit_key());
        store.migrate().await.unwrap();
        let clock = outlay::clock::system();
        let seeded = outlay::demo::seed(&store, clock(), |_| {}).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = outlay::App::with_limits(store.clone(), clock, limits);
        let task = tokio::spawn(async move {
            let _ = outlay::serve(listener, app).await;
        });
        let server = TestServer {
            base,
            seeded,
            database_url,
            client: reqwest::Client::new(),
            _dir: dir,
            _task: task,
        };
        (server, store)
    }

    /// A client without a token whose connections come from `local` (any 127.x.y.z works on
    /// loopback), as a different machine's would.
    pub fn anonymous_from(&self, local: std::net::IpAddr) -> Session {
        Session {
            base: self.base.clone(),
            token: None,
            client: reqwest::Client::builder()
                .local_address(local)
                .build()
                .unwrap(),
        }
    }
}

/// Lock tests: a server that holds no database connection until its first request.
impl TestServer {
    /// Like `start_with_limits`, for a test that takes database locks itself: the demo and a
    /// session of `who` are written through a store that is then closed, and the server's
    /// own store opens its connections only at its first request (a SQLite lock in
    /// exclusive mode can then be taken in between). Returns the session too.
    pub async fn start_unopened(limits: outlay::Limits, who: &str) -> (TestServer, Session) {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        let clock = outlay::clock::system();
        let (seeded, token) = {
            let store = outlay_store::Store::open(&database_url)
                .await
                .unwrap()
                .with_audit_key(audit_key());
            store.migrate().await.unwrap();
            let seeded = outlay::demo::seed(&store, clock(), |_| {}).await.unwrap();
            let person = {
                let mut conn = store.read().await.unwrap();
                outlay_store::auth::person_by_email(&mut conn, &email_of(who))
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            };
            let (token, hash) = outlay::tokens::issue();
            let now = clock();
            let mut w = store.write(now).await.unwrap();
            let expires = Timestamp(now.0 + 3600);
            let start = outlay_core::permit::open_session(person, false).unwrap();
            outlay_store::auth::create_session(&mut w, start, &hash, expires)
                .await
                .unwrap();
            let email = email_of(who);
            outlay_store::person_audit::record(
                &mut w,
                &outlay_store::person_audit::NewPersonEvent {
                    at: now,
                    last_at: now,
                    count: 1,
                    person: Some(person),
                    email: &email,
                    kind: outlay_store::person_audit::PersonEventKind::Login,
                    address: "127.0.0.1",
                    reason: "password",
                },
            )
            .await
            .unwrap();
            w.commit().await.unwrap();
            store.close().await;
            (seeded, token)
        };
        let store = outlay_store::Store::open_waiting(&database_url, limits.lock_wait)
            .await
            .unwrap()
            .with_audit_key(audit_key());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = outlay::App::with_limits(store, clock, limits);
        let task = tokio::spawn(async move {
            let _ = outlay::serve(listener, app).await;
        });
        let server = TestServer {
            base,
            seeded,
            database_url,
            client: reqwest::Client::new(),
            _dir: dir,
            _task: task,
        };
        let session = server.anonymous().with_token(&token);
        (server, session)
    }
}

/// The key every test server seals its audit log with, as a real server does.
pub fn audit_key() -> outlay_store::audit_chain::AuditKey {
    outlay_store::audit_chain::AuditKey::new("test audit key: thirty-two bytes or more").unwrap()
}
