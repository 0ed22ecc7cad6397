//! Resource lifecycles, declared once: a resource's states, its steps (the verbs that move a
//! row), the catalog action each step needs, and one table of which step takes a row from
//! which state to which. Both the data forbids of `decide` ([`refusal`]) and the permit a
//! write needs ([`crate::permit::Permit::into_transition`]) are read from that table, so a
//! row moves only along it and a page's buttons agree with what the write will accept.
//!
//! The expense lifecycle is the first: a draft is submitted; a submitted expense is approved
//! or rejected; an override turns an approved expense into a rejected one or back; edits and
//! deletes happen only in the editable states (draft, rejected); finance's corrections only
//! to approved ones, which stay approved.

use crate::authorize::ExpenseAction;
use crate::catalog::{Action, Resource};
use crate::decision::Reason;
use crate::expense::ExpenseStatus;
use std::fmt::Debug;

/// Declares an enum whose variants have stored names (a lifecycle's states, its steps):
/// `ALL` in declaration order, `as_str`, `parse`.
#[macro_export]
macro_rules! names {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: [$name; [$($s),+].len()] = [$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|x| x.as_str() == s)
            }
        }
    };
}

/// Where a step leaves a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After<S> {
    Status(S),
    /// The row is gone.
    Deleted,
}

/// A resource's life: implemented by its state type.
pub trait Lifecycle: Copy + Eq + Debug + Send + Sync + 'static {
    /// What can be done to a row (including steps that move nothing, such as viewing).
    type Step: Copy + Eq + Debug + Send + Sync + 'static;
    /// The catalog resource whose rows live this life.
    const RESOURCE: Resource;
    /// How a refusal names a row: "an expense".
    const NOUN: &'static str;
    /// Every state.
    const STATES: &'static [Self];
    /// Every step, in the order a page shows what the caller may do.
    const STEPS: &'static [Self::Step];
    /// The step of reading a row: every delegation lends it.
    const VIEW: Self::Step;
    /// Every allowed move: (step, from, to). Nothing else moves a row.
    const TABLE: &'static [(Self::Step, Self, After<Self>)];

    /// The state's stored and shown name.
    fn name(self) -> &'static str;
    /// The step's name, as a refusal says it ("cannot submit ...").
    fn step_name(step: Self::Step) -> &'static str;
    /// The catalog action a step needs.
    fn permission(step: Self::Step) -> Action;
    /// How a refusal names what an action does, when several steps share it (approve and
    /// reject are both `decide`). Default: the name of its first step in the table.
    fn verb(action: Action) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(s, _, _)| Self::permission(*s) == action)
            .map_or("change", |(s, _, _)| Self::step_name(*s))
    }
    /// Refusals that come before the table's (a rule with its own reason, or an action
    /// that moves nothing but still depends on the state). Default: none.
    fn guard(_action: Action, _state: Self) -> Option<Reason> {
        None
    }
}

/// A row's state, whichever lifecycle it lives: what a request carries
/// ([`crate::ResourceRef::status`]), so that one `decide` reads the data forbids of every
/// lifecycle. Made only from a state of a [`Lifecycle`] ([`State::of`]).
#[derive(Clone, Copy)]
pub struct State {
    name: &'static str,
    /// Its place in its lifecycle's `STATES`, for `refuse` to find it without comparing names.
    index: usize,
    refuse: fn(Action, usize, &'static str) -> Option<Reason>,
}

impl State {
    pub fn of<L: Lifecycle>(state: L) -> State {
        State {
            name: state.name(),
            // Every state is in `STATES`; one that is not refuses everything that moves.
            index: L::STATES
                .iter()
                .position(|s| *s == state)
                .unwrap_or(usize::MAX),
            refuse: |action, i, name| match L::STATES.get(i) {
                Some(state) => refusal::<L>(action, *state),
                None => Some(Reason::WrongStatus {
                    noun: L::NOUN,
                    status: name,
                    action: L::verb(action),
                }),
            },
        }
    }

    /// The state's stored name.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// Its lifecycle's data forbid of `action` ([`refusal`]).
    pub fn refusal(self, action: Action) -> Option<Reason> {
        (self.refuse)(action, self.index, self.name)
    }
}

impl Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The state of this name.
pub fn state<L: Lifecycle>(name: &str) -> Option<L> {
    L::STATES.iter().copied().find(|s| s.name() == name)
}

/// Where `step` takes a row in state `from`; `None` when the table has no such move.
pub fn after<L: Lifecycle>(step: L::Step, from: L) -> Option<After<L>> {
    L::TABLE
        .iter()
        .find(|(s, f, _)| *s == step && *f == from)
        .map(|(_, _, to)| *to)
}

/// The data forbid of `action` on a row in `state`: the resource's own guard first; then an
/// action some step of which moves rows is refused from a state none of its steps leaves.
/// Actions that move nothing (viewing) pass.
pub fn refusal<L: Lifecycle>(action: Action, state: L) -> Option<Reason> {
    if let Some(r) = L::guard(action, state) {
        return Some(r);
    }
    let mut moves = L::TABLE
        .iter()
        .filter(|(s, _, _)| L::permission(*s) == action)
        .peekable();
    moves.peek()?;
    if moves.any(|(_, from, _)| *from == state) {
        return None;
    }
    Some(wrong_status::<L>(state, L::verb(action)))
}

/// "cannot `verb` a row that is `state`".
pub fn wrong_status<L: Lifecycle>(state: L, verb: &'static str) -> Reason {
    Reason::WrongStatus {
        noun: L::NOUN,
        status: state.name(),
        action: verb,
    }
}

use ExpenseAction as S;
use ExpenseStatus::{Approved, Draft, Rejected, Submitted};

impl Lifecycle for ExpenseStatus {
    type Step = ExpenseAction;
    const RESOURCE: Resource = Resource::Expense;
    const NOUN: &'static str = "an expense";
    const STATES: &'static [ExpenseStatus] = &ExpenseStatus::ALL;
    const STEPS: &'static [ExpenseAction] = &ExpenseAction::ALL;
    const VIEW: ExpenseAction = ExpenseAction::View;
    const TABLE: &'static [(ExpenseAction, ExpenseStatus, After<ExpenseStatus>)] = &[
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
        (S::Correct, Approved, After::Status(Approved)),
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }
    fn step_name(step: ExpenseAction) -> &'static str {
        step.as_str()
    }
    fn permission(step: ExpenseAction) -> Action {
        step.permission()
    }
    fn verb(action: Action) -> &'static str {
        match action {
            Action::ExpenseApprove => "decide",
            Action::ExpenseCorrect => "correct",
            _ => ExpenseAction::ALL
                .into_iter()
                .find(|s| s.permission() == action)
                .map_or("change", ExpenseAction::as_str),
        }
    }
    fn guard(action: Action, state: ExpenseStatus) -> Option<Reason> {
        match action {
            // An approved expense is settled: its own reason, not a wrong status.
            Action::ExpenseEdit | Action::ExpenseDelete if state == Approved => {
                Some(Reason::ApprovedImmutable)
            }
            _ => None,
        }
    }
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
        assert!(ExpenseStatus::TABLE
            .iter()
            .all(|(_, from, to)| *to != After::Status(Draft) || *from == Draft));
        // Viewing moves nothing; a correction leaves an approved expense approved.
        for status in [Draft, Submitted, Approved, Rejected] {
            assert_eq!(after(S::View, status), None);
            let corrected = (status == Approved).then_some(After::Status(Approved));
            assert_eq!(after(S::Correct, status), corrected);
        }
    }

    #[test]
    fn the_data_forbids_are_the_table_read_backwards() {
        // Every action that moves an expense passes exactly from the states the table
        // leaves with it, and says which state refused it otherwise.
        for action in ExpenseAction::ALL.map(ExpenseAction::permission) {
            for state in ExpenseStatus::ALL {
                let moves = ExpenseStatus::TABLE
                    .iter()
                    .any(|(s, from, _)| s.permission() == action && *from == state);
                let refused = refusal(action, state);
                match action {
                    Action::ExpenseView => assert_eq!(refused, None),
                    _ => assert_eq!(refused.is_none(), moves, "{action:?} from {state:?}"),
                }
            }
        }
        assert_eq!(
            refusal(Action::ExpenseApprove, Draft),
            Some(Reason::WrongStatus {
                noun: "an expense",
                status: "draft",
                action: "decide"
            })
        );
        assert_eq!(
            refusal(Action::ExpenseEdit, Approved),
            Some(Reason::ApprovedImmutable)
        );
    }
}
