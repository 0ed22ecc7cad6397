//! Typed path parameters: each route's ids by name, documented once and checked before a
//! handler runs. An id that is not a positive number names nothing anyone may see, so it is
//! a 404 like any other id that is not visible (`extract::Path`).

use serde::Deserialize;
use utoipa::IntoParams;

/// What a path's ids must satisfy before a handler sees them.
pub trait Checked {
    fn valid(&self) -> bool;
}

macro_rules! path_params {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Deserialize, IntoParams)]
        #[into_params(parameter_in = Path)]
        pub struct $name {
            $(
                $(#[$fdoc])*
                #[param(minimum = 1)]
                pub $field: i64,
            )+
        }

        impl Checked for $name {
            fn valid(&self) -> bool {
                $(self.$field > 0)&&+
            }
        }
    };
}

path_params!(
    /// `/orgs/{org}`.
    InOrg {
        /// company id
        org,
    }
);
path_params!(
    /// `/orgs/{org}/members/{id}`.
    MemberPath {
        /// company id
        org,
        /// member id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/expenses/{id}`.
    ExpensePath {
        /// company id
        org,
        /// expense id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/categories/{id}`.
    CategoryPath {
        /// company id
        org,
        /// category id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/reports/{id}`.
    ReportPath {
        /// company id
        org,
        /// report id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/advances/{id}`.
    AdvancePath {
        /// company id
        org,
        /// advance id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/trips/{id}`.
    TripPath {
        /// company id
        org,
        /// trip id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/reports/{id}/expenses/{expense_id}`.
    ReportExpensePath {
        /// company id
        org,
        /// report id
        id,
        /// id of an expense in the report
        expense_id,
    }
);
path_params!(
    /// `/orgs/{org}/role-requests/{id}`.
    RequestPath {
        /// company id
        org,
        /// request id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/delegations/{id}`.
    DelegationPath {
        /// company id
        org,
        /// delegation id
        id,
    }
);
path_params!(
    /// `/orgs/{org}/teams/{id}/members/{member}`.
    TeamMemberPath {
        /// company id
        org,
        /// team id
        id,
        /// member id
        member,
    }
);
path_params!(
    /// `/orgs/{org}/reimbursements/sepa/{id}`.
    SepaPath {
        /// company id
        org,
        /// SEPA file id
        id,
    }
);

/// `/invitations/{token}`.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TokenPath {
    /// the one-time token of an e-mailed link (an invitation or a password reset)
    pub token: String,
}

impl Checked for TokenPath {
    fn valid(&self) -> bool {
        !self.token.is_empty()
    }
}
