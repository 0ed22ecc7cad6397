//! The scale benchmark: against a database loaded by `outlay bench-data`, starts the real
//! server in this process on 127.0.0.1 and measures over HTTP, as each benchmark viewer,
//! the first page of the expense list (with and without `status=submitted`), its 20th page
//! (following `next_cursor`), the first and 20th page of the member list, and `GET` of one
//! expense; p50 and p99 of `--requests` requests each, printed as a Markdown table.
//!
//! ```sh
//! outlay bench-data --members 100000 --expenses 5000000 --database-url sqlite://bench.db
//! cargo bench -p outlay --bench scale -- --database-url sqlite://bench.db
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use outlay_core::{Action, MemberId, OrgId};
use outlay_store::bench_data::{self, Viewer};
use outlay_store::expenses::ListFilter;
use outlay_store::Store;
use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "scale", about = "Outlay's scale benchmark over HTTP")]
struct Args {
    /// The database `outlay bench-data` loaded.
    #[arg(long, env = "OUTLAY_DATABASE_URL")]
    database_url: String,
    /// The benchmark company; defaults to the newest one `bench-data` loaded.
    #[arg(long)]
    org: Option<i64>,
    /// Measured requests per cell.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Unmeasured requests before each cell (the pool's connections prepare their
    /// statements on first use).
    #[arg(long, default_value_t = 30)]
    warmup: usize,
    /// Which page is the deep page.
    #[arg(long, default_value_t = 20)]
    deep_page: usize,
    /// Only these viewers (comma-separated labels).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn login(&self, email: &str) -> String {
        let body: Value = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&serde_json::json!({"email": email, "password": outlay_core::demo::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {email} failed: {body}"))
            .to_string()
    }

    /// One GET: status, body and the time until the whole body arrived.
    async fn get(&self, token: &str, path: &str) -> (u16, Value, Duration) {
        let started = Instant::now();
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let took = started.elapsed();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            took,
        )
    }

    /// The path of page `n` (1-based) of a list, following `next_cursor`, or of its last page
    /// when it has fewer; and which page that is.
    async fn page(&self, token: &str, list: &str, n: usize) -> (String, usize) {
        let sep = if list.contains('?') { '&' } else { '?' };
        let mut path = list.to_string();
        for page in 1..n {
            let (status, body, _) = self.get(token, &path).await;
            if status != 200 {
                return (path, page);
            }
            match body["next_cursor"].as_str() {
                Some(c) => path = format!("{list}{sep}cursor={c}"),
                None => return (path, page),
            }
        }
        (path, n)
    }
}

/// p50 and p99 (nearest rank) in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |p: f64| {
        let rank = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

struct Cell {
    p50: f64,
    p99: f64,
    note: String,
}

async fn measure(client: &Client, token: &str, paths: &[String], args: &Args) -> Cell {
    let mut samples = Vec::with_capacity(args.requests);
    let mut errors = 0;
    for i in 0..args.warmup + args.requests {
        let path = &paths[i % paths.len()];
        let (status, _, took) = client.get(token, path).await;
        if status != 200 {
            errors += 1;
        }
        if i >= args.warmup {
            samples.push(took);
        }
    }
    let (p50, p99) = percentiles(samples);
    Cell {
        p50,
        p99,
        note: if errors > 0 {
            format!("{errors} non-200")
        } else {
            String::new()
        },
    }
}

async fn viewer_row(client: &Client, org: i64, v: &Viewer, args: &Args) -> Vec<Cell> {
    let token = client.login(&v.email).await;
    let expenses = format!("/api/v1/orgs/{org}/expenses?limit=50");
    let submitted = format!("/api/v1/orgs/{org}/expenses?limit=50&status=submitted");
    let members = format!("/api/v1/orgs/{org}/members?limit=50");
    let (deep_expenses, expenses_page) = client.page(&token, &expenses, args.deep_page).await;
    let (deep_members, members_page) = client.page(&token, &members, args.deep_page).await;
    // GET by id: the expenses of the first page, in turn.
    let (_, first, _) = client.get(&token, &expenses).await;
    let ids: Vec<String> = first["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|e| e["id"].as_i64())
                .map(|id| format!("/api/v1/orgs/{org}/expenses/{id}"))
                .collect()
        })
        .unwrap_or_default();
    let mut cells = vec![
        measure(client, &token, std::slice::from_ref(&expenses), args).await,
        measure(client, &token, std::slice::from_ref(&submitted), args).await,
        measure(client, &token, std::slice::from_ref(&deep_expenses), args).await,
        measure(client, &token, std::slice::from_ref(&members), args).await,
        measure(client, &token, std::slice::from_ref(&deep_members), args).await,
    ];
    if expenses_page != args.deep_page {
        cells[2].note = format!("last page: {expenses_page}");
    }
    if members_page != args.deep_page {
        cells[4].note = format!("last page: {members_page}");
    }
    cells.push(if ids.is_empty() {
        Cell {
            p50: f64::NAN,
            p99: f64::NAN,
            note: "no expense".into(),
        }
    } else {
        measure(client, &token, &ids, args).await
    });
    cells
}

/// What the viewer's `expense.view` reaches (members, overlaps counted twice) and the shape
/// the store chooses for their first page.
async fn reach_of(store: &Store, org: OrgId, viewer: MemberId) -> (String, String) {
    let mut conn = store.read().await.unwrap();
    let row = outlay_store::members::get(&mut conn, org, viewer)
        .await
        .unwrap()
        .unwrap();
    let principal = outlay_store::members::principal(&mut conn, org, &row)
        .await
        .unwrap();
    let Some(scope) = principal.list_scope(outlay::clock::system()(), Action::ExpenseView) else {
        return ("nothing".into(), "-".into());
    };
    let filter = ListFilter {
        limit: 51,
        ..ListFilter::default()
    };
    let shape = outlay_store::owned::shape(&mut conn, org, viewer, &scope, &filter)
        .await
        .unwrap();
    let reach = if scope.all {
        "all".to_string()
    } else {
        let n = outlay_store::scope::reach_size(&mut conn, org, viewer, &scope, i64::MAX)
            .await
            .unwrap();
        format!("{n} member{}", if n == 1 { "" } else { "s" })
    };
    (reach, format!("{shape:?}").to_lowercase())
}

fn main() {
    let args = Args::parse();
    let _ = args.bench;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(args));
}

async fn run(args: Args) {
    let store = Store::open(&args.database_url).await.unwrap();
    store.migrate().await.unwrap();
    let (org, viewers) = {
        let mut conn = store.read().await.unwrap();
        let org = match args.org {
            Some(o) => OrgId(o),
            None => bench_data::latest(&mut conn)
                .await
                .unwrap()
                .expect("no company loaded by `outlay bench-data` in this database"),
        };
        (org, bench_data::viewers(&mut conn, org).await.unwrap())
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = outlay::App::new(store.clone(), outlay::clock::system());
    tokio::spawn(async move {
        let _ = outlay::serve(listener, app).await;
    });
    let client = Client {
        http: reqwest::Client::new(),
        base,
    };
    let backend = match store.backend() {
        outlay_store::Backend::Sqlite => "SQLite",
        outlay_store::Backend::Postgres => "PostgreSQL",
    };
    eprintln!(
        "{backend}, company {}: {} requests per cell after {} warm-up, server in process on 127.0.0.1",
        org.0, args.requests, args.warmup
    );
    // The floor under every figure on this machine: a request that touches no database (an
    // unknown path, 404) and one that reads two rows (`/me`: the session and memberships).
    let floor_token = match viewers.first() {
        Some(v) => client.login(&v.email).await,
        None => String::new(),
    };
    let mut floor = Vec::new();
    for (name, path) in [
        ("no database (404)", "/api/v1/no-such-path"),
        ("GET /me", "/api/v1/me"),
    ] {
        let mut samples = Vec::with_capacity(args.requests);
        for i in 0..args.warmup + args.requests {
            let (_, _, took) = client.get(&floor_token, path).await;
            if i >= args.warmup {
                samples.push(took);
            }
        }
        let (p50, p99) = percentiles(samples);
        floor.push(format!("{name} {p50:.1} / {p99:.1} ms"));
    }
    let deep = args.deep_page;
    println!(
        "| viewer | reach | expense list shape | expenses p50 / p99 | status=submitted | expenses page {deep} | members | members page {deep} | GET expense |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let started = Instant::now();
    let mut worst_list: f64 = 0.0;
    let mut worst_get: f64 = 0.0;
    for v in &viewers {
        if !args.only.is_empty() && !args.only.iter().any(|o| o == v.label) {
            continue;
        }
        let cells = viewer_row(&client, org.0, v, &args).await;
        for (i, c) in cells.iter().enumerate() {
            if c.note.contains("non-200") || c.p99.is_nan() {
                continue;
            }
            if i == 5 {
                worst_get = worst_get.max(c.p99);
            } else {
                worst_list = worst_list.max(c.p99);
            }
        }
        let (reach, shape) = reach_of(&store, org, v.member).await;
        let shown: Vec<String> = cells
            .iter()
            .map(|c| {
                let figures = if c.p50.is_nan() {
                    "-".to_string()
                } else {
                    format!("{:.1} / {:.1}", c.p50, c.p99)
                };
                if c.note.is_empty() {
                    figures
                } else {
                    format!("{figures} ({})", c.note)
                }
            })
            .collect();
        println!(
            "| {} (member {}) | {reach} | {shape} | {} |",
            v.label,
            v.member.0,
            shown.join(" | ")
        );
    }
    println!("\nFloor (p50 / p99): {}.", floor.join("; "));
    eprintln!(
        "worst p99: lists {worst_list:.1} ms (goal 20), GET {worst_get:.1} ms (goal 5); {:.0} s",
        started.elapsed().as_secs_f64()
    );
}
