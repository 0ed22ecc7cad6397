//! Reimbursing approved reports by SEPA credit transfer: finance picks reports, names the
//! company's account to pay from and the day, and gets one pain.001.001.09 file (ISO 20022,
//! the EPC's current version) with one payment per report to its owner's payout account
//! ([`crate::bank_account`]); the reports are paid with the file's message id as their
//! reference. Each report is decided as its own `pay` step; this module holds what the
//! file itself must satisfy and writes it. Money is integer minor units throughout: the
//! file prints cents as euros with two decimals, never through a float.

use crate::bank_account::Account;
use crate::ids::OrgId;
use crate::validate::{self, ValidationError};
use std::collections::HashMap;

/// The most reports one file pays.
pub const MAX_REPORTS: usize = 500;

/// The one currency a SEPA credit transfer pays in.
pub const CURRENCY: &str = "EUR";

/// The longest remittance text (`RmtInf/Ustrd`) a SEPA payment carries.
const MAX_REMITTANCE: usize = 140;

/// The reports a file is asked to pay: 1 to [`MAX_REPORTS`] positive ids, each once.
pub fn report_ids(ids: &[i64]) -> Result<(), ValidationError> {
    if ids.is_empty() || ids.len() > MAX_REPORTS {
        return Err(ValidationError::new(
            "report_ids",
            format!("must hold 1 to {MAX_REPORTS} report ids"),
        ));
    }
    let mut seen = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if *id < 1 {
            return Err(ValidationError::new(
                format!("report_ids[{i}]"),
                "must be a positive id",
            ));
        }
        if let Some(first) = seen.insert(*id, i) {
            return Err(ValidationError::new(
                format!("report_ids[{i}]"),
                format!("repeats report_ids[{first}]: a report is paid once"),
            ));
        }
    }
    Ok(())
}

/// The day the bank is asked to execute the transfers: a date `YYYY-MM-DD`, not before
/// `today` (the same form: the day of the request, in UTC).
pub fn execution_date(raw: &str, today: &str) -> Result<String, ValidationError> {
    let date = validate::date("execution_date", raw)?;
    // Both are `YYYY-MM-DD`: their text orders as their days do.
    if date.as_str() < today {
        return Err(ValidationError::new(
            "execution_date",
            format!("is before today ({today}): a bank executes no transfer in the past"),
        ));
    }
    Ok(date)
}

/// A company whose currency is not the euro pays no report by SEPA credit transfer.
pub fn currency(base_currency: &str) -> Result<(), ValidationError> {
    if base_currency == CURRENCY {
        return Ok(());
    }
    Err(ValidationError::new(
        "report_ids",
        format!(
            "are in {base_currency}, the company's currency: a SEPA credit transfer pays {CURRENCY} only"
        ),
    ))
}

/// A report's amount to pay: its total less what advances cover, known only when every
/// expense in it is in the company's currency or was converted (`None` otherwise).
pub fn amount(field: &str, total_minor: Option<i64>) -> Result<i64, ValidationError> {
    match total_minor {
        Some(0) => Err(ValidationError::new(
            field,
            "has nothing left to pay: advances settled against it cover its total",
        )),
        Some(t) if (1..=sepa::validate::MAX_AMOUNT_CT).contains(&t) => Ok(t),
        Some(t) => Err(ValidationError::new(
            field,
            format!("totals {t} cents, outside what one SEPA payment carries"),
        )),
        None => Err(ValidationError::new(
            field,
            "holds an expense in another currency with no exchange rate for its date: its total is unknown",
        )),
    }
}

/// The message id of company `org`'s file `batch`: unique, at most 35 characters of the
/// SEPA set, echoed back by the bank and recorded as the paid reports' reference.
pub fn message_id(org: OrgId, batch: i64) -> String {
    format!("SEPA-{}-{batch}", org.0)
}

/// One payment of a file: a report, paid in full to its owner.
pub struct Payment<'a> {
    pub report: i64,
    pub title: &'a str,
    pub amount_minor: i64,
    pub creditor: &'a Account,
}

/// A file as asked for: who pays, when, what.
pub struct File<'a> {
    pub message_id: &'a str,
    /// When it was made, RFC 3339 (`CreDtTm`).
    pub created_at: &'a str,
    pub debtor: &'a Account,
    pub execution_date: &'a str,
    pub payments: &'a [Payment<'a>],
}

/// The file's sum in minor units.
pub fn control_sum(payments: &[Payment<'_>]) -> Option<i64> {
    payments
        .iter()
        .try_fold(0i64, |sum, p| sum.checked_add(p.amount_minor))
}

/// Writes `file` as pain.001.001.09 XML: one payment group drawn on the debtor's account,
/// one transfer per report (its id the end-to-end id, its title the remittance text, its
/// owner's account the creditor). Text outside the SEPA character set is transliterated
/// (`Müller` is written `Mueller`) as banks require. The text depends on `file` alone: the
/// builder's constructors take defaults from the system clock (a message id, a date), and
/// every one of them is set here from `file` before anything is written.
pub fn xml(file: &File<'_>) -> Result<String, ValidationError> {
    let invalid = |e: &dyn std::fmt::Display| ValidationError::new("report_ids", e.to_string());
    let debtor_iban = sepa::validate_iban(&file.debtor.iban).map_err(|e| invalid(&e))?;
    let mut group = sepa::CreditTransferGroup::new(&file.debtor.holder_name, &debtor_iban)
        .execution_date(file.execution_date);
    if let Some(bic) = &file.debtor.bic {
        group = group.debtor_bic(sepa::validate_bic(bic).map_err(|e| invalid(&e))?);
    }
    for p in file.payments {
        let iban = sepa::validate_iban(&p.creditor.iban).map_err(|e| invalid(&e))?;
        // Written in the SEPA set first: only then is its length what the bank counts.
        let title = sepa::transliterate(p.title, sepa::Transliteration::German);
        let remittance = sepa::validate::truncate_chars(&title, MAX_REMITTANCE);
        let mut entry = sepa::CreditTransferEntry::new(
            &p.creditor.holder_name,
            iban,
            p.amount_minor,
            p.report.to_string(),
        )
        .with_description(remittance.into_owned());
        if let Some(bic) = &p.creditor.bic {
            entry = entry.with_bic(sepa::validate_bic(bic).map_err(|e| invalid(&e))?);
        }
        group = group.add_entry(entry);
    }
    sepa::Pain001Builder::new(&file.debtor.holder_name)
        .msg_id(file.message_id)
        .created_at(file.created_at)
        .schema(sepa::CreditTransferSchema::IsoV9)
        .add_group(group)
        .build()
        .map_err(|e| invalid(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str, iban: &str, bic: Option<&str>) -> Account {
        Account::parse(crate::bank_account::Fields::PAYOUT, name, iban, bic).unwrap()
    }

    #[test]
    fn report_ids_are_one_to_five_hundred_distinct_positive_ids() {
        assert!(report_ids(&[3, 1, 2]).is_ok());
        assert_eq!(report_ids(&[]).unwrap_err().field, "report_ids");
        let many: Vec<i64> = (1..=501).collect();
        assert_eq!(report_ids(&many).unwrap_err().field, "report_ids");
        let twice = report_ids(&[4, 5, 4]).unwrap_err();
        assert_eq!(twice.field, "report_ids[2]");
        assert!(twice.reason.contains("report_ids[0]"), "{twice}");
        assert_eq!(report_ids(&[1, 0]).unwrap_err().field, "report_ids[1]");
    }

    #[test]
    fn the_execution_date_is_a_date_not_in_the_past() {
        assert_eq!(
            execution_date("2026-05-04", "2026-05-04").as_deref(),
            Ok("2026-05-04")
        );
        assert!(execution_date("2026-05-03", "2026-05-04").is_err());
        assert!(execution_date("2026-02-30", "2026-01-01").is_err());
    }

    #[test]
    fn only_a_euro_company_pays_by_sepa_and_only_a_known_total() {
        assert!(currency("EUR").is_ok());
        assert!(currency("USD").unwrap_err().reason.contains("EUR only"));
        assert_eq!(amount("report_ids[0]", Some(12_345)), Ok(12_345));
        assert_eq!(
            amount("report_ids[1]", None).unwrap_err().field,
            "report_ids[1]"
        );
        assert!(amount("report_ids[1]", Some(0)).is_err());
    }

    #[test]
    fn the_file_has_one_payment_per_report_in_cents_printed_as_euros() {
        let debtor = account("Acme GmbH", "DE89370400440532013000", Some("COBADEFFXXX"));
        let alice = account("Alice Müller", "NL91ABNA0417164300", None);
        let bob = account(
            "Bob & Co",
            "FR1420041010050500013M02606",
            Some("PSSTFRPPXXX"),
        );
        let payments = [
            Payment {
                report: 7,
                title: "Berlin <visit>",
                amount_minor: 22_250,
                creditor: &alice,
            },
            Payment {
                report: 9,
                title: &"x".repeat(200),
                amount_minor: 5,
                creditor: &bob,
            },
        ];
        let file = File {
            message_id: &message_id(OrgId(1), 3),
            created_at: "2026-05-04T10:00:00Z",
            debtor: &debtor,
            execution_date: "2026-05-06",
            payments: &payments,
        };
        assert_eq!(control_sum(&payments), Some(22_255));
        let xml = xml(&file).unwrap();
        for part in [
            "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
            "<MsgId>SEPA-1-3</MsgId>",
            "<CreDtTm>2026-05-04T10:00:00Z</CreDtTm>",
            "<NbOfTxs>2</NbOfTxs>",
            "<CtrlSum>222.55</CtrlSum>",
            "<ReqdExctnDt><Dt>2026-05-06</Dt></ReqdExctnDt>",
            "<BICFI>COBADEFFXXX</BICFI>",
            "<EndToEndId>7</EndToEndId>",
            "<InstdAmt Ccy=\"EUR\">222.50</InstdAmt>",
            "<InstdAmt Ccy=\"EUR\">0.05</InstdAmt>",
            "<Nm>Alice Mueller</Nm>",
            "<Nm>Bob + Co</Nm>",
            "<Ustrd>Berlin (visit)</Ustrd>",
            "<IBAN>NL91ABNA0417164300</IBAN>",
        ] {
            assert!(xml.contains(part), "{part} not in {xml}");
        }
        // The title is cut to what a remittance carries.
        assert!(xml.contains(&format!("<Ustrd>{}</Ustrd>", "x".repeat(140))));
    }
}
