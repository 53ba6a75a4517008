"""Columnar results (kinerja.Table) and their pandas, polars and pyarrow conversions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import kinerja


def test_table_basics() -> None:
    t = kinerja.Table({"unit": ["DISDIK", "DINKES"], "gap": [Decimal("3.5"), Decimal("-1")]})
    assert len(t) == 2
    assert t.columns == ["unit", "gap"]
    assert t["gap"] == [Decimal("3.5"), Decimal("-1")]
    assert "unit" in t and "nope" not in t
    assert list(t.rows()) == [{"unit": "DISDIK", "gap": Decimal("3.5")}, {"unit": "DINKES", "gap": Decimal("-1")}]
    assert list(t) == list(t.rows())
    assert t.row(-1) == {"unit": "DINKES", "gap": Decimal("-1")}
    assert t.to_dict() == {"unit": ["DISDIK", "DINKES"], "gap": [Decimal("3.5"), Decimal("-1")]}
    assert "2 rows x 2 columns" in repr(t)
    assert kinerja.Table({}) == kinerja.Table({}) and len(kinerja.Table({})) == 0
    with pytest.raises(ValueError):
        kinerja.Table({"a": [1], "b": []})


def test_recap_table_shape(simulated: kinerja.Ledger, synthetic: kinerja.City) -> None:
    recap = simulated.recap()
    emp = recap.employees
    assert len(emp) == len(synthetic.employees)
    for column in (
        "nip",
        "unit",
        "target_minutes",
        "verified_minutes",
        "achievement_percent",
        "late_b4_days",
        "absence_leave_annual",
        "absence_off_site_half_day",
        "morning_missed",
        "ceremony_held",
    ):
        assert column in emp, column
    # Exact decimals or None, never floats.
    assert all(v is None or isinstance(v, Decimal) for v in emp["achievement_percent"])
    assert all(v is None or Decimal(0) <= v <= Decimal(100) for v in emp["achievement_percent"])
    assert emp["nip"] == [e.nip for e in synthetic.employees]
    assert len(recap.units) == len(synthetic.units)


def test_pandas(simulated: kinerja.Ledger) -> None:
    pd = pytest.importorskip("pandas")
    units = simulated.recap().units
    df = units.to_pandas()
    assert list(df.columns) == units.columns
    assert len(df) == len(units)
    assert isinstance(df["mean_achievement_percent"].dropna().iloc[0], Decimal)
    entries = simulated.entries().to_pandas()
    assert isinstance(entries, pd.DataFrame)
    assert entries["date"].iloc[0] >= dt.date(2026, 10, 1)


def test_polars(simulated: kinerja.Ledger) -> None:
    pl = pytest.importorskip("polars")
    emp = simulated.recap().employees
    df = emp.to_polars()
    assert df.columns == emp.columns
    assert df.height == len(emp)
    assert df.schema["achievement_percent"].is_decimal()
    assert df.schema["target_minutes"].is_integer()
    assert isinstance(df, pl.DataFrame)


def test_arrow(simulated: kinerja.Ledger, synthetic: kinerja.City, policy: kinerja.Policy) -> None:
    pa = pytest.importorskip("pyarrow")
    abk = synthetic.workload_analysis(policy, dt.date(2026, 10, 1))
    table = abk.units.to_arrow()
    assert table.num_rows == len(abk.units)
    assert pa.types.is_decimal(table.schema.field("gap").type)
    assert table.column("gap").to_pylist() == abk.units["gap"]
    entries = simulated.entries().to_arrow()
    assert pa.types.is_date32(entries.schema.field("date").type)
    assert pa.types.is_time64(entries.schema.field("start").type)


def test_missing_optional_dependency_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> object:
        if name == "polars":
            raise ImportError("No module named 'polars'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ImportError) as e:
        kinerja.Table({"a": [1]}).to_polars()
    # The one command that works: kinerja itself is not on a package index.
    assert "`pip install polars`" in str(e.value) and "kinerja[" not in str(e.value)
