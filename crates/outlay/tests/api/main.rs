//! All HTTP integration tests, in one binary: each boots the real server on a free loopback
//! port over a fresh SQLite file (or PostgreSQL database) seeded with the demo companies.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Tests read and tamper with rows directly, and seed without permits.
#![allow(clippy::disallowed_methods)]

mod advances;
mod approval_property;
mod approvals;
mod audit_seal;
mod categories;
mod cli;
mod corrections;
mod corrupt;
mod crash;
mod crowding;
mod delegation;
mod differential;
mod edge;
mod escalation;
mod grant_explain;
mod guards;
mod harness;
mod identity;
mod lifecycle;
mod mail;
mod migrations;
mod openapi;
mod ops;
mod outage;
mod policies;
mod presets;
mod preview;
mod quotas;
mod rates;
mod reports;
mod sepa;
mod servers;
mod smoke;
mod stories;
mod trips;
