//! Where the JSON handlers hand a typed command to the application layer (`crate::ops`): a
//! change runs in a write transaction with the actor loaded inside it, and commits with its
//! audit entry; a question runs on the read connection the actor came with. Refusals of
//! either are recorded through the audit writer.

use super::error::WebError;
use super::extract::Auth;
use super::App;
use crate::ops::{Change, Error, Question};

impl App {
    /// Runs a change as the authenticated person's member of company `org`.
    pub async fn perform<C: Change>(
        &self,
        auth: &Auth,
        org: i64,
        change: C,
    ) -> Result<C::Output, WebError> {
        let (mut tx, actor) = self.writer(auth, org).await?;
        let action = change.action();
        let target = change.target(&actor);
        match change.apply(&mut tx, &actor).await {
            Ok(done) => {
                let result = Ok((done.value, done.detail));
                self.finish(tx, &actor, action, &target, result).await
            }
            Err(e) => {
                let target = refused_target(&e).unwrap_or(target);
                self.finish(tx, &actor, action, &target, Err(e.into()))
                    .await
            }
        }
    }

    /// Answers a question as the authenticated person's member of company `org`.
    pub async fn ask<Q: Question>(
        &self,
        auth: &Auth,
        org: i64,
        question: Q,
    ) -> Result<Q::Output, WebError> {
        let (actor, mut conn) = self.reading(auth, org).await?;
        let action = question.action();
        let target = question.target();
        match question.ask(&mut conn, &actor).await {
            Ok(answer) => Ok(answer),
            Err(e) => {
                drop(conn);
                let target = refused_target(&e).unwrap_or(target);
                Err(self.refused(&actor, action, &target, e.into()).await)
            }
        }
    }
}

/// The target a refusal names when it is not the operation's own.
fn refused_target(e: &Error) -> Option<String> {
    match e {
        Error::NotVisible(target) => Some(target.clone()),
        _ => None,
    }
}
