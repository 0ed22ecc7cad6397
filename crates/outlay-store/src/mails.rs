//! The outbox of mail to a person rather than to a member: invitation and password reset
//! links. A mail is written in the transaction of what it tells and sent afterwards by the
//! servers' job pass, leased like notices (`jobs::lease_unsent`). Its link (a path holding a
//! one-time token) is joined to the server's public URL only when sent, and erased once the
//! mail is sent or failed.

use crate::{Backend, Result, Write};
use sqlx::FromRow;

/// What a mail is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Invitation,
    PasswordReset,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::PasswordReset => "password_reset",
        }
    }
}

pub struct NewMail<'a> {
    pub kind: MailKind,
    pub email: &'a str,
    pub name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The path the mail links to, e.g. `/reset/TOKEN`.
    pub link: &'a str,
}

/// Queues a mail, sent by the next job pass.
pub async fn queue(w: &mut Write, mail: &NewMail<'_>) -> Result<i64> {
    let now = w.now();
    Ok(sqlx::query_scalar(
        "INSERT INTO mails (kind, email, name, subject, body, link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(mail.kind.as_str())
    .bind(mail.email)
    .bind(mail.name)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(mail.link)
    .bind(now.0)
    .fetch_one(w.conn())
    .await?)
}

/// A mail to send.
#[derive(Clone, Debug, FromRow)]
pub struct Unsent {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
}

/// Leases up to `limit` unsent mails, oldest first, to this server for `lease` seconds (a
/// short transaction of its own): others skip them until the lease ends.
pub async fn lease_unsent(w: &mut Write, limit: i64, lease: i64) -> Result<Vec<Unsent>> {
    let now = w.now();
    let lock = match w.conn().backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE mails SET lease_until = $1 + $3 WHERE id IN (SELECT id FROM mails \
         WHERE sent_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until < $1) \
         ORDER BY id LIMIT $2{lock}) RETURNING id, email, name, subject, body, link"
    );
    let mut out: Vec<Unsent> = sqlx::query_as(&sql)
        .bind(now.0)
        .bind(limit)
        .bind(lease)
        .fetch_all(w.conn())
        .await?;
    out.sort_by_key(|u| u.id);
    Ok(out)
}

/// Marks a mail sent, and forgets its link.
pub async fn mark_sent(w: &mut Write, id: i64) -> Result<()> {
    let now = w.now();
    sqlx::query("UPDATE mails SET sent_at = $2, link = NULL WHERE id = $1 AND sent_at IS NULL")
        .bind(id)
        .bind(now.0)
        .execute(w.conn())
        .await?;
    Ok(())
}

/// Marks a mail failed for good (an address the relay refuses), with why; forgets its link.
pub async fn mark_failed(w: &mut Write, id: i64, why: &str) -> Result<()> {
    let now = w.now();
    sqlx::query(
        "UPDATE mails SET failed_at = $2, failure = $3, link = NULL WHERE id = $1 AND sent_at IS NULL",
    )
    .bind(id)
    .bind(now.0)
    .bind(why)
    .execute(w.conn())
    .await?;
    Ok(())
}
