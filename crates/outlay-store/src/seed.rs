//! Writes that need no permit: seeding the demo companies, benchmark companies and tests.
//! Nothing here decides anything, so the HTTP layer must never reach it: the `outlay`
//! crate's `clippy.toml` disallows these functions, and only its demo seeding allows them.
//! Each takes the company's write lock inside the caller's [`Write`].

use crate::members::NewMember;
use crate::{Result, Write};
use outlay_core::expense::{ExpenseInput, ExpenseStatus};
use outlay_core::{GrantSpec, MemberId, OrgId, TeamId};

/// A new company with no members yet, and the default expense categories.
pub async fn company(
    w: &mut Write,
    name: &str,
    preset: &str,
    base_currency: &str,
) -> Result<OrgId> {
    let now = w.now();
    let org = crate::orgs::create(w.conn(), name, preset, base_currency, now).await?;
    w.lock(org).await?;
    w.seeded();
    crate::categories::seed_defaults(w.conn(), org, now).await?;
    Ok(org)
}

/// A member, with their line under `m.manager`.
pub async fn member(w: &mut Write, org: OrgId, m: &NewMember<'_>) -> Result<MemberId> {
    w.lock(org).await?;
    w.seeded();
    let now = w.now();
    crate::members::create(w.conn(), org, m, now).await
}

pub async fn grant(w: &mut Write, org: OrgId, member: MemberId, spec: &GrantSpec) -> Result<()> {
    w.lock(org).await?;
    w.seeded();
    let now = w.now();
    crate::members::insert_grant(w.conn(), org, member, spec, now).await
}

/// Moves a member (and everyone below them) under `manager`.
pub async fn move_under(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    manager: Option<MemberId>,
) -> Result<()> {
    w.lock(org).await?;
    w.seeded();
    crate::reporting_lines::move_under(w.conn(), org, member, manager).await
}

pub async fn team(w: &mut Write, org: OrgId, name: &str) -> Result<TeamId> {
    w.lock(org).await?;
    w.seeded();
    let now = w.now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO teams (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?;
    Ok(TeamId(id))
}

pub async fn team_member(w: &mut Write, org: OrgId, team: TeamId, member: MemberId) -> Result<()> {
    w.lock(org).await?;
    w.seeded();
    crate::teams::insert_member(w.conn(), org, team, member).await?;
    Ok(())
}

/// An expense in any status; a decided one names who decided it (`decided_by`, with the
/// rejection's reason).
pub async fn expense(
    w: &mut Write,
    org: OrgId,
    owner: MemberId,
    input: &ExpenseInput,
    status: ExpenseStatus,
    decided_by: Option<(MemberId, Option<&str>)>,
) -> Result<i64> {
    w.lock(org).await?;
    w.seeded();
    let now = w.now();
    let id = crate::expenses::insert(w.conn(), org, owner, input, status, now).await?;
    if let Some((by, reason)) = decided_by {
        crate::expenses::set_decision(w.conn(), org, id, by, reason, now).await?;
    }
    Ok(id)
}

/// An open request of `member`'s for a role.
pub async fn role_request(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    r: &crate::role_requests::NewRoleRequest<'_>,
) -> Result<i64> {
    w.lock(org).await?;
    w.seeded();
    let now = w.now();
    crate::role_requests::insert(w.conn(), org, member, r, now).await
}
