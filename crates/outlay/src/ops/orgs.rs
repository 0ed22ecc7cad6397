//! The company itself: closing it. Founding one is `outlay_store::orgs::found`, run for a
//! person rather than a member (nobody is a member yet).

use super::{Actor, Change, Done, Error, Result};
use outlay_core::{authorize, Action};
use outlay_store::orgs::{self, OrgRow};
use outlay_store::Write;
use serde_json::json;

/// Close the company: from then on it refuses every change; its owners and auditors keep
/// reading.
pub struct Close {
    pub reason: String,
}

impl Change for Close {
    type Output = OrgRow;

    fn action(&self) -> &'static str {
        "account.close"
    }

    fn target(&self, actor: &Actor) -> String {
        format!("org:{}", actor.org.0)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<OrgRow>> {
        let permit =
            authorize::company_permit(&actor.principal, actor.ctx(), Action::AccountClose)?;
        orgs::close(w, actor.org, &self.reason, permit).await?;
        let row = orgs::get(w, actor.org).await?.ok_or(Error::NotFound)?;
        Ok(Done::new(row, json!({"reason": self.reason})))
    }
}
