"""Kinerja: civil-servant performance management (e-Kinerja) for Indonesian local government.

A Rust engine behind a Python API. The chain it implements:

* job analysis (Anjab) and workload analysis (ABK): :meth:`City.workload_analysis`;
* performance targets: :meth:`City.yearly_targets`, and the monthly minute target in
  the recap;
* the month's ledger: daily activities verified by the direct supervisor, clock
  events, absences, roll calls and ceremonies (:class:`MonthContext`, :class:`Ledger`);
* the monthly recap (:meth:`Ledger.recap`), the input of the allowance (TPP).

Every rule a city may set is policy data (:class:`Policy`): dated values with their
legal reference, layered from the national baseline to a city's own files.

Conventions: dates are :class:`datetime.date`, times :class:`datetime.time`, moments
:class:`datetime.datetime` (local time of the region, naive); exact numbers are
:class:`decimal.Decimal` (floats are refused with :class:`FloatRefused`); minutes are
``int``; months are ``"YYYY-MM"`` texts; employees are named by their NIP (text).
City-wide results are :class:`Table` s (columns built in one native call).
Errors are :class:`KinerjaError` s carrying the core's stable ``code``.

Example::

    import datetime as dt
    import kinerja

    city = kinerja.generate_city(seed=1, units=12, employees=400)
    policy = kinerja.Policy.national()
    abk = city.workload_analysis(policy, dt.date(2026, 10, 1))
    ctx = kinerja.MonthContext(city, policy, "2026-10")
    ledger, report = kinerja.simulate_month(ctx, seed=1)
    print(ledger.recap().units.to_pandas())
"""

from __future__ import annotations

from ._errors import (
    ActivityRejected,
    ArithmeticError,
    AttendanceError,
    AuthorisationError,
    FloatRefused,
    InternalError,
    KinerjaError,
    LedgerError,
    NotFoundError,
    PolicyError,
    TypeConversionError,
    ValidationError,
    VerificationError,
)
from ._kinerja import (
    CORE_VERSION,
    NATIONAL_POLICY_TOML,
    Calendar,
    City,
    Ledger,
    MonthContext,
    Policy,
    PolicyLayer,
    __version__,
    generate_city,
    policy_catalogue,
    simulate_month,
)
from ._table import Table
from ._types import (
    AbsenceKind,
    ActivityEntry,
    Approve,
    Assignment,
    AssignmentKind,
    CityWorkload,
    ClockDirection,
    ClockSource,
    DatedValue,
    DayInfo,
    DayKind,
    DaySchedule,
    Decision,
    EfficiencyGrade,
    Employee,
    EmploymentType,
    Government,
    Holiday,
    HolidayKind,
    MonthlyRecap,
    ParamSpec,
    PolicyValue,
    Position,
    PositionKind,
    Problem,
    Provenance,
    Reject,
    Resolved,
    Return,
    RollCallKind,
    SimulationReport,
    SupervisorResolution,
    Task,
    VerificationStatus,
    VerifierRole,
    VolumePeriod,
    WorkloadAnalysis,
    WorkUnit,
)

__all__ = [
    "__version__",
    "CORE_VERSION",
    "NATIONAL_POLICY_TOML",
    # engine
    "City",
    "Calendar",
    "Policy",
    "PolicyLayer",
    "MonthContext",
    "Ledger",
    "generate_city",
    "simulate_month",
    "policy_catalogue",
    "Table",
    # records
    "ActivityEntry",
    "Approve",
    "Assignment",
    "CityWorkload",
    "DatedValue",
    "DayInfo",
    "DaySchedule",
    "Decision",
    "Employee",
    "Government",
    "Holiday",
    "MonthlyRecap",
    "ParamSpec",
    "PolicyValue",
    "Position",
    "Problem",
    "Provenance",
    "Reject",
    "Resolved",
    "Return",
    "SimulationReport",
    "SupervisorResolution",
    "Task",
    "WorkloadAnalysis",
    "WorkUnit",
    # enumerations
    "AbsenceKind",
    "AssignmentKind",
    "ClockDirection",
    "ClockSource",
    "DayKind",
    "EfficiencyGrade",
    "EmploymentType",
    "HolidayKind",
    "PositionKind",
    "RollCallKind",
    "VerificationStatus",
    "VerifierRole",
    "VolumePeriod",
    # errors
    "KinerjaError",
    "ValidationError",
    "PolicyError",
    "AuthorisationError",
    "NotFoundError",
    "ActivityRejected",
    "VerificationError",
    "AttendanceError",
    "LedgerError",
    "ArithmeticError",
    "TypeConversionError",
    "FloatRefused",
    "InternalError",
]
