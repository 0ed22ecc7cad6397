//! One folder per resource, one file per endpoint (`<resource>/<handler>.rs`). Each handler
//! carries the `#[utoipa::path]` that is both its route and its entry in the OpenAPI
//! document: each resource's `routes()` registers its handlers once, with `utoipa_axum`, and
//! `openapi::api()` gathers them. What a resource's endpoints share (its types, loaders and
//! the rules not yet in the core) is in its `mod.rs`.

pub mod advances;
pub mod allowances;
pub mod approval_policy;
pub mod approvals;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod bank_accounts;
pub mod catalog;
pub mod categories;
pub mod corrections;
pub mod delegations;
pub mod expenses;
pub mod health;
pub mod me;
pub mod members;
pub mod notices;
pub mod orgs;
pub mod rates;
pub mod reimbursements;
pub mod reports;
pub mod role_requests;
pub mod roles;
pub mod teams;
pub mod trips;
