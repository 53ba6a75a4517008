"""Native types: exact decimals (floats refused), dates, times, datetimes, enums; the
error hierarchy; and a Rust panic surfacing as kinerja.InternalError."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import pytest

import kinerja
from conftest import HEAD, MON, STAFF, at, small_dataset


# --- money and exact numbers -------------------------------------------------------


def test_float_money_is_refused_never_converted() -> None:
    data = small_dataset()
    data["salaries"][0]["salary"] = 4500000.0
    with pytest.raises(kinerja.FloatRefused) as e:
        kinerja.City.from_dict(data)
    err = e.value
    assert isinstance(err, TypeError) and isinstance(err, kinerja.KinerjaError)
    assert isinstance(err, kinerja.TypeConversionError)
    assert err.code == "float_refused"
    assert err.field == "salaries[0].salary"
    assert "Decimal" in str(err)


def test_float_anywhere_in_a_dataset_is_refused() -> None:
    data = small_dataset()
    data["positions"][1]["analysis"]["tasks"][0]["volume"]["quantity"] = 2.0
    with pytest.raises(kinerja.FloatRefused) as e:
        kinerja.City.from_dict(data)
    assert e.value.field == "positions[1].analysis.tasks[0].volume.quantity"


def test_decimal_and_int_money_are_accepted_exactly() -> None:
    data = small_dataset()
    data["salaries"] = [
        {"employee": STAFF, "salary": Decimal("4500000.25"), "from": dt.date(2026, 1, 1)},
        {"employee": HEAD, "salary": 7250000, "from": dt.date(2026, 1, 1)},
    ]
    # An int salary is written as a JSON number, which the dataset format refuses:
    # amounts are exact decimal strings. The core says so, naming the record and field.
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    assert [(p.record, p.id, p.field) for p in e.value.problems] == [("salary", "#1", "salary")]
    data["salaries"][1]["salary"] = Decimal(7250000)
    city = kinerja.City.from_dict(data)
    assert '"salary": "4500000.25"' in city.to_json()


def test_decimal_beyond_28_digits_is_refused_not_rounded(ledger: kinerja.Ledger) -> None:
    with pytest.raises(kinerja.ArithmeticError) as e:
        ledger.record_clock(
            STAFF,
            at(MON, 8),
            employee=STAFF,
            scanned_at=at(MON, 7, 30),
            direction="in",
            source="mobile",
            latitude=Decimal("5.54830000000000000000000000000001"),
            longitude=Decimal("95.3238"),
        )
    assert e.value.code == "arithmetic"
    assert isinstance(e.value, ArithmeticError)  # the builtin too
    with pytest.raises(kinerja.ArithmeticError):
        ledger.record_clock(
            STAFF,
            at(MON, 8),
            employee=STAFF,
            scanned_at=at(MON, 7, 30),
            direction="in",
            source="mobile",
            latitude=Decimal("NaN"),
            longitude=Decimal("95.3238"),
        )
    assert len(ledger) == 0


def test_float_coordinates_are_refused(ledger: kinerja.Ledger) -> None:
    with pytest.raises(kinerja.FloatRefused) as e:
        ledger.record_clock(
            STAFF,
            at(MON, 8),
            employee=STAFF,
            scanned_at=at(MON, 7, 30),
            direction="in",
            source="mobile",
            latitude=5.5483,  # type: ignore[arg-type]
            longitude=Decimal("95.3238"),
        )
    assert e.value.field == "latitude"
    with pytest.raises(kinerja.TypeConversionError):
        ledger.record_clock(
            STAFF,
            at(MON, 8),
            employee=STAFF,
            scanned_at=at(MON, 7, 30),
            direction="in",
            source="mobile",
            latitude="5.5483",  # type: ignore[arg-type]
            longitude=Decimal("95.3238"),
        )
    # Exponent notation and ints are exact.
    ledger.record_clock(
        STAFF,
        at(MON, 8),
        employee=STAFF,
        scanned_at=at(MON, 7, 30),
        direction="in",
        source="mobile",
        latitude=Decimal("5.5483E0"),
        longitude=95,
    )
    assert '"latitude":"5.5483"' in ledger.journal_json()
    assert '"longitude":"95"' in ledger.journal_json()


def test_mobile_scan_needs_coordinates(ledger: kinerja.Ledger) -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        ledger.record_clock(STAFF, at(MON, 8), employee=STAFF, scanned_at=at(MON, 7, 30), direction="in", source="mobile")
    assert e.value.code == "missing_field"
    with pytest.raises(kinerja.ValidationError) as bad:
        ledger.record_clock(STAFF, at(MON, 8), employee=STAFF, scanned_at=at(MON, 7, 30), direction="sideways")
    assert bad.value.code == "invalid_value" and bad.value.field == "direction"


# --- dates and times ---------------------------------------------------------------


def test_dates_times_and_datetimes_round_trip(ledger: kinerja.Ledger) -> None:
    e = ledger.log_activity(
        STAFF,
        dt.datetime(2026, 10, 5, 16, 0, 30),
        date=MON,
        start=dt.time(8, 15),
        end=dt.time(9, 45, 10),
        task="ANALIS-T1",
        quantity=1,
    )
    assert type(e.date) is dt.date and e.date == MON
    assert type(e.start) is dt.time and e.start == dt.time(8, 15)
    assert e.end == dt.time(9, 45, 10)
    assert type(e.submitted_at) is dt.datetime and e.submitted_at == dt.datetime(2026, 10, 5, 16, 0, 30)
    row = ledger.entries().row(0)
    assert row["date"] == MON and row["start"] == dt.time(8, 15) and row["submitted_at"] == e.submitted_at


def test_a_datetime_is_not_a_date(city: kinerja.City) -> None:
    with pytest.raises(kinerja.TypeConversionError) as e:
        city.calendar.is_working_day(dt.datetime(2026, 10, 5, 9, 0))
    assert "datetime" in str(e.value)
    with pytest.raises(kinerja.TypeConversionError):
        city.calendar.is_working_day("2026-10-05")  # type: ignore[arg-type]


def test_a_date_is_not_a_datetime(ledger: kinerja.Ledger) -> None:
    with pytest.raises(TypeError):
        ledger.close_month(HEAD, MON)  # type: ignore[arg-type]


def test_malformed_nip(ledger: kinerja.Ledger, city: kinerja.City) -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        ledger.close_month("12345", at(MON, 8))
    assert e.value.code == "nip_wrong_length"
    assert e.value.field == "actor" and e.value.id == "12345"
    with pytest.raises(kinerja.ValidationError) as g:
        city.employee("198503152010013002")  # gender digit 3
    assert g.value.code == "nip_invalid_gender"


# --- enums -------------------------------------------------------------------------


def test_enums_are_str_enums_with_the_core_codes() -> None:
    for cls in (
        kinerja.VerificationStatus,
        kinerja.PositionKind,
        kinerja.EfficiencyGrade,
        kinerja.AbsenceKind,
        kinerja.RollCallKind,
        kinerja.ClockDirection,
        kinerja.VerifierRole,
        kinerja.Office,
        kinerja.OfficerRole,
        kinerja.DeviceKind,
    ):
        assert issubclass(cls, enum.Enum) and issubclass(cls, str)
    assert kinerja.AbsenceKind("leave.annual") is kinerja.AbsenceKind.LEAVE_ANNUAL
    assert len(kinerja.AbsenceKind) == 13
    assert [g.value for g in kinerja.EfficiencyGrade] == ["A", "B", "C", "D", "E"]
    assert str.__eq__(kinerja.VerificationStatus.APPROVED, "approved")


def test_every_absence_code_is_accepted(ctx: kinerja.MonthContext) -> None:
    ledger = kinerja.Ledger(ctx)
    days = ctx.city.calendar.working_dates("2026-10")
    for kind, day in zip(kinerja.AbsenceKind, days):
        ledger.record_absence(
            HEAD,
            at(MON, 7),
            employee=STAFF,
            start=day,
            end=day,
            kind=kind,
            evidence="SK 800/1",
            replaces=kinerja.ClockDirection.IN if kind is kinerja.AbsenceKind.OFF_SITE_HALF_DAY else None,
        )
    assert len(ledger) == 13


# --- errors ------------------------------------------------------------------------


def test_error_hierarchy() -> None:
    subclasses = [
        kinerja.ValidationError,
        kinerja.PolicyError,
        kinerja.AuthorisationError,
        kinerja.NotFoundError,
        kinerja.ActivityRejected,
        kinerja.VerificationError,
        kinerja.AttendanceError,
        kinerja.LedgerError,
        kinerja.ArithmeticError,
        kinerja.TypeConversionError,
        kinerja.FloatRefused,
        kinerja.InternalError,
    ]
    for cls in subclasses:
        assert issubclass(cls, kinerja.KinerjaError)
    assert issubclass(kinerja.NotFoundError, LookupError)
    assert issubclass(kinerja.ValidationError, ValueError)
    e = kinerja.ValidationError("m", code="c", record="r", id="i", field="f")
    assert (e.code, e.record, e.id, e.field, e.problems, dict(e.details)) == ("c", "r", "i", "f", (), {})
    assert "code='c'" in repr(e)


def test_a_panic_becomes_internal_error_not_a_crash() -> None:
    with pytest.raises(kinerja.InternalError) as e:
        kinerja._kinerja._debug_panic()
    assert e.value.code == "internal"
    assert "deliberate panic" in str(e.value)
    # The interpreter is fine afterwards.
    assert kinerja.Policy.national().resolve("targets.daily_minutes", MON).value == 300


# --- docs --------------------------------------------------------------------------


def test_help_texts() -> None:
    assert kinerja.Ledger.__doc__ is not None and "journal" in kinerja.Ledger.__doc__
    assert kinerja.Ledger.verify.__doc__ is not None and "supervisor" in kinerja.Ledger.verify.__doc__
    assert kinerja.City.workload_analysis.__doc__ is not None
    assert kinerja.MonthContext.__doc__ is not None
    assert kinerja.generate_city.__doc__ is not None
    assert kinerja.__version__ == kinerja.CORE_VERSION


def test_every_public_name_is_documented() -> None:
    import inspect

    for name in kinerja.__all__:
        obj = getattr(kinerja, name)
        if inspect.isclass(obj) or inspect.isroutine(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


def test_the_stub_declares_every_native_name() -> None:
    import ast
    import inspect
    from pathlib import Path

    stub = Path(kinerja.__file__).with_name("_kinerja.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    declared: dict[str, set[str]] = {}
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            declared[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            top.add(node.name)
        elif isinstance(node, ast.FunctionDef):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
    native = kinerja._kinerja
    public = {n for n in dir(native) if not n.startswith("__") or n == "__version__"}
    assert public <= top, public - top
    for cls_name, methods in declared.items():
        cls = getattr(native, cls_name)
        members = {n for n, _ in inspect.getmembers(cls) if not n.startswith("_")}
        assert members <= methods, (cls_name, members - methods)
