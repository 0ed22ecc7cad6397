//! What the list endpoints of every owned-rows resource share (expenses, reports, advances):
//! the status and owner filters read from the query, with the same errors.

use crate::http::error::WebError;
use outlay_core::lifecycle::Lifecycle;
use outlay_core::MemberId;
use outlay_store::owned::Filter;

/// The filter a list query asks for: one status of `S` (empty: any) and one owner.
pub fn filter<S: Lifecycle>(
    status: Option<&str>,
    owner: Option<i64>,
) -> Result<Filter<S>, WebError> {
    let status = match status {
        None | Some("") => None,
        Some(s) => Some(
            S::STATES
                .iter()
                .copied()
                .find(|x| x.name() == s)
                .ok_or_else(|| {
                    let all: Vec<&str> = S::STATES.iter().map(|x| x.name()).collect();
                    WebError::invalid(
                        "status",
                        format!("`{s}` is not one of `{}`", all.join("`, `")),
                    )
                })?,
        ),
    };
    Ok(Filter {
        status,
        owner: owner.map(MemberId),
        ..Filter::default()
    })
}
