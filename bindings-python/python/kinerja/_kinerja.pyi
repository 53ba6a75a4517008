"""Type stubs of the native module ``kinerja._kinerja`` (import :mod:`kinerja` instead).

Every rule lives in the Rust core; these classes convert types and shape results.
Errors are :class:`kinerja.KinerjaError` subclasses carrying the core's stable ``code``.
"""

import datetime
import os
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, final, overload

from ._html import Html
from ._table import Table
from ._types import (
    AbsenceKind,
    ActivityEntry,
    AllowanceTotals,
    Arrears,
    ClockDevice,
    ClockDirection,
    ClockSource,
    DatedValue,
    DayInfo,
    DaySchedule,
    Decision,
    Employee,
    EmploymentType,
    Government,
    Holiday,
    MonthlyRecap,
    NotPaid,
    Officer,
    Official,
    ParamSpec,
    ParamUse,
    PayrollFailure,
    PolicyChange,
    PolicyValue,
    PayrollSummary,
    Position,
    Provenance,
    Resolved,
    RollCallKind,
    SimulationReport,
    Slip,
    SlipVerification,
    SupervisorResolution,
    VerifierRole,
    WhatIf,
    WorkloadAnalysis,
    WorkUnit,
    Assignment,
)

_Path = Union[str, "os.PathLike[str]"]
_Exact = Union[Decimal, int]

__version__: str
"""The version of the package (and of the engine it was built from)."""
CORE_VERSION: str
"""The version of the Rust core crate."""
NATIONAL_POLICY_TOML: str
"""The text of the built-in national policy baseline (``policy/national.toml``)."""
ALLOWANCE_KEYS: List[str]
"""Every allowance policy key (``allowance.*``), in the order of docs/allowance.md
section 2: the order of the policy values in a slip's policy hash."""
PPPK_ALLOWANCE_KEYS: List[str]
CRITERIA_ALLOWANCE_KEYS: List[str]
VARIANT_ALLOWANCE_KEYS: List[str]
"""The allowance keys read only for a PPPK employee (``allowance.tax.flat_pppk``,
``allowance.acting_pppk``); a PPPK employee's slip hashes them after
:data:`ALLOWANCE_KEYS`. A PPPK employee's ``rank`` is their grade ``"I"``..``"XVII"``."""
ALLOWANCE_RULES: List[str]
"""Every rule id a slip line may carry, in the order lines appear on a slip
(``ceiling``, ``proration``, ``cpns``, ``performance.shortfall``, ``deduction.*``,
``gate``, ``sanction``, ``acting``, ``tax.pph21``, ``contribution.bpjs``)."""
SLIP_SCHEMA_VERSION: int
"""The version of the slip's JSON form and of its hashes (2: the content hash seals the
amounts, the input hash and the policy hash)."""

@final
class City:
    """A city's dataset, loaded and checked: government, work calendar, work units,
    positions with their job analysis, employees and assignments, and who acts in its
    record besides employees: officials (``official:ID``), HR and attendance officers,
    and clock devices (``device:ID``).

    Loading checks every record and field and every cross-reference and reports every
    problem at once (:class:`kinerja.ValidationError` with ``problems``).
    """

    @staticmethod
    def from_json(text: str) -> "City":
        """Loads a dataset from its JSON text (see ``schema/dataset.schema.json``).

        Raises :class:`kinerja.ValidationError` (code ``invalid_dataset``) listing every
        problem; ``details`` has ``line``/``column`` for JSON syntax errors."""
    @staticmethod
    def from_file(path: _Path) -> "City":
        """Loads a dataset from a JSON file (``OSError`` if it cannot be read; a file longer
        than 256 MiB is a :class:`kinerja.ValidationError` ``too_large``, refused unread)."""
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "City":
        """Loads a dataset from a dict shaped like its JSON form. Dates, times and
        datetimes may be ``datetime`` objects, decimals ``decimal.Decimal``; floats are
        refused (:class:`kinerja.FloatRefused`, ``field`` = where the float sits)."""
    def to_json(self) -> str:
        """The dataset as JSON text (what :meth:`from_json` reads)."""
    @property
    def government(self) -> Government:
        """The local government (region code and name)."""
    @property
    def name(self) -> str:
        """The government's name, e.g. ``"Pemerintah Kota Banda Aceh"``."""
    @property
    def calendar(self) -> "Calendar":
        """The work calendar."""
    @property
    def units(self) -> List[WorkUnit]:
        """The work units, in dataset order."""
    @property
    def positions(self) -> List[Position]:
        """The positions with their tasks, in dataset order."""
    @property
    def employees(self) -> List[Employee]:
        """The employees, in dataset order."""
    @property
    def assignments(self) -> List[Assignment]:
        """The assignments of employees to positions (definitive, Plt, Plh)."""
    @property
    def officials(self) -> List[Official]:
        """The regional head and deputy; each acts as ``"official:<id>"`` and verifies
        the holders of the top positions named in ``verifies``."""
    @property
    def officers(self) -> List[Officer]:
        """The HR officers (absences on evidence, ceremonies, closing and reopening
        the month) and attendance officers (a unit's roll calls), appointed by decree."""
    @property
    def clock_devices(self) -> List[ClockDevice]:
        """The attendance machines; each acts as ``"device:<id>"`` for the employees of
        its unit (and sub-units), for scans of its own kind."""
    def unit(self, id: str) -> WorkUnit:
        """The work unit ``id``; raises :class:`kinerja.NotFoundError` if there is none."""
    def position(self, id: str) -> Position:
        """The position ``id``; raises :class:`kinerja.NotFoundError` if there is none."""
    def employee(self, nip: str) -> Employee:
        """The employee with this NIP; :class:`kinerja.NotFoundError` if there is none,
        :class:`kinerja.ValidationError` (code ``nip_*``) if the NIP is malformed."""
    def headcount(self, position: str, date: datetime.date) -> int:
        """Definitive holders of a position on ``date`` (*bezetting*)."""
    def definitive_position(self, employee: str, date: datetime.date) -> Optional[Position]:
        """The employee's own (definitive) position on ``date``, or ``None``."""
    def direct_supervisor(self, employee: str, date: datetime.date) -> Optional[SupervisorResolution]:
        """Who supervises the employee on ``date`` (*atasan langsung*), escalating over
        vacant positions; ``None`` when nobody does."""
    def verifier_role(
        self,
        verifier: str,
        employee: str,
        date: datetime.date,
        decided_on: Optional[datetime.date] = None,
    ) -> VerifierRole:
        """In what capacity ``verifier`` (a NIP, or ``"official:<id>"`` for the regional
        head or deputy) may decide on ``decided_on`` (default: ``date``) about
        ``employee``'s work done on ``date``. The supervising position is the one in
        charge on ``date``; who speaks for it is judged on ``decided_on`` (an acting
        period or delegation that has ended no longer counts). Raises
        :class:`kinerja.AuthorisationError` (``details["reason"]``) if they may not."""
    def workload_analysis(self, policy: "Policy", date: datetime.date) -> WorkloadAnalysis:
        """The workload analysis (ABK) of the whole city on ``date``, with the policy in
        force and the headcount on that date.

        Tables: ``positions`` (position, name, kind, unit, workload_minutes,
        required_staff, required_staff_rounded, headcount, efficiency, grade, gap),
        ``units`` (unit, name, positions, workload_minutes, required_staff, headcount,
        efficiency, grade, gap), ``tasks`` (position, task, annual_volume,
        standard_minutes, workload_minutes). Decimals are exact."""
    def yearly_targets(self, policy: "Policy", year: int, reference_date: datetime.date) -> Table:
        """Yearly targets: one row per (employee, task) with columns nip, position,
        year, task, share, annual_quantity, standard_minutes, annual_minutes,
        employee_annual_minutes."""

@final
class Calendar:
    """The work calendar of a city: working days, schedules (including special periods
    such as Ramadan), holidays and cancelled holidays."""

    @property
    def name(self) -> str:
        """The calendar's name."""
    def is_working_day(self, date: datetime.date) -> bool:
        """True when ``date`` is a working day."""
    def day(self, date: datetime.date) -> DayInfo:
        """Everything the calendar knows about ``date``."""
    def schedule(self, date: datetime.date) -> Optional[DaySchedule]:
        """The working hours of ``date``, or ``None`` on a non-working day."""
    @overload
    def working_days(self, month: str, /) -> int:
        """Number of working days in a month (``"YYYY-MM"``)."""
    @overload
    def working_days(self, start: datetime.date, end: datetime.date, /) -> int:
        """Number of working days from ``start`` to ``end`` inclusive (0 when inverted)."""
    @overload
    def working_dates(self, month: str, /) -> List[datetime.date]:
        """The working days of a month, in order."""
    @overload
    def working_dates(self, start: datetime.date, end: datetime.date, /) -> List[datetime.date]:
        """The working days from ``start`` to ``end`` inclusive, in order."""
    @overload
    def effective_minutes(self, month: str, /) -> int:
        """Sum of the scheduled effective minutes of a month's working days."""
    @overload
    def effective_minutes(self, start: datetime.date, end: datetime.date, /) -> int:
        """Sum of the scheduled effective minutes of the working days of a range."""
    def nth_working_day_after(self, date: datetime.date, n: int) -> Optional[datetime.date]:
        """The ``n``-th working day strictly after ``date`` (``n=0``: ``date`` itself)."""
    def nth_working_day_before(self, date: datetime.date, n: int) -> Optional[datetime.date]:
        """The ``n``-th working day strictly before ``date`` (``n=0``: ``date`` itself)."""
    def working_days_between(self, earlier: datetime.date, later: datetime.date) -> int:
        """Working days after ``earlier``, up to and including ``later``."""
    @property
    def holidays(self) -> List[Holiday]:
        """The declared holidays, by date (cancelled ones included)."""

@final
class PolicyLayer:
    """One layer of policy: a parsed TOML file. Each parameter is a timeline of dated
    values, each with its legal reference."""

    @staticmethod
    def from_toml(source: str, text: str) -> "PolicyLayer":
        """Parses a TOML policy file; ``source`` names it in messages and provenance.
        Raises :class:`kinerja.PolicyError` (code ``invalid_policy``) listing every
        problem. Decimals are written as strings: a TOML float is refused."""
    @staticmethod
    def from_file(path: _Path) -> "PolicyLayer":
        """Reads and parses a TOML policy file (its path is the source name); a file longer
        than 4 MiB is a :class:`kinerja.ValidationError` ``too_large``, refused unread."""
    @property
    def name(self) -> str:
        """The layer's name (``[layer] name``)."""
    @property
    def description(self) -> str:
        """The layer's description."""
    @property
    def source(self) -> str:
        """The source file name."""
    @property
    def keys(self) -> List[str]:
        """The keys this layer sets, sorted."""
    def timeline(self, key: str) -> List[DatedValue]:
        """The dated entries of ``key`` in this layer, oldest first (empty if not set)."""

@final
class Policy:
    """A stack of policy layers, national first; later layers win.

    To find a value on a day, the layers are asked from the last to the first; the
    first with an entry in force on that day answers, with its provenance."""

    @staticmethod
    def national() -> "Policy":
        """The built-in national baseline (``policy/national.toml``)."""
    @staticmethod
    def from_toml(source: str, text: str) -> "Policy":
        """A policy of one TOML layer, without the national baseline."""
    @staticmethod
    def from_layers(layers: List[PolicyLayer]) -> "Policy":
        """A policy from layers, lowest priority first."""
    def with_layer(self, layer: Union[PolicyLayer, "Policy"]) -> "Policy":
        """A new policy with ``layer`` (or all layers of a policy) on top."""
    def with_toml(self, source: str, text: str) -> "Policy":
        """A new policy with a TOML layer parsed and added on top."""
    @property
    def layers(self) -> List[PolicyLayer]:
        """The layers, lowest priority first."""
    def resolve(self, key: str, date: datetime.date) -> Resolved:
        """The value of ``key`` in force on ``date``, with its provenance. Raises
        :class:`kinerja.PolicyError` (``unknown_key``, ``no_value``)."""
    def resolve_all(self, date: datetime.date) -> List[Resolved]:
        """Every catalogued key with a value in force on ``date``, in catalogue order."""
    def coverage(self) -> Optional[Tuple[datetime.date, Optional[datetime.date]]]:
        """The days on which every catalogued key has a value, ``(first, last)`` (``last``
        is ``None`` when open-ended); ``None`` when no day has every key. The national
        baseline covers 2020-01-01 onwards; a month outside it fails once with
        :class:`PolicyError` code ``not_covered``, naming the first key without a value."""
    def reform(self, name: str = "reform", description: str = "", *, source: Optional[str] = None) -> "PolicyReform":
        """Starts a reform of this policy: dated changes with their legal references,
        added as one new layer named ``name`` (the layer quoted in provenance and slips)
        from ``source`` (a file name for messages; default ``"reform: <name>"``)."""
    def compare(self, other: "Policy") -> Tuple[PolicyChange, ...]:
        """What differs from this policy in ``other``: one :class:`PolicyChange` per
        catalogued key and run of days on which the values in force differ (``before``
        this policy's, ``after`` the other's), with both legal references; in catalogue
        order, then by date; empty when both resolve the same values every day."""
    def __eq__(self, other: object) -> bool: ...

@final
class PolicyReform:
    """A reform of a policy in force (:meth:`Policy.reform`): dated changes, each with
    its legal reference, added as one new layer. Each :meth:`set` returns a new reform.

    The reform is the TOML layer :meth:`to_toml` writes, read by the engine's own policy
    loader: the same checks, the same problems (:class:`kinerja.PolicyError`, code
    ``invalid_policy``, every problem at once) and the same policy as that file layered
    over the starting policy."""

    def set(
        self,
        key: str,
        value: Union[PolicyValue, datetime.date],
        *,
        effective: Union[datetime.date, str],
        reference: str,
        until: Union[datetime.date, str, None] = None,
        note: Optional[str] = None,
        status: Optional[str] = None,
        source: Optional[str] = None,
    ) -> "PolicyReform":
        """A new reform with one more dated change: ``key`` takes ``value`` from
        ``effective`` (a date or ``"YYYY-MM-DD"``), set by the legal text ``reference``;
        ``until`` ends it (inclusive). ``value`` as a policy file holds it: ``int``,
        ``Decimal`` or decimal text (``"70"``), ``str``, ``bool``, ``datetime.time``,
        lists and dicts (as :meth:`Policy.resolve` returns them). Floats raise
        :class:`kinerja.FloatRefused`; the key and value are checked by :meth:`build`."""
    def build(self) -> Policy:
        """The reformed policy: the starting policy with the reform's layer on top.
        Raises :class:`kinerja.PolicyError` (``invalid_policy``) listing every problem
        (unknown key, wrong kind or range, empty reference, overlapping changes, ...)."""
    def layer(self) -> PolicyLayer:
        """The reform's layer alone, checked as :meth:`build` checks it."""
    def to_toml(self) -> str:
        """The reform as the TOML policy file a city would file; layered over the
        starting policy (:meth:`Policy.with_toml`) it gives the same policy as :meth:`build`."""
    @property
    def base(self) -> Policy:
        """The policy the reform starts from."""
    @property
    def name(self) -> str:
        """The reform layer's name."""
    @property
    def source(self) -> str:
        """The reform layer's source name."""
    @property
    def keys(self) -> List[str]:
        """The keys changed, sorted, each once."""
    def __len__(self) -> int:
        """The number of dated changes."""

@final
class MonthContext:
    """Everything a month's commands are checked against: the city, the policy resolved
    for every day of the month, the compiled calendar and the verification deadline."""

    def __init__(self, city: City, policy: Policy, month: str) -> None:
        """Resolves ``policy`` for every day of ``month`` (``"YYYY-MM"``) for ``city``.
        Raises :class:`kinerja.ValidationError` (``invalid_month``) or
        :class:`kinerja.PolicyError`."""
    @property
    def month(self) -> str:
        """The month, ``"YYYY-MM"``."""
    @property
    def first_day(self) -> datetime.date:
        """The first day of the month."""
    @property
    def last_day(self) -> datetime.date:
        """The last day of the month."""
    @property
    def deadline(self) -> datetime.date:
        """The verification deadline: the last day a decision is accepted."""
    @property
    def city(self) -> City:
        """The city."""
    @property
    def policy(self) -> Policy:
        """The policy."""
    @property
    def provenance(self) -> Tuple[Provenance, ...]:
        """Where every rule of the month came from."""

@final
class Ledger:
    """One month of a city's daily work: activity entries and their verification, extra
    tasks, clock events, absences, roll calls and ceremonies.

    A ledger changes only through commands; each names its ``actor`` and its time
    ``at`` (a naive local ``datetime``). An actor is text: an employee's NIP,
    ``"official:<id>"`` (regional head or deputy) or ``"device:<id>"`` (an attendance
    machine). The core checks who may issue each command (the authorisation matrix:
    an employee logs their own work, the supervisor verifies, a machine of the
    employee's unit sends scans, HR officers record absences and close the month, a
    unit's attendance officer records its roll calls; a refusal is
    :class:`kinerja.AuthorisationError` with ``details["reason"]``) and the rules in
    force on its date. An accepted command appends an event to the journal, a refused
    one raises the core's error and changes nothing. Record times never go backwards:
    a command dated before the last event is refused (:class:`kinerja.LedgerError`,
    ``out_of_order``).

    The journal is a hash chain (:meth:`journal_json`, :attr:`head`);
    ``Ledger.replay(ctx, ledger.journal_json()) == ledger``.
    """

    def __init__(self, ctx: MonthContext) -> None:
        """An empty ledger for the context's month."""
    @staticmethod
    def replay(ctx: MonthContext, journal_json: str) -> "Ledger":
        """Rebuilds a ledger from a saved journal (the text of :meth:`journal_json`, or
        a version 1 journal, migrated and marked unverifiable): the hash chain is
        checked and every event is checked again like a live command, so the result
        equals the ledger that wrote it. Compare its :attr:`head` with the head kept
        apart to detect a rewritten journal.

        Raises :class:`kinerja.LedgerError`: ``chain`` for an edited, removed,
        inserted, duplicated or reordered event (``details["fault"]``,
        ``details["seq"]``, ``details["line"]``); ``replay`` for an event its
        command's checks refuse (``details["seq"]``, the event's error as
        ``__cause__``); ``format``, ``not_a_journal``, ``unsupported_version``."""
    @staticmethod
    def from_snapshot(ctx: MonthContext, snapshot_json: str, head: Tuple[int, str]) -> "Ledger":
        """Loads a snapshot from :meth:`snapshot` taken at ``head``, the ``(seq, hash)``
        of the journal it summarises (:attr:`head`, kept with the journal). Raises
        :class:`kinerja.LedgerError` (``format``) when the snapshot names another head
        or its seal does not match its content (an altered snapshot). The loaded ledger
        continues the journal's numbering and chain."""
    @property
    def head(self) -> Tuple[int, str]:
        """The journal's head: the ``seq`` and SHA-256 hash (64 hex digits) of the last
        event; ``(0, <genesis hash of the month>)`` before the first. Keep it apart
        from the journal."""
    @property
    def is_verifiable(self) -> bool:
        """``False`` when the ledger was replayed from a version 1 journal (migrated: its
        events carry no hashes of their own, so nothing vouches for them)."""
    @property
    def context(self) -> MonthContext:
        """The month context."""
    @property
    def month(self) -> str:
        """The month, ``"YYYY-MM"``."""
    @property
    def is_closed(self) -> bool:
        """Whether the month is closed (no change is accepted any more)."""
    @property
    def entry_count(self) -> int:
        """Number of activity entries."""
    def __len__(self) -> int:
        """Number of events in the journal (the head's ``seq``)."""
    def log_activity(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        date: datetime.date,
        start: datetime.time,
        end: datetime.time,
        task: str,
        quantity: int,
        description: str = "",
        evidence: Optional[str] = None,
        employee: Optional[str] = None,
    ) -> ActivityEntry:
        """An employee logs an activity (status ``submitted``); ``employee`` defaults to
        the actor, and only the employee themselves, in service on the day, may log it
        (:class:`kinerja.AuthorisationError`, reason ``not_the_employee`` or
        ``not_in_service``). Raises :class:`kinerja.ActivityRejected` when a logging
        rule is broken (overlap, entry window, non-working day, task not the
        employee's, ...)."""
    def edit_activity(
        self,
        actor: str,
        at: datetime.datetime,
        id: int,
        *,
        date: datetime.date,
        start: datetime.time,
        end: datetime.time,
        task: str,
        quantity: int,
        description: str = "",
        evidence: Optional[str] = None,
    ) -> ActivityEntry:
        """The employee edits their submitted or returned entry ``id`` (only the
        entry's employee)."""
    def resubmit(self, actor: str, at: datetime.datetime, id: int) -> ActivityEntry:
        """The employee resubmits their returned entry ``id`` (only the entry's employee)."""
    def verify(self, actor: str, at: datetime.datetime, id: int, decision: Decision) -> ActivityEntry:
        """A verifier decides on a submitted entry: :class:`kinerja.Approve` (optionally
        a lower quantity), :class:`kinerja.Reject` or :class:`kinerja.Return` (with a
        reason). Raises :class:`kinerja.AuthorisationError` unless the actor is the
        employee's direct supervisor in charge on the work date (holder, Plt or Plh on
        the decision date ``at``), a delegate on the decision date, or, for a top
        position, the official named for it (``"official:<id>"``); and
        :class:`kinerja.VerificationError` for a refused step (a decision dated before
        the submission, after the deadline, ...)."""
    def verify_many(
        self,
        actor: str,
        at: datetime.datetime,
        decisions: Union[Mapping[int, Decision], Iterable[Tuple[int, Decision]]],
    ) -> List[ActivityEntry]:
        """Decides on several entries at once; all or nothing."""
    def register_extra_task(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        id: str,
        employee: str,
        name: str,
        output_unit: str,
        standard_minutes: int,
        valid_from: datetime.date,
        valid_until: Optional[datetime.date] = None,
    ) -> int:
        """A verifier of the employee (as for :meth:`verify`) registers an extra task
        (*tugas tambahan*) for them. Returns the event's sequence number."""
    def record_clock(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        employee: str,
        scanned_at: datetime.datetime,
        direction: Union[ClockDirection, str],
        source: Union[ClockSource, str] = ...,
        latitude: Optional[_Exact] = None,
        longitude: Optional[_Exact] = None,
        accuracy_m: Optional[int] = None,
    ) -> int:
        """Records a scan. A ``fingerprint`` or ``face`` scan is sent by a machine of
        that kind at the site of the employee's unit (actor ``"device:<id>"``; reasons
        ``wrong_device``, ``outside_unit``, ``not_a_device``); a ``mobile`` scan by the
        employee themselves, with exact ``latitude`` and ``longitude``
        (:class:`decimal.Decimal` or int; floats raise :class:`kinerja.FloatRefused`).
        Returns the event's sequence number."""
    def record_absence(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        employee: str,
        start: datetime.date,
        end: datetime.date,
        kind: Union[AbsenceKind, str],
        evidence: Optional[str] = None,
        note: Optional[str] = None,
        replaces: Union[ClockDirection, str, None] = None,
    ) -> int:
        """Records an absence (clipped to the month), by an HR officer, or by the
        employee for the kinds the policy lets them report themselves
        (``record.self_reported_absences``; reason ``not_self_reportable`` otherwise).
        Raises :class:`kinerja.AttendanceError` (overlap, no working day, evidence
        required, permit cap). Returns the event's sequence number."""
    def mark_roll_call(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        employee: str,
        date: datetime.date,
        kind: Union[RollCallKind, str],
        attended: bool = True,
    ) -> int:
        """An attendance officer of the employee's unit marks their attendance at a
        roll call (a ceremony must be declared first). Returns the event's sequence
        number."""
    def record_roll_call(
        self,
        actor: str,
        at: datetime.datetime,
        *,
        date: datetime.date,
        kind: Union[RollCallKind, str],
        attended: List[str],
        absent: List[str] = ...,
    ) -> int:
        """The attendance officer of the listed employees' unit records a roll call's
        attendance list (reason ``outside_unit`` for someone of another unit). Returns
        the event's sequence number."""
    def declare_ceremony(self, actor: str, at: datetime.datetime, *, date: datetime.date, name: str) -> int:
        """An HR officer declares a ceremony (*upacara*). Returns the event's sequence
        number."""
    def close_month(self, actor: str, at: datetime.datetime) -> int:
        """An HR officer closes the month: no change is accepted afterwards, and the
        recap that pays is the closed one. Returns the event's sequence number."""
    def reopen_month(self, actor: str, at: datetime.datetime, reason: str) -> int:
        """Another HR officer reopens the closed month, with a reason. Refused for the
        officer who closed it (:class:`kinerja.AuthorisationError`, reason
        ``same_officer``), with a blank reason (``missing_reason``) and for a month that
        is not closed (``not_closed``). Returns the event's sequence number."""
    def entry(self, id: int) -> ActivityEntry:
        """The entry ``id``; raises :class:`kinerja.NotFoundError` (``unknown_entry``)."""
    def verification_queue(self, verifier: str, on: Optional[datetime.date] = None) -> List[ActivityEntry]:
        """Entries awaiting a decision that ``verifier`` (a NIP or ``"official:<id>"``)
        may decide on ``on``; by default each entry as it could be decided on its own
        work date."""
    def entries(self) -> Table:
        """Every activity entry (columns id, nip, date, start, end, task, quantity,
        approved_quantity, standard_minutes, credited_minutes, description, evidence,
        status, submitted_at, revision)."""
    def transitions(self) -> Table:
        """Every verification transition (entry, by, role, at, from, to, reason, quantity)."""
    def journal_json(self) -> str:
        """The journal as line-delimited JSON, for saving and :meth:`replay`: a header
        line, then one event per line with its ``seq``, the previous event's hash
        (``prev``) and its own SHA-256 ``hash``."""
    def snapshot(self) -> str:
        """A sealed snapshot of the state at the current :attr:`head`, as JSON, for
        :meth:`from_snapshot`."""
    def recap(self, as_of: Optional[datetime.date] = None) -> MonthlyRecap:
        """The monthly recap as of ``as_of`` (default: the day after the verification
        deadline, or the month's last day if later). ``employees`` has one row per
        employee (``nip``, ``name``, ``unit``, ``position``): targets, claimed/verified minutes, ``achievement_percent`` (exact
        Decimal or None), entries by status, attendance (lateness/early-leave bands
        ``late_b1_days`` ... ``early_b4_minutes``, missing scans, unexcused days,
        ``absence_<code>`` days) and roll calls (``<kind>_held/attended/excused/missed``);
        ``units`` has the totals per work unit."""
    def __eq__(self, other: object) -> bool:
        """Same month, same state and same journal."""

def generate_city(*, seed: int = 1, units: int = 39, employees: int = 5925, year: int = 2026) -> City:
    """Generates a synthetic city, deterministic by ``seed`` (Banda Aceh's scale by
    default: 39 work units, 5,925 employees, year 2026), with its actors: the mayor and
    deputy (``official:WALIKOTA``, ``official:WAKIL-WALIKOTA``), two HR officers (from
    BKPSDM first), an attendance officer per unit and a fingerprint reader per unit
    (``device:FP-<UNIT>``; ``device:FACE-<UNIT>`` too in big units); see
    :attr:`City.officials`, :attr:`City.officers`, :attr:`City.clock_devices`. Raises
    :class:`kinerja.ValidationError` (every problem with record ``generator`` and its
    field, code ``out_of_range``) for what the generator cannot make: a year outside
    2000..2100, 0 or more than 20,000 units, fewer employees than units, more than
    5,000,000 employees."""

def simulate_month(ctx: MonthContext, *, seed: int = 1, close: bool = True) -> Tuple[Ledger, SimulationReport]:
    """Simulates a realistic month of daily work through the ledger (every action is a
    command checked by the core; refusals are counted by code). Deterministic by
    ``seed``; the month is closed at the end when ``close`` is true."""

def policy_catalogue() -> List[ParamSpec]:
    """Every parameter a policy file may set: key, kind of value and meaning."""

def _debug_panic() -> None:
    """Panics on purpose (tests): raises :class:`kinerja.InternalError`."""

# --- the allowance (TPP) -----------------------------------------------------------

_Money = Union[Decimal, int, str]

@final
class AllowanceInput:
    """One employee's month as the allowance engine reads it (docs/allowance.md
    section 1): job class, rank, employment type, salary, working days, target and
    verified minutes, discipline counts, acting (Plt) assignments and sanctions.

    Money is exact: :class:`decimal.Decimal`, ``int`` or a decimal string; a float
    anywhere raises :class:`kinerja.FloatRefused`. The shape is checked on
    construction (:class:`kinerja.ValidationError`, code ``invalid_allowance_input``);
    the values (job class 1..17, days within the month, ...) when a slip is computed,
    or by :meth:`validate`.
    """

    def __init__(
        self,
        *,
        employee: str,
        month: str,
        job_class: int,
        rank: str,
        employment: Union[EmploymentType, str],
        salary: _Money,
        calendar_working_days: int,
        assigned_working_days: int,
        performance: Mapping[str, int],
        discipline: Mapping[str, Any],
        acting: Optional[Sequence[Mapping[str, Any]]] = None,
        sanctions: Optional[Sequence[Mapping[str, Any]]] = None,
        position: Optional[str] = None,
        ptkp: Optional[str] = None,
    ) -> None:
        """Builds an input from keywords named and shaped as in the JSON form:
        ``performance={"target_minutes": ..., "verified_minutes": ...}``,
        ``discipline={"days_present": ..., "late": [4 counts], "early": [4 counts],
        "unexcused_days": ..., "absences": {code: days}, "roll_calls_missed":
        {"morning": ..., "afternoon": ..., "ceremony": ...}}``, ``acting=[{"position",
        "job_class", "working_days"}]``, ``sanctions=[{"level", "effective_from",
        "months", "reference"}]`` (``effective_from`` a :class:`datetime.date` or
        ``"YYYY-MM-DD"``)."""
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "AllowanceInput":
        """Reads an input from a dict shaped like its JSON form (e.g. ``json.load`` of
        a golden case's ``input``). Floats raise :class:`kinerja.FloatRefused` with
        ``field`` naming where the float sits."""
    @staticmethod
    def from_json(text: str) -> "AllowanceInput":
        """Reads an input from its JSON text (money as decimal strings)."""
    def to_json(self) -> str:
        """The input as compact JSON: the exact text hashed into a slip's content hash."""
    def to_dict(self) -> Dict[str, Any]:
        """The input as a dict of its JSON shape (salary a ``Decimal``, dates ``date`` s,
        ``employment`` a :class:`kinerja.EmploymentType`); :meth:`from_dict` reads it back."""
    def replace(self, **changes: Any) -> "AllowanceInput":
        """A copy with top-level fields replaced, e.g.
        ``input.replace(performance={"target_minutes": 6600, "verified_minutes": 6600})``;
        ``TypeError`` for an unknown field."""
    def validate(self) -> None:
        """Checks the values on their own; raises :class:`kinerja.ValidationError`
        (code ``invalid_allowance_input``) whose ``problems`` name every field at fault
        (``job_class`` ``out_of_range``, ``discipline.absences.<code>``
        ``unknown_absence_code``, ...). Sanction levels are checked by :func:`compute_slip`."""
    @property
    def employee(self) -> str:
        """The employee's NIP."""
    @property
    def month(self) -> str:
        """The month paid, ``"YYYY-MM"``."""
    @property
    def job_class(self) -> int:
        """The job class (*kelas jabatan*) of the definitive position."""
    @property
    def rank(self) -> str:
        """Rank (*pangkat/golongan*), e.g. ``"III/c"``; its group sets the tax rate. For a PPPK
        employee the grade ``"I"``..``"XVII"`` (``allowance.tax.flat_pppk`` sets its rate)."""
    @property
    def employment(self) -> EmploymentType:
        """PNS, CPNS or PPPK."""
    @property
    def salary(self) -> Decimal:
        """Monthly salary (*gaji*), the base of the BPJS contribution."""
    @property
    def calendar_working_days(self) -> int:
        """Working days in the month (after the month's cut-off)."""
    @property
    def assigned_working_days(self) -> int:
        """Of those, the days the employee held a definitive position."""
    @property
    def performance(self) -> Dict[str, int]:
        """``{"target_minutes": ..., "verified_minutes": ...}`` (a new dict)."""
    @property
    def discipline(self) -> Dict[str, Any]:
        """Discipline counts as in the JSON form (a new dict)."""
    @property
    def acting(self) -> List[Dict[str, Any]]:
        """Acting (Plt, Plh) assignments: ``position``, ``job_class``, ``working_days``, and
        ``kind`` (``"plh"``) and ``relation`` (``"higher"``, ``"equal"``, ``"lower"``) when set."""
    @property
    def sanctions(self) -> List[Dict[str, Any]]:
        """Sanctions: ``level``, ``effective_from`` (a date), ``months``, ``reference``."""
    @property
    def ptkp(self) -> Optional[str]:
        """The PTKP status (``"K/1"``) or ``None``; read only by the ``ter_monthly`` tax method."""
    def __eq__(self, other: object) -> bool:
        """Equal fields."""

@final
class _NativeTable:
    """An Arrow record batch behind a :class:`Table` (see kinerja._table)."""

    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> List[str]: ...
    @property
    def money_columns(self) -> List[str]: ...
    def schema_types(self) -> List[Tuple[str, str, bool]]: ...
    def column(self, name: str) -> List[Any]: ...
    def equals(self, other: _NativeTable) -> bool: ...
    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_array__(self, requested_schema: Optional[object] = None) -> Tuple[object, object]: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def to_parquet(self, path: Union[str, os.PathLike[str]]) -> None: ...

def _time_native_recap(ledger: Ledger, repeat: int = 5) -> List[float]: ...
def _time_native_pay_city(ctx: MonthContext, recap_or_ledger: Union[MonthlyRecap, Ledger], repeat: int = 5) -> List[float]: ...
def _table_from_columns(columns: Mapping[str, Sequence[Any]], money: List[str]) -> _NativeTable: ...

@final
class Payroll:
    """A city's month paid (:func:`pay_city`): every employee's slip, totals per work
    unit and for the city, the employees whose slip could not be computed and those not
    paid this month, with the reason. Every employee of the dataset is in exactly one of
    :attr:`slips`, :attr:`failures` and :attr:`not_paid`; :attr:`employees` lists them all
    and :attr:`summary` holds the counts and sums to reconcile against."""

    @property
    def month(self) -> str:
        """The month, ``"YYYY-MM"``."""
    @property
    def slips(self) -> Table:
        """One row per paid employee in recap order (built in one native call, cached):
        ``nip``, ``name``, ``unit``, ``job_class``, ``ceiling``, ``gross``, ``tax``,
        ``contribution``, ``net``, ``content_hash``, then one column per rule id other
        than ``ceiling`` (in slip order, see :attr:`rules`) with that rule's amount on
        the slip or 0. Amounts are exact Decimals; deductions are negative."""
    @property
    def units(self) -> Table:
        """One row per work unit in dataset order: ``unit``, ``name``, ``slips`` (number
        paid), ``ceiling``, ``gross``, ``tax``, ``contribution``, ``net``, then the rule
        columns of :attr:`slips` summed."""
    @property
    def city(self) -> AllowanceTotals:
        """The city's totals: the month's TPP budget."""
    @property
    def failures(self) -> Tuple[PayrollFailure, ...]:
        """Employees whose slip could not be computed, with the engine's code and message."""
    @property
    def not_paid(self) -> Tuple[NotPaid, ...]:
        """Employees of the dataset not paid this month, with the reason: code
        (``left_service``, ``not_yet_assigned``, ``acting_only``, ...), the record and
        field that decide it, a sentence."""
    @property
    def employees(self) -> Table:
        """Every employee once (cached): the paid in recap order, then the failed, then
        those not paid. Columns ``nip``, ``name``, ``unit``, ``status`` (``paid``,
        ``failed``, ``not_paid``), ``code`` and ``reason`` (None when paid), ``gross``,
        ``tax``, ``contribution``, ``net`` (None unless paid)."""
    @property
    def summary(self) -> PayrollSummary:
        """Counts (employees, paid, failed, not paid) and sums (every rule in slip
        order, ceiling, gross, tax, contribution, net) to reconcile against."""
    @property
    def rules(self) -> List[str]:
        """The rule ids of the rule columns, in order."""
    def slip(self, nip: str) -> Slip:
        """The full slip of the employee with this NIP; :class:`kinerja.NotFoundError`
        when the employee was not paid."""
    def input(self, nip: str) -> AllowanceInput:
        """The input the employee was paid from (recap + the city's records): correct it
        and recompute with :func:`compute_slip` for :func:`arrears`.
        :class:`kinerja.NotFoundError` when the employee held no definitive position."""
    def slips_json(self) -> str:
        """The slips as a JSON list, exactly as the engine serialises them."""
    def to_html(self, lang: str = "id") -> Html:
        """The payroll for a notebook: the month, who was paid, the city's gross and
        net, then the table per work unit, in ``lang`` (``"id"``, the default, or
        ``"en"``); amounts as ``Rp 6.500.000``, every text escaped."""
    def _repr_html_(self) -> str: ...
    def __len__(self) -> int:
        """Number of slips."""
    def __contains__(self, nip: object) -> bool:
        """Whether the employee with this NIP was paid."""

def compute_slip(input: Union[AllowanceInput, Mapping[str, Any]], policy: Policy) -> Slip:
    """Computes one employee's allowance slip (TPP) under ``policy``, with the values in
    force on the first day of the input's month: ordered lines (rule id, exact amount,
    the arithmetic in words, the policy values used with their legal references, the
    inputs read) that add up exactly to ``gross`` and ``net``, the input and policy
    hashes and the content hash that seals the amounts with them.

    Raises :class:`kinerja.ValidationError` (``invalid_allowance_input``, every problem
    listed), :class:`kinerja.PolicyError` (the policy cannot be bound for the month),
    :class:`kinerja.AllowanceError` (``unknown_sanction_level``,
    ``sanction_months_not_allowed``), :class:`kinerja.FloatRefused` (a float in a dict)."""

def render_message(message: Mapping[str, Any], lang: str = "id") -> str:
    """A structured message of the engine (``{"id": ..., "args": {...}}``, as
    :attr:`kinerja.SlipLine.message` holds it) in ``lang``: ``"id"`` (the default) or
    ``"en"``. Raises ``ValueError`` for another language, ``TypeError`` for a dict that is
    not a message."""

def format_rupiah(amount: Union[Decimal, int], lang: str = "id") -> str:
    """Rupiah for reading, the engine's one formatter: ``Rp 6.500.000`` (``"id"``, the
    default) or ``Rp 6,500,000`` (``"en"``); ``-Rp 150.000``; cents only when there are
    any (``Rp 1.234,50``). Floats are refused."""

def rule_name(rule: str, lang: str = "id") -> str:
    """The name of a slip rule for reading (``deduction.late.1`` -> ``Terlambat TL1``, or
    ``Late arrival TL1`` with ``"en"``), from the engine's catalogues; the rule id when
    they have none."""

def _label(id: str, lang: str = "id") -> Optional[str]:
    """A text of the engine's catalogues without arguments, or ``None``."""

def format_date(date: datetime.date, lang: str = "id") -> str:
    """A date for reading: ``5 Oktober 2026`` (``"id"``, the default) or ``5 October 2026``."""

def explain_slip(slip: Slip, lang: str = "id", name: Optional[str] = None) -> str:
    """The slip for people in ``lang`` (the same as :meth:`kinerja.Slip.explain`)."""

def compute_slip_json(input_json: str, policy: Policy) -> str:
    """The engine end to end on JSON: an input's JSON text in, its slip's JSON out
    (docs/allowance.md section 4), exactly as the core serialises it."""

def allowance_parameters(policy: Policy, month: str) -> Tuple[ParamUse, ...]:
    """Every allowance policy value in force on the first day of ``month``, in
    :data:`ALLOWANCE_KEYS` order, as slips quote and hash them (canonical text, effective
    date, layer, legal reference). Raises :class:`kinerja.PolicyError` when the policy
    cannot be bound (e.g. ``bad_value`` for weights that do not sum to 100)."""

def arrears(paid: Slip, recomputed: Slip) -> Arrears:
    """The arrears (*rapel*) between the slip paid and a slip recomputed for the same
    employee and month: per-rule differences, ``to_pay`` / ``to_recover``. Raises
    :class:`kinerja.AllowanceError` (``slip_mismatch``) for slips of different
    employees or months."""

def verify_slip(slip: Slip, input: Union[AllowanceInput, Mapping[str, Any]], policy: Policy) -> SlipVerification:
    """Re-verifies a stored slip (e.g. :meth:`kinerja.Slip.from_json` of an archived
    payment): recomputes it from the input it was computed from under ``policy`` and
    says whether it still holds: ``sealed`` (no amount edited since), ``input_matches``,
    ``policy_matches``, the ``differences`` line by line and in the totals, ``reasons``
    in words and the ``recomputed`` slip. Also :meth:`kinerja.Slip.verify`.

    Raises :class:`kinerja.AllowanceError` (``slip_mismatch`` for a slip of another
    employee or month than the input, ``unsupported_slip_version``) and the errors of
    :func:`compute_slip`."""

def pay_city(
    ctx: MonthContext,
    recap_or_ledger: Union[MonthlyRecap, Ledger],
    policy: Optional[Policy] = None,
    *,
    allow_unverified: bool = False,
) -> Payroll:
    """Pays a city's month from its recap (a :class:`kinerja.MonthlyRecap` from
    :meth:`Ledger.recap`, or a :class:`Ledger`, whose final recap is taken) under
    ``policy`` (default: the context's), the allowance policy bound once. Every
    employee is accounted for: a slip, a failure (:attr:`Payroll.failures`) or a reason
    not to pay (:attr:`Payroll.not_paid`). Raises
    :class:`kinerja.PolicyError` when the policy cannot be bound for the month and
    :class:`kinerja.AllowanceError` (``month_mismatch``) for a recap of another month.

    Allowance policy values in force that are not verified (recalled, illustrative or
    unstated: every value of the national baseline) need ``allow_unverified=True``, else
    :class:`kinerja.PolicyError` (``unverified_policy``); every slip then lists them in
    :attr:`Slip.unverified` (slip version 3)."""

def what_if(
    ctx: MonthContext,
    recap_or_ledger: Union[MonthlyRecap, Ledger],
    current_policy: Policy,
    proposed_policy: Policy,
) -> WhatIf:
    """Pays the month under both policies and compares them: per-employee and per-unit
    delta tables, the city's change, and both payrolls."""

@final
class _RecapData:
    """The engine's own monthly recap behind ``MonthlyRecap._native``, read by
    :func:`pay_city` and :func:`what_if` (internal). Builds the recap's two tables on
    first use and keeps them."""

    def _employees(self) -> Table: ...
    def _units(self) -> Table: ...
    def _provenance(self) -> Tuple[Provenance, ...]: ...

def _slip_to_json(slip: Slip) -> str:
    """A slip as JSON (use :meth:`kinerja.Slip.to_json`)."""

def _slip_from_json(text: str) -> Slip:
    """A slip from JSON (use :meth:`kinerja.Slip.from_json`)."""

# --- budget, readiness, the seven uses, awards (kinerja::insights) ---------------------

def generate_insight_records(city: City, seed: int, year: int, through: int) -> str:
    """Generated insight records (budgets, plans, roll-out, nominations) for ``city`` as
    JSON, deterministic by seed."""

def budget_realisation(
    records_json: str, year: int, through: int, policy: Policy, ledgers: Sequence[Ledger] = ...
) -> Table:
    """Budget realisation (Resume APBD) of ``year`` through month ``through``: one row per
    unit, programme, activity, sub-activity and the city. Columns level, unit, code, name,
    ceiling, planned, realised, absorption_percent, deviation, deviation_percent,
    progress_percent, behind, verified_minutes. Money and percents are exact Decimals;
    realisation beyond a ceiling raises ``KinerjaError`` (``budget_ceiling_exceeded``)."""

def unit_readiness(ledger: Ledger, records_json: str) -> Table:
    """The six cumulative readiness requirements of every unit in the ledger's month.
    Columns unit, ready, unmet, evidence, electronic_attendance_percent, go_live, pays."""

def shadow_month(ledger: Ledger, records_json: str, unit: str) -> Dict[str, Any]:
    """A unit's month run through the whole chain without paying (a shadow month), so a
    city can pilot units one by one. A dict with ``unit``, ``month`` (``"YYYY-MM"``),
    ``ready`` (the six requirements met), ``unmet`` (requirement codes), ``evidence``
    (code -> list of lines), ``slips`` (tuple of :class:`Slip` the month would pay the
    unit's employees), ``totals`` (:class:`AllowanceTotals`), ``failures`` (list of
    ``(nip, code)``) and ``paid`` (always False). The verdict reads the plans and budgets
    of ``records_json``."""

def insights_report(report: str, ledgers: Sequence[Ledger], years: int = 5) -> Table:
    """One of the seven uses (``restructuring``, ``staffing``, ``procedures``,
    ``training``, ``performance``, ``promotion``, ``sanctions``) or ``verification``
    over the ledgers' months. Employee columns are named ``nip``. ``training`` has one
    row per employee and task group (columns nip, unit, group, tasks,
    last_achievement_percent, under_target, entries, returned, returned_percent,
    often_returned); ``promotion`` gives rank_since and years_in_rank; ``sanctions``
    gives the cumulative unexcused_days, the longest_run of consecutive unexcused
    working days and whether it reaches the consecutive rule (``consecutive``)."""

def awards(ledgers: Sequence[Ledger], records_json: str) -> Table:
    """The awards of the ledgers' year: columns category (performance, service,
    innovative), rank, nip, nomination, score, achievement, presence, winner."""

# --- the national month (kinerja::national; wrapped by kinerja._national) -------------

def _national_plan_json(seed: int, regions: int, scale: float) -> str:
    """The plan of the national month as JSON (use :func:`kinerja.national_plan`)."""

def _national_region_json(seed: int, index: int, regions: int, scale: float) -> str:
    """One region generated and paid, as JSON (use :func:`kinerja.national_region`)."""

def _national_combine_json(seed: int, summaries: Sequence[str]) -> str:
    """National totals of region summaries (use :func:`kinerja.national_combine`)."""

def _national_run_json(seed: int, regions: int, scale: float, threads: int) -> str:
    """The national month in this process (use :func:`kinerja.national_run`)."""
