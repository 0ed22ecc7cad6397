//! One module per resource; each handler carries the `#[utoipa::path]` whose doc comment
//! becomes its text in the OpenAPI document.

pub mod audit;
pub mod auth;
pub mod authz;
pub mod catalog;
pub mod delegations;
pub mod expenses;
pub mod health;
pub mod me;
pub mod members;
pub mod orgs;
pub mod role_requests;
pub mod roles;
pub mod teams;
