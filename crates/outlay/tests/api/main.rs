//! All HTTP integration tests, in one binary: each boots the real server on a free loopback
//! port over a fresh SQLite file (or PostgreSQL database) seeded with the demo companies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod crash;
mod delegation;
mod differential;
mod edge;
mod guards;
mod harness;
mod lifecycle;
mod migrations;
mod openapi;
mod presets;
mod preview;
mod servers;
mod smoke;
mod stories;
