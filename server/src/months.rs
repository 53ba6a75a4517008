//! The months the service keeps open: each month's ledger in memory, loaded from
//! its stored events (every event re-checked by the core on the way), and one
//! writer per month that executes commands in order and stores their events in
//! groups.
//!
//! **Group commit.** Commands for a month queue to its writer. The writer takes
//! what has queued (up to [`MAX_BATCH`]), executes each through the core
//! (`Ledger::execute` or `device::apply_uploads`), stores all the new events
//! and receipts in one transaction, and only then answers each caller. A
//! caller is never told "accepted" before its event is durable; many callers
//! share one commit, so a synchronous disk commit costs little per command.
//! If the commit fails, every caller of the group gets an error and the
//! ledger is reloaded from what is stored, so memory never runs ahead of the
//! record.
//!
//! **Versions.** A month is judged under a pinned dataset and policy version
//! (the `months` table). Importing a new version re-pins the open months only
//! after their whole record replays under it (see `api::hr`).
//!
//! **A month is kept from its first event.** A month the service never kept is
//! started in memory ([`Hub::start`]) and its row is stored by its writer in
//! the commit of its first events: reading a month, or a command the core
//! refuses, stores nothing.

use std::collections::HashMap;
use std::sync::Arc;

use kinerja::YearMonth;
use kinerja::dataset::City;
use kinerja::ledger::{Event, JournalHeader, JournalReader, Ledger, LedgerError, MonthContext};
use kinerja::policy::Policy;
use tokio::sync::{Mutex, RwLock, mpsc, oneshot};

use crate::error::ApiError;
use crate::store::{EventRow, MonthRow, ReceiptRow, Store, StoreError};

/// The most commands one commit carries.
pub const MAX_BATCH: usize = 512;

/// Events read from the store at a time when a month is loaded.
const LOAD_PAGE: i64 = 20_000;

/// A dataset and a policy, validated, with their stored version numbers.
#[derive(Debug)]
pub struct CityVersion {
    /// The dataset version.
    pub dataset_version: i64,
    /// The policy set version.
    pub policy_version: i64,
    /// The city.
    pub city: City,
    /// The policy.
    pub policy: Policy,
    /// Whether the national baseline is its first layer.
    pub national: bool,
    /// The policy's layers over it, as stored (phones receive them).
    pub layers: Vec<crate::state::StoredLayer>,
}

type Ctx<'a> = MonthContext<'a>;

self_cell::self_cell!(
    /// A city version with a month's context compiled over it (the context
    /// borrows the city).
    pub struct MonthEnv {
        owner: Arc<CityVersion>,
        #[covariant]
        dependent: Ctx,
    }
    impl {Debug}
);

impl MonthEnv {
    /// Compiles the month's context over a version.
    pub fn build(version: Arc<CityVersion>, month: YearMonth) -> Result<MonthEnv, LedgerError> {
        MonthEnv::try_new(version, |v| MonthContext::new(&v.city, &v.policy, month))
    }

    /// The version.
    pub fn version(&self) -> &Arc<CityVersion> {
        self.borrow_owner()
    }

    /// The month's context.
    pub fn ctx(&self) -> &MonthContext<'_> {
        self.borrow_dependent()
    }
}

/// A month's ledger and the version it is judged under.
pub struct MonthState {
    /// The version and context.
    pub env: Arc<MonthEnv>,
    /// The ledger (streaming: the events are in the store).
    pub ledger: Ledger,
    /// Set when a commit failed and the reload too: the month refuses commands
    /// until a reload succeeds.
    broken: bool,
}

/// Work for a month's writer: runs with the ledger, returns what to deliver
/// once the group is stored.
type Job = Box<dyn FnOnce(&mut Ledger, &MonthContext<'_>, &mut Vec<ReceiptRow>) -> Deliver + Send>;
type Deliver = Box<dyn FnOnce(Result<(), ApiError>) + Send>;

/// One month kept open.
pub struct Month {
    /// The month.
    pub month: YearMonth,
    state: RwLock<MonthState>,
    /// The version and context, also kept apart from the ledger's lock: who
    /// needs only the rules (a device's kind, the city) does not wait for the
    /// writer's commit.
    env: std::sync::RwLock<Arc<MonthEnv>>,
    jobs: mpsc::Sender<Job>,
    /// The month's row while it is not stored yet (no event committed): stored
    /// with the first events, or replaced by a re-pin until then.
    unstored: std::sync::Mutex<Option<MonthRow>>,
}

impl Month {
    /// Reads the month: the ledger and its context, under a shared lock (writes
    /// wait; other reads do not).
    pub async fn read<T>(&self, f: impl FnOnce(&Ledger, &MonthEnv) -> T) -> T {
        let st = self.state.read().await;
        f(&st.ledger, &st.env)
    }

    /// A month never kept, empty, for one read: no writer (a write is refused),
    /// not open in the hub.
    pub fn transient(env: Arc<MonthEnv>, month: YearMonth) -> Arc<Month> {
        let (jobs, _) = mpsc::channel::<Job>(1);
        Arc::new(Month {
            month,
            env: std::sync::RwLock::new(env.clone()),
            state: RwLock::new(MonthState { env, ledger: Ledger::streaming(month), broken: false }),
            jobs,
            unstored: std::sync::Mutex::new(None),
        })
    }

    /// The version and context the month is judged under (without waiting
    /// for the writer).
    pub async fn env(&self) -> Arc<MonthEnv> {
        self.env.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Runs `f` in the month's writer with the ledger, and answers once the
    /// events it made are stored. `f` returns its result; any events it
    /// executed (and receipts it pushed) are stored with the group.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Ledger, &MonthContext<'_>, &mut Vec<ReceiptRow>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |ledger, ctx, receipts| {
            let value = f(ledger, ctx, receipts);
            Box::new(move |stored: Result<(), ApiError>| {
                let _ = tx.send(stored.map(|()| value));
            })
        });
        self.jobs.send(job).await.map_err(|_| ApiError::unavailable("the month's writer has stopped"))?;
        rx.await.map_err(|_| ApiError::unavailable("the month's writer stopped before answering"))?
    }

    /// Replaces the version the month is judged under with `env` (and `row`,
    /// its row naming the versions), after replaying the whole stored record
    /// under it. On a refusal nothing changes. A month not stored yet keeps the
    /// row for its first commit.
    pub async fn repin(&self, store: &dyn Store, env: Arc<MonthEnv>, row: MonthRow) -> Result<(), ApiError> {
        let mut st = self.state.write().await;
        let mut ledger = load_ledger(store, &env, self.month).await?;
        ledger.collect_new_events();
        let unstored = self.unstored_row().is_some();
        if unstored {
            *self.unstored.lock().unwrap_or_else(|p| p.into_inner()) = Some(row);
        } else {
            store.put_month(&row).await?;
        }
        st.ledger = ledger;
        *self.env.write().unwrap_or_else(|p| p.into_inner()) = env.clone();
        st.env = env;
        st.broken = false;
        Ok(())
    }

    /// The month's row while the month is not stored yet.
    pub fn unstored_row(&self) -> Option<MonthRow> {
        self.unstored.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The months kept open, by month.
pub struct Hub {
    store: Arc<dyn Store>,
    months: Mutex<HashMap<YearMonth, Arc<Month>>>,
}

impl Hub {
    /// An empty hub over a store.
    pub fn new(store: Arc<dyn Store>) -> Hub {
        Hub { store, months: Mutex::new(HashMap::new()) }
    }

    /// The month if it is open in memory.
    pub async fn get(&self, month: YearMonth) -> Option<Arc<Month>> {
        self.months.lock().await.get(&month).cloned()
    }

    /// Opens a month: loads its ledger from the store under `env` (replaying every
    /// stored event) and starts its writer. Returns the one already open.
    pub async fn open(&self, env: Arc<MonthEnv>, month: YearMonth) -> Result<Arc<Month>, ApiError> {
        self.open_with(env, month, None).await
    }

    /// Starts a month the service has never kept, in memory: its `row` is
    /// stored with its first events. Returns the one already open.
    pub async fn start(&self, env: Arc<MonthEnv>, month: YearMonth, row: MonthRow) -> Result<Arc<Month>, ApiError> {
        self.open_with(env, month, Some(row)).await
    }

    async fn open_with(
        &self,
        env: Arc<MonthEnv>,
        month: YearMonth,
        unstored: Option<MonthRow>,
    ) -> Result<Arc<Month>, ApiError> {
        let mut months = self.months.lock().await;
        if let Some(m) = months.get(&month) {
            return Ok(m.clone());
        }
        let mut ledger = load_ledger(self.store.as_ref(), &env, month).await?;
        ledger.collect_new_events();
        let (tx, rx) = mpsc::channel::<Job>(4 * MAX_BATCH);
        let m = Arc::new(Month {
            month,
            env: std::sync::RwLock::new(env.clone()),
            state: RwLock::new(MonthState { env, ledger, broken: false }),
            jobs: tx,
            unstored: std::sync::Mutex::new(unstored),
        });
        tokio::spawn(writer(self.store.clone(), m.clone(), rx));
        months.insert(month, m.clone());
        Ok(m)
    }

    /// The months open in memory.
    pub async fn open_months(&self) -> Vec<Arc<Month>> {
        let mut v: Vec<_> = self.months.lock().await.values().cloned().collect();
        v.sort_by_key(|m| m.month);
        v
    }
}

/// The stored form of an event.
pub fn event_row(e: &Event) -> Result<EventRow, ApiError> {
    Ok(EventRow {
        seq: i64::try_from(e.seq).map_err(|_| ApiError::internal("event number out of range"))?,
        prev: e.prev.to_hex(),
        hash: e.hash.to_hex(),
        actor: e.actor.to_string(),
        kind: e.kind.name().to_string(),
        key: e.key.clone(),
        line: serde_json::to_string(e).map_err(|x| ApiError::internal(x.to_string()))?,
    })
}

/// The journal version a stored event was hashed in: 2 when its stored hash is
/// its version 2 hash, else the current version (a row that does not parse is
/// reported by the reader).
fn stored_version(line: &str) -> u32 {
    match serde_json::from_str::<Event>(line) {
        Ok(e) if e.hash != e.compute_hash() && e.compute_hash_in(2, &mut Vec::new()) == e.hash => 2,
        _ => kinerja::ledger::JOURNAL_VERSION,
    }
}

/// Loads a month's ledger from the store: the events are read a page at a time
/// and each page is replayed as a journal segment continuing the head so far, so
/// the chain is checked and every event re-executed through the core's checks.
pub async fn load_ledger(store: &dyn Store, env: &MonthEnv, month: YearMonth) -> Result<Ledger, ApiError> {
    let mut ledger = Ledger::streaming(month);
    let key = month.to_string();
    // The journal version the month's events were hashed in: 3, or 2 for a month
    // stored before version 3 (its events keep their hashes, and the ledger hashes
    // the month's next events in version 2 too).
    let mut version = None;
    loop {
        let head = ledger.head();
        let after = i64::try_from(head.seq).map_err(|_| ApiError::internal("event number out of range"))?;
        let rows = store.events(&key, after, LOAD_PAGE).await?;
        if rows.is_empty() {
            break;
        }
        let mut header = JournalHeader::new(month);
        header.start = head;
        header.version = *version.get_or_insert_with(|| stored_version(&rows[0].line));
        let mut text = serde_json::to_string(&header).map_err(|e| ApiError::internal(e.to_string()))?;
        text.push('\n');
        for r in &rows {
            text.push_str(&r.line);
            text.push('\n');
        }
        let damaged = |e: LedgerError| {
            ApiError::from(StoreError::Damaged { what: "journal", message: format!("month {month}: {e}") })
        };
        let reader = JournalReader::new(text.as_bytes()).map_err(|e| damaged(e.into()))?;
        let torn = ledger.continue_from(env.ctx(), reader).map_err(damaged)?;
        if torn.is_some() {
            return Err(damaged(LedgerError::Format { what: "journal", message: "a stored event is cut off".into() }));
        }
        if (rows.len() as i64) < LOAD_PAGE {
            break;
        }
    }
    Ok(ledger)
}

async fn writer(store: Arc<dyn Store>, month: Arc<Month>, mut rx: mpsc::Receiver<Job>) {
    let key = month.month.to_string();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let mut st = month.state.write().await;
        if st.broken {
            match load_ledger(store.as_ref(), &st.env, month.month).await {
                Ok(mut l) => {
                    l.collect_new_events();
                    st.ledger = l;
                    st.broken = false;
                }
                Err(e) => {
                    drop(st);
                    for job in batch {
                        // The job is dropped unrun; its caller hears the store is down.
                        drop(job);
                    }
                    tracing::error!(month = %key, "month unavailable: {e}");
                    continue;
                }
            }
        }
        let env = st.env.clone();
        let mut receipts = Vec::new();
        let mut deliveries = Vec::with_capacity(batch.len());
        {
            let MonthState { ledger, .. } = &mut *st;
            for job in batch {
                deliveries.push(job(ledger, env.ctx(), &mut receipts));
            }
        }
        let events = st.ledger.take_new_events();
        let stored = match events.iter().map(event_row).collect::<Result<Vec<_>, _>>() {
            Ok(rows) if rows.is_empty() && receipts.is_empty() => Ok(()),
            Ok(rows) => {
                // A month not stored yet is, with its first events.
                let first = month.unstored.lock().unwrap_or_else(|p| p.into_inner()).take();
                let mut r = Ok(());
                if let Some(row) = &first {
                    r = store.put_month(row).await;
                }
                if r.is_ok() {
                    r = store.append(&key, &rows, &receipts).await;
                }
                if r.is_err() && first.is_some() {
                    *month.unstored.lock().unwrap_or_else(|p| p.into_inner()) = first;
                }
                r.map_err(ApiError::from)
            }
            Err(e) => Err(e),
        };
        match stored {
            Ok(()) => {
                drop(st);
                for d in deliveries {
                    d(Ok(()));
                }
            }
            Err(e) => {
                tracing::error!(month = %key, "storing {} events failed: {e}", events.len());
                match load_ledger(store.as_ref(), &env, month.month).await {
                    Ok(mut l) => {
                        l.collect_new_events();
                        st.ledger = l;
                    }
                    Err(_) => st.broken = true,
                }
                drop(st);
                for d in deliveries {
                    d(Err(e.clone()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinerja::access::{ActorId, OfficialId};
    use kinerja::ledger::{EventKind, Hash};

    /// A month closed by an official on 9 November 2026, as the first event.
    fn closing() -> Event {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 9).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap();
        Event {
            seq: 1,
            prev: Hash::genesis(YearMonth::new(2026, 10).unwrap()),
            hash: Hash::default(),
            actor: ActorId::Official(OfficialId::new("hr-1").unwrap()),
            at,
            received_at: None,
            key: None,
            kind: EventKind::MonthClosed,
        }
    }

    #[test]
    fn a_month_stored_before_version_3_is_loaded_as_version_2() {
        let mut e = closing();
        e.hash = e.compute_hash_in(2, &mut Vec::new());
        assert_eq!(stored_version(&serde_json::to_string(&e).unwrap()), 2);
        e.hash = e.compute_hash();
        assert_eq!(stored_version(&serde_json::to_string(&e).unwrap()), 3);
        // A row whose hash is neither is read as the current version (and the
        // reader then names it as edited).
        e.hash = Hash::default();
        assert_eq!(stored_version(&serde_json::to_string(&e).unwrap()), 3);
    }
}
