//! A member's payout account: where finance pays their approved reports (a SEPA credit
//! transfer, [`crate::sepa`]). The member sets their own and nobody else's; they and whoever
//! pays reports reaching them (finance) read it; to everyone else it does not exist.
//!
//! Who may is decided like everything else, by [`authorize::decide`] over the member as the
//! actor sees them: setting it is the owner's own verb of the reports paid into it
//! (`report.submit`, a catalog action held at `own` scope only, so it never reaches another
//! member, whatever the role), reading it that or paying (`expense.reimburse` reaching them).

use crate::authorize::{self, Context, Permit, Request, ResourceRef};
use crate::catalog::Action;
use crate::decision::Reason;
use crate::org::Target;
use crate::principal::Principal;
use crate::validate::{self, ValidationError};

/// Who sets a member's payout account: the member themself, as the owner of the reports
/// paid into it.
pub const SETTER: Action = Action::ReportSubmit;

/// Who reads a member's payout account: the member (as [`SETTER`]), and whoever pays their
/// reports.
pub const READERS: [Action; 2] = [SETTER, Action::ExpenseReimburse];

/// The longest name a SEPA party may have (EPC: `Nm`, 70 characters), counted in the SEPA
/// character set the file is written in, where `ß` is `ss`.
pub const MAX_NAME: usize = 70;

/// A payout account as checked: the holder's name, the IBAN in its electronic form
/// (uppercase, no spaces) and the BIC, uppercase, when given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub holder_name: String,
    pub iban: String,
    pub bic: Option<String>,
}

/// The input fields an account is read from, as errors name them.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub name: &'static str,
    pub iban: &'static str,
    pub bic: &'static str,
}

impl Fields {
    /// A member's payout account as they set it.
    pub const PAYOUT: Fields = Fields {
        name: "holder_name",
        iban: "iban",
        bic: "bic",
    };
    /// The company's account a file pays from.
    pub const DEBTOR: Fields = Fields {
        name: "debtor.name",
        iban: "debtor.iban",
        bic: "debtor.bic",
    };
}

impl Account {
    /// Checks an account as a person typed it; errors name the field of `fields`.
    pub fn parse(
        fields: Fields,
        holder_name: &str,
        iban: &str,
        bic: Option<&str>,
    ) -> Result<Account, ValidationError> {
        Ok(Account {
            holder_name: name(fields.name, holder_name)?,
            iban: self::iban(fields.iban, iban)?,
            bic: match bic.map(str::trim).filter(|b| !b.is_empty()) {
                None => None,
                Some(b) => Some(self::bic(fields.bic, b)?),
            },
        })
    }

    /// The IBAN as an audit entry records it: its country and last four characters only.
    pub fn masked_iban(&self) -> String {
        let tail = self.iban.len().saturating_sub(4);
        format!(
            "{}…{}",
            self.iban.get(..2).unwrap_or(""),
            self.iban.get(tail..).unwrap_or("")
        )
    }
}

/// A party's name: text of at most [`MAX_NAME`] characters as typed, and still once written
/// in the SEPA character set (a bank refuses a longer one, and transliteration can lengthen
/// it).
pub fn name(field: &str, raw: &str) -> Result<String, ValidationError> {
    let name = validate::text(field, raw, MAX_NAME)?;
    let written = sepa::transliterate(&name, sepa::Transliteration::German);
    let len = written.chars().count();
    if len > MAX_NAME {
        return Err(ValidationError::new(
            field,
            format!("is {len} characters in the SEPA character set; at most {MAX_NAME}"),
        ));
    }
    Ok(name)
}

/// An IBAN of a SEPA country, with a valid check sum (ISO 13616), spaces and case as typed.
pub fn iban(field: &str, raw: &str) -> Result<String, ValidationError> {
    let iban = sepa::validate_iban(raw)
        .map_err(|e| ValidationError::new(field, format!("is not a valid IBAN: {e}")))?;
    if !iban.is_sepa() {
        return Err(ValidationError::new(
            field,
            format!(
                "is an IBAN of {}, which is outside SEPA: a SEPA credit transfer cannot reach it",
                iban.country_code()
            ),
        ));
    }
    Ok(iban.as_str().to_string())
}

/// A BIC (ISO 9362), 8 or 11 characters.
pub fn bic(field: &str, raw: &str) -> Result<String, ValidationError> {
    sepa::validate_bic(raw.trim())
        .map(|b| b.as_str().to_string())
        .map_err(|e| ValidationError::new(field, format!("is not a valid BIC: {e}")))
}

/// May `actor` set the payout account of `member` (as the actor sees them)? The permit
/// writes that member's account; only the member themself gets one.
pub fn set(actor: &Principal, ctx: Context<'_>, member: Target<'_>) -> Result<Permit, Reason> {
    authorize::permit(&Request {
        principal: actor,
        action: SETTER,
        resource: ResourceRef::of_member(member),
        context: ctx,
    })
    .map(|(permit, _)| permit)
}

/// May `actor` read the payout account of `member` (as the actor sees them)? The member
/// themself and whoever pays reports reaching them; the refusal of the first reader action
/// otherwise.
pub fn read(actor: &Principal, ctx: Context<'_>, member: Target<'_>) -> Result<(), Reason> {
    let mut refusal = None;
    for action in READERS {
        match authorize::on_member(actor, ctx, action, member).into_result() {
            Ok(_) => return Ok(()),
            Err(r) => {
                refusal.get_or_insert(r);
            }
        }
    }
    Err(refusal.unwrap_or(Reason::NoPermission { action: SETTER }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iban_is_checked_and_kept_in_its_electronic_form() {
        let a = Account::parse(
            Fields::PAYOUT,
            " Alice Employee ",
            "de89 3704 0044 0532 0130 00",
            None,
        );
        let a = a.unwrap();
        assert_eq!(a.iban, "DE89370400440532013000");
        assert_eq!(a.holder_name, "Alice Employee");
        assert_eq!(a.masked_iban(), "DE…3000");
        let bad = Account::parse(Fields::PAYOUT, "A", "DE89370400440532013001", None).unwrap_err();
        assert_eq!(bad.field, "iban");
        assert!(bad.reason.contains("checksum"), "{bad}");
        let short = iban("iban", "DE8937040044").unwrap_err();
        assert!(short.reason.contains("not a valid IBAN"), "{short}");
    }

    #[test]
    fn only_sepa_countries_can_be_paid() {
        // A valid Brazilian IBAN: right check sum, outside SEPA.
        let br = iban("iban", "BR1800360305000010009795493C1").unwrap_err();
        assert!(br.reason.contains("outside SEPA"), "{br}");
        assert!(iban("iban", "NL91ABNA0417164300").is_ok());
    }

    #[test]
    fn a_bic_is_optional_and_checked_when_given() {
        let with = Account::parse(
            Fields::DEBTOR,
            "Acme",
            "NL91ABNA0417164300",
            Some("abnanl2a"),
        );
        assert_eq!(with.unwrap().bic.as_deref(), Some("ABNANL2A"));
        let blank = Account::parse(Fields::PAYOUT, "Acme", "NL91ABNA0417164300", Some(" "));
        assert_eq!(blank.unwrap().bic, None);
        let bad =
            Account::parse(Fields::DEBTOR, "Acme", "NL91ABNA0417164300", Some("ABN")).unwrap_err();
        assert_eq!(bad.field, "debtor.bic");
    }

    #[test]
    fn a_name_fits_the_sepa_limit_once_transliterated() {
        let seventy = "a".repeat(70);
        assert!(name("holder_name", &seventy).is_ok());
        let grows = format!("{}ß", "a".repeat(69));
        assert_eq!(grows.chars().count(), 70);
        let e = name("holder_name", &grows).unwrap_err();
        assert!(e.reason.contains("71 characters"), "{e}");
        assert!(name("holder_name", "  ").is_err());
    }
}
