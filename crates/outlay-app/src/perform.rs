//! Where a front end hands a typed command to the application layer: a change runs in a
//! write transaction with the actor loaded inside it, and commits with its audit entry; a
//! question runs on the read connection the actor came with. Refusals of either are recorded
//! through the audit writer.

use crate::ops::{Change, Error, Question};
use crate::session::Session;
use crate::App;

impl App {
    /// Runs a change as the session's member of company `org`.
    pub async fn perform<C: Change>(
        &self,
        session: &Session,
        org: i64,
        change: C,
    ) -> Result<C::Output, Error> {
        let action = change.action();
        self.charge(action, session.person.id, Some(org), session.now)?;
        let (mut tx, actor) = self.writer(session, org).await?;
        let target = change.target(&actor);
        match change.apply(&mut tx, &actor).await {
            Ok(done) => {
                let result = Ok((done.value, done.detail));
                self.finish(tx, &actor, action, &target, result).await
            }
            Err(e) => {
                let target = refused_target(&e).unwrap_or(target);
                self.finish(tx, &actor, action, &target, Err(e)).await
            }
        }
    }

    /// Answers a question as the session's member of company `org`.
    pub async fn ask<Q: Question>(
        &self,
        session: &Session,
        org: i64,
        question: Q,
    ) -> Result<Q::Output, Error> {
        let (actor, mut conn) = self.reading(session, org).await?;
        let action = question.action();
        let target = question.target();
        match question.ask(&mut conn, &actor).await {
            Ok(answer) => Ok(answer),
            Err(e) => {
                drop(conn);
                let target = refused_target(&e).unwrap_or(target);
                Err(self.refused(&actor, action, &target, e).await)
            }
        }
    }
}

impl App {
    /// Counts one `action` against the person's and the company's quotas (`quota.rs`).
    pub fn charge(
        &self,
        action: &'static str,
        person: i64,
        org: Option<i64>,
        now: outlay_core::Timestamp,
    ) -> Result<(), Error> {
        self.quotas
            .charge(action, person, org, now)
            .map_err(|o| Error::OverQuota {
                action,
                retry_after: o.retry_after,
            })
    }
}

/// The target a refusal names when it is not the operation's own.
fn refused_target(e: &Error) -> Option<String> {
    match e {
        Error::NotVisible(target) => Some(target.clone()),
        _ => None,
    }
}
