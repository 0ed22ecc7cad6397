//! Founding a company: the company itself (`orgs.rs`) with its default expense categories
//! (`categories.rs`), its founder's membership and grant of the preset's top role
//! (`members.rs`), and, for a founder who accepts later, their
//! invitation (`auth.rs`). It sits above those modules and none of them reads it, so the
//! store's dependencies go one way: founding -> members -> roles -> orgs.

use crate::{Result, Write};
use outlay_core::permit::{self, SelfService};
use outlay_core::{OrgId, Preset, Timestamp};

/// A company about to be founded, with the name of the person who will hold its top role
/// (the founding token names the person).
pub struct Founding<'a> {
    pub name: &'a str,
    pub preset: &'static Preset,
    pub base_currency: &'a str,
    pub founder_name: &'a str,
    /// When a server operator creates the company for someone who accepts later: the
    /// founder is invited, with this invitation (its token's hash and expiry).
    pub invitation: Option<(&'a str, Timestamp)>,
}

/// Founds a company: the company, its founder's membership and their permanent grant of the
/// preset's top role. Needs no grant, only the founding token
/// ([`outlay_core::permit::found_company`]) naming the founder; the founding is audited in
/// the company's own chain.
pub async fn found(
    w: &mut Write,
    f: &Founding<'_>,
    token: SelfService<permit::Founding>,
) -> Result<(OrgId, outlay_core::MemberId)> {
    let founder = w.self_service(token, true).founder_person;
    let now = w.now();
    let org = crate::orgs::create(w.conn(), f.name, f.preset.key, f.base_currency, now).await?;
    w.lock(org).await?;
    crate::categories::seed_defaults(w.conn(), org, now).await?;
    let member = crate::members::create(
        w.conn(),
        org,
        &crate::members::NewMember {
            person: founder,
            name: f.founder_name,
            status: if f.invitation.is_some() {
                crate::members::MemberStatus::Invited
            } else {
                crate::members::MemberStatus::Active
            },
            manager: None,
            kind: outlay_core::MemberKind::Internal,
        },
        now,
    )
    .await?;
    let spec = outlay_core::GrantSpec::role(f.preset.top);
    crate::members::insert_grant(w.conn(), org, member, &spec, now).await?;
    if let Some((token_hash, expires_at)) = f.invitation {
        crate::auth::create_invitation(w, org, member, token_hash, now, expires_at).await?;
    }
    Ok((org, member))
}
