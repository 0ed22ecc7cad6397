//! Outlay: the HTTP API, the CLI and the demo, on top of the pure core and the store.

pub mod cli;
pub mod clock;
pub mod demo;
pub mod http;
pub mod limit_args;
pub mod ops;
pub mod org;
pub mod password;
pub mod tokens;

pub use http::{router, serve, App, Limits};
