"""Runs tpp.sql on SQLite over the flat tables `kinerja export-tables` writes.

Loads every `<table>.csv` of the directory into an in-memory SQLite database (a
column whose every value is an integer is declared INTEGER, the rest TEXT, NIPs and
ids always TEXT; an empty cell is NULL), then runs the script, which leaves the
table `result(nip, gross, tax, contribution, net)`. Only the standard library.

    python3 benches/reference/tpp_sqlite.py TABLES_DIR [--out result.csv] [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sqlite3
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("tpp.sql")
TEXT_COLUMNS = {"nip", "position", "unit", "rank", "golongan", "level", "code", "kind", "shift"}
INTEGER = re.compile(r"-?\d+\Z")


def load(directory: Path) -> sqlite3.Connection:
    """An in-memory database holding every table of the directory."""
    db = sqlite3.connect(":memory:")
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        types = []
        for i, name in enumerate(header):
            values = [r[i] for r in body if r[i] != ""]
            integer = name not in TEXT_COLUMNS and values and all(INTEGER.match(v) for v in values)
            types.append("INTEGER" if integer else "TEXT")
        cols = ", ".join(f'"{n}" {t}' for n, t in zip(header, types))
        db.execute(f'CREATE TABLE "{path.stem}" ({cols})')
        marks = ", ".join("?" for _ in header)
        db.executemany(f'INSERT INTO "{path.stem}" VALUES ({marks})', ([v if v != "" else None for v in r] for r in body))
    db.commit()
    return db


def compute(db: sqlite3.Connection) -> list[tuple]:
    """Runs the script and returns the result rows (the temporary tables are dropped
    first, so that it can run again on the same database)."""
    for (name,) in db.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'").fetchall():
        db.execute(f'DROP TABLE temp."{name}"')
    db.execute("DROP TABLE IF EXISTS result")
    db.executescript(SCRIPT.read_text())
    return db.execute("SELECT nip, gross, tax, contribution, net FROM result").fetchall()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tables", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--runs", type=int, default=1, help="time the script this many times (best is printed)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    db = load(args.tables)
    load_ms = (time.perf_counter() - t0) * 1000
    best = None
    for _ in range(max(args.runs, 1)):
        t1 = time.perf_counter()
        rows = compute(db)
        ms = (time.perf_counter() - t1) * 1000
        best = ms if best is None else min(best, ms)
    if args.out:
        with args.out.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["nip", "gross", "tax", "contribution", "net"])
            w.writerows(rows)
    print(f"sqlite {sqlite3.sqlite_version}: {len(rows)} slips, load {load_ms:.1f} ms, compute {best:.1f} ms (best of {args.runs})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
