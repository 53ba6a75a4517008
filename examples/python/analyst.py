"""An analyst's month at a region's BKPSDM, scripted with the `kinerja` package.

1. Load the city (a dataset file, or a synthetic city of Banda Aceh's size).
2. Workload analysis (ABK): the staffing gap of every work unit.
3. Simulate the month's daily work through the ledger, then the monthly recap by unit.
4. Pay the month (TPP): the budget and the net by unit, one slip explained line by line.
5. Compare two policies, 60/40 (performance/discipline) against a draft 70/30, and show the
   budget impact by unit; save a bar chart of the change by unit (needs matplotlib).

Run:  python examples/python/analyst.py [--quick] [--dataset city.json] [--policy city.toml]...
      [--proposed policy/proposed-70-30.toml] [--chart out/tpp-what-if.png]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, Tuple, TypeVar

import kinerja

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]

# The draft regulation compared by default (the same as policy/proposed-70-30.toml), for
# when the example runs outside the repository.
PROPOSED_70_30 = """
[layer]
name = "Draft Perwal Kota Contoh 2026 (70/30)"
description = "Proposed change of the allowance weights, for a budget-impact study."

[[allowance.weight_performance]]
from = 2026-10-01
value = "70"
ref = "Rancangan Peraturan Wali Kota Contoh tentang Perubahan atas Perwal TPP, Pasal 8 (draft)"

[[allowance.weight_discipline]]
from = 2026-10-01
value = "30"
ref = "Rancangan Peraturan Wali Kota Contoh tentang Perubahan atas Perwal TPP, Pasal 8 (draft)"
"""


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


def month_recap(
    city: kinerja.City, policy: kinerja.Policy, month: str, seed: int
) -> Tuple[kinerja.MonthContext, kinerja.MonthlyRecap]:
    ctx = kinerja.MonthContext(city, policy, month)
    ledger, report = timed("simulate the month through the ledger", lambda: kinerja.simulate_month(ctx, seed=seed))
    refused = ", ".join(f"{code} {n:,}" for code, n in sorted(report.refused.items())) or "none"
    print(f"\nMonth {month}: {len(ledger):,} journal events, {ledger.entry_count:,} activity entries")
    print(f"  refused commands (the core's rules at work): {refused}")
    seq, digest = ledger.head
    print(f"  journal head: event {seq:,}, SHA-256 {digest[:16]}... (kept apart, it exposes a rewritten journal)")
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
    return ctx, recap


def rp(value: Decimal) -> str:
    """Rupiah for reading, whole rupiah, by the engine's one formatter (the amounts
    stay exact Decimals): ``Rp 6,500,000`` in this English report."""
    return kinerja.format_rupiah(Decimal(value).quantize(Decimal(1)), "en")


def percent(part: Decimal, whole: Decimal) -> str:
    return "-" if whole == 0 else fmt(part * 100 / whole, 1)


def pay_the_month(ctx: kinerja.MonthContext, recap: kinerja.MonthlyRecap, policy: kinerja.Policy) -> kinerja.Payroll:
    payroll = timed("pay the month", lambda: kinerja.pay_city(ctx, recap, policy, allow_unverified=True))
    slips = timed("slips as a table", lambda: payroll.slips)
    city = payroll.city
    print(f"\nAllowance (TPP) for {payroll.month}: {len(payroll):,} slips, {len(payroll.failures)} not paid")
    print(
        f"  budget: ceiling (pagu) {rp(city.ceiling)}, gross {rp(city.gross)} "
        f"({percent(city.gross, city.ceiling)} % of the ceiling), tax {rp(city.tax)}, "
        f"BPJS {rp(city.contribution)}, net paid {rp(city.net)}"
    )
    deductions = sorted(city.by_rule.items(), key=lambda kv: kv[1])[:5]
    print("  largest amounts taken off the ceiling: " + ", ".join(f"{rule} {rp(v)}" for rule, v in deductions))
    print_table(
        ["unit", "slips", "ceiling", "gross", "net", "net / ceiling %"],
        [
            [u["unit"], fmt(u["slips"]), rp(u["ceiling"]), rp(u["gross"]), rp(u["net"]), percent(u["net"], u["ceiling"])]
            for u in payroll.units.rows()
        ],
    )
    # One slip explained line by line: the employee with the most lines on their slip.
    lines = [sum(1 for r in payroll.rules if row[r] != 0) for row in slips.rows()]
    if lines:
        nip = slips["nip"][max(range(len(lines)), key=lines.__getitem__)]
        print("\n" + payroll.slip(nip).explain())
    return payroll


def save_chart(units: Sequence[str], deltas: Sequence[Decimal], path: Path, title: str) -> None:
    """A horizontal bar chart of the change of the net allowance by unit (PNG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        print(f"  (no chart: matplotlib is not installed; `pip install matplotlib` to get {path})")
        return
    values = [float(d) for d in deltas]  # for drawing only: the figures above stay exact
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.3 * len(units) + 1.2)))
    ax.barh(list(units), values, color=["#2e7d32" if v >= 0 else "#c62828" for v in values])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("change of the net allowance (Rp)")
    ax.set_title(title)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"  chart of the change by unit saved to {path}")


def load_proposed(policy: kinerja.Policy, path: Optional[Path]) -> kinerja.Policy:
    if path is not None:
        return policy.with_layer(kinerja.PolicyLayer.from_file(path))
    default = ROOT / "policy" / "proposed-70-30.toml"
    if default.exists():
        return policy.with_layer(kinerja.PolicyLayer.from_file(default))
    return policy.with_toml("proposed-70-30.toml", PROPOSED_70_30)


def compare_policies(
    ctx: kinerja.MonthContext,
    recap: kinerja.MonthlyRecap,
    policy: kinerja.Policy,
    proposed: kinerja.Policy,
    chart: Path,
) -> None:
    first_day = dt.date.fromisoformat(f"{ctx.month}-01")

    def weights(p: kinerja.Policy) -> str:
        """The performance/discipline split in force on the month's first day."""
        keys = ("allowance.weight_performance", "allowance.weight_discipline")
        return "/".join(str(p.resolve(k, first_day).value) for k in keys)

    now, label = weights(policy), weights(proposed)
    w = timed("what-if: the month paid under both policies", lambda: kinerja.what_if(ctx, recap, policy, proposed))
    c = w.city
    print(f"\nWhat-if for {w.month}: weights {now} now, {label} under {proposed.layers[-1].name!r}")
    print(
        f"  city: gross {rp(c.gross.before)} -> {rp(c.gross.after)} ({rp(c.gross.delta)}), "
        f"net {rp(c.net.before)} -> {rp(c.net.after)} ({rp(c.net.delta)}, {percent(c.net.delta, c.net.before)} %)"
    )
    moved = [
        (rule, w.after.by_rule.get(rule, Decimal(0)) - w.before.by_rule.get(rule, Decimal(0)))
        for rule in kinerja.ALLOWANCE_RULES
    ]
    print("  by rule: " + ", ".join(f"{rule} {rp(d)}" for rule, d in moved if d != 0))
    units = sorted(w.units.rows(), key=lambda u: u["net_delta"])
    print_table(
        ["unit", "employees", "net now", "net proposed", "change", "change %"],
        [
            [
                u["unit"] or "-",
                fmt(u["employees"]),
                rp(u["net_before"]),
                rp(u["net_after"]),
                rp(u["net_delta"]),
                percent(u["net_delta"], u["net_before"]),
            ]
            for u in units
        ],
    )
    e = w.employees
    gain = sum(1 for d in e["net_delta"] if d > 0)
    lose = sum(1 for d in e["net_delta"] if d < 0)
    print(f"  {gain:,} employees gain, {lose:,} lose, {len(e) - gain - lose:,} unchanged")
    save_chart(
        [u["unit"] or "-" for u in units],
        [u["net_delta"] for u in units],
        chart,
        f"TPP {w.month}: change of the net allowance by unit, {now} -> {label}",
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller synthetic city (12 units, 400 employees)")
    parser.add_argument("--dataset", type=Path, help="a city's dataset (JSON) instead of a synthetic city")
    parser.add_argument("--policy", type=Path, action="append", default=[], help="a policy layer (TOML), repeatable")
    parser.add_argument("--month", default="2026-10", help="the month, YYYY-MM (default 2026-10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic city and month")
    parser.add_argument(
        "--proposed", type=Path, help="the proposed policy layer (TOML; default policy/proposed-70-30.toml)"
    )
    parser.add_argument(
        "--chart", type=Path, help="where to save the what-if bar chart (PNG; default out/tpp-what-if-MONTH.png)"
    )
    args = parser.parse_args(argv)

    try:
        city = timed("load the city", lambda: load_city(args))
        policy = load_policy(args.policy)
        print(f"{city!r}; policy: {policy!r}")
        first_day = dt.date.fromisoformat(f"{args.month}-01")
        staffing_gap(city, policy, first_day)
        ctx, recap = month_recap(city, policy, args.month, args.seed)
        pay_the_month(ctx, recap, policy)
        chart = args.chart if args.chart is not None else Path("out") / f"tpp-what-if-{args.month}.png"
        compare_policies(ctx, recap, policy, load_proposed(policy, args.proposed), chart)
    except kinerja.KinerjaError as e:
        print(f"error [{e.code}]: {e}", file=sys.stderr)
        for p in e.problems:
            print(f"  {p.record} {p.id} {p.field}: {p.message} [{p.code}]", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
