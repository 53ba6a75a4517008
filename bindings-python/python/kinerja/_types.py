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
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple, Union

from ._table import Table

if TYPE_CHECKING:  # pragma: no cover
    from ._html import Html
    from ._kinerja import AllowanceInput, Payroll, Policy, _RecapData

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
    "Office",
    "OfficerRole",
    "DeviceKind",
    "ClockDirection",
    "ClockSource",
    "AbsenceKind",
    "RollCallKind",
    "PolicyValue",
    "Problem",
    "Provenance",
    "Resolved",
    "PolicyChange",
    "DatedValue",
    "ParamSpec",
    "Government",
    "WorkUnit",
    "Task",
    "Position",
    "Employee",
    "Assignment",
    "Official",
    "Officer",
    "ClockDevice",
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
    "Presence",
    "ParamUse",
    "SlipLine",
    "Slip",
    "RuleDifference",
    "Arrears",
    "AllowanceTotals",
    "PayrollFailure",
    "NotPaid",
    "RuleTotal",
    "PayrollSummary",
    "SlipDifference",
    "SlipVerification",
    "AmountChange",
    "AllowanceDelta",
    "WhatIf",
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
    """Holds the supervising position."""
    PLT = "plt"
    """Plt (acting) in the supervising position."""
    PLH = "plh"
    """Plh (daily acting) in the supervising position."""
    DELEGATE = "delegate"
    """Delegated the supervising position's verification on the decision date."""
    OFFICIAL = "official"
    """The regional head or deputy (``official:ID``) named to verify a top position."""


class Office(str, Enum):
    """The office of an :class:`Official`."""

    REGIONAL_HEAD = "regional_head"
    """*Kepala daerah*: mayor (*wali kota*) or regent (*bupati*)."""
    DEPUTY_HEAD = "deputy_head"
    """*Wakil kepala daerah*: deputy mayor or deputy regent."""


class OfficerRole(str, Enum):
    """The role an :class:`Officer` is appointed to by decree (SK)."""

    HR = "hr"
    """Human-resources officer (*BKPSDM*), city-wide: records absences on evidence,
    declares ceremonies, closes and reopens months."""
    ATTENDANCE = "attendance"
    """Attendance officer of a work unit (and its sub-units): records its roll calls."""


class DeviceKind(str, Enum):
    """The kind of a :class:`ClockDevice`."""

    FINGERPRINT = "fingerprint"
    FACE = "face"


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


class Presence(str, Enum):
    """Which side(s) of a what-if comparison an employee is paid on."""

    BOTH = "both"
    """Paid under both policies."""
    BEFORE_ONLY = "before_only"
    """Paid under the current policy only (missing side counts as zero)."""
    AFTER_ONLY = "after_only"
    """Paid under the proposed policy only."""


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
class PolicyChange:
    """A key whose value in force differs between two policies over a run of days
    (:meth:`kinerja.Policy.compare`): ``before`` is the first policy's value, ``after``
    the second's (``None`` where a policy has no value)."""

    key: str
    effective_from: _dt.date
    """The first day the values differ."""
    effective_until: Optional[_dt.date]
    """The last day they differ this way; ``None`` when open-ended."""
    before: Optional[PolicyValue]
    after: Optional[PolicyValue]
    before_reference: Optional[str]
    """The legal reference of the first policy's value on ``effective_from``."""
    after_reference: Optional[str]
    """The legal reference of the second policy's value on ``effective_from``."""
    after_layer: Optional[str]
    """The layer of the second policy that sets ``after`` (e.g. the reform's)."""


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
class Official:
    """A regional head or deputy: not a civil servant, so named by an id of the
    dataset's own; acts as ``"official:<id>"`` (e.g. ``"official:WALIKOTA"``)."""

    id: str
    name: str
    office: Office
    valid_from: _dt.date
    valid_until: Optional[_dt.date]
    verifies: Tuple[str, ...]
    """The top positions (no supervising position) whose holders' work this official verifies."""
    reference: str
    """The appointment's reference."""


@dataclass(frozen=True)
class Officer:
    """An employee appointed by decree to an officer's role over a date range
    (acts by their NIP)."""

    employee: str
    role: OfficerRole
    unit: Optional[str]
    """The work unit an attendance officer serves (with its sub-units); ``None`` for HR."""
    valid_from: _dt.date
    valid_until: Optional[_dt.date]
    reference: str
    """The appointing decree (SK)."""


@dataclass(frozen=True)
class ClockDevice:
    """An attendance machine at a work unit's site; acts as ``"device:<id>"`` and may
    send clock events of its own kind for the employees of that unit and its sub-units."""

    id: str
    unit: str
    kind: DeviceKind
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


@dataclass(frozen=True, eq=False)
class MonthlyRecap:
    """The recap of a month as of a date.

    ``employees`` has one row per employee (dataset order) and ``units`` one row per
    work unit; see the column lists in the package documentation. Both tables and the
    provenance are built from the engine's recap the first time they are read, and
    kept: a recap handed straight to :func:`kinerja.pay_city` costs none of them.

    Two recaps are equal when their month, dates, provenance and both tables are.
    """

    month: str
    as_of: _dt.date
    deadline: _dt.date
    deadline_passed: bool
    _native: "_RecapData" = field(repr=False)
    """The engine's own recap, read by :func:`kinerja.pay_city` and
    :func:`kinerja.what_if`, which builds the tables and the provenance (not part of
    the public API)."""

    @property
    def provenance(self) -> Tuple[Provenance, ...]:
        """The policy values the recap used, each with its effective date and legal
        basis."""
        return self._native._provenance()

    @property
    def employees(self) -> Table:
        """One row per employee of the dataset, in dataset order."""
        return self._native._employees()

    @property
    def units(self) -> Table:
        """One row per work unit: the totals of its employees."""
        return self._native._units()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MonthlyRecap):
            return NotImplemented
        return (
            (self.month, self.as_of, self.deadline, self.deadline_passed, self.provenance)
            == (other.month, other.as_of, other.deadline, other.deadline_passed, other.provenance)
            and self.employees == other.employees
            and self.units == other.units
        )

    __hash__ = None  # type: ignore[assignment]

    def to_html(self, lang: str = "id") -> "Html":
        """The recap for a notebook: the month and its date, then the table per work
        unit, headers in ``lang`` (``"id"``, the default, or ``"en"``)."""
        from ._html import recap_html

        return recap_html(self, lang)

    def _repr_html_(self) -> str:
        return str(self.to_html())


# --- the allowance (TPP) -----------------------------------------------------------


@dataclass(frozen=True)
class ParamUse:
    """A policy value a slip line used, with its provenance.

    (The JSON form calls ``effective_from`` ``from``, a Python keyword.)
    """

    key: str
    """The policy key, e.g. ``"allowance.weight_performance"``."""
    value: str
    """The value used, as canonical text (for a table, the entry used: ``"9 = 2500000"``)."""
    effective_from: _dt.date
    """The first day of the dated entry used."""
    layer: str
    """The policy layer that supplied it (``"national"``, a city's layer, ...)."""
    reference: str
    """The legal reference of the entry."""


@dataclass(frozen=True)
class SlipLine:
    """One line of a slip: a rule, its exact amount and why."""

    rule: str
    """The rule id: ``ceiling``, ``proration``, ``cpns``, ``performance.shortfall``,
    ``deduction.late.1`` .. ``.4``, ``deduction.early.1`` .. ``.4``, ``deduction.unexcused``,
    ``deduction.roll_call``, ``deduction.ceremony``, ``deduction.absence.<code>``,
    ``deduction.floor``, ``gate``, ``sanction``, ``acting``, ``tax.pph21``, ``contribution.bpjs``."""
    amount: Decimal
    """Signed amount: positive for the ceiling, the floor give-back and acting; negative otherwise."""
    explanation: str
    """The arithmetic in words with the actual numbers, in Indonesian (the default
    language); :meth:`render` gives it in English (``lang="en"``)."""
    parameters: Tuple[ParamUse, ...] = field(repr=False)
    """The policy values that decided the amount, with their legal references."""
    inputs: Mapping[str, str] = field(repr=False)
    """The input fields read, by JSON path (``"discipline.late[0]"``), as text."""
    message: Optional[Mapping[str, Any]] = field(default=None, repr=False)
    """The explanation as structured data, as the engine keeps it: ``{"id":
    "slip-deduction", "args": {"count": {"int": 2}, "rate": {"percent": "0.5"},
    "base": {"money": "1000000"}, ...}}`` (a message id of the engine's catalogues and
    typed arguments). ``None`` for a slip stored before explanations were structured,
    whose ``explanation`` is the stored English text."""

    def render(self, lang: str = "id") -> str:
        """The explanation in ``lang`` (``"id"``, the default, or ``"en"``), rendered by
        the engine's one renderer (``Rp 6.500.000`` / ``Rp 6,500,000``)."""
        if self.message is None:
            return self.explanation
        from ._kinerja import render_message

        return render_message(self.message, lang)


@dataclass(frozen=True, repr=False)
class Slip:
    """One employee's allowance (TPP) for one month: ordered lines that add up
    exactly to the totals (docs/allowance.md section 4).

    ``gross`` is the sum of the lines before ``tax.pph21``; ``tax`` and
    ``contribution`` are the (negative, or zero) ``tax.pph21`` and
    ``contribution.bpjs`` amounts; ``net = gross + tax + contribution`` is the sum of
    all lines.

    The slip is sealed (docs/allowance.md section 4.1): ``input_hash`` is the SHA-256
    of the input's canonical JSON, ``policy_hash`` that of every allowance policy
    value in force (with its legal reference), and ``content_hash`` the seal over
    both hashes, every line's rule and amount and the totals. :meth:`verify`
    recomputes a stored slip and says whether it still holds.
    """

    schema_version: int
    employee: str
    """The employee's NIP."""
    month: str
    """The month paid, ``"YYYY-MM"``."""
    lines: Tuple[SlipLine, ...]
    gross: Decimal
    tax: Decimal
    contribution: Decimal
    net: Decimal
    input_hash: str
    """SHA-256 (hex) of the input's canonical JSON: what the slip was computed from."""
    policy_hash: str
    """SHA-256 (hex) of every allowance policy value in force for the month, with its provenance."""
    content_hash: str
    """The seal: SHA-256 (hex) of the slip's amounts, rules and the two hashes above."""
    unverified: Tuple[str, ...] = ()
    """The allowance policy values in force that were not verified when the slip was paid
    with ``allow_unverified=True``, as ``"key (status)"``; empty otherwise. A slip with
    such values is version 3 and its seal covers them."""

    def line(self, rule: str) -> Optional[SlipLine]:
        """The first line with rule id ``rule``, or ``None``."""
        return next((l for l in self.lines if l.rule == rule), None)

    def amount(self, rule: str) -> Decimal:
        """The amount of rule ``rule`` (its lines summed, e.g. several ``acting``
        lines); ``Decimal(0)`` when the slip has no such line."""
        return sum((l.amount for l in self.lines if l.rule == rule), Decimal(0))

    @property
    def ceiling(self) -> Decimal:
        """The ceiling (*pagu*): the ``ceiling`` line."""
        return self.amount("ceiling")

    @property
    def rules(self) -> Tuple[str, ...]:
        """The rule ids of the lines, in order."""
        return tuple(l.rule for l in self.lines)

    def explain(self, lang: str = "id", name: Optional[str] = None) -> str:
        """The slip for people in ``lang`` (``"id"``, the default, or ``"en"``): every
        line with its amount, the arithmetic in words, the policy values used (with
        effective date, layer and legal reference) and the inputs read, then the totals
        (``Rp 2.353.636`` / ``Rp 2,353,636``). ``name`` is shown after the NIP. Rendered
        by the engine's one renderer, as the CLI's ``explain`` prints it."""
        from ._kinerja import explain_slip

        return explain_slip(self, lang, name)

    def to_html(self, lang: str = "id") -> "Html":
        """The slip for a notebook: one row per line (the rule's name, the amount in
        rupiah, the arithmetic in words), then the totals; in ``lang`` (``"id"``, the
        default, or ``"en"``), every text escaped."""
        from ._html import slip_html

        return slip_html(self, lang)

    def _repr_html_(self) -> str:
        return str(self.to_html())

    def to_json(self) -> str:
        """The slip as JSON (docs/allowance.md section 4; amounts as decimal strings),
        exactly as the engine serialises it."""
        from ._kinerja import _slip_to_json

        return _slip_to_json(self)

    @staticmethod
    def from_json(text: str) -> "Slip":
        """Reads a slip from its JSON form (e.g. a stored payment, to re-verify it)."""
        from ._kinerja import _slip_from_json

        return _slip_from_json(text)

    def verify(self, input: Union["AllowanceInput", Mapping[str, Any]], policy: "Policy") -> "SlipVerification":
        """Re-verifies this (stored) slip: recomputes it from ``input`` (the
        :class:`kinerja.AllowanceInput`, or a dict, it was computed from) under
        ``policy`` (a :class:`kinerja.Policy`) and says whether it still holds. The same
        as :func:`kinerja.verify_slip`."""
        from ._kinerja import verify_slip

        return verify_slip(self, input, policy)

    def __repr__(self) -> str:
        return (
            f"Slip({self.employee}, {self.month}, {len(self.lines)} lines, gross={self.gross}, "
            f"net={self.net}, hash={self.content_hash[:12]}...)"
        )


@dataclass(frozen=True)
class RuleDifference:
    """One rule's amount on the slip paid and on the recomputed slip."""

    rule: str
    paid: Decimal
    """Lines of the rule summed on the slip paid (0 when absent)."""
    recomputed: Decimal
    """The same on the recomputed slip."""
    difference: Decimal
    """``recomputed - paid``."""


@dataclass(frozen=True)
class Arrears:
    """Arrears (*rapel*) of one employee's month: what a recomputed slip changes.

    Differences are ``recomputed - paid``; ``to_pay`` is a positive net difference
    (owed to the employee), ``to_recover`` the magnitude of a negative one.
    """

    employee: str
    month: str
    by_rule: Tuple[RuleDifference, ...]
    """Every rule of either slip: the paid slip's order, then rules only the recomputed slip has."""
    gross: Decimal
    tax: Decimal
    contribution: Decimal
    net: Decimal
    to_pay: Decimal
    to_recover: Decimal


@dataclass(frozen=True)
class AllowanceTotals:
    """Totals of many slips (a city's or a unit's month): the TPP budget."""

    count: int
    """Number of slips."""
    ceiling: Decimal
    """Sum of the ceilings."""
    gross: Decimal
    tax: Decimal
    """Sum of the tax withheld (negative or zero)."""
    contribution: Decimal
    """Sum of the contributions withheld (negative or zero)."""
    net: Decimal
    by_rule: Mapping[str, Decimal] = field(repr=False)
    """Every rule other than ``ceiling`` summed, by rule id, with its sign."""


@dataclass(frozen=True)
class SlipDifference:
    """One way a stored slip differs from the slip recomputed now."""

    field: str
    """Where: ``lines[3].amount``, ``lines[3].rule``, ``lines[5]`` (a line only one of the
    slips has), ``gross``, ``tax``, ``contribution``, ``net``; for wording,
    ``lines[3].explanation``, ``lines[3].parameters``, ``lines[3].inputs``."""
    stored: str
    """The stored slip's value (empty when it has no such line)."""
    recomputed: str
    """The recomputed slip's value (empty when it has no such line)."""


@dataclass(frozen=True, repr=False)
class SlipVerification:
    """What :func:`kinerja.verify_slip` found about a stored slip.

    The slip ``holds`` when it is ``sealed`` (its content hash is the seal of its own
    amounts and hashes: nothing was edited after it was made), the input and the
    policy are those it was computed from (``input_matches``, ``policy_matches``) and
    recomputing it gives the same rules and amounts (``differences`` is empty).
    ``wording`` lists explanations or quoted values that read differently (not sealed:
    they do not decide ``holds``)."""

    holds: bool
    sealed: bool
    input_matches: bool
    policy_matches: bool
    differences: Tuple[SlipDifference, ...]
    wording: Tuple[SlipDifference, ...]
    reasons: Tuple[str, ...]
    """The finding in words, one sentence per point."""
    recomputed: "Slip"
    """The slip computed again now."""

    def __bool__(self) -> bool:
        return self.holds

    def __repr__(self) -> str:
        return f"SlipVerification(holds={self.holds}, {'; '.join(self.reasons)})"


@dataclass(frozen=True)
class PayrollFailure:
    """An employee whose slip could not be computed, with the engine's error code and
    message (which names the field at fault)."""

    employee: str
    code: str
    message: str
    unit: Optional[str] = None
    """The work unit of the employee's position in the month, if any."""


@dataclass(frozen=True)
class NotPaid:
    """An employee of the dataset not paid this month, and why (not an error).

    ``code`` is one of ``left_service`` (the last definitive assignment ended before the
    month: field ``until``), ``not_yet_assigned`` (the first starts after it: ``from``),
    ``no_definitive_position``, ``acting_only`` (only Plt/Plh in the month: ``kind``),
    ``no_assignment`` and ``not_in_recap``."""

    employee: str
    unit: Optional[str]
    """The unit of the nearest definitive position (the last before the month, else the first after)."""
    code: str
    record: str
    """The kind of record that decides it: ``assignment``, ``employee`` or ``recap``."""
    field: str
    """The field of that record, e.g. ``until``."""
    reason: str
    """A sentence with the dates and ids involved."""


@dataclass(frozen=True)
class RuleTotal:
    """One rule's lines summed over a payroll's slips."""

    rule: str
    lines: int
    """How many slip lines carry the rule."""
    amount: Decimal
    """Their sum, with its sign."""


@dataclass(frozen=True, repr=False)
class PayrollSummary:
    """What a payroll's rows add up to, for a treasury to reconcile against:
    ``employees = paid + failed + not_paid``; the ``by_rule`` amounts of the rules before
    ``tax.pph21`` add up to ``gross``; ``net = gross + tax + contribution``."""

    employees: int
    paid: int
    failed: int
    not_paid: int
    by_rule: Tuple[RuleTotal, ...]
    """Every rule id in slip order (:data:`kinerja.ALLOWANCE_RULES`), zero when unused."""
    ceiling: Decimal
    gross: Decimal
    tax: Decimal
    contribution: Decimal
    net: Decimal

    def __repr__(self) -> str:
        return (
            f"PayrollSummary({self.employees} employees: {self.paid} paid, {self.failed} failed, "
            f"{self.not_paid} not paid; gross {self.gross}, net {self.net})"
        )


@dataclass(frozen=True)
class AmountChange:
    """An amount under the current and the proposed policy."""

    before: Decimal
    after: Decimal
    delta: Decimal
    """``after - before``."""


@dataclass(frozen=True)
class AllowanceDelta:
    """The change of a group of employees (here: the city) between two policies."""

    employees: int
    gross: AmountChange
    tax: AmountChange
    contribution: AmountChange
    net: AmountChange


@dataclass(frozen=True)
class WhatIf:
    """A month paid under the current and a proposed policy, compared.

    ``employees`` (one row per employee of either side, by NIP) and ``units`` (one row
    per work unit) are :class:`Table` s with ``<amount>_before``, ``<amount>_after`` and
    ``<amount>_delta`` columns for gross, tax, contribution and net; ``employees`` also
    has ``presence`` and one ``delta.<rule>`` column per rule id.
    """

    month: str
    employees: Table = field(repr=False)
    units: Table = field(repr=False)
    city: AllowanceDelta
    """The city's change: the budget impact."""
    before: AllowanceTotals = field(repr=False)
    after: AllowanceTotals = field(repr=False)
    current: "Payroll" = field(repr=False)
    """The month paid under the current policy."""
    proposed: "Payroll" = field(repr=False)
    """The month paid under the proposed policy."""

    def to_html(self, lang: str = "id") -> "Html":
        """The comparison for a notebook: the city's change of the net, then the table
        per work unit, in ``lang`` (``"id"``, the default, or ``"en"``)."""
        from ._html import what_if_html

        return what_if_html(self, lang)

    def _repr_html_(self) -> str:
        return str(self.to_html())
