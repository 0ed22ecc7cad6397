//! Outlay: the HTTP API, the CLI and the demo, on top of the pure core and the store.

pub mod audit_cli;
pub mod backup;
pub mod cli;
pub mod demo;
pub mod http;
pub mod limit_args;
pub mod org;

pub use http::{router, serve, App, Limits};
pub use outlay_app::{clock, ops, password, tokens};
