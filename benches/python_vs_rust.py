#!/usr/bin/env python3
"""Python batch calls against the same call in Rust, side by side in one process.

    python3 benches/python_vs_rust.py [--employees 2000] [--units 20] [--repeat 7]

For the month's recap (``Ledger.recap()``) and payroll (``kinerja.pay_city``) it times
the Python call and the core's Rust call alone (``_kinerja._time_native_recap`` /
``_time_native_pay_city``: the same compiled engine, no Python object made), and prints
both, the ratio and whether it is within 1.2x (issue 15). It also times what an
analyst does next: reading the slips table into pyarrow (zero-copy through the Arrow
PyCapsule stream) and converting one column to Python values. Run it on the installed
release wheel (scripts/build-wheel.sh): a debug build is not a measurement.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable, List

import kinerja
from kinerja import _kinerja


def timed(f: Callable[[], object], repeat: int) -> List[float]:
    """Seconds of each call; the results are kept until every run is timed (as the
    Rust timing keeps its own), so that freeing them is not counted as the call."""
    out = []
    kept = []
    for _ in range(repeat):
        start = time.perf_counter()
        kept.append(f())
        out.append(time.perf_counter() - start)
    del kept
    return out


def line(name: str, rust: List[float], python: List[float]) -> bool:
    r, p = statistics.median(rust), statistics.median(python)
    ratio = p / r if r > 0 else float("inf")
    ok = ratio <= 1.2
    print(
        f"{name:<12} rust {r * 1000:9.2f} ms (min {min(rust) * 1000:8.2f})   "
        f"python {p * 1000:9.2f} ms (min {min(python) * 1000:8.2f})   "
        f"ratio {ratio:5.3f} (of the mins {min(python) / min(rust):5.3f})  {'within 1.2x' if ok else 'OVER 1.2x'}"
    )
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=2000)
    ap.add_argument("--units", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--month", default="2026-10")
    args = ap.parse_args()

    t0 = time.perf_counter()
    city = kinerja.generate_city(seed=11, units=args.units, employees=args.employees)
    policy = kinerja.Policy.national()
    ctx = kinerja.MonthContext(city, policy, args.month)
    ledger, _ = kinerja.simulate_month(ctx, seed=5)
    print(
        f"city: {len(city.employees)} employees, {len(city.units)} units, month {args.month} "
        f"(generated and simulated in {time.perf_counter() - t0:.1f} s); median of {args.repeat} runs"
    )

    # Warm up both paths once (allocator, imported modules, cached classes).
    recap = ledger.recap()
    kinerja.pay_city(ctx, recap, allow_unverified=True)

    ok = True
    rust = _kinerja._time_native_recap(ledger, args.repeat)
    python = timed(lambda: ledger.recap(), args.repeat)
    ok &= line("recap", rust, python)

    rust = _kinerja._time_native_pay_city(ctx, recap, args.repeat)
    python = timed(lambda: kinerja.pay_city(ctx, recap, allow_unverified=True), args.repeat)
    ok &= line("pay_city", rust, python)

    payroll = kinerja.pay_city(ctx, recap, allow_unverified=True)
    print(f"slips: {len(payroll.slips)} rows x {len(payroll.slips.columns)} columns")
    # Freeing a city's payroll (the core's slips: lines, explanations, inputs) is
    # counted on neither side above; it is the same Rust drop either way.
    frees = []
    for _ in range(args.repeat):
        p = kinerja.pay_city(ctx, recap, allow_unverified=True)
        start = time.perf_counter()
        del p
        frees.append(time.perf_counter() - start)
    print(f"freeing one Payroll (the core's drop)      {statistics.median(frees) * 1000:9.2f} ms")
    # What an analyst does next (not part of the 1.2x budget): the tables.
    def with_slips() -> object:
        p = kinerja.pay_city(ctx, recap, allow_unverified=True)
        return (p, p.slips)

    def with_net() -> object:
        p = kinerja.pay_city(ctx, recap, allow_unverified=True)
        return (p, p.slips["net"])

    def recap_with_tables() -> object:
        r = ledger.recap()
        return (r, r.employees, r.units)

    # (The Payroll is kept with its table, so that its drop is not counted here either.)
    extra = timed(recap_with_tables, args.repeat)
    print(f"recap + .employees + .units (Arrow built)  {statistics.median(extra) * 1000:9.2f} ms")
    extra = timed(with_slips, args.repeat)
    print(f"pay_city + .slips (Arrow batch built)      {statistics.median(extra) * 1000:9.2f} ms")
    try:
        import pyarrow as pa  # type: ignore[import-untyped]

        slips = payroll.slips
        extra = timed(lambda: pa.table(slips), args.repeat)
        print(f"pa.table(slips) (zero-copy stream)         {statistics.median(extra) * 1000:9.2f} ms")
    except ImportError:
        print("pa.table(slips): pyarrow not installed")
    extra = timed(with_net, args.repeat)
    print(f"pay_city + slips['net'] (to Python values) {statistics.median(extra) * 1000:9.2f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
