//! Rebuilds the store when a migration is added: `sqlx::migrate!` embeds the migrations at
//! compile time, and cargo on its own notices only changes to files the crate already
//! includes, so a binary built before a new migration arrived would keep running without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
