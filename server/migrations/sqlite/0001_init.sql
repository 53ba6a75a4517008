-- Kinerja server schema, SQLite. The PostgreSQL migration of the same number
-- creates the same tables with that dialect's types; both are kept in step.
-- Times are ISO-8601 text in the city's local time (`2026-10-05T07:25:00`) unless
-- named `_utc`; months are `YYYY-MM`; hashes are lower-case hex.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every dataset imported, as a version: the months pin the one they use.
CREATE TABLE datasets (
    version        BIGINT PRIMARY KEY,
    effective_from TEXT   NOT NULL,
    imported_at    TEXT   NOT NULL,
    imported_by    TEXT   NOT NULL,
    sha256         TEXT   NOT NULL,
    body           TEXT   NOT NULL
);

-- Every policy set (the ordered TOML layers over the national baseline), as a version.
CREATE TABLE policy_sets (
    version      BIGINT PRIMARY KEY,
    imported_at  TEXT   NOT NULL,
    imported_by  TEXT   NOT NULL,
    sha256       TEXT   NOT NULL,
    national     BIGINT NOT NULL,
    layers       TEXT   NOT NULL
);

-- The months the service keeps, with the versions their record is judged under.
CREATE TABLE months (
    month           TEXT   PRIMARY KEY,
    dataset_version BIGINT NOT NULL REFERENCES datasets (version),
    policy_version  BIGINT NOT NULL REFERENCES policy_sets (version),
    opened_at       TEXT   NOT NULL
);

-- The month's journal: one row per event, append-only (triggers below). `line`
-- is the event exactly as the text journal writes it; the other columns repeat
-- what queries need.
CREATE TABLE events (
    month  TEXT   NOT NULL,
    seq    BIGINT NOT NULL,
    prev   TEXT   NOT NULL,
    hash   TEXT   NOT NULL,
    actor  TEXT   NOT NULL,
    kind   TEXT   NOT NULL,
    key    TEXT,
    line   TEXT   NOT NULL,
    PRIMARY KEY (month, seq)
);
CREATE UNIQUE INDEX events_key ON events (month, key) WHERE key IS NOT NULL;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Each payroll computed from a closed month: what it was computed from and a
-- digest of its slips, so that a recomputation can be compared with it.
CREATE TABLE payroll_runs (
    month           TEXT   NOT NULL,
    run             BIGINT NOT NULL,
    head_seq        BIGINT NOT NULL,
    head_hash       TEXT   NOT NULL,
    dataset_version BIGINT NOT NULL,
    policy_version  BIGINT NOT NULL,
    computed_at     TEXT   NOT NULL,
    computed_by     TEXT   NOT NULL,
    slips_sha256    TEXT   NOT NULL,
    summary         TEXT   NOT NULL,
    PRIMARY KEY (month, run)
);

-- Sign-in accounts: an employee's NIP, `official:ID` or `device:ID`.
CREATE TABLE accounts (
    actor              TEXT   PRIMARY KEY,
    password_hash      TEXT,
    activation_hash    TEXT,
    activation_expires TEXT,
    created_at         TEXT   NOT NULL,
    failed_count       BIGINT NOT NULL DEFAULT 0,
    locked_until       TEXT,
    disabled           BIGINT NOT NULL DEFAULT 0
);

-- Browser sessions and bearer tokens; only a hash of the secret is kept.
CREATE TABLE sessions (
    id          TEXT   PRIMARY KEY,
    token_hash  TEXT   NOT NULL UNIQUE,
    actor       TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    label       TEXT   NOT NULL,
    csrf        TEXT   NOT NULL,
    created_at  TEXT   NOT NULL,
    expires_at  TEXT   NOT NULL,
    revoked     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_actor ON sessions (actor);

-- Phone sync sessions (the id a bundle is issued with) and the answers given.
CREATE TABLE sync_sessions (
    session    TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    month      TEXT NOT NULL,
    issued_at  TEXT NOT NULL
);
CREATE TABLE receipts (
    key      TEXT PRIMARY KEY,
    session  TEXT NOT NULL,
    digest   TEXT NOT NULL,
    outcome  TEXT NOT NULL
);
CREATE INDEX receipts_session ON receipts (session);

-- Every sign-in and administrative act.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    client   TEXT NOT NULL,
    detail   TEXT NOT NULL
);
