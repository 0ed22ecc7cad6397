//! Outlay's pure core: the permission catalog, roles, grants, decisions and the domain rules
//! of members and expenses. Nothing here does IO, spawns tasks or reads the clock: the caller
//! passes `now` in, so every time-bound rule is testable at its exact boundary.

pub mod advance;
pub mod authorize;
pub mod bank_account;
pub mod catalog;
pub mod category;
pub mod checks;
pub mod correction;
pub mod decision;
pub mod demo;
pub mod expense;
pub mod fx;
pub mod grant;
pub mod ids;
pub mod invariants;
pub mod lifecycle;
pub mod member;
pub mod mileage;
pub mod money;
pub mod org;
pub mod permit;
pub mod policy;
pub mod preset;
pub mod principal;
pub mod recovery;
pub mod reimbursement;
pub mod report;
pub mod role;
pub mod trip;
pub mod validate;

pub use authorize::{decide, Context, DelegationKind, OnBehalf, Request, ResourceRef};
pub use catalog::{Action, PermSet, Permission, PermissionInfo, Resource, Scope};
pub use decision::{Decision, DenialKind, Granted, Reason};
pub use grant::{Grant, GrantOptions, GrantSpec, PermGroup, Timestamp};
pub use ids::{GrantId, MemberId, OrgId, TeamId};
pub use org::{Line, OrgChart, Target};
pub use preset::Preset;
pub use principal::{ListScope, MemberKind, Principal, ResolvedGrant};
pub use role::{Role, RoleBook};
