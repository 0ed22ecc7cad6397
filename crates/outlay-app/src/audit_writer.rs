//! The audit writer: refused attempts and failed logins are recorded off the request path. A
//! request hands its entry to an in-memory queue and answers at once; one task writes the
//! queue in batches, each in one transaction, over a connection of its own. So no request
//! holds a connection while it waits for another (the cause of the old 30-second stalls), and
//! a flood of refusals costs one write per batch instead of one write lock per request.
//!
//! Identical entries (same actor, action, target and reason; for logins the same kind, email,
//! address and reason) arriving within the coalescing window are written as one, with a count
//! and the first and last time, so a flood grows the log by one entry per window, not one per
//! request. The queue holds up to `queue` distinct entries; beyond that a new one folds into
//! its actor's aggregate for that action and reason (target `*`): counted, never dropped.
//!
//! Reading the audit log flushes the queue first, so a reader sees every refusal made before
//! the read; shutdown drains it. Allowed changes are not queued: they are recorded inside the
//! transaction of the change itself.

use crate::clock::rfc3339;
use crate::limits::AuditLimits;
use outlay_core::{MemberId, OrgId, Timestamp};
use outlay_store::audit::{NewEvent, Outcome};
use outlay_store::person_audit::{NewPersonEvent, PersonEventKind};
use outlay_store::{Store, StoreError};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};
use tokio::time::Instant;

/// A refused attempt in a company.
pub struct Refusal {
    pub org: OrgId,
    pub member: Option<MemberId>,
    pub person: Option<i64>,
    pub action: String,
    pub target: String,
    /// The reason code, e.g. `four_eyes`, `not_visible`.
    pub reason: String,
    pub message: String,
    pub at: Timestamp,
}

/// A login event for the person-level trail that is not written with a change of its own
/// (failed and throttled attempts).
pub struct LoginEvent {
    pub kind: PersonEventKind,
    pub email: String,
    pub person: Option<i64>,
    pub address: String,
    pub reason: String,
    pub at: Timestamp,
}

/// What makes two entries "identical": everything but the time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Refusal {
        org: i64,
        member: Option<i64>,
        person: Option<i64>,
        action: String,
        target: String,
        reason: String,
        message: String,
    },
    Login {
        kind: PersonEventKind,
        email: String,
        person: Option<i64>,
        address: String,
        reason: String,
    },
}

/// Marks an aggregate whose entries lost their own target (or address) to a full queue.
const FOLDED: &str = "*";

impl Key {
    /// The coarser key a new entry joins when the queue is full.
    fn folded(self) -> Key {
        match self {
            Key::Refusal {
                org,
                member,
                person,
                action,
                reason,
                ..
            } => Key::Refusal {
                org,
                member,
                person,
                action,
                target: FOLDED.to_string(),
                reason,
                message: "the audit queue was full: targets are not kept".to_string(),
            },
            Key::Login {
                kind,
                email,
                person,
                reason,
                ..
            } => Key::Login {
                kind,
                email,
                person,
                address: FOLDED.to_string(),
                reason,
            },
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Aggregate {
    /// Arrival order, so a batch appends in the order things happened.
    seq: u64,
    /// When the aggregate was opened: it is written once the window has passed.
    opened: Instant,
    first: Timestamp,
    last: Timestamp,
    count: u64,
}

#[derive(Default)]
struct Queue {
    pending: HashMap<Key, Aggregate>,
    seq: u64,
    /// Callers waiting until everything queued before them is written.
    flushers: Vec<oneshot::Sender<()>>,
    closing: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Notify,
    limits: AuditLimits,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // Every update leaves the queue consistent, so a poisoned lock is still usable.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The handle requests use; cheap to clone.
#[derive(Clone)]
pub struct AuditWriter {
    shared: Arc<Shared>,
    task: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl AuditWriter {
    /// Starts the writer task. Call inside a Tokio runtime.
    pub fn start(store: Store, limits: AuditLimits) -> AuditWriter {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
            limits,
        });
        let task = tokio::spawn(run(Arc::clone(&shared), store));
        AuditWriter {
            shared,
            task: Arc::new(Mutex::new(Some(task))),
        }
    }

    /// Queues a refused attempt; never waits.
    pub fn refused(&self, r: Refusal) {
        self.push(
            Key::Refusal {
                org: r.org.0,
                member: r.member.map(|m| m.0),
                person: r.person,
                action: r.action,
                target: r.target,
                reason: r.reason,
                message: r.message,
            },
            r.at,
        );
    }

    /// Queues a login event; never waits.
    pub fn login(&self, e: LoginEvent) {
        self.push(
            Key::Login {
                kind: e.kind,
                email: e.email,
                person: e.person,
                address: e.address,
                reason: e.reason,
            },
            e.at,
        );
    }

    fn push(&self, key: Key, at: Timestamp) {
        let wake = {
            let mut q = self.shared.lock();
            if let Some(a) = q.pending.get_mut(&key) {
                a.count += 1;
                a.first = a.first.min(at);
                a.last = a.last.max(at);
                return;
            }
            let key = if q.pending.len() >= self.shared.limits.queue {
                key.folded()
            } else {
                key
            };
            let seq = q.seq;
            let fresh = Aggregate {
                seq,
                opened: Instant::now(),
                first: at,
                last: at,
                count: 1,
            };
            let mut added = false;
            q.pending
                .entry(key)
                .and_modify(|a| {
                    a.count += 1;
                    a.first = a.first.min(at);
                    a.last = a.last.max(at);
                })
                .or_insert_with(|| {
                    added = true;
                    fresh
                });
            if added {
                q.seq += 1;
            }
            // The writer sleeps until the oldest entry is due: wake it when there was none,
            // or when the queue is half full and should be written now.
            q.pending.len() == 1 || q.pending.len() >= self.high_water()
        };
        if wake {
            self.shared.wake.notify_one();
        }
    }

    fn high_water(&self) -> usize {
        (self.shared.limits.queue / 2).max(1)
    }

    /// Distinct entries waiting to be written.
    pub fn depth(&self) -> usize {
        self.shared.lock().pending.len()
    }

    /// Writes everything queued so far, whatever its window; `false` if that did not happen
    /// within the flush wait (the writer is failing or stopped).
    pub async fn flush(&self) -> bool {
        let (tx, rx) = oneshot::channel();
        self.shared.lock().flushers.push(tx);
        self.shared.wake.notify_one();
        matches!(
            tokio::time::timeout(self.shared.limits.flush_wait, rx).await,
            Ok(Ok(()))
        )
    }

    /// Drains the queue and stops the writer. Entries queued afterwards are not written.
    pub async fn close(&self) {
        self.shared.lock().closing = true;
        self.shared.wake.notify_one();
        let task = self.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(task) = task {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "the audit writer stopped abnormally");
            }
        }
    }
}

/// Entries per transaction: keeps each write-lock hold short.
const BATCH: usize = 256;
/// Attempts at one batch while closing before its entries are given up (and logged).
const CLOSING_ATTEMPTS: u32 = 3;

async fn run(shared: Arc<Shared>, store: Store) {
    let mut own: Option<Store> = None;
    loop {
        let (batch, flushers, closing) = take(&shared);
        let mut failures = 0u32;
        for chunk in batch.chunks(BATCH) {
            loop {
                match write(&mut own, &store, chunk).await {
                    Ok(()) => break,
                    Err(e) => {
                        failures += 1;
                        // The connection may be what failed: open a fresh one next time.
                        if let Some(failed) = own.take() {
                            failed.close().await;
                        }
                        if closing && failures >= CLOSING_ATTEMPTS {
                            for (key, agg) in chunk {
                                tracing::error!(
                                    ?key,
                                    count = agg.count,
                                    first = agg.first.0,
                                    last = agg.last.0,
                                    "audit entry lost at shutdown: {e}"
                                );
                            }
                            break;
                        }
                        tracing::error!(error = %e, entries = chunk.len(), "could not write audit entries; retrying");
                        let backoff = Duration::from_millis(100u64 << failures.min(6));
                        tokio::time::sleep(backoff).await;
                    }
                }
            }
        }
        for f in flushers {
            let _ = f.send(());
        }
        if closing {
            if shared.lock().pending.is_empty() {
                return;
            }
            continue;
        }
        if !batch.is_empty() {
            continue;
        }
        let next_due = shared
            .lock()
            .pending
            .values()
            .map(|a| a.opened)
            .min()
            .map(|opened| opened + shared.limits.coalesce);
        match next_due {
            Some(due) => {
                tokio::select! {
                    () = shared.wake.notified() => {}
                    () = tokio::time::sleep_until(due) => {}
                }
            }
            None => shared.wake.notified().await,
        }
    }
}

type Batch = Vec<(Key, Aggregate)>;

/// Takes what is due (everything when flushing, closing or half full), oldest first, with the
/// flushers it satisfies.
fn take(shared: &Shared) -> (Batch, Vec<oneshot::Sender<()>>, bool) {
    let mut q = shared.lock();
    let all =
        !q.flushers.is_empty() || q.closing || q.pending.len() >= (shared.limits.queue / 2).max(1);
    let now = Instant::now();
    let due: Vec<Key> = q
        .pending
        .iter()
        .filter(|(_, a)| all || a.opened + shared.limits.coalesce <= now)
        .map(|(k, _)| k.clone())
        .collect();
    let mut batch: Batch = due
        .into_iter()
        .filter_map(|k| q.pending.remove(&k).map(|a| (k, a)))
        .collect();
    batch.sort_by_key(|(_, a)| a.seq);
    let flushers = if all {
        std::mem::take(&mut q.flushers)
    } else {
        Vec::new()
    };
    (batch, flushers, q.closing)
}

/// Writes one batch in one transaction, in order: company events chained, login events
/// appended.
async fn write(
    own: &mut Option<Store>,
    store: &Store,
    batch: &[(Key, Aggregate)],
) -> Result<(), StoreError> {
    if own.is_none() {
        // A connection of the writer's own, outside the requests' pool, so that the writer
        // never waits for the requests and the requests never wait for the writer.
        *own = Some(store.dedicated(1).await?);
    }
    let Some(own) = own.as_ref() else {
        return Ok(());
    };
    // The events carry their own times; the transaction's is the newest of them.
    let now = batch
        .iter()
        .map(|(_, agg)| agg.last)
        .max()
        .unwrap_or(Timestamp(0));
    let mut tx = own.write(now).await?;
    // Each company's chain is appended under its write lock (PostgreSQL: one advisory lock per
    // company), taken in ascending order so that two servers' writers never wait on each
    // other crosswise.
    let mut orgs: Vec<i64> = batch
        .iter()
        .filter_map(|(k, _)| match k {
            Key::Refusal { org, .. } => Some(*org),
            Key::Login { .. } => None,
        })
        .collect();
    orgs.sort_unstable();
    orgs.dedup();
    for org in orgs {
        tx.lock(OrgId(org)).await?;
    }
    let mut events = Vec::new();
    for (key, agg) in batch {
        match key {
            Key::Refusal {
                org,
                member,
                person,
                action,
                target,
                reason,
                message,
            } => events.push(NewEvent {
                org: OrgId(*org),
                at: agg.first,
                actor_member: member.map(MemberId),
                actor_person: *person,
                action,
                target,
                outcome: Outcome::Denied,
                reason,
                detail: detail(message, agg),
            }),
            Key::Login {
                kind,
                email,
                person,
                address,
                reason,
            } => {
                outlay_store::person_audit::record(
                    &mut tx,
                    &NewPersonEvent {
                        at: agg.first,
                        last_at: agg.last,
                        count: agg.count,
                        person: *person,
                        email,
                        kind: *kind,
                        address,
                        reason,
                    },
                )
                .await?;
            }
        }
    }
    tx.append_audit(&events).await?;
    tx.commit().await?;
    Ok(())
}

/// A refusal's detail: its message, and for an aggregate how many and over what time.
fn detail(message: &str, agg: &Aggregate) -> serde_json::Value {
    if agg.count == 1 {
        return json!({"message": message});
    }
    json!({
        "message": message,
        "count": agg.count,
        "first_at": rfc3339(agg.first),
        "last_at": rfc3339(agg.last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(target: &str, at: i64) -> Refusal {
        Refusal {
            org: OrgId(1),
            member: Some(MemberId(7)),
            person: Some(7),
            action: "expense.view".into(),
            target: target.into(),
            reason: "not_visible".into(),
            message: "no".into(),
            at: Timestamp(at),
        }
    }

    fn writer(queue: usize) -> AuditWriter {
        // No task: these tests look at the queue only.
        AuditWriter {
            shared: Arc::new(Shared {
                queue: Mutex::new(Queue::default()),
                wake: Notify::new(),
                limits: AuditLimits {
                    queue,
                    ..AuditLimits::default()
                },
            }),
            task: Arc::new(Mutex::new(None)),
        }
    }

    #[test]
    fn identical_refusals_coalesce_with_count_and_first_and_last_time() {
        let w = writer(100);
        w.refused(refusal("expense:1", 20));
        w.refused(refusal("expense:1", 10));
        w.refused(refusal("expense:1", 30));
        w.refused(refusal("expense:2", 15));
        let (batch, _, _) = {
            w.shared.lock().flushers.push(oneshot::channel().0);
            take(&w.shared)
        };
        assert_eq!(batch.len(), 2);
        let (_, first) = &batch[0];
        assert_eq!(
            (first.count, first.first, first.last),
            (3, Timestamp(10), Timestamp(30))
        );
        assert_eq!(
            detail("no", first),
            json!({"message": "no", "count": 3, "first_at": rfc3339(Timestamp(10)), "last_at": rfc3339(Timestamp(30))})
        );
        assert_eq!(detail("no", &batch[1].1), json!({"message": "no"}));
    }

    #[test]
    fn a_full_queue_folds_new_targets_into_one_counted_aggregate() {
        let w = writer(4);
        for i in 0..100 {
            w.refused(refusal(&format!("expense:{i}"), i));
        }
        // Four distinct entries, then one aggregate for everything else: nothing uncounted.
        assert_eq!(w.depth(), 5);
        let total: u64 = w.shared.lock().pending.values().map(|a| a.count).sum();
        assert_eq!(total, 100);
    }

    #[tokio::test]
    async fn entries_are_written_in_order_chained_and_drained_on_close() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("w.db").display());
        let key = outlay_store::audit_chain::AuditKey::new(&"k".repeat(32)).unwrap();
        let store = Store::open(&url).await.unwrap().with_audit_key(key);
        store.migrate().await.unwrap();
        let mut w = store.write(Timestamp(1_000)).await.unwrap();
        #[allow(clippy::disallowed_methods)]
        let org = outlay_store::seed::company(&mut w, "Acme", "outlay", "EUR")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let w = AuditWriter::start(
            store.clone(),
            AuditLimits {
                coalesce: Duration::from_secs(3600),
                ..AuditLimits::default()
            },
        );
        for i in 0..10 {
            w.refused(Refusal {
                org,
                ..refusal(&format!("expense:{}", i % 3), 2_000 + i)
            });
        }
        // The window is an hour, so only closing writes them.
        w.close().await;
        let mut conn = store.read().await.unwrap();
        let rows = outlay_store::audit::list(&mut conn, org, None, 500)
            .await
            .unwrap();
        let counts: Vec<(String, u64)> = rows
            .iter()
            .filter(|r| r.action == "expense.view")
            .map(|r| {
                let d: serde_json::Value = serde_json::from_str(&r.detail).unwrap();
                (r.target.clone(), d["count"].as_u64().unwrap_or(1))
            })
            .collect();
        // Newest first; written in arrival order of each target's first refusal.
        assert_eq!(
            counts,
            vec![
                ("expense:2".to_string(), 3),
                ("expense:1".to_string(), 3),
                ("expense:0".to_string(), 4)
            ]
        );
        assert_eq!(
            outlay_store::audit::verify(&mut conn, org, store.audit_key(), None)
                .await
                .unwrap(),
            outlay_store::audit_chain::Verdict::Intact {
                entries: rows.len() as u64,
                unsealed: 0
            }
        );
    }
}
