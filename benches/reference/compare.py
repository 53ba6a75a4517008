"""Times the pandas and SQLite references on one month's flat tables, checks that
they agree with Kinerja's payroll to the rupiah, and prints the table of times and
ratios (benches/compare-references.sh runs it after timing Kinerja).

    python3 benches/reference/compare.py TABLES_DIR KINERJA_TPP_CSV KINERJA_LINE [RUNS]

KINERJA_LINE is what `reference-timing` printed (`kinerja_ms=... median_ms=...`).
Each reference's tables are loaded once (not timed, as Kinerja's record is loaded
once), then its computation runs RUNS times; best and median are shown.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tpp_pandas  # noqa: E402
import tpp_sqlite  # noqa: E402

FIELDS = ("gross", "tax", "contribution", "net")


def timed(f, runs: int):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = f()
        times.append((time.perf_counter() - t0) * 1000)
    return result, min(times), statistics.median(times)


def main() -> int:
    tables, tpp_csv, line = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    k = dict(x.split("=") for x in line.split())
    kinerja = {}
    with tpp_csv.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["record"] == "employee" and row["status"] == "paid":
                kinerja[row["nip"]] = tuple(int(row[c]) for c in FIELDS)

    t0 = time.perf_counter()
    frames = tpp_pandas.load(tables)
    pandas_load = (time.perf_counter() - t0) * 1000
    result, pandas_best, pandas_median = timed(lambda: tpp_pandas.compute(frames), runs)
    pandas_slips = {r.nip: tuple(int(getattr(r, c)) for c in FIELDS) for r in result.itertuples()}

    t0 = time.perf_counter()
    db = tpp_sqlite.load(tables)
    sqlite_load = (time.perf_counter() - t0) * 1000
    rows, sqlite_best, sqlite_median = timed(lambda: tpp_sqlite.compute(db), runs)
    sqlite_slips = {str(r[0]): tuple(int(x) for x in r[1:]) for r in rows}

    ok = True
    for name, slips in (("pandas", pandas_slips), ("sqlite", sqlite_slips)):
        wrong = sum(1 for n in kinerja if slips.get(n) != kinerja[n]) + len(slips.keys() - kinerja.keys())
        print(f"{name}: {len(slips)} slips, {len(kinerja)} paid by Kinerja, {wrong} differ")
        ok &= wrong == 0 and len(kinerja) > 0

    kb, km = float(k["kinerja_ms"]), float(k["median_ms"])
    print()
    print(f"recap + pay of {len(kinerja)} slips, from the loaded record (best / median of runs):")
    print(f"{'':<28} {'best ms':>10} {'median ms':>10} {'load ms':>10} {'vs Kinerja':>11}")
    print(f"{'Kinerja (recap + pay_amounts)':<28} {kb:>10.1f} {km:>10.1f} {'-':>10} {'1.0x':>11}")
    print(f"{'pandas ' + tpp_pandas.pd.__version__:<28} {pandas_best:>10.1f} {pandas_median:>10.1f} {pandas_load:>10.1f} {pandas_best / kb:>10.1f}x")
    print(f"{'SQLite ' + tpp_sqlite.sqlite3.sqlite_version:<28} {sqlite_best:>10.1f} {sqlite_median:>10.1f} {sqlite_load:>10.1f} {sqlite_best / kb:>10.1f}x")
    print(f"\n(ratio = reference best / Kinerja best; Kinerja runs {k['runs']}, references {runs})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
