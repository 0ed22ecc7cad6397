//! Stored values the code knows only some of (a status, a kind, a bit set), checked as each
//! row is read: a value the code does not know fails the read with
//! [`crate::StoreError::CorruptRow`], naming its table, column and value, instead of
//! falling back to a default that would quietly change what the rules decide (an unknown
//! expense status read as a draft, an unknown delegation as an approval). A row reads such a
//! column as [`Known<T>`].

use outlay_core::expense::ExpenseStatus;
use outlay_core::{DelegationKind, MemberKind};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;

/// A stored value the code does not know: what [`crate::StoreError::CorruptRow`] reports.
#[derive(Debug, thiserror::Error)]
#[error("{table}.{column} holds `{value}`, which Outlay does not know")]
pub struct CorruptValue {
    pub table: &'static str,
    pub column: &'static str,
    pub value: String,
}

/// A value kept in one column, of which the code knows only some.
pub trait Stored: Sized {
    const TABLE: &'static str;
    const COLUMN: &'static str;
    /// The column's type as the database hands it over.
    type Raw: sqlx::Type<Any> + for<'r> sqlx::Decode<'r, Any> + std::fmt::Display;
    fn parse(raw: &Self::Raw) -> Option<Self>;
}

/// A column's value, known to the code: reading anything else fails (`CorruptRow`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known<T>(pub T);

impl<T: Stored> sqlx::Type<Any> for Known<T> {
    fn type_info() -> AnyTypeInfo {
        <T::Raw as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <T::Raw as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r, T: Stored> sqlx::Decode<'r, Any> for Known<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let raw = <T::Raw as sqlx::Decode<'r, Any>>::decode(value)?;
        match T::parse(&raw) {
            Some(v) => Ok(Known(v)),
            None => Err(Box::new(CorruptValue {
                table: T::TABLE,
                column: T::COLUMN,
                value: raw.to_string(),
            })),
        }
    }
}

impl Stored for ExpenseStatus {
    const TABLE: &'static str = "expenses";
    const COLUMN: &'static str = "status";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        ExpenseStatus::parse(raw)
    }
}

impl Stored for outlay_core::report::ReportStatus {
    const TABLE: &'static str = "reports";
    const COLUMN: &'static str = "status";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        Self::parse(raw)
    }
}

impl Stored for DelegationKind {
    const TABLE: &'static str = "delegations";
    const COLUMN: &'static str = "kind";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        DelegationKind::parse(raw)
    }
}

impl Stored for MemberKind {
    const TABLE: &'static str = "members";
    const COLUMN: &'static str = "kind";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        MemberKind::parse(raw)
    }
}

/// A grant's switched-off permission groups: a bit set of eight groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupsOff(pub u8);

impl Stored for GroupsOff {
    const TABLE: &'static str = "grants";
    const COLUMN: &'static str = "groups_off";
    type Raw = i64;
    fn parse(raw: &i64) -> Option<Self> {
        u8::try_from(*raw).ok().map(GroupsOff)
    }
}

/// The corrupt value behind a row that failed to read, if that is why it failed.
pub(crate) fn corrupt_value(e: &sqlx::Error) -> Option<&CorruptValue> {
    match e {
        sqlx::Error::ColumnDecode { source, .. } => source.downcast_ref::<CorruptValue>(),
        _ => None,
    }
}

impl Stored for outlay_core::advance::AdvanceStatus {
    const TABLE: &'static str = "advances";
    const COLUMN: &'static str = "status";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        Self::parse(raw)
    }
}

impl Stored for outlay_core::trip::TripStatus {
    const TABLE: &'static str = "trips";
    const COLUMN: &'static str = "status";
    type Raw = String;
    fn parse(raw: &String) -> Option<Self> {
        Self::parse(raw)
    }
}
