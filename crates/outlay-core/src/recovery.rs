//! Which proofs let a person set a new password. An invitation link proves the e-mail before
//! a new person's first password (`member::acceptance`); a reset link e-mailed to a person
//! who has a password sets a new one once, before it expires; a signed-in person changes
//! theirs by giving the current one. The caller checks the password or token (it holds the
//! hashes); these rules turn the proof into the token for the write.

use crate::decision::Reason;
use crate::grant::Timestamp;
use crate::permit::{PasswordSet, ResetIssue, SelfService};

/// How long a password reset link stays usable.
pub const RESET_SECONDS: i64 = 3600;

/// What is known of a reset link when someone uses it.
#[derive(Clone, Copy, Debug)]
pub struct Reset {
    pub person: i64,
    pub used: bool,
    pub expires_at: Timestamp,
}

/// A reset link sets a password once, before it expires.
pub fn reset_password(reset: Reset, now: Timestamp) -> Result<SelfService<PasswordSet>, Reason> {
    if reset.used {
        return Err(Reason::ResetUsed);
    }
    if reset.expires_at <= now {
        return Err(Reason::ResetExpired);
    }
    Ok(SelfService::new(PasswordSet {
        person: reset.person,
        reason: "reset",
    }))
}

/// A signed-in person who gave their current password (checked by the caller) sets another.
pub fn change_password(person: i64) -> SelfService<PasswordSet> {
    SelfService::new(PasswordSet {
        person,
        reason: "change",
    })
}

/// A reset link is only for a person who has a password: a person who never set one sets it
/// through their invitation, which proves the e-mail the same way. `None`: nothing is sent
/// (the asker is told the same either way).
pub fn issue_reset(person: i64, has_password: bool) -> Option<SelfService<ResetIssue>> {
    has_password.then(|| SelfService::new(ResetIssue { person }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_link_sets_a_password_once_before_it_expires() {
        let open = Reset {
            person: 7,
            used: false,
            expires_at: Timestamp(100),
        };
        let token = reset_password(open, Timestamp(99)).map(|t| *t.kind());
        assert_eq!(
            token,
            Ok(PasswordSet {
                person: 7,
                reason: "reset"
            })
        );
        let used = Reset { used: true, ..open };
        assert_eq!(
            reset_password(used, Timestamp(1)).err(),
            Some(Reason::ResetUsed)
        );
        assert_eq!(
            reset_password(open, Timestamp(100)).err(),
            Some(Reason::ResetExpired)
        );
    }

    #[test]
    fn only_a_person_with_a_password_gets_a_reset_link() {
        assert!(issue_reset(7, false).is_none());
        assert_eq!(issue_reset(7, true).map(|t| t.kind().person), Some(7));
    }
}
