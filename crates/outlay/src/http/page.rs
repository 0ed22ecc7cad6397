//! The one shape every list answers with: `?limit=` (1..=500, default 50) and `?cursor=` from
//! the previous page's `next_cursor`; lists are newest first.

use serde::Serialize;
use utoipa::ToSchema;

pub use crate::ops::page::{Paging, DEFAULT_LIMIT, MAX_LIMIT};

/// One page of a list, newest first: the one shape every list answers with. A list that is
/// always complete (presets, roles, the catalog) is one page with no `next_cursor`.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The `cursor` of the next page; null on the last one.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// An operation's page, each item shown as the API shows it.
    pub fn shown<V>(page: crate::ops::Page<V>, show: impl FnMut(V) -> T) -> Page<T> {
        Page {
            items: page.items.into_iter().map(show).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
