//! Members' payout accounts (table `bank_accounts`, migration 0016): one per member, written
//! only under the permit the core gives the member for their own
//! ([`outlay_core::bank_account::set`]); read by whoever the core lets read it.

use crate::{Conn, Result, Write};
use outlay_core::bank_account::{Account, SETTER};
use outlay_core::permit::{Permit, Subject};
use outlay_core::{MemberId, OrgId};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct BankAccountRow {
    pub member_id: i64,
    pub holder_name: String,
    /// Electronic form: uppercase, no spaces.
    pub iban: String,
    pub bic: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl BankAccountRow {
    /// The account as the rules and the file writer take it.
    pub fn account(&self) -> Account {
        Account {
            holder_name: self.holder_name.clone(),
            iban: self.iban.clone(),
            bic: self.bic.clone(),
        }
    }
}

const COLUMNS: &str = "member_id, holder_name, iban, bic, created_at, updated_at";

/// The payout account of `member`, if they set one.
pub async fn get(conn: &mut Conn, org: OrgId, member: MemberId) -> Result<Option<BankAccountRow>> {
    let sql = format!("SELECT {COLUMNS} FROM bank_accounts WHERE org_id = $1 AND member_id = $2");
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(member.0)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The payout accounts set among `members`: one statement, whatever their number.
pub async fn of_members(
    conn: &mut Conn,
    org: OrgId,
    members: &[MemberId],
) -> Result<Vec<BankAccountRow>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    // Member ids are integers the store read itself, never text from a request.
    let ids: Vec<String> = members.iter().map(|m| m.0.to_string()).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM bank_accounts WHERE org_id = $1 AND member_id IN ({})",
        ids.join(", ")
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await?)
}

/// Sets `member`'s payout account to `account`, under the permit for that member's own.
pub async fn set(
    w: &mut Write,
    org: OrgId,
    member: MemberId,
    account: &Account,
    permit: Permit,
) -> Result<()> {
    w.consume(permit, org, &[SETTER], Subject::Member(member))?;
    let now = w.now();
    sqlx::query(
        "INSERT INTO bank_accounts (org_id, member_id, holder_name, iban, bic, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (org_id, member_id) DO UPDATE SET \
         holder_name = excluded.holder_name, iban = excluded.iban, bic = excluded.bic, \
         updated_at = excluded.updated_at",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(&account.holder_name)
    .bind(&account.iban)
    .bind(account.bic.as_deref())
    .bind(now.0)
    .execute(w.conn())
    .await?;
    Ok(())
}
