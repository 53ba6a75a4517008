"""The reference implementations agree with Kinerja to the rupiah.

Generates a small city (12 units, 400 employees), simulates October 2026, exports
the flat tables and pays the month with the `kinerja` CLI (KINERJA_BIN, default
target/release/kinerja, then target/debug/kinerja), then runs the pandas and the
SQLite reference on the tables: every employee Kinerja pays must get the same gross,
tax, contribution and net from both, and nobody else must be paid.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import tpp_pandas  # noqa: E402
import tpp_sqlite  # noqa: E402

FIELDS = ("gross", "tax", "contribution", "net")


def kinerja_bin() -> str:
    if os.environ.get("KINERJA_BIN"):
        return os.environ["KINERJA_BIN"]
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "kinerja"
        if path.exists():
            return str(path)
    pytest.fail("no kinerja binary: build it (cargo build -p kinerja-cli) or set KINERJA_BIN")


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, ...]]]:
    """The exported tables and Kinerja's slips {nip: (gross, tax, contribution, net)}."""
    d = tmp_path_factory.mktemp("month")
    k = kinerja_bin()
    run = lambda *a: subprocess.run([k, "-q", *a], check=True, capture_output=True, text=True)  # noqa: E731
    run("generate", "--units", "12", "--employees", "400", "--out", str(d / "city.json"))
    common = ["--dataset", str(d / "city.json"), "--month", "2026-10"]
    run("simulate", *common, "--out", str(d / "month.kjl"))
    common += ["--journal", str(d / "month.kjl")]
    run("export-tables", *common, "--out", str(d / "tables"))
    # Exit 1 if any slip failed: every employee is then a slip or not paid.
    out = run("tpp", *common, "--csv", "--separator", ",", "--allow-unverified").stdout
    slips = {}
    for row in csv.DictReader(out.splitlines()):
        if row["record"] == "employee" and row["status"] == "paid":
            slips[row["nip"]] = tuple(int(row[f]) for f in FIELDS)
    return d / "tables", slips


def check(kinerja: dict[str, tuple[int, ...]], reference: dict[str, tuple[int, ...]]) -> None:
    assert len(kinerja) > 300, f"only {len(kinerja)} slips paid by Kinerja: the month is not what this test expects"
    assert reference.keys() == kinerja.keys(), (
        f"paid by the reference only: {sorted(reference.keys() - kinerja.keys())[:5]}, "
        f"by Kinerja only: {sorted(kinerja.keys() - reference.keys())[:5]}"
    )
    wrong = [(n, kinerja[n], reference[n]) for n in kinerja if kinerja[n] != reference[n]]
    assert not wrong, f"{len(wrong)} slips differ (nip, kinerja, reference): {wrong[:5]}"


def test_pandas_reference_pays_every_employee_as_kinerja(month) -> None:
    tables, kinerja = month
    result = tpp_pandas.compute(tpp_pandas.load(tables))
    reference = {r.nip: tuple(int(getattr(r, f)) for f in FIELDS) for r in result.itertuples()}
    check(kinerja, reference)


def test_sqlite_reference_pays_every_employee_as_kinerja(month) -> None:
    tables, kinerja = month
    rows = tpp_sqlite.compute(tpp_sqlite.load(tables))
    reference = {str(r[0]): tuple(int(x) for x in r[1:]) for r in rows}
    check(kinerja, reference)


def test_a_changed_slip_is_caught(month) -> None:
    # The comparison itself fails on one rupiah of difference.
    _, kinerja = month
    nip = next(iter(kinerja))
    changed = dict(kinerja)
    g, t, c, n = changed[nip]
    changed[nip] = (g, t, c, n + 1)
    with pytest.raises(AssertionError, match="1 slips differ"):
        check(kinerja, changed)
    with pytest.raises(AssertionError, match="only 0 slips"):
        check({}, {})
