//! Storage: everything the service keeps, behind the small [`Store`] trait, with
//! one implementation ([`SqlStore`]) over SQLite (the embedded default) or
//! PostgreSQL, chosen at run time from the database URL.
//!
//! The SQL is written once, in the subset both databases share (numbered `$1`
//! parameters, `BIGINT` and `TEXT` columns, `ON CONFLICT`); the schema is in
//! `server/migrations/{sqlite,postgres}/`, one file per step in each dialect,
//! embedded in the binary and applied on start.
//!
//! Every value is bound as a parameter, never spliced into SQL text. Text
//! holding NUL, which PostgreSQL cannot keep, is refused on a write
//! ([`StoreError::Unstorable`], a 400) and found nowhere on a lookup, on both
//! databases alike.
//!
//! Events are append-only rows: the schema's triggers refuse any `UPDATE`,
//! `DELETE` (and in PostgreSQL `TRUNCATE`) on them, and the events of a batch,
//! with the phone-sync receipts that answer them, are written in one
//! transaction, so a crash never leaves an event half-written or an answer
//! without its event.

use std::borrow::Cow;
use std::pin::Pin;

use async_trait::async_trait;
use kinerja::insights::budget::{Activity, Programme, RevenueLine, SubActivity};
use kinerja::insights::readiness::PlanKind;
use kinerja::insights::{Nomination, NominationCategory, UnitBudget, UnitPlan, UnitRollout};
use kinerja::money::Money;
use rust_decimal::Decimal;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database URL is not one the service supports.
    #[error("unsupported database URL `{0}` (use a file path, sqlite://... or postgres://...)")]
    Url(String),
    /// A text holds a character the database cannot keep (NUL: PostgreSQL's
    /// text cannot hold it; SQLite's could, and is refused it too, so that both
    /// answer alike). Nothing was written.
    #[error("{what} holds a NUL character, which the record cannot keep")]
    Unstorable {
        /// The field.
        what: &'static str,
    },
    /// A stored value does not read back (a damaged or foreign database).
    #[error("stored {what} is damaged: {message}")]
    Damaged {
        /// What was being read.
        what: &'static str,
        /// Why it does not read.
        message: String,
    },
}

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A dataset version as stored.
#[derive(Clone, Debug)]
pub struct DatasetRow {
    /// Version number, from 1.
    pub version: i64,
    /// First day the version applies to (`YYYY-MM-DD`).
    pub effective_from: String,
    /// When it was imported (local time).
    pub imported_at: String,
    /// Who imported it.
    pub imported_by: String,
    /// SHA-256 of the body.
    pub sha256: String,
    /// The dataset JSON.
    pub body: String,
}

/// A policy set version as stored: the TOML layers over the national baseline.
#[derive(Clone, Debug)]
pub struct PolicyRow {
    /// Version number, from 1.
    pub version: i64,
    /// When it was imported.
    pub imported_at: String,
    /// Who imported it.
    pub imported_by: String,
    /// SHA-256 of the layers.
    pub sha256: String,
    /// Whether the built-in national baseline is the first layer.
    pub national: bool,
    /// The layers, as JSON `[{"source": "...", "toml": "..."}]`.
    pub layers: String,
}

/// A month the service keeps, and the versions its record is judged under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// The dataset version.
    pub dataset_version: i64,
    /// The policy set version.
    pub policy_version: i64,
    /// When the service first kept it.
    pub opened_at: String,
}

/// One event row.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Sequence number in the month.
    pub seq: i64,
    /// Hash of the previous event (hex).
    pub prev: String,
    /// The event's hash (hex).
    pub hash: String,
    /// Who (text form of the actor).
    pub actor: String,
    /// The event kind's name.
    pub kind: String,
    /// The idempotency key, if any.
    pub key: Option<String>,
    /// The event as one line of the text journal.
    pub line: String,
}

/// A phone-sync answer kept with its key.
#[derive(Clone, Debug)]
pub struct ReceiptRow {
    /// The change's idempotency key.
    pub key: String,
    /// The sync session.
    pub session: String,
    /// Digest of the change answered.
    pub digest: String,
    /// The outcome, as JSON.
    pub outcome: String,
}

/// A computed payroll's record.
#[derive(Clone, Debug)]
pub struct PayrollRunRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Run number in the month, from 1.
    pub run: i64,
    /// The journal head it was computed at.
    pub head_seq: i64,
    /// Its hash (hex).
    pub head_hash: String,
    /// Dataset version used.
    pub dataset_version: i64,
    /// Policy version used.
    pub policy_version: i64,
    /// When.
    pub computed_at: String,
    /// By whom.
    pub computed_by: String,
    /// SHA-256 over the slips' seals in NIP order.
    pub slips_sha256: String,
    /// The payroll summary, as JSON.
    pub summary: String,
}

/// A sign-in account.
#[derive(Clone, Debug, Default)]
pub struct AccountRow {
    /// The actor (NIP, `official:ID`, `device:ID`).
    pub actor: String,
    /// argon2id PHC string, once a password is set.
    pub password_hash: Option<String>,
    /// SHA-256 (hex) of the one-time activation code, while one is open.
    pub activation_hash: Option<String>,
    /// When the activation code expires (local time).
    pub activation_expires: Option<String>,
    /// When the account was created.
    pub created_at: String,
    /// Failed sign-ins in a row.
    pub failed_count: i64,
    /// Locked until (local time), after too many failures.
    pub locked_until: Option<String>,
    /// Disabled by HR.
    pub disabled: bool,
}

/// A browser session or bearer token.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Public id (shown in "my sessions").
    pub id: String,
    /// SHA-256 (hex) of the secret.
    pub token_hash: String,
    /// Whose.
    pub actor: String,
    /// `browser` or `bearer`.
    pub kind: String,
    /// What the person called it, or the browser.
    pub label: String,
    /// The CSRF token of a browser session.
    pub csrf: String,
    /// Created (local time).
    pub created_at: String,
    /// Expires (local time).
    pub expires_at: String,
    /// Revoked (signed out).
    pub revoked: bool,
}

/// A phone-sync session.
#[derive(Clone, Debug)]
pub struct SyncSessionRow {
    /// The id the bundle was issued with.
    pub session: String,
    /// The employee.
    pub owner: String,
    /// `YYYY-MM`.
    pub month: String,
    /// When issued.
    pub issued_at: String,
}

/// One line of the audit log.
#[derive(Clone, Debug)]
pub struct AuditRow {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// When, UTC.
    pub at_utc: String,
    /// Who (or `-` before sign-in).
    pub actor: String,
    /// What, e.g. `sign_in`, `import_dataset`.
    pub action: String,
    /// On what.
    pub target: String,
    /// `ok` or the refusal code.
    pub outcome: String,
    /// The client's address.
    pub client: String,
    /// More, as text.
    pub detail: String,
}

/// One event of the social space's chain, as stored.
#[derive(Clone, Debug)]
pub struct SocialEventRow {
    /// Sequence number, from 1.
    pub seq: i64,
    /// The previous event's hash (hex).
    pub prev: String,
    /// This event's hash (hex).
    pub hash: String,
    /// When (local time).
    pub at: String,
    /// Who (a NIP, or `system`).
    pub actor: String,
    /// The event kind.
    pub kind: String,
    /// The record as JSON (`kinerja::social::SocialRecord`).
    pub line: String,
}

/// An uploaded photo.
#[derive(Clone, Debug)]
pub struct PhotoRow {
    /// SHA-256 of the bytes (hex): the photo's id.
    pub id: String,
    /// Who uploaded it.
    pub owner: String,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// When.
    pub uploaded_at: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Everything the service keeps. One implementation, [`SqlStore`]; the trait
/// keeps the handlers and the month hub from knowing SQL.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which database this is.
    fn backend(&self) -> Backend;
    /// A value of the `meta` table.
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a value of the `meta` table.
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Stores a new dataset version (its number is the next one) and returns it.
    async fn add_dataset(&self, row: DatasetRow) -> Result<i64, StoreError>;
    /// A dataset version.
    async fn dataset(&self, version: i64) -> Result<Option<DatasetRow>, StoreError>;
    /// Every dataset version, body left empty, newest first.
    async fn datasets(&self) -> Result<Vec<DatasetRow>, StoreError>;
    /// Stores a new policy set version and returns it.
    async fn add_policy(&self, row: PolicyRow) -> Result<i64, StoreError>;
    /// A policy set version.
    async fn policy(&self, version: i64) -> Result<Option<PolicyRow>, StoreError>;
    /// The newest policy set version number.
    async fn latest_policy(&self) -> Result<Option<i64>, StoreError>;

    /// A month's row.
    async fn month(&self, month: &str) -> Result<Option<MonthRow>, StoreError>;
    /// Every month kept, oldest first.
    async fn months(&self) -> Result<Vec<MonthRow>, StoreError>;
    /// Records a month or re-pins its versions.
    async fn put_month(&self, row: &MonthRow) -> Result<(), StoreError>;

    /// Appends events (and the receipts answering them) in one transaction.
    async fn append(&self, month: &str, events: &[EventRow], receipts: &[ReceiptRow]) -> Result<(), StoreError>;
    /// Up to `limit` events of a month after `after_seq`, in order.
    async fn events(&self, month: &str, after_seq: i64, limit: i64) -> Result<Vec<EventRow>, StoreError>;
    /// The number of events of a month.
    async fn event_count(&self, month: &str) -> Result<i64, StoreError>;

    /// Stores a payroll run.
    async fn add_payroll_run(&self, row: &PayrollRunRow) -> Result<(), StoreError>;
    /// The payroll runs of a month, oldest first.
    async fn payroll_runs(&self, month: &str) -> Result<Vec<PayrollRunRow>, StoreError>;

    /// An account.
    async fn account(&self, actor: &str) -> Result<Option<AccountRow>, StoreError>;
    /// Every account's actor.
    async fn account_actors(&self) -> Result<Vec<String>, StoreError>;
    /// Creates or replaces an account.
    async fn put_account(&self, row: &AccountRow) -> Result<(), StoreError>;

    /// Stores a session.
    async fn add_session(&self, row: &SessionRow) -> Result<(), StoreError>;
    /// A session by the hash of its secret.
    async fn session_by_token(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError>;
    /// What authenticating a request reads: the session of a secret's hash, and
    /// whether its account exists and is enabled. [`SqlStore`] keeps the answers
    /// for a moment (see [`SESSION_CACHE_TTL`]); any change to the actor's
    /// sessions or account made through it is seen at once.
    async fn session_for_request(&self, token_hash: &str) -> Result<Option<(SessionRow, bool)>, StoreError> {
        let Some(s) = self.session_by_token(token_hash).await? else { return Ok(None) };
        let enabled = self.account(&s.actor).await?.is_some_and(|a| !a.disabled);
        Ok(Some((s, enabled)))
    }
    /// The sessions of an actor, newest first.
    async fn sessions_of(&self, actor: &str) -> Result<Vec<SessionRow>, StoreError>;
    /// Revokes a session of an actor; false when there is none.
    async fn revoke_session(&self, actor: &str, id: &str) -> Result<bool, StoreError>;
    /// Revokes every session of an actor (password changed, account locked).
    async fn revoke_sessions_of(&self, actor: &str) -> Result<(), StoreError>;

    /// Records a phone-sync session.
    async fn add_sync_session(&self, row: &SyncSessionRow) -> Result<(), StoreError>;
    /// A phone-sync session.
    async fn sync_session(&self, session: &str) -> Result<Option<SyncSessionRow>, StoreError>;
    /// The answers given in a phone-sync session.
    async fn receipts(&self, session: &str) -> Result<Vec<ReceiptRow>, StoreError>;

    /// Appends to the audit log.
    async fn audit(&self, row: &AuditRow) -> Result<(), StoreError>;

    /// Appends a social event, keeps a message body and erases bodies, in one transaction.
    async fn social_append(
        &self,
        row: &SocialEventRow,
        body: Option<(i64, &str)>,
        erase: &[i64],
    ) -> Result<(), StoreError>;
    /// Every social event, in order.
    async fn social_events(&self) -> Result<Vec<SocialEventRow>, StoreError>;
    /// Every message body kept.
    async fn social_bodies(&self) -> Result<Vec<(i64, String)>, StoreError>;
    /// Stores a photo (the same bytes twice are one photo).
    async fn put_photo(&self, row: &PhotoRow) -> Result<(), StoreError>;
    /// A photo.
    async fn photo(&self, id: &str) -> Result<Option<PhotoRow>, StoreError>;
    /// The newest audit lines (at most `limit`), newest first, optionally of one actor.
    async fn audit_log(&self, actor: Option<&str>, limit: i64) -> Result<Vec<AuditRow>, StoreError>;

    /// Replaces a unit's budget for its year (every revenue line, sub-activity, month
    /// and carrier) in one transaction; `by` recorded it `at`. The caller has had the
    /// core validate it ([`kinerja::insights::budget::UnitBudget::validate`]).
    async fn put_budget(&self, budget: &UnitBudget, at: &str, by: &str) -> Result<(), StoreError>;
    /// The budgets stored for `year` (every year when `None`), by unit.
    async fn budgets(&self, year: Option<i32>) -> Result<Vec<UnitBudget>, StoreError>;
    /// Stores (or replaces, by id) a strategic or work plan.
    async fn put_plan(&self, plan: &UnitPlan, at: &str, by: &str) -> Result<(), StoreError>;
    /// Every plan stored, by id.
    async fn plans(&self) -> Result<Vec<UnitPlan>, StoreError>;
    /// Stores (or replaces) a unit's roll-out: shadow month and go-live date.
    async fn put_rollout(&self, rollout: &UnitRollout, at: &str, by: &str) -> Result<(), StoreError>;
    /// Every unit's roll-out, by unit.
    async fn rollout(&self) -> Result<Vec<UnitRollout>, StoreError>;
    /// Stores (or replaces, by id, keeping its scores) a nomination; its
    /// `panel_scores` are not read (see [`Store::put_score`]).
    async fn put_nomination(&self, nomination: &Nomination, at: &str, by: &str) -> Result<(), StoreError>;
    /// Records a panel member's score of a nomination (a second score of the same
    /// member replaces the first).
    async fn put_score(&self, nomination: &str, member: &str, score: Decimal, at: &str) -> Result<(), StoreError>;
    /// The nominations of `year` (every year when `None`), by id, each with its panel
    /// scores in the members' order.
    async fn nominations(&self, year: Option<i32>) -> Result<Vec<Nomination>, StoreError>;
    /// True when no budget, plan, roll-out or nomination is stored.
    async fn insights_empty(&self) -> Result<bool, StoreError>;
}

/// The schema steps, embedded: (version, description, SQLite, PostgreSQL).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "social",
        include_str!("../migrations/sqlite/0002_social.sql"),
        include_str!("../migrations/postgres/0002_social.sql"),
    ),
    (
        3,
        "insights",
        include_str!("../migrations/sqlite/0003_insights.sql"),
        include_str!("../migrations/postgres/0003_insights.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(Backend);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, sqlx::error::BoxDynError>> + Send + 's>> {
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|&(v, d, lite, pg)| {
                    let sql = if self.0 == Backend::Sqlite { lite } else { pg };
                    Migration::new(v, Cow::Borrowed(d), MigrationType::Simple, Cow::Borrowed(sql), false)
                })
                .collect())
        })
    }
}

/// How long a request's session lookup is reused. Every request authenticates
/// (its session and its account, read together), so under load the lookups
/// would be most of the database's reads; kept in memory, they cost nothing.
/// Every change made through the server (sign-out, revocation, a password
/// change, an account disabled or locked) drops the actor's entries at once,
/// so the server answers exactly as without the cache; and a database has one
/// server (each month's writer lives in it). The time to live only bounds how
/// long a change made behind the server's back (a hand-run SQL statement) can
/// go unseen.
pub const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// The most sessions kept in the lookup cache (it is emptied when full).
const SESSION_CACHE_MAX: usize = 100_000;

/// Session lookups kept for [`SESSION_CACHE_TTL`], by the secret's hash. Only
/// sessions found are kept (an unknown secret always goes to the database).
#[derive(Debug, Default)]
struct SessionCache {
    inner: std::sync::Mutex<SessionCacheInner>,
}

#[derive(Debug, Default)]
struct SessionCacheInner {
    /// Bumped by every change to sessions or accounts: a lookup read before a
    /// change is not kept after it.
    generation: u64,
    entries: std::collections::HashMap<String, (SessionRow, bool, std::time::Instant)>,
}

impl SessionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, SessionCacheInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, token_hash: &str) -> Result<Option<(SessionRow, bool)>, u64> {
        let c = self.lock();
        match c.entries.get(token_hash) {
            Some((row, enabled, at)) if at.elapsed() < SESSION_CACHE_TTL => Ok(Some((row.clone(), *enabled))),
            _ => Err(c.generation),
        }
    }

    fn put(&self, generation: u64, row: &SessionRow, enabled: bool) {
        let mut c = self.lock();
        if c.generation != generation {
            return;
        }
        if c.entries.len() >= SESSION_CACHE_MAX {
            c.entries.clear();
        }
        c.entries.insert(row.token_hash.clone(), (row.clone(), enabled, std::time::Instant::now()));
    }

    /// Forgets the actor's sessions (before and after the change is written).
    fn forget(&self, actor: &str) {
        let mut c = self.lock();
        c.generation += 1;
        c.entries.retain(|_, (row, _, _)| row.actor != actor);
    }
}

/// The store over SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    sessions: std::sync::Arc<SessionCache>,
}

impl SqlStore {
    /// Opens (creating and migrating when needed) the database at `url`: a file
    /// path or `sqlite://PATH` for SQLite, `postgres://...` for PostgreSQL.
    pub async fn open(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.contains("://") {
            return Err(StoreError::Url(url.to_string()));
        } else {
            (Backend::Sqlite, format!("sqlite://{url}?mode=rwc"))
        };
        let options: AnyConnectOptions = url.parse().map_err(|_| StoreError::Url(url.clone()))?;
        let mut pool = AnyPoolOptions::new();
        if backend == Backend::Sqlite {
            // WAL lets readers work while the writer commits; FULL syncs every
            // commit (the month hub commits in groups, so that is cheap);
            // writers wait for each other instead of failing. No commit runs
            // a checkpoint (copying the log back into the database file, and
            // syncing it, stalled the group commit that crossed the threshold
            // for as long): the checkpointer below does it beside them.
            pool = pool.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        } else {
            pool = pool.max_connections(16);
        }
        let pool = pool.connect_with(options).await?;
        let migrator = Migrator::new(Embedded(backend)).await?;
        migrator.run(&pool).await?;
        if backend == Backend::Sqlite {
            tokio::spawn(checkpointer(pool.clone()));
        }
        Ok(SqlStore { pool, backend, sessions: std::sync::Arc::default() })
    }

    /// The connection pool (for tests that check what the database refuses).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Refuses a write of text holding NUL (see [`StoreError::Unstorable`]).
fn storable(what: &'static str, texts: &[&str]) -> Result<(), StoreError> {
    if texts.iter().any(|t| t.contains('\0')) { Err(StoreError::Unstorable { what }) } else { Ok(()) }
}

/// False when a key holds NUL: no stored row can match it, and PostgreSQL
/// would refuse the query, so a lookup answers "none" without asking.
fn findable(texts: &[&str]) -> bool {
    !texts.iter().any(|t| t.contains('\0'))
}

/// How often the SQLite checkpointer runs.
pub const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Copies SQLite's write-ahead log back into the database file, beside the
/// writers rather than in one of their commits: a passive checkpoint every
/// [`CHECKPOINT_EVERY`] (it waits for no reader or writer, and copies what it
/// can; the log is restarted from the top once all of it is copied), until the
/// pool is closed.
async fn checkpointer(pool: AnyPool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            if pool.is_closed() {
                return;
            }
            tracing::warn!("checkpoint: {e}");
        }
    }
}

fn bool_of(v: i64) -> bool {
    v != 0
}

fn event_row(r: &sqlx::any::AnyRow) -> Result<EventRow, sqlx::Error> {
    Ok(EventRow {
        seq: r.try_get("seq")?,
        prev: r.try_get("prev")?,
        hash: r.try_get("hash")?,
        actor: r.try_get("actor")?,
        kind: r.try_get("kind")?,
        key: r.try_get("key")?,
        line: r.try_get("line")?,
    })
}

fn account_row(r: &sqlx::any::AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        actor: r.try_get("actor")?,
        password_hash: r.try_get("password_hash")?,
        activation_hash: r.try_get("activation_hash")?,
        activation_expires: r.try_get("activation_expires")?,
        created_at: r.try_get("created_at")?,
        failed_count: r.try_get("failed_count")?,
        locked_until: r.try_get("locked_until")?,
        disabled: bool_of(r.try_get("disabled")?),
    })
}

fn session_row(r: &sqlx::any::AnyRow) -> Result<SessionRow, sqlx::Error> {
    Ok(SessionRow {
        id: r.try_get("id")?,
        token_hash: r.try_get("token_hash")?,
        actor: r.try_get("actor")?,
        kind: r.try_get("kind")?,
        label: r.try_get("label")?,
        csrf: r.try_get("csrf")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked: bool_of(r.try_get("revoked")?),
    })
}

fn payroll_row(r: &sqlx::any::AnyRow) -> Result<PayrollRunRow, sqlx::Error> {
    Ok(PayrollRunRow {
        month: r.try_get("month")?,
        run: r.try_get("run")?,
        head_seq: r.try_get("head_seq")?,
        head_hash: r.try_get("head_hash")?,
        dataset_version: r.try_get("dataset_version")?,
        policy_version: r.try_get("policy_version")?,
        computed_at: r.try_get("computed_at")?,
        computed_by: r.try_get("computed_by")?,
        slips_sha256: r.try_get("slips_sha256")?,
        summary: r.try_get("summary")?,
    })
}

fn month_row(r: &sqlx::any::AnyRow) -> Result<MonthRow, sqlx::Error> {
    Ok(MonthRow {
        month: r.try_get("month")?,
        dataset_version: r.try_get("dataset_version")?,
        policy_version: r.try_get("policy_version")?,
        opened_at: r.try_get("opened_at")?,
    })
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        if !findable(&[key]) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        storable("meta", &[key, value])?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_dataset(&self, row: DatasetRow) -> Result<i64, StoreError> {
        storable("dataset", &[&row.effective_from, &row.imported_at, &row.imported_by, &row.sha256, &row.body])?;
        let mut tx = self.pool.begin().await?;
        let next: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM datasets")
            .fetch_one(&mut *tx)
            .await?
            .try_get("v")?;
        sqlx::query(
            "INSERT INTO datasets (version, effective_from, imported_at, imported_by, sha256, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(next)
        .bind(&row.effective_from)
        .bind(&row.imported_at)
        .bind(&row.imported_by)
        .bind(&row.sha256)
        .bind(&row.body)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    async fn dataset(&self, version: i64) -> Result<Option<DatasetRow>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM datasets WHERE version = $1").bind(version).fetch_optional(&self.pool).await?;
        row.map(|r| {
            Ok(DatasetRow {
                version: r.try_get("version")?,
                effective_from: r.try_get("effective_from")?,
                imported_at: r.try_get("imported_at")?,
                imported_by: r.try_get("imported_by")?,
                sha256: r.try_get("sha256")?,
                body: r.try_get("body")?,
            })
        })
        .transpose()
        .map_err(StoreError::Database)
    }

    async fn datasets(&self) -> Result<Vec<DatasetRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, effective_from, imported_at, imported_by, sha256 FROM datasets ORDER BY version DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DatasetRow {
                    version: r.try_get("version")?,
                    effective_from: r.try_get("effective_from")?,
                    imported_at: r.try_get("imported_at")?,
                    imported_by: r.try_get("imported_by")?,
                    sha256: r.try_get("sha256")?,
                    body: String::new(),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    async fn add_policy(&self, row: PolicyRow) -> Result<i64, StoreError> {
        storable("policy", &[&row.imported_at, &row.imported_by, &row.sha256, &row.layers])?;
        let mut tx = self.pool.begin().await?;
        let next: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM policy_sets")
            .fetch_one(&mut *tx)
            .await?
            .try_get("v")?;
        sqlx::query(
            "INSERT INTO policy_sets (version, imported_at, imported_by, sha256, national, layers) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(next)
        .bind(&row.imported_at)
        .bind(&row.imported_by)
        .bind(&row.sha256)
        .bind(i64::from(row.national))
        .bind(&row.layers)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    async fn policy(&self, version: i64) -> Result<Option<PolicyRow>, StoreError> {
        let row = sqlx::query("SELECT * FROM policy_sets WHERE version = $1")
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(PolicyRow {
                version: r.try_get("version")?,
                imported_at: r.try_get("imported_at")?,
                imported_by: r.try_get("imported_by")?,
                sha256: r.try_get("sha256")?,
                national: bool_of(r.try_get("national")?),
                layers: r.try_get("layers")?,
            })
        })
        .transpose()
        .map_err(StoreError::Database)
    }

    async fn latest_policy(&self) -> Result<Option<i64>, StoreError> {
        let r = sqlx::query("SELECT MAX(version) AS v FROM policy_sets").fetch_one(&self.pool).await?;
        Ok(r.try_get("v")?)
    }

    async fn month(&self, month: &str) -> Result<Option<MonthRow>, StoreError> {
        if !findable(&[month]) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM months WHERE month = $1").bind(month).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(month_row).transpose()?)
    }

    async fn months(&self) -> Result<Vec<MonthRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM months ORDER BY month").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(month_row).collect::<Result<_, _>>()?)
    }

    async fn put_month(&self, row: &MonthRow) -> Result<(), StoreError> {
        storable("month", &[&row.month, &row.opened_at])?;
        sqlx::query(
            "INSERT INTO months (month, dataset_version, policy_version, opened_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (month) DO UPDATE SET dataset_version = $2, policy_version = $3",
        )
        .bind(&row.month)
        .bind(row.dataset_version)
        .bind(row.policy_version)
        .bind(&row.opened_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn append(&self, month: &str, events: &[EventRow], receipts: &[ReceiptRow]) -> Result<(), StoreError> {
        if events.is_empty() && receipts.is_empty() {
            return Ok(());
        }
        storable("month", &[month])?;
        for e in events {
            storable("event", &[&e.prev, &e.hash, &e.actor, &e.kind, e.key.as_deref().unwrap_or(""), &e.line])?;
        }
        for r in receipts {
            storable("receipt", &[&r.key, &r.session, &r.digest, &r.outcome])?;
        }
        let mut tx = self.pool.begin().await?;
        // Several rows a statement: fewer round trips for a group commit.
        for chunk in events.chunks(64) {
            let mut sql = String::from("INSERT INTO events (month, seq, prev, hash, actor, kind, key, line) VALUES ");
            for i in 0..chunk.len() {
                let b = i * 8;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${},${},${},${},${},${},${},${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                ));
            }
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(month)
                    .bind(e.seq)
                    .bind(&e.prev)
                    .bind(&e.hash)
                    .bind(&e.actor)
                    .bind(&e.kind)
                    .bind(e.key.as_deref())
                    .bind(&e.line);
            }
            q.execute(&mut *tx).await?;
        }
        for r in receipts {
            sqlx::query(
                "INSERT INTO receipts (key, session, digest, outcome) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&r.key)
            .bind(&r.session)
            .bind(&r.digest)
            .bind(&r.outcome)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn events(&self, month: &str, after_seq: i64, limit: i64) -> Result<Vec<EventRow>, StoreError> {
        if !findable(&[month]) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT * FROM events WHERE month = $1 AND seq > $2 ORDER BY seq LIMIT $3")
            .bind(month)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(event_row).collect::<Result<_, _>>()?)
    }

    async fn event_count(&self, month: &str) -> Result<i64, StoreError> {
        if !findable(&[month]) {
            return Ok(0);
        }
        let r =
            sqlx::query("SELECT COUNT(*) AS n FROM events WHERE month = $1").bind(month).fetch_one(&self.pool).await?;
        Ok(r.try_get("n")?)
    }

    async fn add_payroll_run(&self, row: &PayrollRunRow) -> Result<(), StoreError> {
        storable(
            "payroll run",
            &[&row.month, &row.head_hash, &row.computed_at, &row.computed_by, &row.slips_sha256, &row.summary],
        )?;
        sqlx::query(
            "INSERT INTO payroll_runs (month, run, head_seq, head_hash, dataset_version, policy_version, \
             computed_at, computed_by, slips_sha256, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&row.month)
        .bind(row.run)
        .bind(row.head_seq)
        .bind(&row.head_hash)
        .bind(row.dataset_version)
        .bind(row.policy_version)
        .bind(&row.computed_at)
        .bind(&row.computed_by)
        .bind(&row.slips_sha256)
        .bind(&row.summary)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn payroll_runs(&self, month: &str) -> Result<Vec<PayrollRunRow>, StoreError> {
        if !findable(&[month]) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT * FROM payroll_runs WHERE month = $1 ORDER BY run")
            .bind(month)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(payroll_row).collect::<Result<_, _>>()?)
    }

    async fn account(&self, actor: &str) -> Result<Option<AccountRow>, StoreError> {
        if !findable(&[actor]) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM accounts WHERE actor = $1").bind(actor).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(account_row).transpose()?)
    }

    async fn account_actors(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT actor FROM accounts ORDER BY actor").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| r.try_get("actor")).collect::<Result<_, _>>()?)
    }

    async fn put_account(&self, row: &AccountRow) -> Result<(), StoreError> {
        storable(
            "account",
            &[
                &row.actor,
                row.password_hash.as_deref().unwrap_or(""),
                row.activation_hash.as_deref().unwrap_or(""),
                row.activation_expires.as_deref().unwrap_or(""),
                &row.created_at,
                row.locked_until.as_deref().unwrap_or(""),
            ],
        )?;
        self.sessions.forget(&row.actor);
        let r = self.put_account_row(row).await;
        self.sessions.forget(&row.actor);
        r
    }

    async fn session_for_request(&self, token_hash: &str) -> Result<Option<(SessionRow, bool)>, StoreError> {
        if !findable(&[token_hash]) {
            return Ok(None);
        }
        let generation = match self.sessions.get(token_hash) {
            Ok(hit) => return Ok(hit),
            Err(g) => g,
        };
        // The session and its account's flag in one read.
        let row = sqlx::query(
            "SELECT s.*, a.disabled AS account_disabled FROM sessions s \
             LEFT JOIN accounts a ON a.actor = s.actor WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let s = session_row(&row)?;
        let disabled: Option<i64> = row.try_get("account_disabled")?;
        let enabled = disabled.is_some_and(|d| !bool_of(d));
        self.sessions.put(generation, &s, enabled);
        Ok(Some((s, enabled)))
    }

    async fn add_session(&self, row: &SessionRow) -> Result<(), StoreError> {
        storable(
            "session",
            &[&row.id, &row.token_hash, &row.actor, &row.kind, &row.label, &row.csrf, &row.created_at, &row.expires_at],
        )?;
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, actor, kind, label, csrf, created_at, expires_at, revoked) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&row.id)
        .bind(&row.token_hash)
        .bind(&row.actor)
        .bind(&row.kind)
        .bind(&row.label)
        .bind(&row.csrf)
        .bind(&row.created_at)
        .bind(&row.expires_at)
        .bind(i64::from(row.revoked))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_by_token(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        if !findable(&[token_hash]) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(session_row).transpose()?)
    }

    async fn sessions_of(&self, actor: &str) -> Result<Vec<SessionRow>, StoreError> {
        if !findable(&[actor]) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT * FROM sessions WHERE actor = $1 ORDER BY created_at DESC")
            .bind(actor)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(session_row).collect::<Result<_, _>>()?)
    }

    async fn revoke_session(&self, actor: &str, id: &str) -> Result<bool, StoreError> {
        if !findable(&[actor, id]) {
            return Ok(false);
        }
        self.sessions.forget(actor);
        let r = sqlx::query("UPDATE sessions SET revoked = 1 WHERE actor = $1 AND id = $2")
            .bind(actor)
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.sessions.forget(actor);
        Ok(r.rows_affected() > 0)
    }

    async fn revoke_sessions_of(&self, actor: &str) -> Result<(), StoreError> {
        if !findable(&[actor]) {
            return Ok(());
        }
        self.sessions.forget(actor);
        sqlx::query("UPDATE sessions SET revoked = 1 WHERE actor = $1").bind(actor).execute(&self.pool).await?;
        self.sessions.forget(actor);
        Ok(())
    }

    async fn add_sync_session(&self, row: &SyncSessionRow) -> Result<(), StoreError> {
        storable("sync session", &[&row.session, &row.owner, &row.month, &row.issued_at])?;
        sqlx::query("INSERT INTO sync_sessions (session, owner, month, issued_at) VALUES ($1, $2, $3, $4)")
            .bind(&row.session)
            .bind(&row.owner)
            .bind(&row.month)
            .bind(&row.issued_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sync_session(&self, session: &str) -> Result<Option<SyncSessionRow>, StoreError> {
        if !findable(&[session]) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM sync_sessions WHERE session = $1")
            .bind(session)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(SyncSessionRow {
                session: r.try_get("session")?,
                owner: r.try_get("owner")?,
                month: r.try_get("month")?,
                issued_at: r.try_get("issued_at")?,
            })
        })
        .transpose()
        .map_err(StoreError::Database)
    }

    async fn receipts(&self, session: &str) -> Result<Vec<ReceiptRow>, StoreError> {
        if !findable(&[session]) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query("SELECT * FROM receipts WHERE session = $1").bind(session).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(ReceiptRow {
                    key: r.try_get("key")?,
                    session: r.try_get("session")?,
                    digest: r.try_get("digest")?,
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    async fn audit(&self, row: &AuditRow) -> Result<(), StoreError> {
        storable(
            "audit line",
            &[&row.at_utc, &row.actor, &row.action, &row.target, &row.outcome, &row.client, &row.detail],
        )?;
        sqlx::query(
            "INSERT INTO audit (at_utc, actor, action, target, outcome, client, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&row.at_utc)
        .bind(&row.actor)
        .bind(&row.action)
        .bind(&row.target)
        .bind(&row.outcome)
        .bind(&row.client)
        .bind(&row.detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn audit_log(&self, actor: Option<&str>, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        if !findable(&[actor.unwrap_or("")]) {
            return Ok(Vec::new());
        }
        let rows = match actor {
            Some(a) => {
                sqlx::query("SELECT * FROM audit WHERE actor = $1 ORDER BY id DESC LIMIT $2")
                    .bind(a)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM audit ORDER BY id DESC LIMIT $1").bind(limit).fetch_all(&self.pool).await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at_utc: r.try_get("at_utc")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    outcome: r.try_get("outcome")?,
                    client: r.try_get("client")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    async fn social_append(
        &self,
        row: &SocialEventRow,
        body: Option<(i64, &str)>,
        erase: &[i64],
    ) -> Result<(), StoreError> {
        storable("social event", &[&row.prev, &row.hash, &row.at, &row.actor, &row.kind, &row.line])?;
        if let Some((_, b)) = body {
            storable("body", &[b])?;
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO social_events (seq, prev, hash, at, actor, kind, line) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.seq)
        .bind(&row.prev)
        .bind(&row.hash)
        .bind(&row.at)
        .bind(&row.actor)
        .bind(&row.kind)
        .bind(&row.line)
        .execute(&mut *tx)
        .await?;
        for id in erase {
            sqlx::query("DELETE FROM social_bodies WHERE message = $1").bind(*id).execute(&mut *tx).await?;
        }
        if let Some((id, b)) = body {
            sqlx::query(
                "INSERT INTO social_bodies (message, body) VALUES ($1, $2) \
                 ON CONFLICT (message) DO UPDATE SET body = $2",
            )
            .bind(id)
            .bind(b)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn social_events(&self) -> Result<Vec<SocialEventRow>, StoreError> {
        let rows = sqlx::query("SELECT seq, prev, hash, at, actor, kind, line FROM social_events ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SocialEventRow {
                    seq: r.try_get("seq")?,
                    prev: r.try_get("prev")?,
                    hash: r.try_get("hash")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    kind: r.try_get("kind")?,
                    line: r.try_get("line")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    async fn social_bodies(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT message, body FROM social_bodies ORDER BY message").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("message")?, r.try_get("body")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }

    async fn put_photo(&self, row: &PhotoRow) -> Result<(), StoreError> {
        use base64::Engine;
        storable("photo", &[&row.id, &row.owner, &row.content_type, &row.uploaded_at])?;
        sqlx::query(
            "INSERT INTO social_photos (id, owner, content_type, size, uploaded_at, data) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.owner)
        .bind(&row.content_type)
        .bind(row.data.len() as i64)
        .bind(&row.uploaded_at)
        .bind(base64::engine::general_purpose::STANDARD.encode(&row.data))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn photo(&self, id: &str) -> Result<Option<PhotoRow>, StoreError> {
        use base64::Engine;
        if !findable(&[id]) {
            return Ok(None);
        }
        let Some(r) = sqlx::query("SELECT id, owner, content_type, uploaded_at, data FROM social_photos WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let data: String = r.try_get("data")?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|e| StoreError::Damaged { what: "photo", message: e.to_string() })?;
        Ok(Some(PhotoRow {
            id: r.try_get("id")?,
            owner: r.try_get("owner")?,
            content_type: r.try_get("content_type")?,
            uploaded_at: r.try_get("uploaded_at")?,
            data,
        }))
    }
    async fn put_budget(&self, b: &UnitBudget, at: &str, by: &str) -> Result<(), StoreError> {
        let unit = b.unit.as_str();
        let year = i64::from(b.year);
        let mut texts: Vec<&str> = vec![unit, at, by];
        for r in &b.revenue {
            texts.extend([r.code.as_str(), r.name.as_str()]);
        }
        for p in &b.programmes {
            texts.extend([p.code.as_str(), p.name.as_str()]);
            for a in &p.activities {
                texts.extend([a.code.as_str(), a.name.as_str()]);
                for s in &a.sub_activities {
                    texts.extend([s.code.as_str(), s.name.as_str()]);
                    texts.extend(s.positions.iter().map(|x| x.as_str()));
                    texts.extend(s.tasks.iter().map(|x| x.as_str()));
                }
            }
        }
        storable("budget", &texts)?;
        let mut tx = self.pool.begin().await?;
        for table in
            ["budget_revenue", "budget_revenue_months", "budget_sub_activities", "budget_months", "budget_carriers"]
        {
            sqlx::query(&format!("DELETE FROM {table} WHERE unit = $1 AND year = $2"))
                .bind(unit)
                .bind(year)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO budgets (unit, year, recorded_at, recorded_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (unit, year) DO UPDATE SET recorded_at = $3, recorded_by = $4",
        )
        .bind(unit)
        .bind(year)
        .bind(at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        for (i, r) in b.revenue.iter().enumerate() {
            sqlx::query(
                "INSERT INTO budget_revenue (unit, year, seq, code, name, target) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(unit)
            .bind(year)
            .bind(i as i64)
            .bind(&r.code)
            .bind(&r.name)
            .bind(r.target.amount().to_string())
            .execute(&mut *tx)
            .await?;
            for (m, v) in r.realised.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO budget_revenue_months (unit, year, code, month, realised) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(unit)
                .bind(year)
                .bind(&r.code)
                .bind(m as i64 + 1)
                .bind(v.amount().to_string())
                .execute(&mut *tx)
                .await?;
            }
        }
        let mut seq = 0i64;
        for p in &b.programmes {
            for a in &p.activities {
                for s in &a.sub_activities {
                    sqlx::query(
                        "INSERT INTO budget_sub_activities (unit, year, seq, programme_code, programme_name, \
                         activity_code, activity_name, code, name, ceiling) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(unit)
                    .bind(year)
                    .bind(seq)
                    .bind(&p.code)
                    .bind(&p.name)
                    .bind(&a.code)
                    .bind(&a.name)
                    .bind(&s.code)
                    .bind(&s.name)
                    .bind(s.ceiling.amount().to_string())
                    .execute(&mut *tx)
                    .await?;
                    seq += 1;
                    let months = s.plan.len().max(s.realisation.len()).max(s.progress.len());
                    for m in 0..months {
                        sqlx::query(
                            "INSERT INTO budget_months (unit, year, code, month, plan, realisation, progress) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(unit)
                        .bind(year)
                        .bind(&s.code)
                        .bind(m as i64 + 1)
                        .bind(s.plan.get(m).map(|v| v.amount().to_string()))
                        .bind(s.realisation.get(m).map(|v| v.amount().to_string()))
                        .bind(s.progress.get(m).map(|v| v.to_string()))
                        .execute(&mut *tx)
                        .await?;
                    }
                    let carriers = s
                        .positions
                        .iter()
                        .map(|x| ("position", x.as_str()))
                        .chain(s.tasks.iter().map(|x| ("task", x.as_str())));
                    for (i, (kind, item)) in carriers.enumerate() {
                        sqlx::query(
                            "INSERT INTO budget_carriers (unit, year, code, kind, seq, item) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(unit)
                        .bind(year)
                        .bind(&s.code)
                        .bind(kind)
                        .bind(i as i64)
                        .bind(item)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn budgets(&self, year: Option<i32>) -> Result<Vec<UnitBudget>, StoreError> {
        let y = year.map(i64::from).unwrap_or(-1);
        let filter = "WHERE ($1 = -1 OR year = $1)";
        let heads = sqlx::query(&format!("SELECT unit, year FROM budgets {filter} ORDER BY unit, year"))
            .bind(y)
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<UnitBudget> = Vec::new();
        let mut index: std::collections::HashMap<(String, i64), usize> = std::collections::HashMap::new();
        for r in &heads {
            let unit: String = r.try_get("unit")?;
            let year: i64 = r.try_get("year")?;
            index.insert((unit.clone(), year), out.len());
            out.push(UnitBudget {
                unit: unit.as_str().into(),
                year: i32::try_from(year).map_err(|e| damaged("budget", e))?,
                revenue: Vec::new(),
                programmes: Vec::new(),
            });
        }
        let key = |r: &sqlx::any::AnyRow| -> Result<(String, i64), StoreError> {
            Ok((r.try_get("unit")?, r.try_get("year")?))
        };
        // Revenue lines and their months.
        let rows = sqlx::query(&format!(
            "SELECT unit, year, code, name, target FROM budget_revenue {filter} ORDER BY unit, year, seq"
        ))
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let Some(&i) = index.get(&key(r)?) else { continue };
            out[i].revenue.push(RevenueLine {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                target: money(&r.try_get::<String, _>("target")?)?,
                realised: Vec::new(),
            });
        }
        let rows = sqlx::query(&format!(
            "SELECT unit, year, code, month, realised FROM budget_revenue_months {filter} ORDER BY unit, year, code, month"
        ))
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let Some(&i) = index.get(&key(r)?) else { continue };
            let code: String = r.try_get("code")?;
            let month: i64 = r.try_get("month")?;
            let v = money(&r.try_get::<String, _>("realised")?)?;
            if let Some(line) = out[i].revenue.iter_mut().find(|l| l.code == code) {
                put_at(&mut line.realised, month, v, Money::ZERO);
            }
        }
        // Sub-activities, grouped back into activities and programmes in their order.
        let rows = sqlx::query(&format!(
            "SELECT unit, year, programme_code, programme_name, activity_code, activity_name, code, name, ceiling \
             FROM budget_sub_activities {filter} ORDER BY unit, year, seq"
        ))
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let Some(&i) = index.get(&key(r)?) else { continue };
            let b = &mut out[i];
            let (pc, pn): (String, String) = (r.try_get("programme_code")?, r.try_get("programme_name")?);
            let (ac, an): (String, String) = (r.try_get("activity_code")?, r.try_get("activity_name")?);
            if b.programmes.last().is_none_or(|p| p.code != pc) {
                b.programmes.push(Programme { code: pc, name: pn, activities: Vec::new() });
            }
            let Some(p) = b.programmes.last_mut() else { continue };
            if p.activities.last().is_none_or(|a| a.code != ac) {
                p.activities.push(Activity { code: ac, name: an, sub_activities: Vec::new() });
            }
            let Some(a) = p.activities.last_mut() else { continue };
            a.sub_activities.push(SubActivity {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                ceiling: money(&r.try_get::<String, _>("ceiling")?)?,
                plan: Vec::new(),
                realisation: Vec::new(),
                progress: Vec::new(),
                positions: Vec::new(),
                tasks: Vec::new(),
            });
        }
        let rows = sqlx::query(&format!(
            "SELECT unit, year, code, month, plan, realisation, progress FROM budget_months {filter} \
             ORDER BY unit, year, code, month"
        ))
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let Some(&i) = index.get(&key(r)?) else { continue };
            let code: String = r.try_get("code")?;
            let month: i64 = r.try_get("month")?;
            let Some(s) = sub_mut(&mut out[i], &code) else { continue };
            if let Some(v) = r.try_get::<Option<String>, _>("plan")? {
                put_at(&mut s.plan, month, money(&v)?, Money::ZERO);
            }
            if let Some(v) = r.try_get::<Option<String>, _>("realisation")? {
                put_at(&mut s.realisation, month, money(&v)?, Money::ZERO);
            }
            if let Some(v) = r.try_get::<Option<String>, _>("progress")? {
                // A month left out repeats the progress reported before it.
                let before = s.progress.last().copied().unwrap_or(Decimal::ZERO);
                put_at(&mut s.progress, month, decimal(&v)?, before);
            }
        }
        let rows = sqlx::query(&format!(
            "SELECT unit, year, code, kind, item FROM budget_carriers {filter} ORDER BY unit, year, code, seq"
        ))
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let Some(&i) = index.get(&key(r)?) else { continue };
            let code: String = r.try_get("code")?;
            let kind: String = r.try_get("kind")?;
            let item: String = r.try_get("item")?;
            let Some(s) = sub_mut(&mut out[i], &code) else { continue };
            if kind == "position" {
                s.positions.push(item.as_str().into());
            } else {
                s.tasks.push(item.as_str().into());
            }
        }
        Ok(out)
    }

    async fn put_plan(&self, plan: &UnitPlan, at: &str, by: &str) -> Result<(), StoreError> {
        let mut texts = vec![plan.id.as_str(), plan.unit.as_str(), plan.reference.as_str(), at, by];
        texts.extend(plan.tasks.iter().map(|t| t.as_str()));
        storable("plan", &texts)?;
        let kind = match plan.kind {
            PlanKind::Strategic => "strategic",
            PlanKind::Work => "work",
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO unit_plans (id, unit, kind, from_year, until_year, reference, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET unit = $2, kind = $3, \
             from_year = $4, until_year = $5, reference = $6, recorded_at = $7, recorded_by = $8",
        )
        .bind(&plan.id)
        .bind(plan.unit.as_str())
        .bind(kind)
        .bind(i64::from(plan.from_year))
        .bind(i64::from(plan.until_year))
        .bind(&plan.reference)
        .bind(at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM unit_plan_tasks WHERE plan = $1").bind(&plan.id).execute(&mut *tx).await?;
        for (i, t) in plan.tasks.iter().enumerate() {
            sqlx::query("INSERT INTO unit_plan_tasks (plan, seq, task) VALUES ($1, $2, $3)")
                .bind(&plan.id)
                .bind(i as i64)
                .bind(t.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn plans(&self) -> Result<Vec<UnitPlan>, StoreError> {
        let rows = sqlx::query("SELECT id, unit, kind, from_year, until_year, reference FROM unit_plans ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            out.push(UnitPlan {
                id: r.try_get("id")?,
                unit: r.try_get::<String, _>("unit")?.as_str().into(),
                kind: if kind == "strategic" { PlanKind::Strategic } else { PlanKind::Work },
                from_year: i32::try_from(r.try_get::<i64, _>("from_year")?).map_err(|e| damaged("plan", e))?,
                until_year: i32::try_from(r.try_get::<i64, _>("until_year")?).map_err(|e| damaged("plan", e))?,
                reference: r.try_get("reference")?,
                tasks: Vec::new(),
            });
        }
        let rows =
            sqlx::query("SELECT plan, task FROM unit_plan_tasks ORDER BY plan, seq").fetch_all(&self.pool).await?;
        for r in &rows {
            let plan: String = r.try_get("plan")?;
            let task: String = r.try_get("task")?;
            if let Some(p) = out.iter_mut().find(|p| p.id == plan) {
                p.tasks.push(task.as_str().into());
            }
        }
        Ok(out)
    }

    async fn put_rollout(&self, r: &UnitRollout, at: &str, by: &str) -> Result<(), StoreError> {
        storable("rollout", &[r.unit.as_str(), at, by])?;
        sqlx::query(
            "INSERT INTO unit_rollout (unit, shadow_month, go_live, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit) DO UPDATE SET shadow_month = $2, go_live = $3, \
             recorded_at = $4, recorded_by = $5",
        )
        .bind(r.unit.as_str())
        .bind(r.shadow_month.map(|m| m.to_string()))
        .bind(r.go_live.map(|d| d.to_string()))
        .bind(at)
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn rollout(&self) -> Result<Vec<UnitRollout>, StoreError> {
        let rows = sqlx::query("SELECT unit, shadow_month, go_live FROM unit_rollout ORDER BY unit")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let shadow: Option<String> = r.try_get("shadow_month")?;
            let go: Option<String> = r.try_get("go_live")?;
            out.push(UnitRollout {
                unit: r.try_get::<String, _>("unit")?.as_str().into(),
                shadow_month: shadow.map(|m| m.parse()).transpose().map_err(|e| damaged("rollout", e))?,
                go_live: go.map(|d| d.parse()).transpose().map_err(|e| damaged("rollout", e))?,
            });
        }
        Ok(out)
    }

    async fn put_nomination(&self, n: &Nomination, at: &str, by: &str) -> Result<(), StoreError> {
        storable("nomination", &[n.id.as_str(), n.employee.as_str(), n.title.as_str(), at, by])?;
        let category = match n.category {
            NominationCategory::Service => "service",
            NominationCategory::Innovative => "innovative",
        };
        sqlx::query(
            "INSERT INTO award_nominations (id, year, category, employee, title, nominated_at, nominated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET year = $2, category = $3, \
             employee = $4, title = $5, nominated_at = $6, nominated_by = $7",
        )
        .bind(&n.id)
        .bind(i64::from(n.year))
        .bind(category)
        .bind(n.employee.as_str())
        .bind(&n.title)
        .bind(at)
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn put_score(&self, nomination: &str, member: &str, score: Decimal, at: &str) -> Result<(), StoreError> {
        storable("score", &[nomination, member, at])?;
        sqlx::query(
            "INSERT INTO award_scores (nomination, member, score, scored_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (nomination, member) DO UPDATE SET score = $3, scored_at = $4",
        )
        .bind(nomination)
        .bind(member)
        .bind(score.to_string())
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn nominations(&self, year: Option<i32>) -> Result<Vec<Nomination>, StoreError> {
        let y = year.map(i64::from).unwrap_or(-1);
        let rows = sqlx::query(
            "SELECT id, year, category, employee, title FROM award_nominations WHERE ($1 = -1 OR year = $1) ORDER BY id",
        )
        .bind(y)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let category: String = r.try_get("category")?;
            let employee: String = r.try_get("employee")?;
            out.push(Nomination {
                id: r.try_get("id")?,
                year: i32::try_from(r.try_get::<i64, _>("year")?).map_err(|e| damaged("nomination", e))?,
                category: if category == "service" {
                    NominationCategory::Service
                } else {
                    NominationCategory::Innovative
                },
                employee: kinerja::nip::Nip::parse(&employee).map_err(|e| damaged("nomination", e))?,
                title: r.try_get("title")?,
                panel_scores: Vec::new(),
            });
        }
        let rows = sqlx::query("SELECT nomination, score FROM award_scores ORDER BY nomination, member")
            .fetch_all(&self.pool)
            .await?;
        for r in &rows {
            let id: String = r.try_get("nomination")?;
            let score = decimal(&r.try_get::<String, _>("score")?)?;
            if let Some(n) = out.iter_mut().find(|n| n.id == id) {
                n.panel_scores.push(score);
            }
        }
        Ok(out)
    }

    async fn insights_empty(&self) -> Result<bool, StoreError> {
        for table in ["budgets", "unit_plans", "unit_rollout", "award_nominations"] {
            let n: i64 =
                sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(&self.pool).await?.try_get("n")?;
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl SqlStore {
    async fn put_account_row(&self, row: &AccountRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO accounts (actor, password_hash, activation_hash, activation_expires, created_at, \
             failed_count, locked_until, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (actor) DO UPDATE SET password_hash = $2, activation_hash = $3, \
             activation_expires = $4, failed_count = $6, locked_until = $7, disabled = $8",
        )
        .bind(&row.actor)
        .bind(row.password_hash.as_deref())
        .bind(row.activation_hash.as_deref())
        .bind(row.activation_expires.as_deref())
        .bind(&row.created_at)
        .bind(row.failed_count)
        .bind(row.locked_until.as_deref())
        .bind(i64::from(row.disabled))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn damaged(what: &'static str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Damaged { what, message: e.to_string() }
}

fn money(text: &str) -> Result<Money, StoreError> {
    Money::parse(text).map_err(|e| damaged("amount", e))
}

fn decimal(text: &str) -> Result<Decimal, StoreError> {
    text.parse::<Decimal>().map_err(|e| damaged("decimal", e))
}

/// Sets month `month` (1-based) of a series, filling the months before it with `fill`.
fn put_at<T: Copy>(series: &mut Vec<T>, month: i64, value: T, fill: T) {
    let i = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    while series.len() < i {
        series.push(fill);
    }
    if series.len() == i {
        series.push(value);
    } else {
        series[i] = value;
    }
}

/// A sub-activity of a budget, by code.
fn sub_mut<'b>(b: &'b mut UnitBudget, code: &str) -> Option<&'b mut SubActivity> {
    b.programmes
        .iter_mut()
        .flat_map(|p| p.activities.iter_mut())
        .flat_map(|a| a.sub_activities.iter_mut())
        .find(|s| s.code == code)
}
