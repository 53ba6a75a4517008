"""kinerja.Table as Arrow (issue 15): the PyCapsule interface read by pyarrow, polars,
pandas and DuckDB, the same schema every month, exact decimal money columns and the
native Parquet writer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import kinerja
from conftest import HEAD, PEER, STAFF, at

MONEY = "decimal128(38, 2)"
DECIMAL = "decimal128(38, 28)"


@pytest.fixture(scope="module")
def payroll(simulated: kinerja.Ledger) -> kinerja.Payroll:
    return kinerja.pay_city(simulated.context, simulated, allow_unverified=True)


def empty_month(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> kinerja.Payroll:
    """The month nobody works, closed: test_payroll.test_an_empty_month_by_hand has
    the arithmetic (HEAD net 599,760; STAFF and PEER 287,640; city net 1,175,040)."""
    ledger = kinerja.Ledger(ctx)
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    return kinerja.pay_city(ctx, ledger.recap(), policy, allow_unverified=True)


def schemas(recap: kinerja.MonthlyRecap, payroll: kinerja.Payroll) -> Dict[str, List[Tuple[str, str, bool]]]:
    return {
        "recap.employees": recap.employees.schema,
        "recap.units": recap.units.schema,
        "payroll.slips": payroll.slips.schema,
        "payroll.units": payroll.units.schema,
        "payroll.employees": payroll.employees.schema,
    }


def test_same_schema_for_two_cities_and_two_months(
    ctx: kinerja.MonthContext, policy: kinerja.Policy, payroll: kinerja.Payroll, synthetic: kinerja.City
) -> None:
    # The hand-made 3-employee city in October 2026, where nobody works (4 rules
    # apply), and a generated 240-employee city in November 2026, simulated (many
    # more rules apply): the same columns, types and nullability.
    small = empty_month(ctx, policy)
    small_recap = small_recap_of(ctx)
    november = kinerja.MonthContext(synthetic, policy, "2026-11")
    ledger, _ = kinerja.simulate_month(november, seed=5)
    big_recap = ledger.recap()
    big = kinerja.pay_city(november, big_recap, allow_unverified=True)
    assert big.month == "2026-11" and small.month == "2026-10"
    a, b = schemas(small_recap, small), schemas(big_recap, big)
    assert a == b
    # A rule that did not apply is a zero column, not a missing one.
    assert sum(1 for r in big.rules if any(v != 0 for v in big.slips[r])) > 4
    assert all(v == 0 for v in small.slips["deduction.late.1"])
    slips = dict((n, (t, null)) for n, t, null in a["payroll.slips"])
    assert slips["net"] == (MONEY, False) and slips["deduction.late.1"] == (MONEY, False)
    assert slips["nip"] == ("string", False) and slips["name"] == ("string", True)
    assert slips["job_class"] == ("int64", True)
    employees = dict((n, (t, null)) for n, t, null in a["payroll.employees"])
    assert employees["net"] == (MONEY, True) and employees["status"] == ("string", False)
    recap = dict((n, (t, null)) for n, t, null in a["recap.employees"])
    assert recap["achievement_percent"] == (DECIMAL, True) and recap["target_minutes"] == ("int64", False)
    assert payroll.slips.schema == a["payroll.slips"]


def small_recap_of(ctx: kinerja.MonthContext) -> kinerja.MonthlyRecap:
    ledger = kinerja.Ledger(ctx)
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    return ledger.recap()


def test_documented_schema_matches(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    # docs/python-tables.md lists each table's columns: the payroll slips' fixed
    # columns and the recap's first ones, as written there.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "python-tables.md").read_text(encoding="utf-8")
    p = empty_month(ctx, policy)
    for name, kind, nullable in p.slips.schema[:10] + small_recap_of(ctx).employees.schema:
        row = f"| `{name}` | `{kind}` | {'yes' if nullable else 'no'} |"
        assert row in doc, row
    assert "`<rule id>`" in doc


def test_pyarrow_reads_the_capsule_stream(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    pa = pytest.importorskip("pyarrow")
    slips = empty_month(ctx, policy).slips
    t = pa.table(slips)
    assert t.column_names == slips.columns and t.num_rows == 3
    assert t.schema.field("net").type == pa.decimal128(38, 2)
    assert t.schema.field("net").metadata == {b"kinerja.money": b"true"}
    # Exact: 599,760 rupiah for HEAD (the empty month by hand), not a float.
    assert t.column("net").to_pylist() == [Decimal("599760.00"), Decimal("287640.00"), Decimal("287640.00")]
    assert slips.to_arrow().equals(t)
    # The struct-array form of the interface, and the schema alone.
    arr = pa.array(slips)
    assert pa.types.is_struct(arr.type) and len(arr) == 3
    assert pa.schema(slips).names == slips.columns


def test_polars_and_pandas(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    pl = pytest.importorskip("polars")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    slips = empty_month(ctx, policy).slips
    df = pl.DataFrame(slips)
    assert df.columns == slips.columns and df.schema["net"] == pl.Decimal(38, 2)
    assert df["net"].sum() == Decimal("1175040")
    assert pl.from_arrow(slips.to_arrow()).equals(df)
    pdf = slips.to_pandas()
    assert list(pdf["net"]) == [Decimal("599760"), Decimal("287640"), Decimal("287640")]
    assert str(pdf["nip"].dtype) in ("object", "str", "string")


def test_duckdb_reads_the_table(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    duckdb = pytest.importorskip("duckdb")
    slips = empty_month(ctx, policy).slips
    total = duckdb.sql("select sum(net) from slips").fetchone()
    assert total is not None and total[0] == Decimal("1175040")


def test_parquet_written_natively_and_read_back(ctx: kinerja.MonthContext, policy: kinerja.Policy, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    p = empty_month(ctx, policy)
    path = tmp_path / "slips.parquet"
    p.slips.to_parquet(path)
    back = pq.read_table(path)
    assert back.column_names == p.slips.columns
    assert back.schema.field("net").type == pa.decimal128(38, 2)
    assert back.schema.field("net").metadata == {b"kinerja.money": b"true"}
    rows: Dict[str, Dict[str, Any]] = {r["nip"]: r for r in back.to_pylist()}
    # HEAD (class 14): G = 714,000; tax 15 % -107,100; BPJS 1 % -7,140; N = 599,760.
    assert rows[HEAD]["net"] == Decimal("599760.00") and rows[HEAD]["gross"] == Decimal("714000.00")
    assert rows[HEAD]["tax.pph21"] == Decimal("-107100") and rows[HEAD]["contribution.bpjs"] == Decimal("-7140")
    # STAFF and PEER (class 8): N = 287,640; TK -594,000.
    assert rows[STAFF]["net"] == rows[PEER]["net"] == Decimal("287640")
    assert rows[STAFF]["deduction.unexcused"] == Decimal("-594000")
    assert back.equals(p.slips.to_arrow())
    # The recap too, with its exact decimals (None for an achievement not computed).
    recap = small_recap_of(ctx).employees
    recap.to_parquet(str(tmp_path / "recap.parquet"))
    assert pq.read_table(tmp_path / "recap.parquet").equals(recap.to_arrow())


def test_a_table_made_in_python_is_arrow_too(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    t = kinerja.Table(
        {
            "unit": ["DISDIK", None],
            "n": [3, -1],
            "net": [Decimal("6500000"), Decimal("150000.50")],
            "share": [Decimal("0.3333"), None],
            "ok": [True, False],
            "day": [dt.date(2026, 10, 5), dt.date(2026, 10, 6)],
            "at": [dt.datetime(2026, 10, 5, 7, 30), None],
            "nothing": [None, None],
        },
        money=["net"],
    )
    assert t.schema == [
        ("unit", "string", True),
        ("n", "int64", True),
        ("net", MONEY, True),
        ("share", DECIMAL, True),
        ("ok", "bool", True),
        ("day", "date32", True),
        ("at", "timestamp[us]", True),
        ("nothing", "null", True),
    ]
    t.to_parquet(tmp_path / "t.parquet")
    back = pq.read_table(tmp_path / "t.parquet")
    assert back.column("net").to_pylist() == [Decimal("6500000"), Decimal("150000.50")]
    assert back.equals(pa.table(t))
    with pytest.raises(TypeError):
        kinerja.Table({"mixed": [1, "a"]}).to_arrow()
    # Money has at most two decimal places: never rounded silently.
    with pytest.raises(ValueError):
        kinerja.Table({"net": [Decimal("1.005")]}, money=["net"]).to_parquet(tmp_path / "x.parquet")


def test_columns_convert_lazily_once(payroll: kinerja.Payroll) -> None:
    s = payroll.slips
    net = s["net"]
    assert s["net"] is net  # converted once, then cached
    assert all(type(v) is Decimal for v in net)
    # Whole rupiah print without sen: Decimal("599760"), not Decimal("599760.00").
    assert all(v == v.to_integral_value() and "." not in str(v) for v in net)
