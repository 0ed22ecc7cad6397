//! Renders `migrations/source/*.sql` into the two trees sqlx embeds
//! (`migrations/sqlite`, `migrations/postgres`; see `outlay_store::migration_source`).
//! Run through `scripts/render-migrations`; `--check` writes nothing and fails when a
//! committed file differs from its rendering, naming it.

use outlay_store::migration_source::render_all;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let rendered = match render_all(&migrations) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = 0;
    for r in rendered {
        if std::fs::read(&r.path).ok().as_deref() == Some(r.text.as_bytes()) {
            continue;
        }
        stale += 1;
        if check {
            eprintln!("{} differs from its source", r.path.display());
        } else if let Err(e) = std::fs::write(&r.path, &r.text) {
            eprintln!("{}: {e}", r.path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", r.path.display());
        }
    }
    if check && stale > 0 {
        eprintln!("run scripts/render-migrations");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
