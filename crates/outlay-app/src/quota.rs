//! Creation quotas: how many companies, invitations, role requests, expenses... one person
//! (and one company) may create per minute. A signed-in stranger founding 25,000 companies in
//! 20 seconds, or filing 11,000 role requests in 10, is refused with 429 and `Retry-After`
//! once past the quota, before anything is read or written. Counted per server, in fixed
//! one-minute windows, attempts refused for other reasons included: a quota bounds a flood,
//! it is not billing.

use outlay_core::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// Per action: at most so many per person, and per company, in one minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaLimits {
    pub per_person: HashMap<&'static str, u32>,
    pub per_company: HashMap<&'static str, u32>,
}

/// The actions quotas apply to by default, with (per person, per company) per minute:
/// generous for people at work, small against a script.
pub const DEFAULTS: [(&str, u32, u32); 11] = [
    ("org.create", 100, 0),
    ("member.invite", 300, 1_000),
    ("role_request.create", 60, 600),
    ("expense.create", 600, 20_000),
    ("report.create", 300, 10_000),
    ("delegation.create", 60, 600),
    ("trip.request", 120, 5_000),
    ("advance.request", 120, 5_000),
    ("category.create", 60, 300),
    ("team.manage", 120, 600),
    ("role.manage", 60, 300),
];

impl Default for QuotaLimits {
    fn default() -> QuotaLimits {
        QuotaLimits {
            per_person: DEFAULTS.iter().map(|(a, p, _)| (*a, *p)).collect(),
            per_company: DEFAULTS
                .iter()
                .filter(|(_, _, c)| *c > 0)
                .map(|(a, _, c)| (*a, *c))
                .collect(),
        }
    }
}

impl QuotaLimits {
    /// Every quota multiplied by `factor` (0 turns quotas off): one setting for operators.
    pub fn scaled(factor: u32) -> QuotaLimits {
        let d = QuotaLimits::default();
        let scale = |m: HashMap<&'static str, u32>| {
            m.into_iter()
                .filter(|_| factor > 0)
                .map(|(a, n)| (a, n.saturating_mul(factor)))
                .collect()
        };
        QuotaLimits {
            per_person: scale(d.per_person),
            per_company: scale(d.per_company),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Person(i64),
    Company(i64),
}

/// The minute counted, and each (who, action)'s count in it.
type Window = (i64, HashMap<(Who, &'static str), u32>);

/// The counters of the current minute.
pub struct Quotas {
    limits: QuotaLimits,
    counts: Mutex<Window>,
}

/// Over quota: try again after so many seconds (the rest of the minute).
#[derive(Debug, PartialEq, Eq)]
pub struct OverQuota {
    pub retry_after: u64,
}

impl Quotas {
    pub fn new(limits: QuotaLimits) -> Quotas {
        Quotas {
            limits,
            counts: Mutex::new((i64::MIN, HashMap::new())),
        }
    }

    /// Counts one `action` by `person` in company `org` (none when founding), unless that
    /// would pass a quota.
    pub fn charge(
        &self,
        action: &'static str,
        person: i64,
        org: Option<i64>,
        now: Timestamp,
    ) -> Result<(), OverQuota> {
        let person_max = self.limits.per_person.get(action).copied();
        let company_max = org.and_then(|_| self.limits.per_company.get(action).copied());
        if person_max.is_none() && company_max.is_none() {
            return Ok(());
        }
        let minute = now.0.div_euclid(60);
        let over = OverQuota {
            retry_after: (60 - now.0.rem_euclid(60)).max(1) as u64,
        };
        let mut guard = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let (window, counts) = &mut *guard;
        if *window != minute {
            // A new minute: last minute's counters are of no use any more.
            *window = minute;
            counts.clear();
        }
        let keys = [
            person_max.map(|m| ((Who::Person(person), action), m)),
            company_max
                .zip(org)
                .map(|(m, o)| ((Who::Company(o), action), m)),
        ];
        if keys
            .iter()
            .flatten()
            .any(|(k, max)| counts.get(k).copied().unwrap_or(0) >= *max)
        {
            return Err(over);
        }
        for (k, _) in keys.into_iter().flatten() {
            *counts.entry(k).or_insert(0) += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        // A whole minute: 1_800_000_000 is divisible by 60.
        Timestamp(1_800_000_000 + s)
    }

    #[test]
    fn the_101st_company_in_a_minute_waits_for_the_next() {
        let q = Quotas::new(QuotaLimits::default());
        for _ in 0..100 {
            q.charge("org.create", 7, None, at(10)).unwrap();
        }
        assert_eq!(
            q.charge("org.create", 7, None, at(15)),
            Err(OverQuota { retry_after: 45 })
        );
        assert!(
            q.charge("org.create", 8, None, at(15)).is_ok(),
            "someone else"
        );
        assert!(
            q.charge("org.create", 7, None, at(60)).is_ok(),
            "next minute"
        );
    }

    #[test]
    fn a_company_quota_holds_across_its_people_and_others_are_not_counted() {
        let q = Quotas::new(QuotaLimits::scaled(1));
        for p in 0..600 {
            q.charge("role_request.create", p, Some(1), at(0)).unwrap();
        }
        assert!(q
            .charge("role_request.create", 999, Some(1), at(1))
            .is_err());
        assert!(q.charge("role_request.create", 999, Some(2), at(1)).is_ok());
        assert!(
            q.charge("expense.approve", 999, Some(1), at(1)).is_ok(),
            "no quota"
        );
    }

    #[test]
    fn factor_zero_turns_quotas_off() {
        let q = Quotas::new(QuotaLimits::scaled(0));
        for _ in 0..1000 {
            q.charge("org.create", 7, None, at(0)).unwrap();
        }
    }
}
