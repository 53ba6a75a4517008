-- The rest of Banda Aceh's system (issue 13): budgets, plans, the roll-out and the
-- awards' nominations, as the core's insights module reads them
-- (kinerja::insights::InsightsRecords). Amounts and percentages are exact
-- decimals kept as text; a month is 1..12 of the budget's fiscal year.
--
-- A budget (DPA) of a unit and year: revenue lines, and programmes > activities >
-- sub-activities, the level that carries money (ceiling, monthly plan, monthly
-- realisation, physical progress), with the positions and tasks that carry it.

CREATE TABLE budgets (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (unit, year)
);

CREATE TABLE budget_revenue (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (unit, year, code)
);

CREATE TABLE budget_revenue_months (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    code TEXT NOT NULL,
    month BIGINT NOT NULL,
    realised TEXT NOT NULL,
    PRIMARY KEY (unit, year, code, month)
);

CREATE TABLE budget_sub_activities (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    programme_code TEXT NOT NULL,
    programme_name TEXT NOT NULL,
    activity_code TEXT NOT NULL,
    activity_name TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    ceiling TEXT NOT NULL,
    PRIMARY KEY (unit, year, code)
);

-- One row per sub-activity and month given: a series shorter than another leaves
-- its column empty (NULL) in the later months.
CREATE TABLE budget_months (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    code TEXT NOT NULL,
    month BIGINT NOT NULL,
    plan TEXT,
    realisation TEXT,
    progress TEXT,
    PRIMARY KEY (unit, year, code, month)
);

-- The positions (kind `position`) and tasks (kind `task`) that carry a sub-activity.
CREATE TABLE budget_carriers (
    unit TEXT NOT NULL,
    year BIGINT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq BIGINT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (unit, year, code, kind, seq)
);

-- Strategic plans (Renstra) and work plans (Renja), with the tasks a work plan lists.
CREATE TABLE unit_plans (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_year BIGINT NOT NULL,
    until_year BIGINT NOT NULL,
    reference TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE TABLE unit_plan_tasks (
    plan TEXT NOT NULL,
    seq BIGINT NOT NULL,
    task TEXT NOT NULL,
    PRIMARY KEY (plan, seq)
);

-- Each unit's roll-out: its shadow month (YYYY-MM) and the date from which its
-- data pays (none: not live yet).
CREATE TABLE unit_rollout (
    unit TEXT PRIMARY KEY,
    shadow_month TEXT,
    go_live TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

-- Award nominations (Best Service, Best Innovative) and the panel's scores, one
-- per panel member and nomination (a member scoring again replaces their score).
CREATE TABLE award_nominations (
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL,
    category TEXT NOT NULL,
    employee TEXT NOT NULL,
    title TEXT NOT NULL,
    nominated_at TEXT NOT NULL,
    nominated_by TEXT NOT NULL
);

CREATE TABLE award_scores (
    nomination TEXT NOT NULL,
    member TEXT NOT NULL,
    score TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (nomination, member)
);
