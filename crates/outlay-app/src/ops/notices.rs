//! A member's notices: what the servers told them (approval reminders, escalations), newest
//! first. Only their own, in the company they act in.

use super::{Actor, Question, Result};
use outlay_store::jobs::NoticeRow;
use outlay_store::Conn;

/// The actor's own notices, newest first.
pub struct Mine {
    pub limit: i64,
}

impl Question for Mine {
    type Output = Vec<NoticeRow>;

    fn action(&self) -> &'static str {
        "notice.view"
    }

    fn target(&self) -> String {
        "notices".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<NoticeRow>> {
        let rows = outlay_store::jobs::notices_of(conn, actor.org, actor.id(), self.limit);
        Ok(rows.await?)
    }
}
