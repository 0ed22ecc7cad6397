//! The committed migration trees are exactly the rendering of their one source each: nobody
//! edits one tree by hand, and the files sqlx embeds (and whose checksums databases record)
//! are the ones the source describes, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use outlay_store::migration_source::render_all;
use std::collections::BTreeSet;
use std::path::Path;

fn migrations() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations")
}

#[test]
fn each_committed_migration_is_the_rendering_of_its_source() {
    let rendered = render_all(&migrations()).unwrap();
    assert!(rendered.len() >= 20, "{} rendered", rendered.len());
    for r in &rendered {
        let committed = std::fs::read_to_string(&r.path)
            .unwrap_or_else(|e| panic!("{}: {e}: run scripts/render-migrations", r.path.display()));
        assert!(
            committed == r.text,
            "{} differs from the rendering of its source: change the source under \
             migrations/source and run scripts/render-migrations",
            r.path.display()
        );
    }
}

#[test]
fn every_committed_migration_has_a_source() {
    let names = |dir: &str| -> BTreeSet<String> {
        std::fs::read_dir(migrations().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect()
    };
    let source = names("source");
    assert!(!source.is_empty());
    assert_eq!(
        names("sqlite"),
        source,
        "a SQLite migration without a source"
    );
    assert_eq!(
        names("postgres"),
        source,
        "a PostgreSQL migration without a source"
    );
}
