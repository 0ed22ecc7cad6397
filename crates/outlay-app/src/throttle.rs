//! Login throttling. Every attempt is charged as a failure up front (so parallel attempts
//! cannot slip through together) and refunded when the password turns out right. After a few
//! failures each further one doubles the delay before the next attempt, up to a ceiling: short
//! delays are served (the answer comes late), longer ones are a 429 with `Retry-After`.
//! Failures are forgotten after a quiet while and the ceiling is minutes, so nobody is ever
//! locked out for good; and an address the account recently logged in from is judged on its
//! own, so failures from elsewhere never hold the real user back there.
//!
//! Each server counts in memory, bounded in size, and before charging an attempt raises its
//! counts to what the person-level trail shows (`observe`): the failures every server on the
//! database recorded. So a client spreading its guesses over several servers is held back as
//! if it used one, a few seconds late at most (the audit writer's batching), and a restart
//! forgets nothing recent.

use crate::limits::LoginLimits;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// What a throttle counts attempts against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A client address (`address_text`), over all accounts.
    Address(String),
    /// An account (normalised email), for attempts from addresses it has not logged in from.
    Account(String),
    /// An account from one address it recently logged in from.
    Known(String, String),
}

impl Key {
    fn free(&self, limits: &LoginLimits) -> u32 {
        match self {
            Key::Address(_) => limits.free_per_address,
            Key::Account(_) | Key::Known(..) => limits.free_per_account,
        }
    }
}

/// The text an address is counted and recorded under: IPv4 as is, IPv6 as its /64 network
/// (one host usually holds a whole /64, so counting single addresses would count nothing).
pub fn address_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Failures charged in the current streak.
    failures: u32,
    /// When the latest charged attempt was let through.
    last: Instant,
    /// No attempt before this.
    next: Instant,
}

/// The answer to an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Charged: go ahead after waiting this long (often zero).
    Go(Duration),
    /// Not charged: try again after this long.
    Wait(Duration),
}

pub struct Throttle {
    limits: LoginLimits,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

impl Throttle {
    pub fn new(limits: LoginLimits) -> Throttle {
        Throttle {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn delay(&self, failures: u32, free: u32) -> Duration {
        if failures <= free {
            return Duration::ZERO;
        }
        let doublings = (failures - free - 1).min(31);
        self.limits
            .base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.limits.max_delay)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Bucket>> {
        // Every update leaves the map consistent, so a poisoned lock is still usable.
        self.buckets.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Charges one attempt against every key, or none when any of them must wait longer than
    /// the inline delay.
    pub fn attempt(&self, keys: &[Key], now: Instant) -> Verdict {
        let mut buckets = self.lock();
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(b) = buckets.get_mut(key) {
                if now.saturating_duration_since(b.last) >= self.limits.forget_after
                    && b.next <= now
                {
                    b.failures = 0;
                }
                wait = wait.max(b.next.saturating_duration_since(now));
            }
        }
        if wait > self.limits.inline_delay {
            return Verdict::Wait(wait);
        }
        if buckets.len() + keys.len() > self.limits.max_tracked {
            self.prune(&mut buckets, now);
        }
        let start = now + wait;
        for key in keys {
            let free = key.free(&self.limits);
            let b = buckets.entry(key.clone()).or_insert(Bucket {
                failures: 0,
                last: start,
                next: start,
            });
            b.failures = b.failures.saturating_add(1);
            b.last = start;
            b.next = start + self.delay(b.failures, free);
        }
        Verdict::Go(wait)
    }

    /// How long `key` is held back now, without charging it: `None` when an attempt may go
    /// ahead at once or after a served delay.
    pub fn held(&self, key: &Key, now: Instant) -> Option<Duration> {
        let buckets = self.lock();
        let b = buckets.get(key)?;
        let wait = b.next.saturating_duration_since(now);
        (wait > self.limits.inline_delay).then_some(wait)
    }

    /// Raises `key`'s streak to `failures`, the latest at `latest`, as the trail shows them
    /// (other servers' failures included); never lowers what this server counted itself,
    /// which includes attempts still under way.
    pub fn observe(&self, key: &Key, failures: u32, latest: Instant, now: Instant) {
        if failures == 0 || now.saturating_duration_since(latest) >= self.limits.forget_after {
            return;
        }
        let mut buckets = self.lock();
        if !buckets.contains_key(key) && buckets.len() >= self.limits.max_tracked {
            self.prune(&mut buckets, now);
        }
        let free = key.free(&self.limits);
        let b = buckets.entry(key.clone()).or_insert(Bucket {
            failures: 0,
            last: latest,
            next: latest,
        });
        if failures > b.failures {
            b.failures = failures;
            b.last = b.last.max(latest);
            b.next = b.next.max(latest + self.delay(failures, free));
        }
    }

    /// Takes back one charged attempt from each key: it never reached the password check, or
    /// it was right (for an address, one success does not excuse its other failures).
    pub fn refund(&self, keys: &[Key]) {
        let mut buckets = self.lock();
        for key in keys {
            if let Some(b) = buckets.get_mut(key) {
                b.failures = b.failures.saturating_sub(1);
                b.next = b.last + self.delay(b.failures, key.free(&self.limits));
            }
        }
    }

    /// Clears an account's streak: the right password was given.
    pub fn clear(&self, key: &Key) {
        self.lock().remove(key);
    }

    /// Makes room: drops what is forgotten anyway, then the least recently charged tenth.
    fn prune(&self, buckets: &mut HashMap<Key, Bucket>, now: Instant) {
        buckets.retain(|_, b| {
            b.next > now || now.saturating_duration_since(b.last) < self.limits.forget_after
        });
        if buckets.len() < self.limits.max_tracked || buckets.is_empty() {
            return;
        }
        // Down to nine tenths, so a full table prunes once per tenth of new entries, not on
        // every one.
        let excess = buckets.len() - self.limits.max_tracked * 9 / 10;
        let mut by_age: Vec<(Instant, Key)> =
            buckets.iter().map(|(k, b)| (b.last, k.clone())).collect();
        by_age.select_nth_unstable_by_key(excess, |(last, _)| *last);
        for (_, key) in by_age.into_iter().take(excess) {
            buckets.remove(&key);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> LoginLimits {
        LoginLimits {
            free_per_account: 3,
            free_per_address: 10,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            inline_delay: Duration::from_secs(2),
            forget_after: Duration::from_secs(600),
            max_tracked: 100,
            ..LoginLimits::default()
        }
    }

    fn account() -> Vec<Key> {
        vec![Key::Account("a@x".into())]
    }

    #[test]
    fn delays_grow_then_turn_into_a_wait_and_are_never_longer_than_the_ceiling() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.attempt(&account(), now), Verdict::Go(Duration::ZERO));
        }
        // The fourth failure is free too; it sets a 1 s delay before the fifth.
        assert_eq!(t.attempt(&account(), now), Verdict::Go(Duration::ZERO));
        assert_eq!(
            t.attempt(&account(), now),
            Verdict::Go(Duration::from_secs(1))
        );
        // The fifth ran at +1 s and set 2 s more: +3 s is beyond the inline 2 s.
        assert_eq!(
            t.attempt(&account(), now),
            Verdict::Wait(Duration::from_secs(3))
        );
        // A refused attempt is not charged: waiting the time out lets the next one through.
        let later = now + Duration::from_secs(3);
        assert_eq!(t.attempt(&account(), later), Verdict::Go(Duration::ZERO));
        // Many failures later the delay stops at the ceiling.
        let mut at = later;
        for _ in 0..20 {
            match t.attempt(&account(), at) {
                Verdict::Go(w) => at += w,
                Verdict::Wait(w) => {
                    assert!(w <= Duration::from_secs(60), "{w:?}");
                    at += w;
                }
            }
        }
    }

    #[test]
    fn the_right_password_clears_the_account_and_quiet_forgets() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        for _ in 0..6 {
            t.attempt(&account(), now);
        }
        assert!(matches!(t.attempt(&account(), now), Verdict::Wait(_)));
        t.clear(&account()[0]);
        assert_eq!(t.attempt(&account(), now), Verdict::Go(Duration::ZERO));
        for _ in 0..6 {
            t.attempt(&account(), now);
        }
        let much_later = now + Duration::from_secs(3600);
        assert_eq!(
            t.attempt(&account(), much_later),
            Verdict::Go(Duration::ZERO)
        );
    }

    #[test]
    fn a_refund_takes_back_the_charge_and_its_delay() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        for _ in 0..4 {
            t.attempt(&account(), now);
        }
        // The fourth set a delay; refunding it removes the delay.
        t.refund(&account());
        assert_eq!(t.attempt(&account(), now), Verdict::Go(Duration::ZERO));
    }

    #[test]
    fn one_key_waiting_holds_the_attempt_back_and_charges_no_key() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        for _ in 0..6 {
            t.attempt(&account(), now);
        }
        let both = vec![Key::Address("10.0.0.1".into()), account()[0].clone()];
        assert!(matches!(t.attempt(&both, now), Verdict::Wait(_)));
        // The address was not charged by the refused attempt.
        for _ in 0..10 {
            assert_eq!(
                t.attempt(&[both[0].clone()], now),
                Verdict::Go(Duration::ZERO)
            );
        }
    }

    #[test]
    fn failures_seen_elsewhere_hold_an_attempt_back_and_never_lower_a_count() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        let key = &account()[0];
        assert_eq!(t.held(key, now), None);
        // Six failures on other servers, the latest just now: the seventh waits 4 s.
        t.observe(key, 6, now, now);
        assert_eq!(t.held(key, now), Some(Duration::from_secs(4)));
        assert!(matches!(t.attempt(&account(), now), Verdict::Wait(_)));
        // Fewer seen later changes nothing; failures older than the quiet while are ignored.
        t.observe(key, 2, now, now);
        assert_eq!(t.held(key, now), Some(Duration::from_secs(4)));
        let other = Key::Account("b@x".into());
        let much_later = now + Duration::from_secs(3600);
        t.observe(&other, 50, now, much_later);
        assert_eq!(t.held(&other, much_later), None);
        assert_eq!(
            t.attempt(std::slice::from_ref(&other), much_later),
            Verdict::Go(Duration::ZERO)
        );
    }

    #[test]
    fn the_table_stays_bounded() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        for i in 0..1000 {
            t.attempt(&[Key::Account(format!("{i}@x"))], now);
        }
        assert!(t.tracked() <= 100, "{}", t.tracked());
    }

    #[test]
    fn ipv6_counts_per_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(address_text(a), address_text(b));
        assert_eq!(address_text(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(address_text(mapped), "10.1.2.3");
    }
}
