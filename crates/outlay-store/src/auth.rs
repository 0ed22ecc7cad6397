//! People, sessions and invitations. A person logs in once and acts in each company through
//! their membership there. Only SHA-256 hashes of bearer and invitation tokens are stored.

use crate::{Conn, Result, Write};
use outlay_core::catalog::Action;
use outlay_core::permit::{
    Acceptance, PasswordSet, Permit, ResetIssue, SelfService, SessionStart, Subject,
};
use outlay_core::{MemberId, OrgId, Timestamp};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
}

pub async fn person_by_email(conn: &mut Conn, email: &str) -> Result<Option<PersonRow>> {
    Ok(
        sqlx::query_as("SELECT id, email, name, password_hash FROM persons WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn person(conn: &mut Conn, id: i64) -> Result<Option<PersonRow>> {
    Ok(
        sqlx::query_as("SELECT id, email, name, password_hash FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn create_person(
    w: &mut Write,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    now: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO persons (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

/// Opens a session for the person the token names (who proved who they are); the caller
/// records it in the person-level trail in the same transaction.
pub async fn create_session(
    w: &mut Write,
    token: SelfService<SessionStart>,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<()> {
    let person = w.self_service(token, false).person;
    let now = w.now();
    sqlx::query("INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(person)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// A live (not expired, not revoked) session as a request finds it.
#[derive(Clone, Debug)]
pub struct LiveSession {
    pub person: PersonRow,
    /// The access version of the company asked about (`None` when there is no such company
    /// or none was asked about).
    pub access_version: Option<i64>,
}

#[derive(FromRow)]
struct SessionRow {
    id: i64,
    email: String,
    name: String,
    password_hash: Option<String>,
    access_version: Option<i64>,
}

/// The session of `token_hash` if it is live at `now`, and in the same statement the access
/// version of company `org`: one round trip where a request names a company.
pub async fn live_session(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
    org: Option<OrgId>,
) -> Result<Option<LiveSession>> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT p.id, p.email, p.name, p.password_hash, \
         (SELECT o.access_version FROM orgs o WHERE o.id = $3) AS access_version \
         FROM sessions s JOIN persons p ON p.id = s.person_id \
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.0)
    .bind(org.map(|o| o.0))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| LiveSession {
        person: PersonRow {
            id: r.id,
            email: r.email,
            name: r.name,
            password_hash: r.password_hash,
        },
        access_version: r.access_version,
    }))
}

pub async fn revoke_session(w: &mut Write, token_hash: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Clone, Debug, FromRow)]
pub struct InvitationRow {
    pub org_id: i64,
    pub member_id: i64,
    pub person_id: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub(crate) async fn create_invitation(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO invitations (token_hash, org_id, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(org.0)
    .bind(member.0)
    .bind(now.0)
    .bind(expires_at.0)
    .execute(w.conn())
    .await?;
    Ok(())
}

pub async fn invitation(conn: &mut Conn, token_hash: &str) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(
        "SELECT i.org_id, i.member_id, m.person_id, i.expires_at, i.accepted_at, i.revoked_at \
         FROM invitations i JOIN members m ON m.id = i.member_id AND m.org_id = i.org_id \
         WHERE i.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Accepts the invitation of `token_hash` as the acceptance token allows: a person without
/// a password sets theirs (`password_hash`), and the one membership it names becomes active.
pub async fn accept_invitation(
    w: &mut Write,
    token_hash: &str,
    password_hash: Option<&str>,
    token: SelfService<Acceptance>,
) -> Result<()> {
    // The invitation token is the capability: it names the one membership it activates.
    let Acceptance { org, person, .. } = *token.kind();
    let now = w.now();
    w.lock(org).await?;
    w.self_service(token, true);
    if let Some(hash) = password_hash {
        sqlx::query("UPDATE persons SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(person)
            .execute(w.conn())
            .await?;
    }
    sqlx::query(
        "UPDATE members SET status = 'active' WHERE org_id = $1 AND status = 'invited' \
         AND id = (SELECT member_id FROM invitations WHERE token_hash = $2 AND org_id = $1)",
    )
    .bind(org.0)
    .bind(token_hash)
    .execute(w.conn())
    .await?;
    sqlx::query("UPDATE invitations SET accepted_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// The invitation of member `member` of `org`, if they were ever invited (the newest).
pub async fn invitation_of(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(
        "SELECT i.org_id, i.member_id, m.person_id, i.expires_at, i.accepted_at, i.revoked_at \
         FROM invitations i JOIN members m ON m.id = i.member_id AND m.org_id = i.org_id \
         WHERE i.org_id = $1 AND i.member_id = $2 ORDER BY i.created_at DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(member.0)
    .fetch_optional(&mut *conn)
    .await?)
}

/// What a resend or a revoke writes.
pub enum Reissued<'a> {
    /// A fresh token (its hash) and expiry replace the old ones: the old token names nothing.
    Resend {
        token_hash: &'a str,
        expires_at: Timestamp,
    },
    Revoke,
}

/// Resends or revokes the open invitation of `member`, as the permit (`member.invite` on
/// that member) allows. Stale when it was accepted meanwhile.
pub async fn reissue_invitation(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    change: Reissued<'_>,
    permit: Permit,
) -> Result<()> {
    w.consume(
        permit,
        org,
        &[Action::MemberInvite],
        Subject::Member(member),
    )?;
    let now = w.now();
    let done = match change {
        Reissued::Resend {
            token_hash,
            expires_at,
        } => {
            sqlx::query(
                "UPDATE invitations SET token_hash = $3, created_at = $4, expires_at = $5, \
                 revoked_at = NULL WHERE org_id = $1 AND member_id = $2 AND accepted_at IS NULL",
            )
            .bind(org.0)
            .bind(member.0)
            .bind(token_hash)
            .bind(now.0)
            .bind(expires_at.0)
            .execute(w.conn())
            .await?
        }
        Reissued::Revoke => {
            sqlx::query(
                "UPDATE invitations SET revoked_at = $3 WHERE org_id = $1 AND member_id = $2 \
                 AND accepted_at IS NULL AND revoked_at IS NULL",
            )
            .bind(org.0)
            .bind(member.0)
            .bind(now.0)
            .execute(w.conn())
            .await?
        }
    };
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::Stale);
    }
    Ok(())
}

/// Sets the password the token allows and ends the person's sessions but `keep` (the one a
/// change of password is made in): whoever held another session must prove who they are
/// again. The caller records it in the person-level trail in the same transaction.
pub async fn set_password(
    w: &mut Write,
    token: SelfService<PasswordSet>,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<u64> {
    let PasswordSet { person, .. } = w.self_service(token, false);
    let now = w.now();
    sqlx::query("UPDATE persons SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(person)
        .execute(w.conn())
        .await?;
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL \
         AND expires_at > $2 AND token_hash <> $3",
    )
    .bind(person)
    .bind(now.0)
    .bind(keep.unwrap_or(""))
    .execute(w.conn())
    .await?;
    Ok(ended.rows_affected())
}

#[derive(Clone, Debug, FromRow)]
pub struct ResetRow {
    pub person_id: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Issues a password reset for the person the token names: only the token's hash is kept.
/// Earlier links of theirs not used yet stop working: the newest mail is the one to follow.
pub async fn create_reset(
    w: &mut Write,
    token: SelfService<ResetIssue>,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<()> {
    let ResetIssue { person } = w.self_service(token, false);
    let now = w.now();
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE person_id = $1 AND used_at IS NULL")
        .bind(person)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, person_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(person)
    .bind(now.0)
    .bind(expires_at.0)
    .execute(w.conn())
    .await?;
    Ok(())
}

pub async fn reset(conn: &mut Conn, token_hash: &str) -> Result<Option<ResetRow>> {
    Ok(sqlx::query_as(
        "SELECT person_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Spends the reset of `token_hash`, once: stale when another request spent it first.
pub async fn use_reset(w: &mut Write, token_hash: &str) -> Result<()> {
    let now = w.now();
    let done = sqlx::query(
        "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .bind(now.0)
    .execute(w.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(crate::StoreError::Stale);
    }
    Ok(())
}
