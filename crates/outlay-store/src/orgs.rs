//! Companies: their preset, base currency, and whether they are closed.

use crate::{Conn, Result, Write};
use outlay_core::authorize::{Permit, Subject};
use outlay_core::permit::{self, SelfService};
use outlay_core::Action;
use outlay_core::{preset, OrgId, Preset, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub preset: String,
    pub base_currency: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub close_reason: Option<String>,
}

impl OrgRow {
    /// The company's preset; an unknown key (from a newer version) falls back to Outlay's.
    pub fn preset(&self) -> &'static Preset {
        preset::get(&self.preset).unwrap_or_else(preset::outlay)
    }

    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

pub(crate) async fn create(
    conn: &mut Conn,
    name: &str,
    preset: &str,
    base_currency: &str,
    now: Timestamp,
) -> Result<OrgId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (name, preset, base_currency, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(preset)
    .bind(base_currency)
    .bind(now.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(OrgId(id))
}

pub async fn get(conn: &mut Conn, org: OrgId) -> Result<Option<OrgRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, preset, base_currency, created_at, closed_at, close_reason FROM orgs WHERE id = $1",
    )
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn name(conn: &mut Conn, org: OrgId) -> Result<Option<String>> {
    Ok(get(conn, org).await?.map(|o| o.name))
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
        .fetch_one(&mut *conn)
        .await?)
}

/// Closes the company; returns false when it was closed already.
pub async fn close(w: &mut Write, org: OrgId, reason: &str, permit: Permit) -> Result<bool> {
    w.consume(permit, org, &[Action::AccountClose], Subject::Company)?;
    let now = w.now();
    let done = sqlx::query(
        "UPDATE orgs SET closed_at = $2, close_reason = $3 WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(org.0)
    .bind(now.0)
    .bind(reason)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

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
    let org = create(w.conn(), f.name, f.preset.key, f.base_currency, now).await?;
    w.lock(org).await?;
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

/// The company's access version ([`crate::Write::commit`] bumps it with every change of
/// who may do what there); `None` when there is no such company.
pub async fn access_version(conn: &mut Conn, org: OrgId) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT access_version FROM orgs WHERE id = $1")
            .bind(org.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Every company's id, oldest first.
pub async fn ids(conn: &mut Conn) -> Result<Vec<OrgId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orgs ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(OrgId).collect())
}
