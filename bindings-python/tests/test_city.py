"""Loading a city (JSON, file, dict), its records, lookups and the work calendar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import kinerja
from conftest import HEAD, MON, PEER, SAT, STAFF, UNKNOWN, small_dataset


def test_from_dict_reads_every_record(city: kinerja.City) -> None:
    assert city.name == "Pemerintah Kota Uji"
    assert city.government == kinerja.Government(code="9999", name="Pemerintah Kota Uji")
    assert [u.id for u in city.units] == ["BKPSDM"]
    assert [p.id for p in city.positions] == ["KABAN", "ANALIS"]
    assert [e.nip for e in city.employees] == [HEAD, STAFF, PEER]
    assert len(city.assignments) == 3
    assert "3 employees" in repr(city)


def test_json_round_trip_and_file(city: kinerja.City, tmp_path: Path) -> None:
    text = city.to_json()
    again = kinerja.City.from_json(text)
    assert again.to_json() == text
    path = tmp_path / "city.json"
    path.write_text(text, encoding="utf-8")
    from_file = kinerja.City.from_file(path)
    assert [e.nip for e in from_file.employees] == [HEAD, STAFF, PEER]
    # The salary given as Decimal("4500000.00") keeps its exact scale.
    assert json.loads(text)["salaries"][0]["salary"] == "4500000.00"


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        kinerja.City.from_file(tmp_path / "nope.json")


def test_records_are_frozen_dataclasses_with_enums(city: kinerja.City) -> None:
    analis = city.position("ANALIS")
    assert analis.kind is kinerja.PositionKind.FUNCTIONAL
    assert isinstance(analis.kind, str) and analis.kind.value == "functional"  # str enums hold the core text
    assert analis.job_class == 8
    assert analis.supervisor == "KABAN"
    (task,) = analis.tasks
    assert task.standard_minutes == 30
    assert task.volume_per is kinerja.VolumePeriod.DAY
    assert str(task.volume_quantity) == "2"
    with pytest.raises(AttributeError):
        analis.name = "changed"  # type: ignore[misc]
    peer = city.employee(PEER)
    assert peer.employment is kinerja.EmploymentType.PPPK
    assert peer.rank == "IX"  # a PPPK grade (golongan I-XVII), not a PNS rank
    a = city.assignments[0]
    assert a.kind is kinerja.AssignmentKind.DEFINITIVE
    assert a.valid_from == dt.date(2020, 1, 1) and a.valid_until is None
    assert "Analis SDM Aparatur" in repr(analis)


def test_lookups(city: kinerja.City) -> None:
    assert city.unit("BKPSDM").name.startswith("Badan Kepegawaian")
    assert city.headcount("ANALIS", MON) == 2
    assert city.headcount("KABAN", dt.date(2019, 12, 31)) == 0
    own = city.definitive_position(STAFF, MON)
    assert own is not None and own.id == "ANALIS"
    assert city.definitive_position(STAFF, dt.date(2019, 1, 1)) is None
    sup = city.direct_supervisor(STAFF, MON)
    assert sup is not None
    assert sup.position == "KABAN" and sup.definitive == (HEAD,) and sup.acting == ()
    assert city.direct_supervisor(HEAD, MON) is None
    assert city.verifier_role(HEAD, STAFF, MON) is kinerja.VerifierRole.DEFINITIVE


def test_lookup_errors(city: kinerja.City) -> None:
    with pytest.raises(kinerja.NotFoundError) as e:
        city.employee(UNKNOWN)
    assert e.value.code == "not_found" and e.value.record == "employee" and e.value.id == UNKNOWN
    with pytest.raises(kinerja.NotFoundError):
        city.position("NOPE")
    with pytest.raises(kinerja.NotFoundError):
        city.unit("NOPE")
    with pytest.raises(kinerja.AuthorisationError) as a:
        city.verifier_role(PEER, STAFF, MON)
    assert a.value.code == "not_authorised"
    assert a.value.details["reason"] == "not_the_supervisor"
    assert a.value.details["expected_position"] == "KABAN"


def test_calendar_queries(city: kinerja.City) -> None:
    cal = city.calendar
    assert cal.is_working_day(MON)
    assert not cal.is_working_day(SAT)
    # October 2026: 22 weekdays, no national holiday.
    assert cal.working_days("2026-10") == 22
    # 5..9 October: Monday to Friday.
    assert cal.working_days(MON, dt.date(2026, 10, 9)) == 5
    assert cal.working_days(dt.date(2026, 10, 9), MON) == 0  # inverted: none
    dates = cal.working_dates(dt.date(2026, 10, 2), MON)
    assert dates == [dt.date(2026, 10, 2), MON]
    monday = cal.schedule(MON)
    assert monday is not None
    assert (monday.start, monday.end, monday.rest_minutes) == (dt.time(7, 30), dt.time(16, 0), 60)
    assert monday.effective_minutes == 450  # 8 h 30 - 60 min rest
    assert cal.schedule(SAT) is None
    # Friday: 07:30-16:30 with 90 min rest = 450; a Mon-Fri week is 5 x 450.
    assert cal.effective_minutes(MON, dt.date(2026, 10, 9)) == 2250
    assert cal.nth_working_day_after(dt.date(2026, 10, 2), 1) == MON
    assert cal.nth_working_day_before(MON, 1) == dt.date(2026, 10, 2)
    assert cal.working_days_between(dt.date(2026, 10, 2), MON) == 1


def test_calendar_holidays_and_ramadan(city: kinerja.City) -> None:
    cal = city.calendar
    independence = cal.day(dt.date(2026, 8, 17))
    assert independence.kind is kinerja.DayKind.HOLIDAY
    assert independence.holiday_kind is kinerja.HolidayKind.NATIONAL
    assert independence.holiday is not None and independence.holiday.date == dt.date(2026, 8, 17)
    assert not independence.is_working
    assert any(h.kind is kinerja.HolidayKind.COLLECTIVE_LEAVE for h in cal.holidays)
    ramadan = cal.day(dt.date(2026, 3, 2))
    assert ramadan.period is not None and "Ramadan" in ramadan.period
    assert ramadan.schedule is not None and ramadan.schedule.start == dt.time(8, 0)
    weekend = cal.day(SAT)
    assert weekend.kind is kinerja.DayKind.WEEKEND and weekend.schedule is None


def test_bad_month_and_half_range(city: kinerja.City) -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        city.calendar.working_days("2026-13")
    assert e.value.code == "invalid_month"
    with pytest.raises(TypeError):
        city.calendar.working_days(MON)  # type: ignore[call-overload]


def test_generate_city_is_deterministic() -> None:
    a = kinerja.generate_city(seed=5, units=3, employees=40)
    b = kinerja.generate_city(seed=5, units=3, employees=40)
    c = kinerja.generate_city(seed=6, units=3, employees=40)
    assert a.to_json() == b.to_json()
    assert a.to_json() != c.to_json()
    assert len(a.units) == 3 and len(a.employees) == 40


def test_a_generated_city_names_its_actors(synthetic: kinerja.City) -> None:
    """What commands on a generated city need: the mayor verifying the top position, a
    fingerprint reader and an attendance officer for every unit, HR officers."""
    officials = {o.id: o for o in synthetic.officials}
    assert set(officials) == {"WALIKOTA", "WAKIL-WALIKOTA"}
    (top,) = officials["WALIKOTA"].verifies
    assert synthetic.position(top).supervisor is None and officials["WAKIL-WALIKOTA"].verifies == ()
    units = [u.id for u in synthetic.units]
    readers = {d.unit for d in synthetic.clock_devices if d.id == f"FP-{d.unit}"}
    assert readers == set(units)
    attendance = [o.unit for o in synthetic.officers if o.role is kinerja.OfficerRole.ATTENDANCE]
    assert sorted(u for u in attendance if u is not None) == sorted(units)
    hr = [o for o in synthetic.officers if o.role is kinerja.OfficerRole.HR]
    assert 1 <= len(hr) <= 2 and all(o.unit is None for o in hr)


def test_the_new_sections_round_trip_and_are_checked(city: kinerja.City) -> None:
    again = kinerja.City.from_json(city.to_json())
    assert (again.officials, again.officers, again.clock_devices) == (
        city.officials,
        city.officers,
        city.clock_devices,
    )
    data = small_dataset()
    data["officers"].append({"employee": STAFF, "role": "attendance", "from": dt.date(2026, 1, 1), "reference": "SK"})
    data["clock_devices"][0]["unit"] = "NOWHERE"
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    codes = {(p.record, p.field, p.code) for p in e.value.problems}
    assert ("officer", "unit", "missing_field") in codes  # an attendance officer serves a unit
    assert ("clock_device", "unit", "unknown_reference") in codes


def test_dataset_problems_are_all_listed() -> None:
    data = small_dataset()
    data["employees"][1]["nip"] = "12345"  # malformed
    data["positions"][1]["unit"] = "NOWHERE"  # unknown reference
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    err = e.value
    assert err.code == "invalid_dataset"
    codes = {(p.record, p.field, p.code) for p in err.problems}
    assert ("employee", "nip", "invalid_value") in codes
    assert ("position", "unit", "unknown_reference") in codes
    assert all(isinstance(p, kinerja.Problem) for p in err.problems)
    assert err.record == err.problems[0].record


def test_json_syntax_error_says_where() -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_json('{"schema_version": 1,\n "government": }')
    assert e.value.code == "invalid_dataset"
    assert e.value.details["line"] == 2


# --- strict and bounded input -------------------------------------------------------------


def test_a_misspelt_nested_field_is_refused() -> None:
    data = small_dataset()
    data["calendar"]["holiday"] = data["calendar"].pop("holidays")
    data["salaries"][0]["salry"] = "1"
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    found = {(p.record, p.id, p.field, p.code) for p in e.value.problems}
    assert ("calendar", data["calendar"]["name"], "holiday", "unknown_field") in found
    assert ("salary", "#0", "salry", "unknown_field") in found


def test_a_deep_or_cyclic_dict_is_a_validation_error_not_a_crash() -> None:
    deep: List[Any] = []
    node = deep
    for _ in range(200_000):
        child: List[Any] = []
        node.append(child)
        node = child
    data = small_dataset()
    data["units"][0]["parent"] = deep
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    assert e.value.code == "too_deep"
    assert e.value.field is not None and e.value.field.startswith("units[0].parent[0][0]")

    data = small_dataset()
    data["government"]["self"] = data
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_dict(data)
    assert e.value.code == "cyclic_value" and e.value.field == "government.self"
    # A list may appear twice (not a cycle).
    shared = ["Pendidikan sesuai jabatan"]
    data = small_dataset()
    data["positions"][0]["analysis"]["requirements"] = shared
    data["positions"][1]["analysis"]["requirements"] = shared
    loaded = json.loads(kinerja.City.from_dict(data).to_json())
    assert loaded["positions"][1]["analysis"]["requirements"] == shared


def test_deep_json_text_is_refused_too() -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.City.from_json("[" * 100_000 + "]" * 100_000)
    assert e.value.code == "invalid_dataset"
    assert [p.code for p in e.value.problems] == ["too_deep"]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"year": 0}, "year"),
        ({"year": 2101}, "year"),
        ({"units": 0}, "units"),
        ({"units": 5, "employees": 4}, "employees"),
        ({"employees": 5_000_001}, "employees"),
    ],
)
def test_generate_city_refuses_what_it_cannot_make(kwargs: Dict[str, int], field: str) -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.generate_city(**kwargs)
    assert [(p.record, p.field, p.code) for p in e.value.problems] == [("generator", field, "out_of_range")]
