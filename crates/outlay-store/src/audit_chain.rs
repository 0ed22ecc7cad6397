//! The audit chain's seal. Each entry carries a MAC (HMAC-SHA256 under a server key kept
//! outside the database) over its fields and its predecessor's MAC, so whoever can write the
//! database but not read the key can neither edit an entry and recompute the chain nor append
//! a forged one. Deleting the newest entries leaves a shorter chain that still links; the
//! head (entry count and last MAC), exported and kept by the operator, catches that.
//!
//! Entries written before a key existed carry a plain SHA-256 (64 hex digits); sealed ones
//! are written `hmac:` + hex. Unsealed entries are accepted only as the start of a chain:
//! one after a sealed entry is a break.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The hash of "no predecessor".
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const SEALED: &str = "hmac:";

/// The server's audit key, kept as a ready HMAC state (cloned per entry). Never stored in
/// the database; never printed.
#[derive(Clone)]
pub struct AuditKey(Arc<Hmac<Sha256>>);

/// A key shorter than this is refused: HMAC-SHA256 wants 32 bytes of secret.
pub const MIN_KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("an audit key needs at least {MIN_KEY_LEN} bytes, this one has {0}")]
pub struct ShortKey(pub usize);

impl AuditKey {
    /// The key from its text (a key file's content or an environment variable), trimmed.
    pub fn new(text: &str) -> Result<AuditKey, ShortKey> {
        let t = text.trim();
        if t.len() < MIN_KEY_LEN {
            return Err(ShortKey(t.len()));
        }
        let mac = Hmac::<Sha256>::new_from_slice(t.as_bytes()).map_err(|_| ShortKey(t.len()))?;
        Ok(AuditKey(Arc::new(mac)))
    }

    /// A fresh random key as text: 64 hex digits (for a new key file).
    pub fn generate() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// The fields an entry's seal covers.
pub struct Sealed<'a> {
    pub org: i64,
    pub at: i64,
    pub member: Option<i64>,
    pub person: Option<i64>,
    /// action, target, outcome, reason, detail.
    pub fields: [&'a str; 5],
}

/// The seal of `entry` after `prev`: keyed when a key is given, else the unkeyed hash.
/// Every field is length-prefixed, so no two different entries feed the same bytes.
pub fn seal(key: Option<&AuditKey>, prev: &str, entry: &Sealed<'_>) -> String {
    match key {
        Some(k) => {
            let mut mac = (*k.0).clone();
            feed(|b| mac.update(b), prev, entry);
            format!("{SEALED}{}", hex::encode(mac.finalize().into_bytes()))
        }
        None => {
            let mut h = Sha256::new();
            feed(|b| h.update(b), prev, entry);
            hex::encode(h.finalize())
        }
    }
}

fn feed(mut put_bytes: impl FnMut(&[u8]), prev: &str, e: &Sealed<'_>) {
    let mut put = |s: &str| {
        put_bytes(&(s.len() as u64).to_be_bytes());
        put_bytes(s.as_bytes());
    };
    put(prev);
    put(&e.org.to_string());
    put(&e.at.to_string());
    put(&e.member.map(|m| m.to_string()).unwrap_or_default());
    put(&e.person.map(|p| p.to_string()).unwrap_or_default());
    for f in e.fields {
        put(f);
    }
}

/// What the operator keeps to catch truncation: how many entries the company's chain had,
/// and the newest one's id and seal, when the head was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub org: i64,
    pub entries: u64,
    pub last_id: Option<i64>,
    pub last_mac: String,
}

/// One entry as the verifier sees it (a database row or an exported line).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub org_id: i64,
    pub at: i64,
    pub actor_member_id: Option<i64>,
    pub actor_person_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub reason: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry holds (and matches the head, if one was given); `unsealed` of them were
    /// written before the chain had a key.
    Intact { entries: u64, unsealed: u64 },
    /// The first entry that does not hold, and why.
    Broken { id: i64, why: &'static str },
    /// The chain holds but is shorter than the head says: newest entries were removed.
    Truncated { entries: u64, head_entries: u64 },
}

/// Checks a company's entries in chain order, one at a time, in constant memory.
pub struct Verifier<'k> {
    org: i64,
    key: Option<&'k AuditKey>,
    head: Option<Head>,
    prev: String,
    entries: u64,
    unsealed: u64,
    broken: Option<(i64, &'static str)>,
}

impl<'k> Verifier<'k> {
    pub fn new(org: i64, key: Option<&'k AuditKey>, head: Option<Head>) -> Verifier<'k> {
        Verifier {
            org,
            key,
            head,
            prev: GENESIS.to_string(),
            entries: 0,
            unsealed: 0,
            broken: None,
        }
    }

    /// Feeds the next entry; false once the chain is broken (the rest need not be read).
    pub fn push(&mut self, e: &Entry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        match self.check(e) {
            Ok(()) => {
                self.prev = e.hash.clone();
                self.entries += 1;
                true
            }
            Err(why) => {
                self.broken = Some((e.id, why));
                false
            }
        }
    }

    fn check(&mut self, e: &Entry) -> Result<(), &'static str> {
        if e.org_id != self.org {
            return Err("belongs to another company");
        }
        if e.prev_hash != self.prev {
            return Err("does not link to the entry before it");
        }
        let fields = Sealed {
            org: e.org_id,
            at: e.at,
            member: e.actor_member_id,
            person: e.actor_person_id,
            fields: [&e.action, &e.target, &e.outcome, &e.reason, &e.detail],
        };
        if e.hash.starts_with(SEALED) {
            let key = self.key.ok_or("is sealed, and no audit key was given")?;
            if seal(Some(key), &self.prev, &fields) != e.hash {
                return Err("its seal does not match its content (edited, forged, or sealed with another key)");
            }
        } else {
            if self.entries > self.unsealed {
                return Err("is unsealed after sealed entries");
            }
            if seal(None, &self.prev, &fields) != e.hash {
                return Err("its hash does not match its content");
            }
            self.unsealed += 1;
        }
        if let Some(h) = &self.head {
            if self.entries + 1 == h.entries
                && (e.hash != h.last_mac || h.last_id.is_some_and(|id| id != e.id))
            {
                return Err("differs from the exported head");
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Verdict {
        if let Some((id, why)) = self.broken {
            return Verdict::Broken { id, why };
        }
        match self.head {
            Some(h) if self.entries < h.entries => Verdict::Truncated {
                entries: self.entries,
                head_entries: h.entries,
            },
            _ => Verdict::Intact {
                entries: self.entries,
                unsealed: self.unsealed,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> AuditKey {
        AuditKey::new(&c.to_string().repeat(40)).unwrap()
    }

    fn chain(key: Option<&AuditKey>, n: usize) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (0..n)
            .map(|i| {
                let mut e = Entry {
                    id: i as i64 + 1,
                    org_id: 7,
                    at: 100 + i as i64,
                    actor_member_id: Some(3),
                    actor_person_id: None,
                    action: "expense.create".into(),
                    target: format!("expense:{i}"),
                    outcome: "allowed".into(),
                    reason: "grant".into(),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                let f = Sealed {
                    org: 7,
                    at: e.at,
                    member: e.actor_member_id,
                    person: None,
                    fields: [&e.action, &e.target, &e.outcome, &e.reason, &e.detail],
                };
                e.hash = seal(key, &prev, &f);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[Entry], key: Option<&AuditKey>, head: Option<Head>) -> Verdict {
        let mut v = Verifier::new(7, key, head);
        for e in entries {
            v.push(e);
        }
        v.finish()
    }

    fn head_of(entries: &[Entry]) -> Head {
        let last = entries.last().unwrap();
        Head {
            org: 7,
            entries: entries.len() as u64,
            last_id: Some(last.id),
            last_mac: last.hash.clone(),
        }
    }

    #[test]
    fn a_sealed_chain_verifies_with_its_key_only() {
        let k = key('k');
        let c = chain(Some(&k), 5);
        assert_eq!(
            verify(&c, Some(&k), Some(head_of(&c))),
            Verdict::Intact {
                entries: 5,
                unsealed: 0
            }
        );
        assert!(matches!(
            verify(&c, Some(&key('x')), None),
            Verdict::Broken { id: 1, .. }
        ));
        assert!(matches!(
            verify(&c, None, None),
            Verdict::Broken { id: 1, .. }
        ));
    }

    #[test]
    fn an_edit_recomputed_without_the_key_is_caught() {
        let k = key('k');
        let mut c = chain(Some(&k), 4);
        c[2].target = "expense:99".into();
        // The forger recomputes as best they can: an unkeyed hash from entry 3 on.
        let mut prev = c[1].hash.clone();
        for e in &mut c[2..] {
            e.prev_hash = prev.clone();
            let f = Sealed {
                org: 7,
                at: e.at,
                member: e.actor_member_id,
                person: None,
                fields: [&e.action, &e.target, &e.outcome, &e.reason, &e.detail],
            };
            e.hash = seal(None, &prev, &f);
            prev = e.hash.clone();
        }
        assert_eq!(
            verify(&c, Some(&k), None),
            Verdict::Broken {
                id: 3,
                why: "is unsealed after sealed entries"
            }
        );
    }

    #[test]
    fn truncation_is_caught_against_the_head_only() {
        let k = key('k');
        let c = chain(Some(&k), 12);
        let head = head_of(&c);
        let short = &c[..2];
        assert!(matches!(
            verify(short, Some(&k), None),
            Verdict::Intact { entries: 2, .. }
        ));
        assert_eq!(
            verify(short, Some(&k), Some(head)),
            Verdict::Truncated {
                entries: 2,
                head_entries: 12
            }
        );
    }

    #[test]
    fn a_chain_grown_past_its_head_still_verifies() {
        let k = key('k');
        let c = chain(Some(&k), 6);
        let head = head_of(&c[..4]);
        assert!(matches!(
            verify(&c, Some(&k), Some(head)),
            Verdict::Intact { entries: 6, .. }
        ));
    }

    #[test]
    fn unsealed_entries_may_only_start_a_chain() {
        let k = key('k');
        let old = chain(None, 3);
        assert_eq!(
            verify(&old, Some(&k), None),
            Verdict::Intact {
                entries: 3,
                unsealed: 3
            }
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert_eq!(AuditKey::new("  short  ").unwrap_err(), ShortKey(5));
        assert_eq!(AuditKey::generate().len(), 64);
    }
}
