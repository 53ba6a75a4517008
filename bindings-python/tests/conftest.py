"""Shared fixtures: a small hand-made city whose numbers are computed by hand in the
tests, and a small synthetic city for batch results."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Dict

import pytest

import kinerja

# NIPs: birth date (8 digits), appointment year and month (6), gender (1), sequence (3).
HEAD = "197501012000031001"  # Kepala Badan (leadership), supervises the analysts; HR and attendance officer
STAFF = "198503152010011002"  # Analis SDM
PEER = "199001012015052003"  # Analis SDM too: a colleague, not a supervisor; the second HR officer
UNKNOWN = "199912312020121004"  # a well-formed NIP of nobody in the city

# The other actors of the small city.
MAYOR = "official:WALIKOTA"  # verifies the Kepala Badan (a top position)
DEPUTY = "official:WAKIL"  # in office, verifies nobody
READER = "device:FP-BKPSDM"  # the agency's fingerprint reader

MONTH = "2026-10"
MON = dt.date(2026, 10, 5)  # a working day (Monday 5 October 2026)
TUE = dt.date(2026, 10, 6)
SAT = dt.date(2026, 10, 3)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A naive local datetime on `day`."""
    return dt.datetime.combine(day, dt.time(hour, minute))


def calendar_2026() -> Dict[str, Any]:
    """The real 2026 calendar (holidays, Ramadan hours) as the generator writes it."""
    generated = kinerja.generate_city(seed=1, units=1, employees=3)
    calendar: Dict[str, Any] = json.loads(generated.to_json())["calendar"]
    return calendar


def small_dataset() -> Dict[str, Any]:
    """One unit, a head and two analysts; the mayor and deputy; HEAD is an HR officer
    and the unit's attendance officer, PEER the second HR officer; a fingerprint
    reader at the unit.

    Workload (national policy 2026: 75,000 effective minutes a year, 250 days a year):
    KABAN-T1 48 meetings a year x 60 min = 2,880 min; ANALIS-T1 2 reports a day x 250
    days x 30 min = 15,000 min.
    """
    task = {
        "id": "ANALIS-T1",
        "name": "Menyusun laporan analisis kepegawaian",
        "output": "laporan",
        "output_unit": "laporan",
        "standard_minutes": 30,
        "volume": {"quantity": "2", "per": "day"},
    }
    head_task = {
        "id": "KABAN-T1",
        "name": "Memimpin rapat koordinasi",
        "output": "rapat",
        "output_unit": "rapat",
        "standard_minutes": 60,
        "volume": {"quantity": Decimal("48"), "per": "year"},
    }
    return {
        "schema_version": 1,
        "government": {"code": "9999", "name": "Pemerintah Kota Uji"},
        "calendar": calendar_2026(),
        "units": [{"id": "BKPSDM", "name": "Badan Kepegawaian dan Pengembangan SDM", "parent": None}],
        "positions": [
            {
                "id": "KABAN",
                "name": "Kepala Badan",
                "kind": "leadership",
                "job_class": 14,
                "unit": "BKPSDM",
                "supervisor": None,
                "analysis": {"tasks": [head_task]},
            },
            {
                "id": "ANALIS",
                "name": "Analis SDM Aparatur",
                "kind": "functional",
                "job_class": 8,
                "unit": "BKPSDM",
                "supervisor": "KABAN",
                "analysis": {"tasks": [task]},
            },
        ],
        "employees": [
            {"nip": HEAD, "name": "Teuku Kepala", "rank": "IV/b", "employment": "PNS"},
            {"nip": STAFF, "name": "Cut Analis", "rank": "III/a", "employment": "PNS"},
            {"nip": PEER, "name": "Rina Rekan", "rank": "IX", "employment": "PPPK"},
        ],
        "assignments": [
            {"employee": HEAD, "position": "KABAN", "kind": "definitive", "from": dt.date(2020, 1, 1), "until": None},
            {"employee": STAFF, "position": "ANALIS", "kind": "definitive", "from": "2020-01-01", "until": None},
            {"employee": PEER, "position": "ANALIS", "kind": "definitive", "from": dt.date(2021, 1, 1)},
        ],
        "salaries": [{"employee": STAFF, "salary": Decimal("4500000.00"), "from": dt.date(2026, 1, 1)}],
        "officials": [
            {
                "id": "WALIKOTA",
                "name": "Wali Kota Uji",
                "office": "regional_head",
                "from": dt.date(2022, 1, 1),
                "verifies": ["KABAN"],
                "reference": "Kepmendagri 131.11-0000 Tahun 2022 (uji)",
            },
            {
                "id": "WAKIL",
                "name": "Wakil Wali Kota Uji",
                "office": "deputy_head",
                "from": dt.date(2022, 1, 1),
                "reference": "Kepmendagri 132.11-0000 Tahun 2022 (uji)",
            },
        ],
        "officers": [
            {"employee": HEAD, "role": "hr", "from": dt.date(2020, 1, 1), "reference": "SK Kepala BKPSDM 800/1 (uji)"},
            {"employee": PEER, "role": "hr", "from": dt.date(2021, 1, 1), "reference": "SK Kepala BKPSDM 800/2 (uji)"},
            {
                "employee": HEAD,
                "role": "attendance",
                "unit": "BKPSDM",
                "from": dt.date(2020, 1, 1),
                "reference": "SK Kepala BKPSDM 800/3 (uji)",
            },
        ],
        "clock_devices": [{"id": "FP-BKPSDM", "unit": "BKPSDM", "kind": "fingerprint", "from": dt.date(2020, 1, 1)}],
    }


@pytest.fixture(scope="session")
def city() -> kinerja.City:
    return kinerja.City.from_dict(small_dataset())


@pytest.fixture(scope="session")
def policy() -> kinerja.Policy:
    return kinerja.Policy.national()


@pytest.fixture(scope="session")
def ctx(city: kinerja.City, policy: kinerja.Policy) -> kinerja.MonthContext:
    return kinerja.MonthContext(city, policy, MONTH)


@pytest.fixture()
def ledger(ctx: kinerja.MonthContext) -> kinerja.Ledger:
    return kinerja.Ledger(ctx)


@pytest.fixture(scope="session")
def synthetic() -> kinerja.City:
    return kinerja.generate_city(seed=7, units=6, employees=240)


@pytest.fixture(scope="session")
def simulated(synthetic: kinerja.City, policy: kinerja.Policy) -> kinerja.Ledger:
    ctx = kinerja.MonthContext(synthetic, policy, MONTH)
    ledger, _report = kinerja.simulate_month(ctx, seed=3)
    return ledger


def log_report(ledger: kinerja.Ledger, day: dt.date = MON, start: int = 8, hours: int = 1, quantity: int = 2) -> kinerja.ActivityEntry:
    """STAFF logs `quantity` reports from `start` o'clock, the same afternoon."""
    return ledger.log_activity(
        STAFF,
        at(day, 16),
        date=day,
        start=dt.time(start),
        end=dt.time(start + hours),
        task="ANALIS-T1",
        quantity=quantity,
        description="Laporan mutasi pegawai",
    )
