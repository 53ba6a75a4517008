"""The month's allowance (TPP) as an analyst would script it in pandas, vectorised.

Reads the flat tables `kinerja export-tables` writes (one month's record: clock
events, activity entries, absences, roll calls, roster, calendar, employees,
assignments, salaries, sanctions and the policy values as numbers) and computes,
for every employee with a definitive position in the month, the slip's gross, tax,
health contribution and net under the national rules, the way Kinerja's engine
does (core/src/recap.rs, payroll.rs, allowance/): scans attributed to rostered
shifts, every working day judged (late/early bands, missing scans, absences,
unexcused days), roll calls missed, approved minutes per day under the caps, the
minute target and proration days, then the slip in whole rupiah with every amount
rounded half up when produced. Money is int64 rupiah and percentages hundredths of
a percent, so the arithmetic is exact (no floats).

    python3 benches/reference/tpp_pandas.py TABLES_DIR [--out result.csv]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

STR = {"nip": str, "position": str, "unit": str, "rank": str, "golongan": str, "level": str}


def load(directory: Path) -> dict[str, pd.DataFrame]:
    """Every table of the directory, NIPs and ids as text."""
    tables = {}
    for path in sorted(directory.glob("*.csv")):
        tables[path.stem] = pd.read_csv(path, dtype=STR, keep_default_na=False, na_values=[""])
    return tables


def seconds_of_day(times: pd.Series) -> pd.Series:
    """`HH:MM:SS` text as seconds after midnight (int64; empty cells as 0)."""
    t = times.fillna("00:00:00")
    return t.str.slice(0, 2).astype(np.int64) * 3600 + t.str.slice(3, 5).astype(np.int64) * 60 + t.str.slice(6, 8).astype(np.int64)


def rdiv(num, den):
    """num / den rounded half up, for num >= 0 and den > 0 (integers, vectorised)."""
    return (2 * num + den) // (2 * den)


def compute(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every paid employee's slip totals: nip, gross, tax, contribution, net (rupiah;
    tax and contribution negative, as on the slip)."""
    p = t["params"].iloc[0]
    P = {k: (int(v) if k not in ("month", "first_day", "last_day") else v) for k, v in p.items()}
    first, last = pd.Timestamp(P["first_day"]), pd.Timestamp(P["last_day"])

    cal = t["calendar"].copy()
    cal["date"] = pd.to_datetime(cal["date"])
    emp = t["employees"][["nip", "employment", "tax_scheme", "golongan", "rostered"]].copy()

    # --- definitive assignments: position of the month, assigned days ---------------
    asg = t["assignments"].copy()
    asg["from"] = pd.to_datetime(asg["from"])
    asg["until"] = pd.to_datetime(asg["until"]).fillna(pd.Timestamp("2262-04-01"))
    definitive = asg[asg["kind"] == "definitive"]
    in_month = definitive[(definitive["from"] <= last) & (definitive["until"] >= first)]
    # The last one by first day (the later record on a tie).
    pos = in_month.sort_values(["nip", "from", "seq"]).groupby("nip").tail(1)[["nip", "position"]]
    pos = pos.merge(t["positions"][["position", "job_class"]], on="position", how="left")

    # --- the employee x day grid ------------------------------------------------------
    grid = emp[["nip", "rostered"]].merge(cal, how="cross")
    spans = in_month[["nip", "from", "until"]].merge(cal[["date"]], how="cross")
    covered = spans[(spans["date"] >= spans["from"]) & (spans["date"] <= spans["until"])][["nip", "date"]]
    covered = covered.drop_duplicates().assign(assigned=1)
    grid = grid.merge(covered, on=["nip", "date"], how="left")
    grid["assigned"] = grid["assigned"].fillna(0).astype(int)

    roster = t["roster"].copy()
    roster["date"] = pd.to_datetime(roster["date"])
    roster["start_at"] = pd.to_datetime(roster["start"])
    roster["end_at"] = pd.to_datetime(roster["end"])
    grid = grid.merge(roster[["nip", "date", "shift", "start_at", "end_at"]], on=["nip", "date"], how="left")
    is_shift = grid["shift"].notna() & (grid["shift"] != "off")
    is_off = grid["shift"] == "off"
    # The employee's own working days: a shift is one, a rostered day off is not.
    grid["own_working"] = np.where(is_shift, 1, np.where(is_off, 0, grid["working"]))
    assigned = grid["assigned"] == 1
    plan_shift = assigned & is_shift
    plan_none = assigned & grid["shift"].isna()
    office = plan_none & (grid["working"] == 1)
    grid["office"] = office.astype(int)
    grid["judged"] = (plan_shift | office).astype(int)
    day_start = grid["date"] + pd.to_timedelta(seconds_of_day(grid["start"]), unit="s")
    day_end = grid["date"] + pd.to_timedelta(seconds_of_day(grid["end"]), unit="s")
    grid["h_start"] = np.where(plan_shift, grid["start_at"], day_start)
    grid["h_end"] = np.where(plan_shift, grid["end_at"], day_end)
    grid["h_start"] = pd.to_datetime(grid["h_start"])
    grid["h_end"] = pd.to_datetime(grid["h_end"])
    grid["plan_shift"] = plan_shift.astype(int)

    # --- scans: which day each belongs to -----------------------------------------------
    clk = t["clock_events"].copy()
    clk["at"] = pd.to_datetime(clk["at"])
    clk["sdate"] = clk["at"].dt.normalize()
    clk["cid"] = np.arange(len(clk))
    margin = pd.Timedelta(minutes=P["shift_margin_minutes"])
    rostered_nips = emp.loc[emp["rostered"] == 1, "nip"]
    shifts = roster[roster["shift"] != "off"][["nip", "date", "start_at", "end_at"]]
    rc = clk[clk["nip"].isin(rostered_nips)]
    cand = []
    for offset in (-1, 0, 1):
        c = rc.assign(date=rc["sdate"] + pd.Timedelta(days=offset), order=offset).merge(shifts, on=["nip", "date"])
        c = c[(c["at"] >= c["start_at"] - margin) & (c["at"] <= c["end_at"] + margin)]
        anchor = np.where(c["direction"] == "in", c["start_at"], c["end_at"])
        c = c.assign(gap=(c["at"] - pd.to_datetime(anchor)).abs())
        cand.append(c[["cid", "date", "gap", "order"]])
    cand = pd.concat(cand).sort_values(["cid", "gap", "order"]).drop_duplicates("cid")
    clk = clk.merge(cand[["cid", "date"]].rename(columns={"date": "attr"}), on="cid", how="left")
    clk["attr"] = clk["attr"].fillna(clk["sdate"])

    sc = clk.merge(grid.loc[grid["judged"] == 1, ["nip", "date", "plan_shift", "h_start", "h_end"]],
                   left_on=["nip", "attr"], right_on=["nip", "date"])
    in_window = (sc["at"] >= sc["h_start"] - margin) & (sc["at"] <= sc["h_end"] + margin)
    same_day = sc["sdate"] == sc["date"]
    sc = sc[np.where(sc["plan_shift"] == 1, in_window, same_day)]
    cin = sc[sc["direction"] == "in"].groupby(["nip", "date"])["at"].min().rename("check_in")
    cout = sc[sc["direction"] == "out"].groupby(["nip", "date"])["at"].max().rename("check_out")
    grid = grid.merge(cin, on=["nip", "date"], how="left").merge(cout, on=["nip", "date"], how="left")

    # --- absences ---------------------------------------------------------------------
    ab = t["absences"].copy()
    ab["start"] = pd.to_datetime(ab["start"])
    ab["end"] = pd.to_datetime(ab["end"])
    ab = ab.merge(cal[["date"]], how="cross")
    ab = ab[(ab["date"] >= ab["start"]) & (ab["date"] <= ab["end"])]
    ab = ab.merge(t["absence_kinds"], left_on="kind", right_on="code", how="left")
    first_abs = ab.sort_values("seq").drop_duplicates(["nip", "date"])[["nip", "date", "kind", "replaces"]]
    reduced = ab[ab["reduces_target"] == 1][["nip", "date"]].drop_duplicates().assign(reduced=1)
    grid = grid.merge(first_abs, on=["nip", "date"], how="left").merge(reduced, on=["nip", "date"], how="left")
    grid["reduced"] = grid["reduced"].fillna(0).astype(int)

    # --- judging each day -------------------------------------------------------------
    judged = grid["judged"] == 1
    kind = grid["kind"]
    off_site = np.where(kind == "off_site_half_day", grid["replaces"], None)
    off_in, off_out = off_site == "in", off_site == "out"
    has_in, has_out = grid["check_in"].notna(), grid["check_out"].notna()
    tk = judged & ((kind == "unexcused") | (kind.isna() & ~has_in & ~has_out))
    excused = judged & kind.notna() & (kind != "unexcused") & (kind != "off_site_half_day")
    present = judged & ~tk & ~excused

    def minutes(seconds, grace):
        seconds = seconds.fillna(0).astype(np.int64)
        counted = (seconds + 59) // 60 if P["minutes_started"] else seconds // 60
        return np.where((seconds <= 0) | (seconds <= grace), 0, counted)

    def band(m):
        return np.select([m <= 0, m <= P["band1_max"], m <= P["band2_max"], m <= P["band3_max"]], [0, 1, 2, 3], 4)

    late_s = (grid["check_in"] - grid["h_start"]).dt.total_seconds()
    early_s = (grid["h_end"] - grid["check_out"]).dt.total_seconds()
    late_band = np.where(has_in, band(minutes(late_s, P["late_grace_seconds"])), 4)
    early_band = np.where(has_out, band(minutes(early_s, P["early_grace_seconds"])), 4)
    judge_in = present & ~off_in
    judge_out = present & ~off_out
    absent_rule = (judge_in & ~has_in & bool(P["missing_in_absent"])) | (judge_out & ~has_out & bool(P["missing_out_absent"]))
    tk = tk | absent_rule
    present = present & ~absent_rule
    grid["late_band"] = np.where(present & ~off_in, late_band, 0)
    grid["early_band"] = np.where(present & ~off_out, early_band, 0)
    grid["present"] = present.astype(int)
    grid["tk"] = tk.astype(int)
    grid["excused_kind"] = np.where(excused, kind, None)
    grid["off_site_day"] = (present & (off_in | off_out)).astype(int)

    # --- roll calls -------------------------------------------------------------------
    marks = t["roll_calls"].copy()
    marks["date"] = pd.to_datetime(marks["date"])
    marks["phase"] = (marks["mark"] == "absent").astype(int)
    marks = marks.sort_values(["seq", "phase"]).drop_duplicates(["nip", "date", "kind"], keep="last")
    marks = marks.assign(att=(marks["mark"] == "attended").astype(int))
    ceremony_days = pd.to_datetime(t["ceremonies"]["date"]) if len(t["ceremonies"]) else pd.Series([], dtype="datetime64[ns]")
    missed = {}
    for rk, enabled in (("morning", grid["office"] == 1 if P["rollcall_morning"] else pd.Series(False, index=grid.index)),
                        ("afternoon", grid["office"] == 1 if P["rollcall_afternoon"] else pd.Series(False, index=grid.index)),
                        ("ceremony", (grid["office"] == 1) & grid["date"].isin(ceremony_days))):
        m = marks[marks["kind"] == rk][["nip", "date", "att"]]
        att = grid[["nip", "date"]].merge(m, on=["nip", "date"], how="left")["att"].fillna(0).to_numpy() == 1
        miss = enabled.to_numpy() & ~excused.to_numpy() & ~tk.to_numpy() & ~att
        if rk == "morning":
            miss &= ~(present.to_numpy() & off_in)
        if rk == "afternoon":
            miss &= ~(present.to_numpy() & off_out)
        grid[f"miss_{rk}"] = miss.astype(int)

    # --- month totals per employee ----------------------------------------------------
    grid["a_days"] = ((grid["assigned"] == 1) & (grid["own_working"] == 1)).astype(int)
    grid["t_days"] = grid["a_days"] * (1 - grid["reduced"])
    agg = {"own_working": "sum", "a_days": "sum", "t_days": "sum", "present": "sum", "tk": "sum",
           "miss_morning": "sum", "miss_afternoon": "sum", "miss_ceremony": "sum", "off_site_day": "sum"}
    for b in range(1, 5):
        grid[f"late{b}"] = (grid["late_band"] == b).astype(int)
        grid[f"early{b}"] = (grid["early_band"] == b).astype(int)
        agg[f"late{b}"] = "sum"
        agg[f"early{b}"] = "sum"
    month = grid.groupby("nip").agg(agg).reset_index()
    ex = grid[grid["excused_kind"].notna()].groupby(["nip", "excused_kind"]).size().unstack(fill_value=0)
    kinds = t["absence_kinds"]

    # --- verified minutes -------------------------------------------------------------
    act = t["activities"]
    act = act[pd.to_datetime(act["date"]) <= last]
    approved = act["status"] == "approved"
    counts = approved | ((act["status"] == "submitted") & bool(P["pending_counts"]))
    act = act[counts]
    q = np.where((act["status"] == "approved") & act["approved_quantity"].notna(), act["approved_quantity"].fillna(0), act["quantity"])
    product = q.astype(np.int64) * act["standard_minutes"].astype(np.int64).to_numpy()
    if P["cap_by_time_span"]:
        span = np.maximum((seconds_of_day(act["end"]) - seconds_of_day(act["start"])) // 60, 0).to_numpy()
        product = np.minimum(product, span)
    daily = pd.DataFrame({"nip": act["nip"].to_numpy(), "date": act["date"].to_numpy(), "m": product})
    daily = daily.groupby(["nip", "date"])["m"].sum()
    if P["cap_daily"]:
        daily = daily.clip(upper=P["daily_cap_minutes"])
    verified = daily.groupby("nip").sum().rename("verified")

    # --- acting add-ons ---------------------------------------------------------------
    acting = asg[asg["kind"].isin(["plt", "plh"])].copy()
    acting["a"] = acting["from"].clip(lower=first)
    acting["b"] = acting["until"].clip(upper=last)
    working_dates = cal.loc[cal["working"] == 1, "date"]
    acting = acting.merge(working_dates.to_frame(), how="cross")
    acting["in"] = ((acting["date"] >= acting["a"]) & (acting["date"] <= acting["b"])).astype(int)
    acting = acting.groupby(["seq", "nip", "position", "kind"])["in"].sum().rename("days").reset_index()
    acting = acting.merge(t["positions"][["position", "job_class"]], on="position")
    acting = acting.merge(t["ceilings"], on="job_class")
    acting = acting.merge(emp[["nip", "employment"]], on="nip")
    ok = acting["days"] >= P["acting_min_days"]
    if not P["acting_pppk"]:
        ok &= acting["employment"] != "PPPK"
    if not P["acting_plh"]:
        ok &= acting["kind"] != "plh"
    acting = acting[ok].assign(amount=lambda d: rdiv(d["ceiling"].astype(np.int64) * P["acting_percent_bp"], 10000))
    acting = acting[acting["amount"] > 0].sort_values(["nip", "amount", "seq"], ascending=[True, False, True])
    if P["acting_max_addons"] > 0:
        acting = acting.groupby("nip").head(P["acting_max_addons"])
    acting_total = acting.groupby("nip")["amount"].sum().rename("acting")

    # --- sanctions --------------------------------------------------------------------
    san = t["sanctions"].merge(t["sanction_levels"], on="level", how="left")
    ym = first.year * 12 + first.month - 1
    eff = pd.to_datetime(san["effective_from"])
    off = ym - (eff.dt.year * 12 + eff.dt.month - 1)
    san = san[(off >= 0) & (off < san["months"].astype(int))]
    cut = san.groupby("nip")["cut_bp"].max().rename("cut_bp")

    # --- salaries ---------------------------------------------------------------------
    sal = t["salaries"].copy()
    sal = sal[pd.to_datetime(sal["from"]) <= last].sort_values(["nip", "from"], kind="stable")
    salary = sal.groupby("nip").tail(1).set_index("nip")["salary"].rename("salary")

    # --- the slip ---------------------------------------------------------------------
    s = pos.merge(month, on="nip", how="left").merge(emp, on="nip", how="left")
    s = s.merge(t["ceilings"], on="job_class", how="left")
    for col, series in (("verified", verified), ("acting", acting_total), ("cut_bp", cut), ("salary", salary)):
        s = s.merge(series, left_on="nip", right_index=True, how="left")
        s[col] = s[col].fillna(0).astype(np.int64)
    s = s.merge(t["tax_rates"], left_on=["tax_scheme", "golongan"], right_on=["scheme", "golongan"], how="left")
    i64 = lambda c: s[c].astype(np.int64).to_numpy()  # noqa: E731
    C, cal_days, a_days = i64("ceiling"), i64("own_working"), i64("a_days")
    target = i64("t_days") * P["daily_minutes"]
    if P["proration"]:
        B = np.where(cal_days == 0, 0, np.where(a_days < cal_days, rdiv(C * a_days, np.maximum(cal_days, 1)), C))
    else:
        B = C
    cpns = (s["employment"] == "CPNS").to_numpy()
    B1 = np.where(cpns, B - rdiv(B * (10000 - P["cpns_percent_bp"]), 10000), B)
    perf = rdiv(B1 * P["weight_performance_bp"], 10000)
    D = B1 - perf
    counted = np.minimum(i64("verified"), target)
    E = np.where(target == 0, 0, rdiv(perf * counted, np.maximum(target, 1)))
    ded = np.zeros(len(s), dtype=np.int64)
    for b in range(1, 5):
        ded += rdiv(D * P[f"late{b}_bp"] * i64(f"late{b}"), 10000)
        ded += rdiv(D * P[f"early{b}_bp"] * i64(f"early{b}"), 10000)
    ded += rdiv(D * P["unexcused_bp"] * i64("tk"), 10000)
    ded += rdiv(D * P["roll_call_bp"] * (i64("miss_morning") + i64("miss_afternoon")), 10000)
    ded += rdiv(D * P["ceremony_bp"] * i64("miss_ceremony"), 10000)
    excused_days = ex.reindex(s["nip"]).fillna(0)
    for code, rate in zip(kinds["code"], kinds["deduct_bp"].astype(int)):
        if rate == 0:
            continue
        n = excused_days[code].to_numpy(dtype=np.int64) if code in excused_days else np.zeros(len(s), dtype=np.int64)
        if code == "off_site_half_day":
            n = i64("off_site_day")
        ded += rdiv(D * rate * n, 10000)
    S1 = E + np.maximum(D - ded, 0)
    S3 = S1 - rdiv(S1 * i64("cut_bp"), 10000)
    gross = S3 + i64("acting")
    tax = rdiv(gross * i64("rate_bp"), 10000)
    salary_v, cap = i64("salary"), P["bpjs_cap"]
    base = np.minimum(salary_v + gross, cap) - np.minimum(salary_v, cap)
    contribution = rdiv(base * P["bpjs_bp"], 10000)
    net = gross - tax - contribution
    # Signed as on Kinerja's slip: tax and contribution are negative lines.
    return pd.DataFrame({"nip": s["nip"], "gross": gross, "tax": -tax, "contribution": -contribution, "net": net})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tables", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--runs", type=int, default=1, help="time the computation this many times (best is printed)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    t = load(args.tables)
    load_ms = (time.perf_counter() - t0) * 1000
    best = None
    for _ in range(max(args.runs, 1)):
        t1 = time.perf_counter()
        result = compute(t)
        ms = (time.perf_counter() - t1) * 1000
        best = ms if best is None else min(best, ms)
    if args.out:
        result.to_csv(args.out, index=False)
    print(f"pandas: {len(result)} slips, load {load_ms:.1f} ms, compute {best:.1f} ms (best of {args.runs})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
