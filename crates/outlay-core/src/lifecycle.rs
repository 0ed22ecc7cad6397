//! The expense lifecycle as one table: which step takes an expense from which status to
//! which. A draft is submitted; a submitted expense is approved or rejected; an override
//! turns an approved expense into a rejected one or back; edits and deletes happen only in
//! the editable states (draft, rejected). Nothing else moves an expense: a transition
//! permit is made from this table only ([`crate::permit::Permit::into_transition`]).

use crate::authorize::ExpenseAction;
use crate::expense::ExpenseStatus;

/// Where a step leaves an expense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    Status(ExpenseStatus),
    /// The row is gone.
    Deleted,
}

use ExpenseAction as S;
use ExpenseStatus::{Approved, Draft, Rejected, Submitted};

/// Every allowed step: (step, from, to).
pub const TABLE: &[(ExpenseAction, ExpenseStatus, After)] = &[
    (S::Edit, Draft, After::Status(Draft)),
    (S::Edit, Rejected, After::Status(Rejected)),
    (S::Delete, Draft, After::Deleted),
    (S::Delete, Rejected, After::Deleted),
    (S::Submit, Draft, After::Status(Submitted)),
    (S::Submit, Rejected, After::Status(Submitted)),
    (S::Approve, Submitted, After::Status(Approved)),
    (S::Reject, Submitted, After::Status(Rejected)),
    (S::Override, Rejected, After::Status(Approved)),
    (S::Override, Approved, After::Status(Rejected)),
];

/// Where `step` takes an expense in status `from`; `None` when the table has no such step.
pub fn after(step: ExpenseAction, from: ExpenseStatus) -> Option<After> {
    TABLE
        .iter()
        .find(|(s, f, _)| *s == step && *f == from)
        .map(|(_, _, to)| *to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_table_moves_an_expense() {
        assert_eq!(after(S::Approve, Submitted), Some(After::Status(Approved)));
        assert_eq!(after(S::Reject, Submitted), Some(After::Status(Rejected)));
        assert_eq!(after(S::Approve, Draft), None);
        assert_eq!(after(S::Approve, Approved), None);
        assert_eq!(after(S::Submit, Submitted), None);
        assert_eq!(after(S::Edit, Approved), None);
        assert_eq!(after(S::Delete, Submitted), None);
        assert_eq!(after(S::Override, Submitted), None);
        assert_eq!(after(S::Override, Approved), Some(After::Status(Rejected)));
        // Nothing goes back to draft.
        assert!(TABLE
            .iter()
            .all(|(_, from, to)| *to != After::Status(Draft) || *from == Draft));
        // Viewing and correcting move nothing.
        for status in [Draft, Submitted, Approved, Rejected] {
            assert_eq!(after(S::View, status), None);
            assert_eq!(after(S::Correct, status), None);
        }
    }
}
