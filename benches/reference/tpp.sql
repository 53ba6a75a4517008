-- The month's allowance (TPP) in one SQL script, as a regional PHP e-Kinerja system
-- computes it in its database: SQLite over the flat tables `kinerja export-tables`
-- writes (loaded by tpp_sqlite.py, or by `.import` in the sqlite3 shell with the
-- column types of tpp_sqlite.py). Integers only: money in rupiah, percentages in
-- hundredths of a percent; R(n / d) = (2n + d) / (2d) rounds half up (n >= 0).
-- The result is the table `result(nip, gross, tax, contribution, net)`, tax and
-- contribution negative as on Kinerja's slip.

CREATE TEMP TABLE p AS SELECT * FROM params;

-- Definitive assignments overlapping the month; the month's position is the last by
-- first day (the later record on a tie).
CREATE TEMP TABLE def AS
SELECT a.seq, a.nip, a.position, a."from" AS f, COALESCE(a.until, '9999-12-31') AS u
FROM assignments a, p
WHERE a.kind = 'definitive' AND a."from" <= p.last_day AND COALESCE(a.until, '9999-12-31') >= p.first_day;
CREATE INDEX temp.def_nip ON def(nip);

CREATE TEMP TABLE pos AS
SELECT nip, position FROM (
  SELECT nip, position, ROW_NUMBER() OVER (PARTITION BY nip ORDER BY f DESC, seq DESC) AS rn FROM def
) WHERE rn = 1;

-- Employee x day: assignment, the roster's word, office hours, the hours judged.
CREATE TEMP TABLE grid AS
SELECT e.nip, d.date, d.working,
  EXISTS (SELECT 1 FROM def a WHERE a.nip = e.nip AND d.date BETWEEN a.f AND a.u) AS assigned,
  r.shift, r.start AS s_start, r."end" AS s_end, d.start AS o_start, d."end" AS o_end
FROM employees e CROSS JOIN calendar d
LEFT JOIN roster r ON r.nip = e.nip AND r.date = d.date;

CREATE TEMP TABLE g2 AS
SELECT nip, date, assigned,
  CASE WHEN shift IS NOT NULL AND shift <> 'off' THEN 1 WHEN shift = 'off' THEN 0 ELSE working END AS own_working,
  (assigned = 1 AND shift IS NOT NULL AND shift <> 'off') AS plan_shift,
  (assigned = 1 AND shift IS NULL AND working = 1) AS office,
  CASE WHEN assigned = 1 AND shift IS NOT NULL AND shift <> 'off' THEN unixepoch(s_start)
       WHEN assigned = 1 AND shift IS NULL AND working = 1 THEN unixepoch(date || ' ' || o_start) END AS h_start,
  CASE WHEN assigned = 1 AND shift IS NOT NULL AND shift <> 'off' THEN unixepoch(s_end)
       WHEN assigned = 1 AND shift IS NULL AND working = 1 THEN unixepoch(date || ' ' || o_end) END AS h_end
FROM grid;
CREATE INDEX temp.g2_key ON g2(nip, date);

-- Scans. A rostered employee's scan belongs to the shift (started the day before, on
-- its date or the day after) whose window holds it and whose start (check-in) or end
-- (check-out) is nearest, the earlier on a tie; otherwise to its own date.
CREATE TEMP TABLE clk AS
SELECT rowid AS cid, nip, unixepoch(at) AS at, substr(at, 1, 10) AS sdate, direction FROM clock_events;

CREATE TEMP TABLE attr AS
SELECT cid, date FROM (
  SELECT c.cid, r.date,
    ROW_NUMBER() OVER (PARTITION BY c.cid ORDER BY
      abs(c.at - CASE WHEN c.direction = 'in' THEN unixepoch(r.start) ELSE unixepoch(r."end") END), r.date) AS rn
  FROM clk c
  JOIN employees e ON e.nip = c.nip AND e.rostered = 1
  JOIN roster r ON r.nip = c.nip AND r.shift <> 'off'
    AND r.date IN (date(c.sdate, '-1 day'), c.sdate, date(c.sdate, '+1 day'))
  CROSS JOIN p
  WHERE c.at BETWEEN unixepoch(r.start) - p.shift_margin_minutes * 60 AND unixepoch(r."end") + p.shift_margin_minutes * 60
) WHERE rn = 1;

-- Each judged day's earliest check-in and latest check-out: a shift's inside its
-- window, an office day's dated that day.
CREATE TEMP TABLE dscan AS
SELECT g.nip, g.date,
  MIN(CASE WHEN c.direction = 'in' THEN c.at END) AS cin,
  MAX(CASE WHEN c.direction = 'out' THEN c.at END) AS cout
FROM clk c
LEFT JOIN attr a ON a.cid = c.cid
JOIN g2 g ON g.nip = c.nip AND g.date = COALESCE(a.date, c.sdate) AND (g.plan_shift = 1 OR g.office = 1)
CROSS JOIN p
WHERE CASE WHEN g.plan_shift = 1
  THEN c.at BETWEEN g.h_start - p.shift_margin_minutes * 60 AND g.h_end + p.shift_margin_minutes * 60
  ELSE c.sdate = g.date END
GROUP BY g.nip, g.date;

-- Absences by day: the first recorded judges the day; any reducing kind reduces the target.
CREATE TEMP TABLE absday AS
SELECT a.seq, a.nip, a.kind, a.replaces, d.date, k.reduces_target
FROM absences a JOIN calendar d ON d.date BETWEEN a.start AND a."end" JOIN absence_kinds k ON k.code = a.kind;
CREATE TEMP TABLE firstabs AS
SELECT nip, date, kind, replaces FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY nip, date ORDER BY seq) AS rn FROM absday
) WHERE rn = 1;
CREATE TEMP TABLE reduced AS SELECT DISTINCT nip, date FROM absday WHERE reduces_target = 1;

-- Judging each day.
CREATE TEMP TABLE j1 AS
SELECT g.nip, g.date, g.assigned, g.own_working, g.office, (g.plan_shift = 1 OR g.office = 1) AS judged,
  (r.nip IS NOT NULL) AS reduced, fa.kind,
  CASE WHEN fa.kind = 'off_site_half_day' THEN fa.replaces END AS off_site,
  s.cin, s.cout, g.h_start, g.h_end
FROM g2 g
LEFT JOIN dscan s ON s.nip = g.nip AND s.date = g.date
LEFT JOIN firstabs fa ON fa.nip = g.nip AND fa.date = g.date
LEFT JOIN reduced r ON r.nip = g.nip AND r.date = g.date;

CREATE TEMP TABLE j2 AS
SELECT j.*,
  CASE WHEN judged = 0 THEN 'none'
       WHEN kind = 'unexcused' THEN 'tk'
       WHEN kind IS NOT NULL AND kind <> 'off_site_half_day' THEN 'excused'
       WHEN cin IS NULL AND cout IS NULL AND off_site IS NULL THEN 'tk'
       ELSE 'present' END AS st0,
  CASE WHEN cin - h_start <= 0 OR cin - h_start <= p.late_grace_seconds THEN 0
       WHEN p.minutes_started = 1 THEN (cin - h_start + 59) / 60 ELSE (cin - h_start) / 60 END AS late_m,
  CASE WHEN h_end - cout <= 0 OR h_end - cout <= p.early_grace_seconds THEN 0
       WHEN p.minutes_started = 1 THEN (h_end - cout + 59) / 60 ELSE (h_end - cout) / 60 END AS early_m
FROM j1 j CROSS JOIN p;

CREATE TEMP TABLE j3 AS
SELECT j.*,
  (st0 = 'present' AND (
     (COALESCE(off_site, '') <> 'in' AND cin IS NULL AND p.missing_in_absent = 1)
  OR (COALESCE(off_site, '') <> 'out' AND cout IS NULL AND p.missing_out_absent = 1))) AS absent_rule,
  CASE WHEN st0 <> 'present' OR COALESCE(off_site, '') = 'in' THEN 0
       WHEN cin IS NULL THEN 4
       WHEN late_m <= 0 THEN 0 WHEN late_m <= p.band1_max THEN 1 WHEN late_m <= p.band2_max THEN 2
       WHEN late_m <= p.band3_max THEN 3 ELSE 4 END AS lb,
  CASE WHEN st0 <> 'present' OR COALESCE(off_site, '') = 'out' THEN 0
       WHEN cout IS NULL THEN 4
       WHEN early_m <= 0 THEN 0 WHEN early_m <= p.band1_max THEN 1 WHEN early_m <= p.band2_max THEN 2
       WHEN early_m <= p.band3_max THEN 3 ELSE 4 END AS eb
FROM j2 j CROSS JOIN p;

CREATE TEMP TABLE days AS
SELECT nip, date, assigned, own_working, office, reduced, kind, off_site,
  CASE WHEN absent_rule THEN 'tk' ELSE st0 END AS status,
  CASE WHEN absent_rule THEN 0 ELSE lb END AS lb,
  CASE WHEN absent_rule THEN 0 ELSE eb END AS eb
FROM j3;

-- Roll calls: the last mark of a day and kind holds (within a list, `absent` after
-- `attended`); held on office days; missed when present, unmarked attended, and not
-- excused by an off-site half day replacing that half's scan.
CREATE TEMP TABLE lastmark AS
SELECT nip, date, kind, mark FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY nip, date, kind ORDER BY seq DESC, (mark = 'absent') DESC) AS rn FROM roll_calls
) WHERE rn = 1;
CREATE INDEX temp.lastmark_key ON lastmark(nip, date, kind);

CREATE TEMP TABLE rollmiss AS
SELECT d.nip,
  SUM(p.rollcall_morning = 1 AND d.office = 1 AND d.status = 'present' AND COALESCE(d.off_site, '') <> 'in'
      AND NOT EXISTS (SELECT 1 FROM lastmark m WHERE m.nip = d.nip AND m.date = d.date AND m.kind = 'morning' AND m.mark = 'attended')) AS morning,
  SUM(p.rollcall_afternoon = 1 AND d.office = 1 AND d.status = 'present' AND COALESCE(d.off_site, '') <> 'out'
      AND NOT EXISTS (SELECT 1 FROM lastmark m WHERE m.nip = d.nip AND m.date = d.date AND m.kind = 'afternoon' AND m.mark = 'attended')) AS afternoon,
  SUM(d.office = 1 AND d.status = 'present' AND d.date IN (SELECT date FROM ceremonies)
      AND NOT EXISTS (SELECT 1 FROM lastmark m WHERE m.nip = d.nip AND m.date = d.date AND m.kind = 'ceremony' AND m.mark = 'attended')) AS ceremony
FROM days d CROSS JOIN p
GROUP BY d.nip;

-- The month per employee: working and assigned days, target days, attendance.
CREATE TEMP TABLE month AS
SELECT nip,
  SUM(own_working) AS cal_days,
  SUM(assigned = 1 AND own_working = 1) AS a_days,
  SUM(assigned = 1 AND own_working = 1 AND reduced = 0) AS t_days,
  SUM(status = 'tk') AS tk,
  SUM(lb = 1) AS l1, SUM(lb = 2) AS l2, SUM(lb = 3) AS l3, SUM(lb = 4) AS l4,
  SUM(eb = 1) AS e1, SUM(eb = 2) AS e2, SUM(eb = 3) AS e3, SUM(eb = 4) AS e4
FROM days GROUP BY nip;

-- Whole-day excused absences by kind, and off-site half days on present days.
CREATE TEMP TABLE excused AS
SELECT nip, kind AS code, COUNT(*) AS n FROM days WHERE status = 'excused' GROUP BY nip, kind
UNION ALL
SELECT nip, 'off_site_half_day', COUNT(*) FROM days WHERE status = 'present' AND off_site IS NOT NULL GROUP BY nip;

-- Verified minutes: approved entries (and submitted ones when pending entries count),
-- each worth quantity x standard minutes capped by its time span, each day capped.
CREATE TEMP TABLE vday AS
SELECT nip, date, SUM(CASE WHEN p.cap_by_time_span = 1 THEN MIN(q * standard_minutes, MAX(span, 0)) ELSE q * standard_minutes END) AS m
FROM (
  SELECT nip, date, status, standard_minutes,
    CASE WHEN status = 'approved' AND approved_quantity IS NOT NULL THEN approved_quantity ELSE quantity END AS q,
    ((CAST(substr("end", 1, 2) AS INTEGER) * 3600 + CAST(substr("end", 4, 2) AS INTEGER) * 60 + CAST(substr("end", 7, 2) AS INTEGER))
   - (CAST(substr(start, 1, 2) AS INTEGER) * 3600 + CAST(substr(start, 4, 2) AS INTEGER) * 60 + CAST(substr(start, 7, 2) AS INTEGER))) / 60 AS span
  FROM activities
) a CROSS JOIN p
WHERE a.date <= p.last_day AND (a.status = 'approved' OR (a.status = 'submitted' AND p.pending_counts = 1))
GROUP BY nip, date;
CREATE TEMP TABLE verified AS
SELECT nip, SUM(CASE WHEN p.cap_daily = 1 THEN MIN(m, p.daily_cap_minutes) ELSE m END) AS v
FROM vday CROSS JOIN p GROUP BY nip;

-- Acting add-ons: office working days covered, the minimum, Plh and PPPK rules, the
-- highest first up to the limit (the earlier record on a tie).
CREATE TEMP TABLE acting AS
SELECT a.seq, a.nip, a.kind, e.employment,
  (2 * c.ceiling * p.acting_percent_bp + 10000) / 20000 AS amount,
  (SELECT COUNT(*) FROM calendar d WHERE d.working = 1
     AND d.date BETWEEN MAX(a."from", p.first_day) AND MIN(COALESCE(a.until, '9999-12-31'), p.last_day)) AS days
FROM assignments a CROSS JOIN p
JOIN positions po ON po.position = a.position
JOIN ceilings c ON c.job_class = po.job_class
JOIN employees e ON e.nip = a.nip
WHERE a.kind IN ('plt', 'plh');
CREATE TEMP TABLE acting_total AS
SELECT nip, SUM(amount) AS amount FROM (
  SELECT a.*, ROW_NUMBER() OVER (PARTITION BY nip ORDER BY amount DESC, seq) AS rn
  FROM acting a CROSS JOIN p
  WHERE a.days >= p.acting_min_days AND a.amount > 0
    AND (p.acting_pppk = 1 OR a.employment <> 'PPPK') AND (p.acting_plh = 1 OR a.kind <> 'plh')
) a CROSS JOIN p
WHERE p.acting_max_addons = 0 OR rn <= p.acting_max_addons
GROUP BY nip;

-- Sanctions in force this month: the largest cut.
CREATE TEMP TABLE cut AS
SELECT s.nip, MAX(COALESCE(l.cut_bp, 0)) AS cut_bp
FROM sanctions s LEFT JOIN sanction_levels l ON l.level = s.level CROSS JOIN p
WHERE (CAST(strftime('%Y', p.first_day) AS INTEGER) * 12 + CAST(strftime('%m', p.first_day) AS INTEGER))
    - (CAST(strftime('%Y', s.effective_from) AS INTEGER) * 12 + CAST(strftime('%m', s.effective_from) AS INTEGER))
    BETWEEN 0 AND s.months - 1
GROUP BY s.nip;

-- The salary in force: the latest record from on or before the month's last day.
CREATE TEMP TABLE salary AS
SELECT nip, salary FROM (
  SELECT s.nip, s.salary, ROW_NUMBER() OVER (PARTITION BY s.nip ORDER BY s."from" DESC, s.rowid DESC) AS rn
  FROM salaries s CROSS JOIN p WHERE s."from" <= p.last_day
) WHERE rn = 1;

-- The slip, step by step (the engine's steps 1-14).
CREATE TEMP TABLE s1 AS
SELECT pos.nip, e.employment, c.ceiling AS C, m.cal_days, m.a_days, m.t_days * p.daily_minutes AS target,
  COALESCE(v.v, 0) AS verified, m.tk, m.l1, m.l2, m.l3, m.l4, m.e1, m.e2, m.e3, m.e4,
  COALESCE(r.morning, 0) + COALESCE(r.afternoon, 0) AS roll, COALESCE(r.ceremony, 0) AS ceremony,
  COALESCE(at.amount, 0) AS acting, COALESCE(ct.cut_bp, 0) AS cut_bp, COALESCE(sa.salary, 0) AS salary,
  t.rate_bp AS tax_bp,
  CASE WHEN p.proration = 0 THEN c.ceiling
       WHEN m.cal_days = 0 THEN 0
       WHEN m.a_days < m.cal_days THEN (2 * c.ceiling * m.a_days + m.cal_days) / (2 * m.cal_days)
       ELSE c.ceiling END AS B
FROM pos CROSS JOIN p
JOIN employees e ON e.nip = pos.nip
JOIN positions po ON po.position = pos.position
JOIN ceilings c ON c.job_class = po.job_class
JOIN month m ON m.nip = pos.nip
JOIN tax_rates t ON t.scheme = e.tax_scheme AND t.golongan = e.golongan
LEFT JOIN verified v ON v.nip = pos.nip
LEFT JOIN rollmiss r ON r.nip = pos.nip
LEFT JOIN acting_total at ON at.nip = pos.nip
LEFT JOIN cut ct ON ct.nip = pos.nip
LEFT JOIN salary sa ON sa.nip = pos.nip;

CREATE TEMP TABLE s2 AS
SELECT s.*, CASE WHEN employment = 'CPNS' THEN B - (2 * B * (10000 - p.cpns_percent_bp) + 10000) / 20000 ELSE B END AS B1
FROM s1 s CROSS JOIN p;

CREATE TEMP TABLE s3 AS
SELECT s.*, (2 * B1 * p.weight_performance_bp + 10000) / 20000 AS perf FROM s2 s CROSS JOIN p;

CREATE TEMP TABLE s4 AS
SELECT s.*, B1 - perf AS D,
  CASE WHEN target = 0 THEN 0 ELSE (2 * perf * MIN(verified, target) + target) / (2 * target) END AS E
FROM s3 s;

CREATE TEMP TABLE absence_cut AS
SELECT s.nip, SUM((2 * s.D * k.deduct_bp * x.n + 10000) / 20000) AS amount
FROM s4 s JOIN excused x ON x.nip = s.nip JOIN absence_kinds k ON k.code = x.code AND k.deduct_bp <> 0
GROUP BY s.nip;

CREATE TEMP TABLE s5 AS
SELECT s.*,
    (2 * D * p.late1_bp * l1 + 10000) / 20000 + (2 * D * p.late2_bp * l2 + 10000) / 20000
  + (2 * D * p.late3_bp * l3 + 10000) / 20000 + (2 * D * p.late4_bp * l4 + 10000) / 20000
  + (2 * D * p.early1_bp * e1 + 10000) / 20000 + (2 * D * p.early2_bp * e2 + 10000) / 20000
  + (2 * D * p.early3_bp * e3 + 10000) / 20000 + (2 * D * p.early4_bp * e4 + 10000) / 20000
  + (2 * D * p.unexcused_bp * tk + 10000) / 20000
  + (2 * D * p.roll_call_bp * roll + 10000) / 20000
  + (2 * D * p.ceremony_bp * ceremony + 10000) / 20000
  + COALESCE(ac.amount, 0) AS deducted
FROM s4 s CROSS JOIN p LEFT JOIN absence_cut ac ON ac.nip = s.nip;

CREATE TEMP TABLE s6 AS
SELECT s.*, E + MAX(D - deducted, 0) AS S1 FROM s5 s;

CREATE TEMP TABLE s7 AS
SELECT s.*, S1 - (2 * S1 * cut_bp + 10000) / 20000 + acting AS gross FROM s6 s;

CREATE TEMP TABLE s8 AS
SELECT s.*, (2 * gross * tax_bp + 10000) / 20000 AS tax,
  (2 * (MIN(salary + gross, p.bpjs_cap) - MIN(salary, p.bpjs_cap)) * p.bpjs_bp + 10000) / 20000 AS contribution
FROM s7 s CROSS JOIN p;

CREATE TABLE result AS
SELECT nip, gross, -tax AS tax, -contribution AS contribution, gross - tax - contribution AS net FROM s8 ORDER BY nip;
