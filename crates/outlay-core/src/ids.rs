//! Typed identifiers, so a member id can never be passed where a team id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($name:ident, $what:literal) => {
        #[doc = concat!("Identifier of ", $what, ".")]
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id!(OrgId, "a company (organization)");
id!(MemberId, "a member: one person's membership in one company");
id!(TeamId, "a team inside a company");
id!(GrantId, "a grant: one role held by one member");
