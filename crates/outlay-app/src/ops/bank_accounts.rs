//! Members' payout accounts: a member sets their own; they and whoever pays their reports
//! (finance) read it. To anyone else a member's account is not there at all: a 404, as for
//! anything they may not see, whether or not it is set.

use super::{Actor, Change, Done, Error, Question, Result};
use outlay_core::bank_account::{self, Account};
use outlay_core::{Line, MemberId};
use outlay_store::bank_accounts::{self, BankAccountRow};
use outlay_store::scope::{self, TargetFacts};
use outlay_store::{members, Conn, Write};
use serde_json::json;

/// Member `id` of the company as the actor sees them; `NotFound` when there is none.
async fn member(conn: &mut Conn, actor: &Actor, id: i64) -> Result<TargetFacts> {
    let member = MemberId(id);
    members::get(conn, actor.org, member)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(scope::target(conn, actor.org, actor.id(), member).await?)
}

/// Whether the actor may read `member`'s payout account; a refusal is `NotFound`.
fn readable(actor: &Actor, member: &TargetFacts) -> Result<()> {
    bank_account::read(&actor.principal, actor.ctx(), member.target()).map_err(|_| Error::NotFound)
}

/// Set a member's payout account: only the member themself, for their own.
pub struct Set {
    pub member: i64,
    pub account: Account,
}

impl Change for Set {
    type Output = BankAccountRow;

    fn action(&self) -> &'static str {
        "bank_account.set"
    }

    fn target(&self, _: &Actor) -> String {
        format!("member:{}", self.member)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<BankAccountRow>> {
        let facts = member(w, actor, self.member).await?;
        let permit = match bank_account::set(&actor.principal, actor.ctx(), facts.target()) {
            Ok(permit) => permit,
            // The member themself and finance, who read it, are told why they may not
            // change it; to anyone else it is not there.
            Err(reason) => {
                if facts.line != Line::Own {
                    readable(actor, &facts)?;
                }
                return Err(reason.into());
            }
        };
        bank_accounts::set(w, actor.org, facts.member, &self.account, permit).await?;
        let row = bank_accounts::get(w, actor.org, facts.member)
            .await?
            .ok_or(Error::NotFound)?;
        // The audit log is kept for ever and read widely: it records which account, not
        // the whole number.
        let detail = json!({"member_id": self.member, "holder_name": self.account.holder_name,
                            "iban": self.account.masked_iban(), "bic": self.account.bic});
        Ok(Done::new(row, detail))
    }
}

/// A member's payout account, if the actor may read it and it is set.
pub struct Get {
    pub member: i64,
}

impl Question for Get {
    type Output = BankAccountRow;

    fn action(&self) -> &'static str {
        "bank_account.view"
    }

    fn target(&self) -> String {
        format!("member:{}", self.member)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<BankAccountRow> {
        let facts = member(conn, actor, self.member).await?;
        readable(actor, &facts)?;
        bank_accounts::get(conn, actor.org, facts.member)
            .await?
            .ok_or(Error::NotFound)
    }
}
