//! Creating a company for a server operator (`outlay org create`): the founder is invited
//! with the preset's top role and joins through a one-time link, setting their password.

use outlay_core::{preset, validate, OrgId};
use outlay_store::founding::{self, Founding};
use outlay_store::Store;

/// How long the founder's link stays usable: as long as any invitation.
pub const LINK_SECONDS: i64 = 14 * 24 * 3600;

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub preset: &'a str,
    pub owner_email: &'a str,
    pub owner_name: Option<&'a str>,
    pub currency: &'a str,
}

pub struct Created {
    pub org: OrgId,
    pub role: &'static str,
    /// Shown once; only its hash is stored.
    pub token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{0}")]
    Invalid(#[from] validate::ValidationError),
    #[error("`{0}` is not a preset; one of: outlay, pleo, eloope, pliant, qonto, plane")]
    UnknownPreset(String),
    #[error(transparent)]
    Store(#[from] outlay_store::StoreError),
}

/// Creates the company, the founder's invited membership with the top role, and the link.
pub async fn create(
    store: &Store,
    c: NewCompany<'_>,
    now: outlay_core::Timestamp,
) -> Result<Created, CreateError> {
    let name = validate::text("name", c.name, 120)?;
    let preset =
        preset::get(c.preset.trim()).ok_or_else(|| CreateError::UnknownPreset(c.preset.into()))?;
    let email = validate::email(c.owner_email)?;
    let owner_name = match c.owner_name {
        Some(n) => validate::text("owner-name", n, 120)?,
        None => email.split('@').next().unwrap_or(&email).to_string(),
    };
    outlay_core::money::Money::new(1, c.currency.trim())
        .map_err(|e| validate::ValidationError::new("currency", e.reason))?;
    let mut tx = store.write(now).await?;
    let person = match outlay_store::auth::person_by_email(&mut tx, &email).await? {
        Some(p) => p.id,
        None => outlay_store::auth::create_person(&mut tx, &email, &owner_name, None, now).await?,
    };
    let (token, token_hash) = crate::tokens::issue();
    let founding = Founding {
        name: &name,
        preset,
        base_currency: c.currency.trim(),
        founder_name: &owner_name,
        invitation: Some((&token_hash, now.plus_seconds(LINK_SECONDS))),
    };
    let founder = outlay_core::permit::found_company(person);
    let (org, _) = founding::found(&mut tx, &founding, founder).await?;
    tx.audit(outlay_store::audit::NewEvent {
            org,
            at: now,
            actor_member: None,
            actor_person: None,
            action: "org.create",
            target: &format!("org:{}", org.0),
            outcome: outlay_store::audit::Outcome::Allowed,
            reason: "operator",
        detail: serde_json::json!({"name": name, "preset": preset.key, "founder": email, "role": preset.top}),
    })
    .await?;
    tx.commit().await?;
    Ok(Created {
        org,
        role: preset.top,
        token,
    })
}
