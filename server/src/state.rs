//! The service's shared state: configuration, clock, store, open months and
//! the city versions in memory.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use kinerja::YearMonth;
use kinerja::dataset::Dataset;
use kinerja::policy::Policy;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::auth::{Limits, Throttle};
use crate::error::ApiError;
use crate::months::{CityVersion, Hub, Month, MonthEnv};
use crate::store::{AuditRow, MonthRow, Store};

/// How times are written in the database: local time, seconds.
pub const TIME: &str = "%Y-%m-%dT%H:%M:%S";

/// How the service runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The database URL or SQLite file.
    pub db: String,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The URL people reach the service at (https behind a reverse proxy).
    pub public_url: String,
    /// The city's offset from UTC (WIB +07:00, WITA +08:00, WIT +09:00).
    pub utc_offset: FixedOffset,
    /// Demo mode: demo accounts with known passwords.
    pub demo: bool,
    /// Sign-in limits and lifetimes.
    pub limits: Limits,
    /// The largest request body, bytes.
    pub max_body: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
}

impl Config {
    /// A configuration for `db` with the defaults: loopback port 8080, WIB.
    pub fn new(db: impl Into<String>) -> Config {
        Config {
            db: db.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            utc_offset: FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC")),
            demo: false,
            limits: Limits::default(),
            max_body: 16 << 20,
            trust_proxy: false,
        }
    }

    /// True when cookies must be `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Where the time comes from: the system, or a clock a test sets.
pub trait Clock: Send + Sync + 'static {
    /// Now, UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved (tests, demos of a fixed day).
#[derive(Debug)]
pub struct FixedClock(std::sync::Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock at `now`.
    pub fn new(now: DateTime<Utc>) -> FixedClock {
        FixedClock(std::sync::Mutex::new(now))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = now;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The system clock shifted by a fixed offset: time runs as on the system, from
/// a chosen start. A demo and test aid (`kinerja-server --clock-start`): it lets a
/// load test or a demonstration run on a working Monday morning whatever the
/// day, with every command still stamped by the server. Never for a city's
/// production service, whose record must carry the real time.
#[derive(Debug)]
pub struct OffsetClock {
    offset: chrono::TimeDelta,
}

impl OffsetClock {
    /// A clock that reads `start` (local time at `utc_offset`) now, and runs on.
    pub fn starting_at(start: NaiveDateTime, utc_offset: FixedOffset) -> OffsetClock {
        let start_utc = start - chrono::TimeDelta::seconds(i64::from(utc_offset.local_minus_utc()));
        OffsetClock { offset: start_utc.and_utc() - Utc::now() }
    }

    /// The clock's lead over the system clock (negative when behind).
    pub fn offset(&self) -> chrono::TimeDelta {
        self.offset
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}

/// A policy layer as stored: its source name and TOML text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLayer {
    /// Where it came from (a file name, "city").
    pub source: String,
    /// The TOML text.
    pub toml: String,
}

/// The state every handler shares.
pub struct Inner {
    /// Where everything is kept.
    pub store: Arc<dyn Store>,
    /// The months open in memory.
    pub hub: Hub,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// How the service runs.
    pub config: Config,
    /// Sign-in throttling.
    pub throttle: Throttle,
    /// The social space (ads and chat).
    pub social: crate::social::SocialHub,
    versions: Mutex<HashMap<(i64, i64), Weak<CityVersion>>>,
    /// The last payroll computed per month and kind (final or projection),
    /// with what it was computed from (see [`PayrollMemo`]).
    pub payrolls: std::sync::Mutex<HashMap<(kinerja::YearMonth, bool), PayrollMemo>>,
}

/// A month's payroll as computed, and what it was computed from: the journal's
/// head, the dataset and policy versions and the day the recap was taken. The
/// same inputs give the same payroll (the core is deterministic), so a request
/// with the same key is answered with it instead of recomputing 5,925 slips.
#[derive(Clone, Debug)]
pub struct PayrollMemo {
    /// (head sequence, head hash, dataset version, policy version, as-of day).
    pub key: (u64, String, i64, i64, NaiveDate),
    /// The payroll.
    pub payroll: Arc<kinerja::payroll::CityPayroll>,
}

/// The shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// A state over a store.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: Config) -> AppState {
        AppState(Arc::new(Inner {
            hub: Hub::new(store.clone()),
            store,
            clock,
            config,
            throttle: Throttle::default(),
            social: crate::social::SocialHub::default(),
            versions: Mutex::new(HashMap::new()),
            payrolls: std::sync::Mutex::new(HashMap::new()),
        }))
    }

    /// Now in the city's local time, to the second.
    pub fn local_now(&self) -> NaiveDateTime {
        let t = self.clock.now().with_timezone(&self.config.utc_offset).naive_local();
        t.with_nanosecond_zero()
    }

    /// The time a month's writer stamps on a command it is about to execute:
    /// now, read in the writer itself, so that commands are stamped in the
    /// order they are recorded (a time read before queueing for the writer
    /// could be overtaken by a later one, and the core refuses a record time
    /// before the last: `out_of_order`). Should the system clock step back, the
    /// last recorded time is kept rather than refusing every command until the
    /// clock catches up.
    pub fn record_now(&self, ledger: &kinerja::ledger::Ledger) -> NaiveDateTime {
        let now = self.local_now();
        ledger.state().recorded_until.map_or(now, |last| now.max(last))
    }

    /// Today in the city.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// Now as stored (`YYYY-MM-DDTHH:MM:SS`, local).
    pub fn now_text(&self) -> String {
        self.local_now().format(TIME).to_string()
    }

    /// A city version, loaded and validated once and shared while in use.
    pub async fn version(&self, dataset: i64, policy: i64) -> Result<Arc<CityVersion>, ApiError> {
        let mut cache = self.versions.lock().await;
        if let Some(v) = cache.get(&(dataset, policy)).and_then(Weak::upgrade) {
            return Ok(v);
        }
        let d = self.store.dataset(dataset).await?.ok_or_else(|| ApiError::not_found("dataset version", dataset))?;
        let p = self.store.policy(policy).await?.ok_or_else(|| ApiError::not_found("policy version", policy))?;
        let city = Dataset::load_city(&d.body)
            .map_err(|e| ApiError::internal(format!("stored dataset version {dataset} no longer loads: {e}")))?;
        let policy_value = policy_of(p.national, &p.layers)
            .map_err(|e| ApiError::internal(format!("stored policy version {policy} no longer loads: {e}")))?;
        let layers: Vec<StoredLayer> =
            serde_json::from_str(&p.layers).map_err(|e| ApiError::internal(e.to_string()))?;
        let v = Arc::new(CityVersion {
            dataset_version: dataset,
            policy_version: policy,
            city,
            policy: policy_value,
            national: p.national,
            layers,
        });
        cache.retain(|_, w| w.strong_count() > 0);
        cache.insert((dataset, policy), Arc::downgrade(&v));
        Ok(v)
    }

    /// The newest dataset version in force on `date` and the newest policy
    /// version; `None` before anything was imported.
    pub async fn current_versions(&self, date: NaiveDate) -> Result<Option<(i64, i64)>, ApiError> {
        let day = date.format("%Y-%m-%d").to_string();
        let datasets = self.store.datasets().await?;
        let Some(d) = datasets.iter().find(|d| d.effective_from <= day) else {
            return Ok(None);
        };
        let Some(p) = self.store.latest_policy().await? else { return Ok(None) };
        Ok(Some((d.version, p)))
    }

    /// A month, open in memory (loaded from the store on first use). A month the
    /// service has never kept is started, pinned to the versions in force at its
    /// end, only up to the current month (a later one is refused) and only when
    /// its context builds; it is kept (its row stored) from its first event on,
    /// so that reading it or a refused command stores nothing.
    pub async fn month(&self, month: YearMonth) -> Result<Arc<Month>, ApiError> {
        if let Some(m) = self.hub.get(month).await {
            return Ok(m);
        }
        let key = month.to_string();
        match self.store.month(&key).await? {
            Some(row) => {
                let version = self.version(row.dataset_version, row.policy_version).await?;
                let env = Arc::new(MonthEnv::build(version, month)?);
                self.hub.open(env, month).await
            }
            None => {
                let (env, row) = self.new_month(month).await?;
                self.hub.start(env, month, row).await
            }
        }
    }

    /// A month to read: the one open in memory, or kept; a month never kept is
    /// built for this read alone, empty (nothing stored, nothing kept open).
    pub async fn month_to_read(&self, month: YearMonth) -> Result<Arc<Month>, ApiError> {
        if let Some(m) = self.hub.get(month).await {
            return Ok(m);
        }
        if self.store.month(&month.to_string()).await?.is_some() {
            return self.month(month).await;
        }
        let (env, _) = self.new_month(month).await?;
        Ok(Month::transient(env, month))
    }

    /// The context and row of a month never kept: pinned to the versions in
    /// force at its end, only up to the current month.
    async fn new_month(&self, month: YearMonth) -> Result<(Arc<MonthEnv>, MonthRow), ApiError> {
        if month > YearMonth::of(self.today()) {
            return Err(ApiError::conflict(
                "month_not_started",
                format!("{month} has not started; the record opens on its first day"),
            ));
        }
        let (dataset_version, policy_version) = self
            .current_versions(month.last_day())
            .await?
            .ok_or_else(|| ApiError::conflict("no_dataset", "no dataset and policy have been imported yet"))?;
        let row = MonthRow { month: month.to_string(), dataset_version, policy_version, opened_at: self.now_text() };
        let version = self.version(row.dataset_version, row.policy_version).await?;
        let env = Arc::new(MonthEnv::build(version, month)?);
        Ok((env, row))
    }

    /// Appends to the audit log; a failure to write it is logged, not hidden.
    /// What a caller typed (an actor at sign-in, a label, a reason) is kept
    /// as plain text: control characters escaped, each field at most
    /// [`AUDIT_FIELD_CHARS`] characters, so that no input keeps a line from
    /// being written or forges one.
    pub async fn audit(&self, actor: &str, action: &str, target: &str, outcome: &str, client: &str, detail: &str) {
        let row = AuditRow {
            id: 0,
            at_utc: self.clock.now().format(TIME).to_string(),
            actor: audit_text(actor),
            action: audit_text(action),
            target: audit_text(target),
            outcome: audit_text(outcome),
            client: audit_text(client),
            detail: audit_text(detail),
        };
        if let Err(e) = self.store.audit(&row).await {
            tracing::error!("audit log not written ({action} by {actor}): {e}");
        }
    }
}

/// The most characters an audit field keeps.
pub const AUDIT_FIELD_CHARS: usize = 300;

/// A field of an audit line: control characters escaped (`\u{0}`), cut at
/// [`AUDIT_FIELD_CHARS`] characters (with `…` when cut).
pub fn audit_text(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == AUDIT_FIELD_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds a policy from stored layers (over the national baseline when `national`).
pub fn policy_of(national: bool, layers_json: &str) -> Result<Policy, String> {
    let layers: Vec<StoredLayer> = serde_json::from_str(layers_json).map_err(|e| e.to_string())?;
    let mut policy =
        if national { Policy::try_national().map_err(|e| e.to_string())? } else { Policy::from_layers(vec![]) };
    for l in layers {
        policy = policy.with_toml(&l.source, &l.toml).map_err(|e| e.to_string())?;
    }
    Ok(policy)
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl NoNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}
