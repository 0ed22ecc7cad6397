//! The command line: `serve`, `migrate`, `demo`, `org create` and `bench-data`.

use crate::audit_cli::AuditKeyArgs;
use crate::limit_args::LimitArgs;
use clap::{Parser, Subcommand};
use outlay_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "outlay",
    version,
    about = "Self-hostable spend management with explainable permissions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (runs pending migrations first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "OUTLAY_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Database URL, e.g. `sqlite://outlay.db`.
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        audit_key: AuditKeyArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: crate::audit_cli::AuditCommand,
    },
    /// Companies: create one for a person who sets their password through a one-time link.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Start a server over a fresh demo database with companies Acme and Globex and one
    /// company per seed preset.
    Demo {
        #[arg(long, env = "OUTLAY_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// The demo database file; replaced on every start.
        #[arg(long, default_value = "outlay-demo.db")]
        database: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        audit_key: AuditKeyArgs,
    },
    /// Load a deterministic benchmark company (reporting tree 6-8 deep, spans 5-15, teams,
    /// grants, three years of expenses in every status) into a fresh company of the
    /// database, and print its benchmark viewers with their logins.
    BenchData {
        /// Members of the company.
        #[arg(long, default_value_t = 100_000)]
        members: usize,
        /// Expenses over three years.
        #[arg(long, default_value_t = 5_000_000)]
        expenses: usize,
        /// The same seed gives the same company.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The company's name.
        #[arg(long, default_value = "Bench Corp")]
        name: String,
        /// A database of its own by default: benchmark people all share the published demo
        /// password, so they never go into a database that serves people.
        #[arg(
            long,
            env = "OUTLAY_BENCH_DATABASE_URL",
            default_value = "sqlite://outlay-bench.db"
        )]
        database_url: String,
        /// Load even into a database that holds companies bench-data did not make.
        #[arg(long)]
        force: bool,
    },
    /// Copy a SQLite database to PATH while it serves (a consistent snapshot, WAL included).
    /// PostgreSQL: use `pg_dump` (README, "Backups").
    Backup {
        /// The backup file to write; must not exist yet.
        path: PathBuf,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
    },
    /// Put a backup made by `outlay backup` in place of the SQLite database. Stop the server
    /// first; an existing database is replaced only with `--force`.
    Restore {
        /// The backup file.
        path: PathBuf,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create a company whose top role (owner, account holder or admin) goes to `--owner-email`,
    /// and print a one-time link for them to set their password and join.
    Create {
        /// The company's name.
        #[arg(long)]
        name: String,
        /// The role-model preset: outlay, pleo, eloope, pliant, qonto or plane.
        #[arg(long, default_value = "outlay")]
        preset: String,
        /// Email of the person who will hold the top role.
        #[arg(long)]
        owner_email: String,
        /// Their name; defaults to the part of the email before `@`.
        #[arg(long)]
        owner_name: Option<String>,
        /// ISO 4217 code of the company currency.
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
        /// Where the server is reached, for the printed link.
        #[arg(
            long,
            env = "OUTLAY_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        audit_key: AuditKeyArgs,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Loading a benchmark company runs statements that are slow by design: sqlx's warnings
    // about them would bury the progress bar.
    let filter = match cli.command {
        Command::BenchData { .. } => "outlay=info,sqlx::query=error,warn",
        _ => "outlay=info,warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn open(url: &str) -> Result<Store, BoxError> {
    open_waiting(url, outlay_store::LOCK_WAIT).await
}

/// Opens and migrates the store, statements waiting at most `lock_wait` for a lock.
async fn open_waiting(url: &str, lock_wait: std::time::Duration) -> Result<Store, BoxError> {
    let store = Store::open_waiting(url, lock_wait).await?;
    let applied = store.migrate().await?;
    if applied > 0 {
        eprintln!("applied {applied} migration(s) to {url}");
    }
    Ok(store)
}

/// The store sealing its audit entries with `key` (a server always has one).
fn keyed(store: Store, key: Option<outlay_store::audit_chain::AuditKey>) -> Store {
    match key {
        Some(k) => store.with_audit_key(k),
        None => store,
    }
}

async fn serve(store: Store, bind: SocketAddr, limits: LimitArgs) -> Result<(), BoxError> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr()?;
    let companies = {
        let mut conn = store.read().await?;
        outlay_store::orgs::count(&mut conn).await?
    };
    if companies == 0 {
        eprintln!(
            "no company yet. Create the first one with\n  outlay org create --name NAME --preset outlay --owner-email YOU@EXAMPLE.COM\n\
             (presets: outlay, pleo, eloope, pliant, qonto, plane), or log in and POST /api/v1/orgs."
        );
    }
    // Planner statistics: now, then hourly.
    let stats = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = stats.optimize().await {
                tracing::warn!(error = %e, "could not refresh planner statistics");
            }
        }
    });
    eprintln!("outlay listening on http://{addr} (API under /api/v1, OpenAPI at /api/v1/openapi.json, metrics at /metrics); ctrl-c or SIGTERM stops");
    let mut settings = limits.limits();
    settings.mail = limits.mailer()?;
    let app = crate::App::with_limits(store, crate::clock::system(), settings);
    crate::serve(listener, app).await?;
    Ok(())
}

async fn run(command: Command) -> Result<(), BoxError> {
    match command {
        Command::Serve {
            bind,
            database_url,
            limits,
            audit_key,
        } => {
            let key = audit_key.load(&database_url, true)?;
            let store = open_waiting(&database_url, limits.limits().lock_wait).await?;
            let store = keyed(store, key);
            serve(store, bind, limits).await
        }
        Command::Org {
            command:
                OrgCommand::Create {
                    name,
                    preset,
                    owner_email,
                    owner_name,
                    currency,
                    database_url,
                    public_url,
                    audit_key,
                },
        } => {
            let key = audit_key.load(&database_url, true)?;
            let store = keyed(open(&database_url).await?, key);
            let created = crate::org::create(
                &store,
                crate::org::NewCompany {
                    name: &name,
                    preset: &preset,
                    owner_email: &owner_email,
                    owner_name: owner_name.as_deref(),
                    currency: &currency,
                },
                crate::clock::system()(),
            )
            .await?;
            let base = public_url.trim_end_matches('/');
            println!(
                "created company {} (org id {}, preset {}); {} holds its `{}` role once they accept.",
                name, created.org.0, preset, owner_email, created.role
            );
            println!(
                "one-time link (valid 14 days): {base}/api/v1/invitations/{}/accept\n\
                 set the password with:\n  curl -s -X POST {base}/api/v1/invitations/{}/accept \\\n    -H 'content-type: application/json' -d '{{\"password\":\"a long passphrase\"}}'",
                created.token, created.token
            );
            Ok(())
        }
        Command::Audit { command } => crate::audit_cli::run(command).await,
        Command::Migrate { database_url } => {
            let store = Store::open(&database_url).await?;
            let applied = store.migrate().await?;
            println!("{applied} migration(s) applied; {database_url} is up to date");
            Ok(())
        }
        Command::BenchData {
            members,
            expenses,
            seed,
            name,
            database_url,
            force,
        } => {
            if !force {
                crate::backup::refuse_serving(&database_url).await?;
            }
            bench_data(&database_url, members, expenses, seed, &name).await
        }
        Command::Backup { path, database_url } => crate::backup::backup(&database_url, &path).await,
        Command::Restore {
            path,
            database_url,
            force,
        } => crate::backup::restore(&path, &database_url, force).await,
        Command::Demo {
            bind,
            database,
            mut limits,
            audit_key,
        } => {
            // No mail server in a tour: invitation tokens are shown to the inviter.
            limits.show_tokens();
            for suffix in ["", "-wal", "-shm"] {
                let mut p = database.clone().into_os_string();
                p.push(suffix);
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(format!(
                            "cannot remove old demo database {}: {e}",
                            database.display()
                        )
                        .into())
                    }
                }
            }
            let url = format!("sqlite://{}", database.display());
            let key = audit_key.load(&url, true)?;
            let store = keyed(open_waiting(&url, limits.limits().lock_wait).await?, key);
            let seeded =
                crate::demo::seed(&store, crate::clock::system()(), |m| eprintln!("{m}..."))
                    .await?;
            println!(
                "\nDemo companies (every password: {}):",
                outlay_core::demo::PASSWORD
            );
            for c in &seeded.companies {
                println!("\n  {} (org id {})", c.name, c.org.0);
                for (email, member, roles) in &c.people {
                    println!("    {email:<24} member {:<3} {roles}", member.0);
                }
            }
            println!("\nTry:\n  curl -s http://{bind}/api/v1/auth/login -H 'content-type: application/json' \\\n    -d '{{\"email\":\"alice@acme.example\",\"password\":\"{}\"}}'\n", outlay_core::demo::PASSWORD);
            serve(store, bind, limits).await
        }
    }
}

/// A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise.
struct ProgressBar {
    terminal: bool,
    stage: String,
    shown: usize,
}

impl ProgressBar {
    fn new() -> ProgressBar {
        use std::io::IsTerminal;
        ProgressBar {
            terminal: std::io::stderr().is_terminal(),
            stage: String::new(),
            shown: usize::MAX,
        }
    }

    fn update(&mut self, p: outlay_store::bench_data::Progress<'_>) {
        let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
        let new_stage = self.stage != p.stage;
        if new_stage && self.terminal && !self.stage.is_empty() {
            eprintln!();
        }
        if new_stage {
            self.stage = p.stage.to_string();
            self.shown = usize::MAX;
        }
        let step = if self.terminal { pct } else { pct / 10 * 10 };
        if step == self.shown {
            return;
        }
        self.shown = step;
        let filled = pct * 30 / 100;
        let line = format!(
            "{:<16} [{}{}] {:>3}% {:>9}/{:<9} {:>6.1} s",
            p.stage,
            "#".repeat(filled),
            ".".repeat(30 - filled),
            pct,
            p.done,
            p.total,
            p.elapsed.as_secs_f64()
        );
        if self.terminal {
            eprint!("\r{line}");
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

// Loading a benchmark company is seeding: no request, no permit.
#[allow(clippy::disallowed_methods)]
async fn bench_data(
    url: &str,
    members: usize,
    expenses: usize,
    seed: u64,
    name: &str,
) -> Result<(), BoxError> {
    let store = open(url).await?;
    let started = std::time::Instant::now();
    // One argon2id hash of the published demo password serves every generated person.
    let hash = tokio::task::spawn_blocking(|| crate::password::hash(outlay_core::demo::PASSWORD))
        .await?
        .map_err(|e| format!("password hashing failed: {e}"))?;
    let mut bar = ProgressBar::new();
    let loaded = outlay_store::bench_data::load(
        &store,
        &outlay_store::bench_data::Spec {
            members,
            expenses,
            seed,
            name,
            password_hash: &hash,
        },
        |p| bar.update(p),
    )
    .await?;
    bar.finish();
    let took = started.elapsed();
    println!(
        "loaded company {name} (org id {}) in {:.1} s: {} members in {} levels, {} reporting lines, {} teams ({} memberships), {} grants, {} expenses",
        loaded.org.0,
        took.as_secs_f64(),
        loaded.members,
        loaded.levels,
        loaded.reporting_lines,
        loaded.teams,
        loaded.team_members,
        loaded.grants,
        loaded.expenses,
    );
    println!(
        "\nBenchmark viewers (every password: {}):",
        outlay_core::demo::PASSWORD
    );
    for v in &loaded.viewers {
        println!(
            "  {:<13} member {:<9} {:<34} {:>3} reports, {:>6} below; {}",
            v.label, v.member.0, v.email, v.reports, v.below, v.roles
        );
    }
    println!(
        "\nMeasure with:\n  cargo bench -p outlay --bench scale -- --database-url '{url}' --org {}",
        loaded.org.0
    );
    store.close().await;
    Ok(())
}
