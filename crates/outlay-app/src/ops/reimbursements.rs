//! Reimbursing approved reports by SEPA credit transfer: finance pays many reports with one
//! pain.001.001.09 file for their bank, in one transaction. Each report is decided exactly
//! as its own `pay` would be (the owned-rows kit's permit: reach, four-eyes, its state), has
//! a total in euros and an owner with a payout account; one that fails refuses the whole
//! file, naming it, and nothing is written. The file is kept to be fetched again, by whoever
//! may read every payout account it pays into.

use super::owned;
use super::{Actor, Change, Done, Error, Question, Result};
use crate::clock::rfc3339;
use outlay_core::bank_account::Account;
use outlay_core::reimbursement::{self, File, Payment};
use outlay_core::report::{ReportStatus, ReportStep};
use outlay_core::{authorize, Action, MemberId, Reason};
use outlay_store::bank_accounts;
use outlay_store::owned::Owned;
use outlay_store::reimbursements::{self as files, BatchRow, NewBatch, Written};
use outlay_store::reports::ReportRow;
use outlay_store::{Conn, Write};
use serde_json::json;

/// Pay `reports` (their ids, checked by [`reimbursement::report_ids`]) from `debtor`'s
/// account on `execution_date` (`YYYY-MM-DD`), with one SEPA file.
pub struct PaySepa {
    pub reports: Vec<i64>,
    pub debtor: Account,
    pub execution_date: String,
}

impl Change for PaySepa {
    type Output = BatchRow;

    fn action(&self) -> &'static str {
        "reimbursement.sepa"
    }

    fn target(&self, _: &Actor) -> String {
        "reimbursements".into()
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<BatchRow>> {
        let org = actor.org;
        // Who pays no report at all, and a closed company, are refused before any report
        // is read: the refusal is the file's, not its first report's.
        let pay = Action::ExpenseReimburse;
        if authorize::lacks_verb(&actor.principal, &[pay], actor.now).is_some() {
            return Err(Reason::NoPermission { action: pay }.into());
        }
        if actor.ctx().company_closed {
            return Err(Reason::CompanyClosed.into());
        }
        reimbursement::currency(&actor.company.base_currency)?;
        reimbursement::report_ids(&self.reports)?;
        let now = rfc3339(actor.now);
        let today = now.get(..10).unwrap_or(&now);
        let execution_date = reimbursement::execution_date(&self.execution_date, today)?;
        let mut rows = Vec::with_capacity(self.reports.len());
        let mut permits = Vec::with_capacity(self.reports.len());
        for (i, id) in self.reports.iter().enumerate() {
            let field = format!("report_ids[{i}]");
            let row: ReportRow = owned::visible(w, actor, *id)
                .await
                .map_err(|e| e.at(&field))?;
            // The very decision of the report's own `pay`.
            let (permit, _) = owned::permit(w, actor, pay, Some(&row), None)
                .await
                .map_err(|e| e.at(&field))?;
            let permit = permit
                .into_transition::<ReportStatus>(ReportStep::Pay)
                .map_err(|r| Error::from(r).at(&field))?;
            // What advances settled against it was paid out already.
            let owner = MemberId(row.seen().owner_id);
            let due = match row.total_minor {
                Some(_) => outlay_store::advances::report_open(w, org, owner, *id).await?,
                None => None,
            };
            let amount = reimbursement::amount(&field, due)?;
            rows.push((row, amount));
            permits.push(permit);
        }
        let owners: Vec<MemberId> = rows
            .iter()
            .map(|(r, _)| MemberId(r.seen().owner_id))
            .collect();
        let accounts = bank_accounts::of_members(w, org, &owners).await?;
        let mut payments = Vec::with_capacity(rows.len());
        let mut creditors = Vec::with_capacity(rows.len());
        for (i, (row, _)) in rows.iter().enumerate() {
            let owner = &row.seen().owner_id;
            let Some(account) = accounts.iter().find(|a| a.member_id == *owner) else {
                let why = format!(
                    "is report {} of member {owner} ({}), who has set no bank account to be paid into",
                    row.id,
                    row.seen().owner_name
                );
                return Err(Error::invalid(&format!("report_ids[{i}]"), why));
            };
            creditors.push(account.account());
        }
        for ((row, amount_minor), creditor) in rows.iter().zip(&creditors) {
            payments.push(Payment {
                report: row.id,
                title: &row.title,
                amount_minor: *amount_minor,
                creditor,
            });
        }
        let control_sum_minor = reimbursement::control_sum(&payments)
            .ok_or_else(|| Error::invalid("report_ids", "total more than one file carries"))?;
        let batch = NewBatch {
            execution_date: &execution_date,
            control_sum_minor,
        };
        let write = |id| {
            let message_id = reimbursement::message_id(org, id);
            let file = File {
                message_id: &message_id,
                created_at: &now,
                debtor: &self.debtor,
                execution_date: &execution_date,
                payments: &payments,
            };
            let xml = reimbursement::xml(&file)?;
            Ok::<_, Error>(Written { message_id, xml })
        };
        let batch = files::record(w, org, &batch, permits, write).await??;
        for id in &self.reports {
            crate::jobs::tell(w, org, *id, crate::jobs::Told::Paid).await?;
        }
        let detail = json!({"batch_id": batch.id, "message_id": batch.message_id,
            "report_ids": self.reports, "control_sum_minor": batch.control_sum_minor,
            "execution_date": batch.execution_date, "debtor_iban": self.debtor.masked_iban()});
        Ok(Done::new(batch, detail))
    }
}

/// SEPA file `id`, as it was answered when it was made: for whoever may pay every member it
/// pays (the file shows their accounts); to anyone else it is not there.
pub struct SepaFile {
    pub id: i64,
}

impl Question for SepaFile {
    type Output = BatchRow;

    fn action(&self) -> &'static str {
        "reimbursement.view"
    }

    fn target(&self) -> String {
        format!("sepa_batch:{}", self.id)
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<BatchRow> {
        let batch = files::get(conn, actor.org, self.id)
            .await?
            .ok_or(Error::NotFound)?;
        let creditors = files::creditors(conn, actor.org, actor.id(), self.id).await?;
        let pays_all = !creditors.is_empty()
            && creditors.iter().all(|c| {
                authorize::on_member(
                    &actor.principal,
                    actor.ctx(),
                    Action::ExpenseReimburse,
                    c.target(),
                )
                .is_allowed()
            });
        if pays_all {
            Ok(batch)
        } else {
            Err(Error::NotFound)
        }
    }
}
