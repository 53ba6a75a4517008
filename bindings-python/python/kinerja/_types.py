"""Records and enumerations returned by the engine.

Records are frozen dataclasses built by the native module from the core's data: they
carry values, never rules (every rule lives in the Rust core). Enumerations are
``str`` enums whose values are the core's stable texts, so ``grade == "A"`` and
``VerificationStatus("approved")`` both work, and tables hold the plain texts.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from ._table import Table

__all__ = [
    "PositionKind",
    "EmploymentType",
    "AssignmentKind",
    "VolumePeriod",
    "EfficiencyGrade",
    "HolidayKind",
    "DayKind",
    "VerificationStatus",
    "VerifierRole",
    "ClockDirection",
    "ClockSource",
    "AbsenceKind",
    "RollCallKind",
    "PolicyValue",
    "Problem",
    "Provenance",
    "Resolved",
    "DatedValue",
    "ParamSpec",
    "Government",
    "WorkUnit",
    "Task",
    "Position",
    "Employee",
    "Assignment",
    "SupervisorResolution",
    "DaySchedule",
    "Holiday",
    "DayInfo",
    "CityWorkload",
    "WorkloadAnalysis",
    "ActivityEntry",
    "Approve",
    "Reject",
    "Return",
    "Decision",
    "SimulationReport",
    "MonthlyRecap",
]


# --- enumerations ------------------------------------------------------------------


class PositionKind(str, Enum):
    """The kind of a position (*jenis jabatan*)."""

    LEADERSHIP = "leadership"
    """Jabatan Pimpinan Tinggi (JPT): heads of agencies."""
    ADMINISTRATOR = "administrator"
    """Jabatan Administrator: heads of divisions."""
    SUPERVISOR = "supervisor"
    """Jabatan Pengawas: heads of sections."""
    FUNCTIONAL = "functional"
    """Jabatan Fungsional: teachers, nurses, auditors, ..."""
    EXECUTOR = "executor"
    """Jabatan Pelaksana."""


class EmploymentType(str, Enum):
    """Employment type of an employee."""

    PNS = "PNS"
    """Pegawai Negeri Sipil: civil servant."""
    CPNS = "CPNS"
    """Calon PNS: candidate civil servant."""
    PPPK = "PPPK"
    """Pegawai Pemerintah dengan Perjanjian Kerja: government employee on contract."""


class AssignmentKind(str, Enum):
    """How an employee holds a position."""

    DEFINITIVE = "definitive"
    """The employee's own (definitive) position."""
    PLT = "plt"
    """Pelaksana Tugas: acting in a vacant position."""
    PLH = "plh"
    """Pelaksana Harian: acting while the holder is briefly absent."""


class VolumePeriod(str, Enum):
    """The period a task's volume is stated over."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class EfficiencyGrade(str, Enum):
    """The grade A-E of an efficiency (*prestasi kerja jabatan*); bands are policy data."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class HolidayKind(str, Enum):
    """What kind of day off a holiday is."""

    NATIONAL = "national"
    """A national public holiday (*hari libur nasional*)."""
    COLLECTIVE_LEAVE = "collective_leave"
    """Collective leave (*cuti bersama*)."""
    LOCAL = "local"
    """A holiday declared by the region only."""


class DayKind(str, Enum):
    """Why a day is, or is not, a working day."""

    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


class VerificationStatus(str, Enum):
    """Where an activity entry stands in verification."""

    SUBMITTED = "submitted"
    """Awaiting the supervisor's decision (*menunggu verifikasi*)."""
    APPROVED = "approved"
    """Approved (final); only approved work counts (*disetujui*)."""
    REJECTED = "rejected"
    """Rejected with a reason (final) (*ditolak*)."""
    RETURNED = "returned"
    """Returned to the employee for revision (*dikembalikan*)."""


class VerifierRole(str, Enum):
    """In what capacity a verifier verifies an employee's work."""

    DEFINITIVE = "definitive"
    PLT = "plt"
    PLH = "plh"
    DELEGATE = "delegate"


class ClockDirection(str, Enum):
    """Whether a scan records arriving (*masuk*) or leaving (*pulang*)."""

    IN = "in"
    OUT = "out"


class ClockSource(str, Enum):
    """Where a scan came from. ``MOBILE`` scans carry exact coordinates."""

    FINGERPRINT = "fingerprint"
    FACE = "face"
    MOBILE = "mobile"


class AbsenceKind(str, Enum):
    """Why an employee is away on a working day; values are the core's stable codes."""

    UNEXCUSED = "unexcused"
    """Tanpa keterangan (TK)."""
    PERMIT = "permit"
    """Izin."""
    SICK = "sick"
    """Sakit, without a doctor's note."""
    SICK_WITH_NOTE = "sick_with_note"
    """Sakit, with a doctor's note."""
    LEAVE_ANNUAL = "leave.annual"
    """Cuti tahunan."""
    LEAVE_LONG = "leave.long"
    """Cuti besar."""
    LEAVE_SICK = "leave.sick"
    """Cuti sakit."""
    LEAVE_MATERNITY = "leave.maternity"
    """Cuti melahirkan."""
    LEAVE_IMPORTANT_REASON = "leave.important_reason"
    """Cuti karena alasan penting."""
    LEAVE_COLLECTIVE = "leave.collective"
    """Cuti bersama taken individually."""
    LEAVE_UNPAID = "leave.unpaid"
    """Cuti di luar tanggungan negara (CLTN)."""
    OFFICIAL_TRAVEL = "official_travel"
    """Dinas luar."""
    OFF_SITE_HALF_DAY = "off_site_half_day"
    """Half a day of duty off site replacing one scan (give ``replaces``)."""


class RollCallKind(str, Enum):
    """Which gathering: morning roll call (*apel pagi*), afternoon (*apel sore*), ceremony (*upacara*)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    CEREMONY = "ceremony"


# --- records -----------------------------------------------------------------------

PolicyValue = Union[int, Decimal, bool, str, _dt.time, List[Any], Dict[str, Any]]
"""A policy value: int, exact Decimal, bool, text, time of day, or a list/dict of those."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data: which record, which field, what is wrong."""

    record: str
    """Kind of record, e.g. ``"employee"``, ``"position"``, ``"policy"``."""
    id: str
    """The record's id (NIP, position id, policy key, ...); empty when it has none."""
    field: str
    """The field at fault."""
    code: str
    """A stable machine-readable code, e.g. ``"unknown_reference"``."""
    message: str
    """A sentence for people."""


@dataclass(frozen=True)
class Provenance:
    """Where a policy value came from: the layer, its source, the dated entry and the legal reference."""

    key: str
    layer: str
    source: str
    effective_from: _dt.date
    """The ``from`` date of the dated entry used."""
    effective_until: Optional[_dt.date]
    """The last day the entry is in force within its layer; ``None`` when open-ended."""
    reference: str
    """The legal reference of the entry."""


@dataclass(frozen=True)
class Resolved:
    """A policy value in force on a date, with its provenance."""

    key: str
    value: PolicyValue
    provenance: Provenance


@dataclass(frozen=True)
class DatedValue:
    """One dated entry of a policy parameter's timeline."""

    effective_from: _dt.date
    until: Optional[_dt.date]
    value: PolicyValue
    reference: str
    note: Optional[str]


@dataclass(frozen=True)
class ParamSpec:
    """A parameter a policy file may set (from the core's catalogue)."""

    key: str
    kind: str
    """What values it takes, e.g. ``"integer 1..=366"``."""
    doc: str


@dataclass(frozen=True)
class Government:
    """The local government a dataset belongs to."""

    code: str
    """Region code (*kode wilayah*), e.g. ``"1171"``."""
    name: str


@dataclass(frozen=True)
class WorkUnit:
    """A work unit (SKPD/OPD)."""

    id: str
    name: str
    parent: Optional[str]


@dataclass(frozen=True)
class Task:
    """A task (*uraian tugas*) of a position, from its job analysis."""

    id: str
    name: str
    output: str
    output_unit: str
    standard_minutes: int
    """Standard minutes per output unit (*norma waktu*)."""
    volume_quantity: Decimal
    volume_per: VolumePeriod


@dataclass(frozen=True)
class Position:
    """A position (*jabatan*) with its job analysis's tasks."""

    id: str
    name: str
    kind: PositionKind
    job_class: int
    """Kelas jabatan, 1 to 17."""
    unit: str
    supervisor: Optional[str]
    tasks: Tuple[Task, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Employee:
    """An employee (*pegawai*)."""

    nip: str
    name: str
    rank: str
    """Pangkat/golongan, e.g. ``"III/a"``."""
    employment: EmploymentType


@dataclass(frozen=True)
class Assignment:
    """An employee holding a position over a date range (inclusive; ``valid_until=None``: still running)."""

    employee: str
    position: str
    kind: AssignmentKind
    valid_from: _dt.date
    valid_until: Optional[_dt.date]


@dataclass(frozen=True)
class SupervisorResolution:
    """Who supervises an employee on a date (*atasan langsung*), after escalating over vacant positions."""

    position: str
    skipped_vacant: Tuple[str, ...]
    definitive: Tuple[str, ...]
    acting: Tuple[Tuple[str, AssignmentKind], ...]


@dataclass(frozen=True)
class DaySchedule:
    """The working hours of one day (*jam kerja*)."""

    start: _dt.time
    end: _dt.time
    rest_minutes: int
    effective_minutes: int
    """``end - start - rest``, as the core computes it."""


@dataclass(frozen=True)
class Holiday:
    """A declared non-working day."""

    date: _dt.date
    kind: HolidayKind
    name: str
    reference: str


@dataclass(frozen=True)
class DayInfo:
    """Everything the calendar knows about one date."""

    date: _dt.date
    kind: DayKind
    holiday_kind: Optional[HolidayKind]
    """The holiday's kind when ``kind`` is ``HOLIDAY``."""
    schedule: Optional[DaySchedule]
    holiday: Optional[Holiday]
    """The holiday in force on the date (also on a weekend); ``None`` when cancelled."""
    period: Optional[str]
    """The name of the special period (e.g. Ramadan) containing the date."""
    cancelled: bool
    """True when the date's holiday was cancelled."""

    @property
    def is_working(self) -> bool:
        """True on a working day."""
        return self.kind is DayKind.WORKING


@dataclass(frozen=True)
class CityWorkload:
    """The city-wide totals of a workload analysis."""

    units: int
    positions: int
    workload_minutes: Decimal
    required_staff: Decimal
    headcount: int
    efficiency: Optional[Decimal]
    grade: Optional[EfficiencyGrade]
    gap: Decimal
    """Staff needed minus headcount: positive = understaffed."""


@dataclass(frozen=True)
class WorkloadAnalysis:
    """A workload analysis (ABK) of a city on a date.

    ``positions`` and ``units`` are :class:`Table` s (one row per position / unit,
    in dataset order); ``tasks`` has one row per task of every position.
    """

    date: _dt.date
    effective_minutes_per_year: int
    positions: Table = field(repr=False)
    units: Table = field(repr=False)
    tasks: Table = field(repr=False)
    total: CityWorkload
    provenance: Tuple[Provenance, ...] = field(repr=False)


@dataclass(frozen=True)
class ActivityEntry:
    """A logged daily activity as the ledger keeps it."""

    id: int
    employee: str
    date: _dt.date
    start: _dt.time
    end: _dt.time
    task: str
    quantity: int
    approved_quantity: Optional[int]
    standard_minutes: int
    description: str
    evidence: Optional[str]
    status: VerificationStatus
    submitted_at: _dt.datetime
    revision: int


@dataclass(frozen=True)
class Approve:
    """Approve an entry as claimed (``quantity=None``) or for a lower quantity."""

    quantity: Optional[int] = None


@dataclass(frozen=True)
class Reject:
    """Reject an entry for good; ``reason`` is required."""

    reason: str


@dataclass(frozen=True)
class Return:
    """Return an entry to its employee for revision; ``reason`` is required."""

    reason: str


Decision = Union[Approve, Reject, Return]
"""A verifier's decision on a submitted entry."""


@dataclass(frozen=True)
class SimulationReport:
    """What a simulated month did: commands accepted and refusals by error code."""

    accepted: int
    refused: Mapping[str, int]


@dataclass(frozen=True)
class MonthlyRecap:
    """The recap of a month as of a date.

    ``employees`` has one row per employee (dataset order) and ``units`` one row per
    work unit; see the column lists in the package documentation.
    """

    month: str
    as_of: _dt.date
    deadline: _dt.date
    deadline_passed: bool
    employees: Table = field(repr=False)
    units: Table = field(repr=False)
    provenance: Tuple[Provenance, ...] = field(repr=False)
