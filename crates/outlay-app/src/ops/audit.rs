//! The company's audit log and its hash chain, for who holds `audit.view`.

use super::{Actor, Page, Paging, Question, Result};
use outlay_core::{authorize, Action};
use outlay_store::audit::EventRow;
use outlay_store::audit_chain::{AuditKey, Head, Verdict};
use outlay_store::Conn;

/// May the actor read the log? Asked first, so that only those who may read make the audit
/// writer flush its queue before they read.
pub struct Access;

impl Question for Access {
    type Output = ();

    fn action(&self) -> &'static str {
        "audit.view"
    }

    fn target(&self) -> String {
        "audit".into()
    }

    async fn ask(self, _: &mut Conn, actor: &Actor) -> Result<()> {
        authorize::company(&actor.principal, actor.ctx(), Action::AuditView).into_result()?;
        Ok(())
    }
}

/// Every change and refused attempt, newest first.
pub struct List {
    pub paging: Paging,
}

impl Question for List {
    type Output = Page<EventRow>;

    fn action(&self) -> &'static str {
        "audit.view"
    }

    fn target(&self) -> String {
        "audit".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Page<EventRow>> {
        authorize::company(&actor.principal, actor.ctx(), Action::AuditView).into_result()?;
        let paging = self.paging;
        let mut rows =
            outlay_store::audit::list(conn, actor.org, paging.cursor, paging.fetch()).await?;
        let next_cursor = paging.finish(&mut rows, |r| r.id);
        Ok(Page {
            items: rows,
            next_cursor,
        })
    }
}

/// Recompute the chain with the server's key, against an exported head when one is given.
pub struct Verify {
    pub key: Option<AuditKey>,
    pub head: Option<Head>,
}

impl Question for Verify {
    type Output = Verdict;

    fn action(&self) -> &'static str {
        "audit.view"
    }

    fn target(&self) -> String {
        "audit".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Verdict> {
        authorize::company(&actor.principal, actor.ctx(), Action::AuditView).into_result()?;
        Ok(outlay_store::audit::verify(conn, actor.org, self.key.as_ref(), self.head).await?)
    }
}

/// The chain's head now (entry count and newest seal), for the operator to keep.
pub struct CurrentHead;

impl Question for CurrentHead {
    type Output = Head;

    fn action(&self) -> &'static str {
        "audit.view"
    }

    fn target(&self) -> String {
        "audit".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Head> {
        authorize::company(&actor.principal, actor.ctx(), Action::AuditView).into_result()?;
        Ok(outlay_store::audit::head(conn, actor.org).await?)
    }
}
