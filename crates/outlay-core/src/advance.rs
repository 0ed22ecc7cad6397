//! Cash advances (Frappe's model): a member requests money ahead of costs; whoever approves
//! their spending approves it (never their own); finance disburses it, then settles it
//! against the member's approved reports (never more than is unclaimed, nor more than a
//! report's total not yet covered), and records the rest returned. What is claimed shows in
//! the status people read: paid, partly claimed, claimed, returned.

use crate::catalog::{Action, Resource};
use crate::ids::MemberId;
use crate::lifecycle::{After, Lifecycle};
use crate::org::Target;
use crate::validate::ValidationError;

crate::names! {
    /// Where an advance is in its life. `paid` reads as `partly_claimed` or `claimed` once
    /// reports are settled against it ([`shown`]).
    pub enum AdvanceStatus {
        Requested = "requested",
        Rejected = "rejected",
        /// Approved, not yet disbursed.
        Unpaid = "unpaid",
        Paid = "paid",
        /// Settled: what was not claimed came back.
        Returned = "returned",
    }
}

crate::names! {
    /// What can be done to an advance.
    pub enum AdvanceStep {
        View = "view",
        /// Its owner withdraws a request not yet decided.
        Cancel = "cancel",
        Approve = "approve",
        Reject = "reject",
        Disburse = "disburse",
        /// Cover (part of) one of the owner's approved reports with it.
        Settle = "settle",
        /// Close it: what was not claimed came back.
        Return = "return",
    }
}

use AdvanceStatus::{Paid, Rejected, Requested, Returned, Unpaid};
use AdvanceStep as S;

impl Lifecycle for AdvanceStatus {
    type Step = AdvanceStep;
    const RESOURCE: Resource = Resource::Advance;
    const NOUN: &'static str = "an advance";
    const STATES: &'static [AdvanceStatus] = &AdvanceStatus::ALL;
    const STEPS: &'static [AdvanceStep] = &AdvanceStep::ALL;
    const VIEW: AdvanceStep = AdvanceStep::View;
    const TABLE: &'static [(AdvanceStep, AdvanceStatus, After<AdvanceStatus>)] = &[
        (S::Cancel, Requested, After::Deleted),
        (S::Approve, Requested, After::Status(Unpaid)),
        (S::Reject, Requested, After::Status(Rejected)),
        (S::Disburse, Unpaid, After::Status(Paid)),
        (S::Settle, Paid, After::Status(Paid)),
        (S::Return, Paid, After::Status(Returned)),
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }
    fn step_name(step: AdvanceStep) -> &'static str {
        step.as_str()
    }
    fn permission(step: AdvanceStep) -> Action {
        match step {
            S::View => Action::AdvanceView,
            // The owner's own request.
            S::Cancel => Action::AdvanceRequest,
            S::Approve | S::Reject => Action::AdvanceApprove,
            S::Disburse | S::Settle | S::Return => Action::AdvanceDisburse,
        }
    }
    fn verb(action: Action) -> &'static str {
        match action {
            Action::AdvanceApprove => "decide",
            Action::AdvanceDisburse => "pay out or settle",
            _ => "change",
        }
    }
}

/// What the rules need to know about an advance.
#[derive(Clone, Copy, Debug)]
pub struct AdvanceFacts<'a> {
    pub id: i64,
    pub owner: Target<'a>,
    pub status: AdvanceStatus,
    /// In minor units of the company currency (advances are paid in it).
    pub amount_minor: i64,
    pub hands: &'a [MemberId],
}

impl<'a> AdvanceFacts<'a> {
    pub fn resource(&self) -> crate::ResourceRef<'a> {
        crate::ResourceRef {
            kind: Some(Resource::Advance),
            id: Some(self.id),
            owner: Some(self.owner),
            status: Some(crate::lifecycle::State::of(self.status)),
            amount_minor: Some(self.amount_minor),
            hands: self.hands,
            ..crate::ResourceRef::default()
        }
    }
}

/// The status people read: a paid advance is `partly_claimed` or `claimed` by what reports
/// settled against it.
pub fn shown(status: AdvanceStatus, amount_minor: i64, claimed_minor: i64) -> &'static str {
    match status {
        Paid if claimed_minor >= amount_minor => "claimed",
        Paid if claimed_minor > 0 => "partly_claimed",
        s => s.as_str(),
    }
}

/// What is left to claim or return of an advance.
pub fn unclaimed(amount_minor: i64, claimed_minor: i64) -> i64 {
    (amount_minor - claimed_minor).max(0)
}

/// Checks a settlement of `amount_minor` against a report whose total not yet covered by
/// advances is `report_open_minor`, from an advance with `unclaimed_minor` left.
pub fn settlement(
    amount_minor: i64,
    unclaimed_minor: i64,
    report_open_minor: i64,
) -> Result<(), ValidationError> {
    let field = "amount_minor";
    if amount_minor <= 0 {
        return Err(ValidationError::new(
            field,
            "must be a positive number of minor units",
        ));
    }
    if amount_minor > unclaimed_minor {
        let why = format!("is more than the {unclaimed_minor} the advance has unclaimed");
        return Err(ValidationError::new(field, why));
    }
    if amount_minor > report_open_minor {
        let why = format!("is more than the {report_open_minor} of the report not yet covered");
        return Err(ValidationError::new(field, why));
    }
    Ok(())
}

/// What an advance is for.
pub fn purpose(raw: Option<&str>) -> Result<String, ValidationError> {
    let raw = raw.ok_or_else(|| ValidationError::new("purpose", "is required"))?;
    crate::validate::text("purpose", raw, 200)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::after;

    #[test]
    fn five_hundred_settled_against_430_leaves_70_to_return() {
        assert_eq!(unclaimed(50_000, 43_000), 7_000);
        assert_eq!(shown(Paid, 50_000, 43_000), "partly_claimed");
        assert_eq!(shown(Paid, 50_000, 50_000), "claimed");
        assert_eq!(shown(Paid, 50_000, 0), "paid");
        assert_eq!(shown(Returned, 50_000, 43_000), "returned");
    }

    #[test]
    fn settlements_never_exceed_what_is_open_on_either_side() {
        assert!(settlement(43_000, 50_000, 43_000).is_ok());
        assert!(settlement(50_001, 50_000, 60_000).is_err());
        assert!(settlement(43_000, 50_000, 42_000).is_err());
        assert!(settlement(0, 50_000, 42_000).is_err());
    }

    #[test]
    fn an_advance_moves_only_along_its_table() {
        assert_eq!(after(S::Approve, Requested), Some(After::Status(Unpaid)));
        assert_eq!(after(S::Disburse, Requested), None);
        assert_eq!(after(S::Settle, Unpaid), None);
        for step in AdvanceStep::ALL {
            assert_eq!(after(step, Returned), None, "{step:?}");
            assert_eq!(after(step, Rejected), None, "{step:?}");
        }
    }
}
