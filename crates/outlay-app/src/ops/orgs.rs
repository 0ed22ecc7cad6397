//! The company itself: founding one (run for a person, as nobody is a member yet: the
//! founder becomes the member holding the preset's top role) and closing it.

use super::{Actor, Change, Done, Error, Result};
use outlay_core::preset::Preset;
use outlay_core::{authorize, Action, MemberId, Timestamp};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::auth::PersonRow;
use outlay_store::founding::{self, Founding};
use outlay_store::orgs::{self, OrgRow};
use outlay_store::{Store, Write};
use serde_json::json;

/// Found a company in `base_currency` under `preset`.
pub struct Found {
    pub name: String,
    pub preset: &'static Preset,
    pub base_currency: String,
}

/// Founds the company with `founder` as its top-role member, audited as its first event.
pub async fn found(
    store: &Store,
    founder: &PersonRow,
    now: Timestamp,
    cmd: Found,
) -> Result<(OrgRow, MemberId)> {
    let mut w = store.write(now).await?;
    let founding = Founding {
        name: &cmd.name,
        preset: cmd.preset,
        base_currency: &cmd.base_currency,
        founder_name: &founder.name,
        invitation: None,
    };
    let token = outlay_core::permit::found_company(founder.id);
    let (org, member) = founding::found(&mut w, &founding, token).await?;
    w.audit(NewEvent {
        org,
        at: now,
        actor_member: Some(member),
        actor_person: Some(founder.id),
        action: "org.create",
        target: &format!("org:{}", org.0),
        outcome: Outcome::Allowed,
        reason: "founder",
        detail: json!({"name": cmd.name, "preset": cmd.preset.key,
                       "base_currency": cmd.base_currency, "role": cmd.preset.top}),
    })
    .await?;
    let row = orgs::get(&mut w, org).await?.ok_or(Error::NotFound)?;
    w.commit().await?;
    Ok((row, member))
}

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
