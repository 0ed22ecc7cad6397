//! Paging of lists: a limit (1..=500, default 50) and a cursor from the previous page; lists
//! are newest first.

use outlay_core::validate::ValidationError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// Checked paging parameters.
#[derive(Clone, Copy, Debug)]
pub struct Paging {
    pub limit: i64,
    pub cursor: Option<i64>,
}

impl Paging {
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Paging, ValidationError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ValidationError::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let cursor = match cursor {
            None | Some("") => None,
            Some(c) => Some(c.parse::<i64>().ok().filter(|c| *c > 0).ok_or_else(|| {
                ValidationError::new("cursor", "must be a `next_cursor` from a previous page")
            })?),
        };
        Ok(Paging { limit, cursor })
    }

    /// What to ask the store for: one more than a page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the extra row and returns the cursor of the next page, if any.
    pub fn finish<T>(&self, rows: &mut Vec<T>, id: impl Fn(&T) -> i64) -> Option<String> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|r| id(r).to_string())
        } else {
            None
        }
    }
}

/// One page of a list, newest first.
pub struct Page<T> {
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last one.
    pub next_cursor: Option<String>,
}
