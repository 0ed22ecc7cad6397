//! E-mail: notices, and mails to people (invitation and password reset links, the `mails`
//! outbox), go out through an SMTP relay when one is configured (`OUTLAY_SMTP_URL`, off by
//! default). The `notices` table is the outbox: a notice is written with what it tells,
//! in that transaction, and sent afterwards by the servers' job pass, each claimed by one
//! server (SKIP LOCKED on PostgreSQL) and marked sent. A relay that is down leaves notices
//! unsent, to be tried at the next pass.

use crate::{App, Error};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where mail goes and whom it is from.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// From an SMTP URL (`smtp://host:port`, with `user:password@` when the relay wants a
    /// login) and a sender (`Outlay <outlay@example.com>`).
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let bad = |why: &str| format!("OUTLAY_SMTP_URL `{smtp_url}`: {why}");
        let rest = smtp_url
            .strip_prefix("smtp://")
            .ok_or_else(|| bad("must start with smtp:// (TLS relays: not yet built in)"))?;
        let rest = rest.trim_end_matches('/');
        let (login, host_port) = match rest.rsplit_once('@') {
            Some((login, hp)) => (Some(login), hp),
            None => (None, rest),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad("the port is not a number"))?,
            ),
            None => (host_port, 25),
        };
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(login) = login {
            let (user, password) = login.split_once(':').unwrap_or((login, ""));
            let creds = lettre::transport::smtp::authentication::Credentials::new(
                user.to_string(),
                password.to_string(),
            );
            builder = builder.credentials(creds);
        }
        let transport = builder.build();
        let from = from
            .parse()
            .map_err(|e| format!("OUTLAY_MAIL_FROM `{from}`: {e}"))?;
        Ok(Mailer { transport, from })
    }
}

impl App {
    /// Sends up to `limit` unsent notices: how many went out. Without a mailer, none. The
    /// notices are leased in one short transaction and marked in another after each send:
    /// no database lock is held while the relay answers.
    pub async fn send_notices(&self, limit: i64) -> Result<usize, Error> {
        let Some(mailer) = &self.limits.mail else {
            return Ok(0);
        };
        let mut w = self.store.write(self.now()).await?;
        let due = outlay_store::jobs::lease_unsent(&mut w, limit, LEASE_SECONDS).await?;
        w.commit().await?;
        let mut sent = 0;
        for n in &due {
            let message = message(mailer, &n.email, &n.name, &n.subject, n.body.clone());
            let outcome = match message {
                Err(why) => Err(why),
                Ok(message) => match mailer.transport.send(message).await {
                    Ok(_) => Ok(()),
                    // Refused for good (an address the relay rejects): never tried again.
                    Err(e) if e.is_permanent() => Err(e.to_string()),
                    Err(e) => {
                        // The relay is away: the lease runs out and the next pass tries again.
                        tracing::warn!(notice = n.id, error = %e, "sending a notice failed");
                        break;
                    }
                },
            };
            let mut w = self.store.write(self.now()).await?;
            match outcome {
                Ok(()) => {
                    outlay_store::jobs::mark_sent(&mut w, &[n.id]).await?;
                    sent += 1;
                }
                Err(why) => outlay_store::jobs::mark_failed(&mut w, n.id, &why).await?,
            }
            w.commit().await?;
        }
        Ok(sent)
    }
}

impl App {
    /// Sends up to `limit` unsent mails to people (invitation and reset links), like
    /// `send_notices`: how many went out. The link is joined to the public URL here and
    /// forgotten by the outbox once the mail is sent or refused.
    pub async fn send_mails(&self, limit: i64) -> Result<usize, Error> {
        let Some(mailer) = &self.limits.mail else {
            return Ok(0);
        };
        let mut w = self.store.write(self.now()).await?;
        let due = outlay_store::mails::lease_unsent(&mut w, limit, LEASE_SECONDS).await?;
        w.commit().await?;
        let base = self.limits.public_url.trim_end_matches('/');
        let mut sent = 0;
        for m in &due {
            let body = match &m.link {
                Some(link) => format!(
                    "{}

{base}{link}
",
                    m.body
                ),
                None => m.body.clone(),
            };
            let outcome = match message(mailer, &m.email, &m.name, &m.subject, body) {
                Err(why) => Err(why),
                Ok(message) => match mailer.transport.send(message).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => Err(e.to_string()),
                    Err(e) => {
                        tracing::warn!(mail = m.id, error = %e, "sending a mail failed");
                        break;
                    }
                },
            };
            let mut w = self.store.write(self.now()).await?;
            match outcome {
                Ok(()) => {
                    outlay_store::mails::mark_sent(&mut w, m.id).await?;
                    sent += 1;
                }
                Err(why) => outlay_store::mails::mark_failed(&mut w, m.id, &why).await?,
            }
            w.commit().await?;
        }
        Ok(sent)
    }
}

/// A message from the mailer's sender to `email`, or why it cannot be one.
fn message(
    mailer: &Mailer,
    email: &str,
    name: &str,
    subject: &str,
    body: String,
) -> Result<Message, String> {
    let to = email
        .parse::<lettre::Address>()
        .map_err(|e| e.to_string())?;
    Message::builder()
        .from(mailer.from.clone())
        .to(Mailbox::new(Some(name.to_string()), to))
        .subject(subject)
        .body(body)
        .map_err(|e| e.to_string())
}

/// How long a server keeps notices it is sending before another may try them.
const LEASE_SECONDS: i64 = 300;
