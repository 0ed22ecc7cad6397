//! `outlay audit ...` and the audit key option: where the key that seals the audit chain
//! comes from, taking a company's head, exporting its chain, and verifying either against a
//! head, online or offline.

use clap::{Args, Subcommand};
use outlay_core::OrgId;
use outlay_store::audit_chain::{AuditKey, Entry, Head, Verdict, Verifier};
use outlay_store::Store;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where the audit key comes from. The key never enters the database: whoever can write
/// the database but not read the key cannot rewrite the log unnoticed.
#[derive(Args, Clone, Debug)]
pub struct AuditKeyArgs {
    /// File holding the key that seals the audit log (at least 32 characters). Default for
    /// a SQLite database: `<database file>.audit-key` beside it, created on first start.
    /// Required for PostgreSQL: every server of one database needs the same key. The
    /// environment variable `OUTLAY_AUDIT_KEY` may give the key itself instead.
    #[arg(long, env = "OUTLAY_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
}

impl AuditKeyArgs {
    /// The key for the database at `url`; a server (`create`) makes the default key file of
    /// a SQLite database when it is missing, a checker never does.
    pub fn load(&self, url: &str, create: bool) -> Result<Option<AuditKey>, BoxError> {
        if let Ok(text) = std::env::var("OUTLAY_AUDIT_KEY") {
            return Ok(Some(
                AuditKey::new(&text).map_err(|e| format!("OUTLAY_AUDIT_KEY: {e}"))?,
            ));
        }
        if let Some(path) = &self.audit_key_file {
            return read_key(path).map(Some);
        }
        let Some(path) = default_key_file(url) else {
            if url.starts_with("sqlite:") {
                // An in-memory database lives as long as the process: so may its key.
                return Ok(Some(AuditKey::new(&AuditKey::generate())?));
            }
            if !create {
                return Ok(None);
            }
            return Err(
                "PostgreSQL needs an audit key: give --audit-key-file (or OUTLAY_AUDIT_KEY); \
                        every server of the database needs the same one"
                    .into(),
            );
        };
        if path.exists() {
            return read_key(&path).map(Some);
        }
        if !create {
            return Ok(None);
        }
        write_new_key(&path)?;
        eprintln!(
            "created audit key {}: keep it (and a copy away from the database); the audit log cannot be verified without it",
            path.display()
        );
        read_key(&path).map(Some)
    }
}

/// `<file>.audit-key` beside a SQLite database file.
fn default_key_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    let file = rest.split('?').next()?;
    if file.is_empty() || file.contains(":memory:") {
        return None;
    }
    Some(PathBuf::from(format!("{file}.audit-key")))
}

fn read_key(path: &Path) -> Result<AuditKey, BoxError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read audit key {}: {e}", path.display()))?;
    Ok(AuditKey::new(&text).map_err(|e| format!("audit key {}: {e}", path.display()))?)
}

/// A new random key, readable by its owner only.
fn write_new_key(path: &Path) -> Result<(), BoxError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create audit key {}: {e}", path.display()))?;
    writeln!(file, "{}", AuditKey::generate())?;
    file.sync_all()?;
    Ok(())
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check every company's chain (or one's) with the key, streaming; names the first bad
    /// entry and exits with status 1 if any chain is broken. With `--head`, also finds newest
    /// entries removed since the head was taken; with `--file`, checks an exported chain
    /// offline instead of the database.
    Verify {
        /// Only this company.
        #[arg(long)]
        org: Option<i64>,
        /// A head written by `outlay audit head` (JSON).
        #[arg(long)]
        head: Option<PathBuf>,
        /// A chain written by `outlay audit export` (JSON lines), checked offline.
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
        #[command(flatten)]
        key: AuditKeyArgs,
    },
    /// Print a company's head (entry count and newest seal) as JSON: keep it outside the
    /// database and give it to `verify --head` later.
    Head {
        #[arg(long)]
        org: i64,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
    },
    /// Write a company's chain as JSON lines to standard output, oldest first, streaming.
    Export {
        #[arg(long)]
        org: i64,
        #[arg(
            long,
            env = "OUTLAY_DATABASE_URL",
            default_value = "sqlite://outlay.db"
        )]
        database_url: String,
    },
}

pub async fn run(command: AuditCommand) -> Result<(), BoxError> {
    match command {
        AuditCommand::Verify {
            org,
            head,
            file,
            database_url,
            key,
        } => {
            let key = key.load(&database_url, false)?;
            let head = head.map(|p| read_head(&p)).transpose()?;
            match file {
                Some(file) => verify_file(&file, org, key.as_ref(), head),
                None => verify_database(&database_url, org, key.as_ref(), head).await,
            }
        }
        AuditCommand::Head { org, database_url } => {
            let store = Store::open(&database_url).await?;
            let mut conn = store.read().await?;
            known(&mut conn, org).await?;
            let h = outlay_store::audit::head(&mut conn, OrgId(org)).await?;
            println!("{}", serde_json::to_string(&h)?);
            Ok(())
        }
        AuditCommand::Export { org, database_url } => {
            let store = Store::open(&database_url).await?;
            let mut conn = store.read().await?;
            known(&mut conn, org).await?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut after = 0;
            loop {
                let page = outlay_store::audit::entries_after(
                    &mut conn,
                    OrgId(org),
                    after,
                    outlay_store::audit::PAGE,
                )
                .await?;
                for e in &page {
                    serde_json::to_writer(&mut out, e)?;
                    out.write_all(b"\n")?;
                }
                match page.last() {
                    Some(last) if page.len() as i64 == outlay_store::audit::PAGE => after = last.id,
                    _ => break,
                }
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// Refuses a company that does not exist, rather than calling its empty chain intact.
async fn known(conn: &mut outlay_store::Conn, org: i64) -> Result<(), BoxError> {
    match outlay_store::orgs::get(conn, OrgId(org)).await? {
        Some(_) => Ok(()),
        None => Err(format!("no such company: {org}").into()),
    }
}

fn read_head(path: &Path) -> Result<Head, BoxError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read head {}: {e}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| format!("head {}: {e}", path.display()))?)
}

async fn verify_database(
    url: &str,
    org: Option<i64>,
    key: Option<&AuditKey>,
    head: Option<Head>,
) -> Result<(), BoxError> {
    let store = Store::open(url).await?;
    let mut conn = store.read().await?;
    let orgs = match (org, &head) {
        (Some(o), _) => {
            known(&mut conn, o).await?;
            vec![OrgId(o)]
        }
        (None, Some(h)) => {
            known(&mut conn, h.org).await?;
            vec![OrgId(h.org)]
        }
        (None, None) => outlay_store::orgs::ids(&mut conn).await?,
    };
    if head.as_ref().is_some_and(|h| orgs != [OrgId(h.org)]) {
        return Err("the head given is another company's".into());
    }
    let mut bad = 0;
    for org in orgs {
        let verdict = outlay_store::audit::verify(&mut conn, org, key, head.clone()).await?;
        bad += usize::from(!report(org.0, &verdict));
    }
    if bad > 0 {
        return Err(format!("{bad} audit chain(s) do not hold").into());
    }
    Ok(())
}

fn verify_file(
    path: &Path,
    org: Option<i64>,
    key: Option<&AuditKey>,
    head: Option<Head>,
) -> Result<(), BoxError> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines = std::io::BufReader::new(file).lines();
    let mut verifier = None;
    let mut company = org.or(head.as_ref().map(|h| h.org));
    for (n, line) in lines.by_ref().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(&line)
            .map_err(|e| format!("{} line {}: {e}", path.display(), n + 1))?;
        let org = *company.get_or_insert(entry.org_id);
        let v = verifier.get_or_insert_with(|| Verifier::new(org, key, head.clone()));
        if !v.push(&entry) {
            break;
        }
    }
    let org = company.unwrap_or_default();
    let verdict = verifier
        .unwrap_or_else(|| Verifier::new(org, key, head))
        .finish();
    if report(org, &verdict) {
        Ok(())
    } else {
        Err("the exported chain does not hold".into())
    }
}

/// Prints the verdict; true when the chain holds.
fn report(org: i64, verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Intact { entries, unsealed } => {
            let note = match unsealed {
                0 => String::new(),
                n => format!(", the first {n} written before the log had a key"),
            };
            println!("org {org}: intact ({entries} entries{note})");
            true
        }
        Verdict::Broken { id, why } => {
            println!("org {org}: BROKEN at entry {id}: {why}");
            false
        }
        Verdict::Truncated {
            entries,
            head_entries,
        } => {
            println!(
                "org {org}: TRUNCATED: {entries} entries, the head says {head_entries}: newest entries were removed"
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_key_sits_beside_a_sqlite_file() {
        assert_eq!(
            default_key_file("sqlite://data/outlay.db?mode=rwc"),
            Some(PathBuf::from("data/outlay.db.audit-key"))
        );
        assert_eq!(default_key_file("sqlite::memory:"), None);
        assert_eq!(default_key_file("postgres://u:p@h/db"), None);
    }
}
