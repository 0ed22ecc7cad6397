//! E-mail: notices go out through an SMTP relay when one is configured (`OUTLAY_SMTP_URL`,
//! off by default). The `notices` table is the outbox: a notice is written with what it tells,
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
    /// Sends up to `limit` unsent notices: how many went out. Without a mailer, none.
    pub async fn send_notices(&self, limit: i64) -> Result<usize, Error> {
        let Some(mailer) = &self.limits.mail else {
            return Ok(0);
        };
        let now = self.now();
        let mut w = self.store.write(now).await?;
        let due = outlay_store::jobs::claim_unsent(&mut w, limit).await?;
        let mut sent = Vec::with_capacity(due.len());
        for n in &due {
            let to: Mailbox = match format!("{} <{}>", n.name, n.email).parse() {
                Ok(to) => to,
                Err(e) => {
                    tracing::warn!(notice = n.id, error = %e, "a notice's address does not parse");
                    continue;
                }
            };
            let message = Message::builder()
                .from(mailer.from.clone())
                .to(to)
                .subject(n.subject.clone())
                .body(n.body.clone());
            let Ok(message) = message else { continue };
            match mailer.transport.send(message).await {
                Ok(_) => sent.push(n.id),
                Err(e) => {
                    // The relay is away: try the rest at the next pass.
                    tracing::warn!(notice = n.id, error = %e, "sending a notice failed");
                    break;
                }
            }
        }
        outlay_store::jobs::mark_sent(&mut w, &sent).await?;
        w.commit().await?;
        Ok(sent.len())
    }
}
