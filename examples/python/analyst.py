"""An analyst's month at a region's BKPSDM, scripted with the `kinerja` package.

1. Load the city (a dataset file, or a synthetic city of Banda Aceh's size).
2. Workload analysis (ABK): the staffing gap of every work unit.
3. Simulate the month's daily work through the ledger, then the monthly recap by unit.
4. (Coming with the allowance API) pay the month and compare two policies.

Run:  python examples/python/analyst.py [--quick] [--dataset city.json] [--policy city.toml]...
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, TypeVar

import kinerja

T = TypeVar("T")


def timed(label: str, f: Callable[[], T]) -> T:
    """Runs `f` and prints how long it took."""
    start = time.perf_counter()
    result = f()
    print(f"  [{label}: {(time.perf_counter() - start) * 1000:.0f} ms]")
    return result


def fmt(value: Any, places: int = 2) -> str:
    """A cell for printing: decimals rounded for display only (the data stay exact)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal(1).scaleb(-places)) + 0:,}"  # + 0: no "-0.0"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  " + "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    for r in rows:
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


def load_city(args: argparse.Namespace) -> kinerja.City:
    if args.dataset is not None:
        return kinerja.City.from_file(args.dataset)
    if args.quick:
        return kinerja.generate_city(seed=args.seed, units=12, employees=400, year=2026)
    return kinerja.generate_city(seed=args.seed)  # 39 units, 5,925 employees


def load_policy(files: List[Path]) -> kinerja.Policy:
    policy = kinerja.Policy.national()
    for path in files:
        policy = policy.with_layer(kinerja.PolicyLayer.from_file(path))
    return policy


def staffing_gap(city: kinerja.City, policy: kinerja.Policy, date: dt.date) -> None:
    abk = timed("workload analysis", lambda: city.workload_analysis(policy, date))
    print(f"\nWorkload analysis (ABK) on {date}: {abk.effective_minutes_per_year:,} effective minutes a year")
    units = sorted(abk.units.rows(), key=lambda u: u["gap"], reverse=True)
    print_table(
        ["unit", "positions", "needed (FTE)", "headcount", "gap", "EU", "grade"],
        [
            [
                u["unit"],
                fmt(u["positions"]),
                fmt(u["required_staff"], 1),
                fmt(u["headcount"]),
                fmt(u["gap"], 1),
                fmt(u["efficiency"]),
                fmt(u["grade"]),
            ]
            for u in units
        ],
    )
    t = abk.total
    grade = t.grade.value if t.grade is not None else "-"
    print(
        f"  city: needs {fmt(t.required_staff, 1)} staff, has {t.headcount:,} "
        f"(gap {fmt(t.gap, 1)}), EU {fmt(t.efficiency)} grade {grade}"
    )
    understaffed = [u["unit"] for u in units if u["gap"] > 0]
    print(f"  understaffed units: {', '.join(understaffed) if understaffed else 'none'}")


def month_recap(city: kinerja.City, policy: kinerja.Policy, month: str, seed: int) -> kinerja.MonthlyRecap:
    ctx = kinerja.MonthContext(city, policy, month)
    ledger, report = timed("simulate the month through the ledger", lambda: kinerja.simulate_month(ctx, seed=seed))
    refused = ", ".join(f"{code} {n:,}" for code, n in sorted(report.refused.items())) or "none"
    print(f"\nMonth {month}: {len(ledger):,} journal events, {ledger.entry_count:,} activity entries")
    print(f"  refused commands (the core's rules at work): {refused}")
    recap = timed("monthly recap", ledger.recap)
    print(f"\nMonthly recap as of {recap.as_of} (verification deadline {recap.deadline}):")
    print_table(
        ["unit", "employees", "target min", "verified min", "mean ach. %", "pending", "late", "TK days", "roll calls missed"],
        [
            [
                u["unit"],
                fmt(u["employees"]),
                fmt(u["target_minutes"]),
                fmt(u["verified_minutes"]),
                fmt(u["mean_achievement_percent"], 1),
                fmt(u["entries_pending"]),
                fmt(u["late_count"]),
                fmt(u["unexcused_days"]),
                fmt(u["roll_calls_missed"]),
            ]
            for u in recap.units.rows()
        ],
    )
    emp = recap.employees
    with_target = [a for a in emp["achievement_percent"] if a is not None]
    full = sum(1 for a in with_target if a == 100)
    print(f"  {len(emp):,} employees; {full:,} of {len(with_target):,} with a target reached 100 %")
    return recap


def pay_the_month(recap: kinerja.MonthlyRecap, policy: kinerja.Policy) -> None:
    # ---------------------------------------------------------------------------
    # TODO(allowance API, issue 5): pay the month and compare two policies.
    #
    # When the core's allowance (TPP) module lands, this is where the analyst will:
    #   * pay the month from `recap` under `policy` (every line explained, with the
    #     legal reference of each rule), as a kinerja.Table per employee;
    #   * compare a 60/40 split (performance / discipline) with a 70/30 split by
    #     layering a city policy file over the national baseline, and print the
    #     difference per work unit.
    # Nothing is computed here until then: the rules belong to the core.
    # ---------------------------------------------------------------------------
    print("\nPaying the month (TPP) and comparing 60/40 with 70/30: waits for the allowance API.")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller synthetic city (12 units, 400 employees)")
    parser.add_argument("--dataset", type=Path, help="a city's dataset (JSON) instead of a synthetic city")
    parser.add_argument("--policy", type=Path, action="append", default=[], help="a policy layer (TOML), repeatable")
    parser.add_argument("--month", default="2026-10", help="the month, YYYY-MM (default 2026-10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic city and month")
    args = parser.parse_args(argv)

    try:
        city = timed("load the city", lambda: load_city(args))
        policy = load_policy(args.policy)
        print(f"{city!r}; policy: {policy!r}")
        first_day = dt.date.fromisoformat(f"{args.month}-01")
        staffing_gap(city, policy, first_day)
        recap = month_recap(city, policy, args.month, args.seed)
        pay_the_month(recap, policy)
    except kinerja.KinerjaError as e:
        print(f"error [{e.code}]: {e}", file=sys.stderr)
        for p in e.problems:
            print(f"  {p.record} {p.id} {p.field}: {p.message} [{p.code}]", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
