//! Who calls: a person with a live session (a bearer token today), at the time of one
//! request, and for a request in a company that company's access version, read with the
//! session. Front ends establish it (the HTTP server from the `Authorization` header); the
//! application layer loads the acting member from it.

use outlay_core::Timestamp;
use outlay_store::auth::PersonRow;

/// A caller with a live session.
pub struct Session {
    pub person: PersonRow,
    pub token_hash: String,
    /// The time of this request, read once.
    pub now: Timestamp,
    /// For a request in a company: that company and its access version, read in the same
    /// statement as the session and before anything else of the request.
    pub access: Option<(i64, Option<i64>)>,
    /// For a read: the connection the session was read on, kept for the rest of the request
    /// so that it reads one snapshot on one checkout. A change lets it go at once: it must
    /// never be held while waiting for a write connection.
    kept: std::sync::Mutex<Option<outlay_store::Read>>,
}

impl Session {
    pub fn new(
        person: PersonRow,
        token_hash: String,
        now: Timestamp,
        access: Option<(i64, Option<i64>)>,
        kept: Option<outlay_store::Read>,
    ) -> Session {
        Session {
            person,
            token_hash,
            now,
            access,
            kept: std::sync::Mutex::new(kept),
        }
    }

    /// The connection the session was read on, for the request's reads; `None` once taken
    /// (or for a change).
    pub fn take_read(&self) -> Option<outlay_store::Read> {
        self.kept.lock().ok().and_then(|mut kept| kept.take())
    }
}
