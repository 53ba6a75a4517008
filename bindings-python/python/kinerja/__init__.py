"""Kinerja: civil-servant performance management (e-Kinerja) for Indonesian local government.

A Rust engine behind a Python API. The chain it implements:

* job analysis (Anjab) and workload analysis (ABK): :meth:`City.workload_analysis`;
* performance targets: :meth:`City.yearly_targets`, and the monthly minute target in
  the recap;
* the month's ledger: daily activities verified by the direct supervisor, clock
  events, absences, roll calls and ceremonies (:class:`MonthContext`, :class:`Ledger`);
* the monthly recap (:meth:`Ledger.recap`), the input of the allowance (TPP);
* the allowance (TPP): one employee's explained :class:`Slip` (:func:`compute_slip`
  from an :class:`AllowanceInput`), a city's month (:func:`pay_city` -> :class:`Payroll`),
  the budget impact of a proposed policy (:func:`what_if`), arrears after a
  correction (:func:`arrears`) and the re-verification of a stored slip
  (:func:`verify_slip`).

Every rule a city may set is policy data (:class:`Policy`): dated values with their
legal reference, layered from the national baseline to a city's own files.

Conventions: dates are :class:`datetime.date`, times :class:`datetime.time`, moments
:class:`datetime.datetime` (local time of the region, naive); exact numbers are
:class:`decimal.Decimal` (floats are refused with :class:`FloatRefused`); minutes are
``int``; months are ``"YYYY-MM"`` texts; employees are named by their NIP (text), and
a ledger command's actor is a NIP, ``"official:<id>"`` (regional head or deputy) or
``"device:<id>"`` (an attendance machine).
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
    recap = ledger.recap()
    print(recap.units.to_pandas())
    payroll = kinerja.pay_city(ctx, recap, policy, allow_unverified=True)   # every slip, per unit, the city
    print(payroll.units.to_pandas()[["unit", "slips", "gross", "net"]])
    print(payroll.slip(payroll.slips["nip"][0]).explain())
"""

from __future__ import annotations

from ._errors import (
    ActivityRejected,
    AllowanceError,
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
    ALLOWANCE_KEYS,
    ALLOWANCE_RULES,
    CORE_VERSION,
    CRITERIA_ALLOWANCE_KEYS,
    VARIANT_ALLOWANCE_KEYS,
    NATIONAL_POLICY_TOML,
    PPPK_ALLOWANCE_KEYS,
    SLIP_SCHEMA_VERSION,
    AllowanceInput,
    Calendar,
    City,
    Ledger,
    MonthContext,
    Payroll,
    Policy,
    PolicyLayer,
    PolicyReform,
    __version__,
    allowance_parameters,
    arrears,
    awards,
    budget_realisation,
    compute_slip,
    compute_slip_json,
    explain_slip,
    format_date,
    format_rupiah,
    generate_city,
    generate_insight_records,
    insights_report,
    pay_city,
    policy_catalogue,
    render_message,
    rule_name,
    shadow_month,
    simulate_month,
    unit_readiness,
    verify_slip,
    what_if,
)
from ._html import Html
from ._table import Table
from ._types import (
    AbsenceKind,
    ActivityEntry,
    AllowanceDelta,
    AllowanceTotals,
    AmountChange,
    Arrears,
    Approve,
    Assignment,
    AssignmentKind,
    CityWorkload,
    ClockDevice,
    ClockDirection,
    ClockSource,
    DatedValue,
    DayInfo,
    DayKind,
    DaySchedule,
    Decision,
    DeviceKind,
    EfficiencyGrade,
    Employee,
    EmploymentType,
    Government,
    Holiday,
    HolidayKind,
    MonthlyRecap,
    NotPaid,
    Office,
    Officer,
    OfficerRole,
    Official,
    ParamSpec,
    ParamUse,
    PayrollFailure,
    PayrollSummary,
    PolicyChange,
    PolicyValue,
    Position,
    PositionKind,
    Presence,
    Problem,
    Provenance,
    Reject,
    Resolved,
    Return,
    RollCallKind,
    RuleDifference,
    RuleTotal,
    SimulationReport,
    Slip,
    SlipDifference,
    SlipLine,
    SlipVerification,
    SupervisorResolution,
    Task,
    VerificationStatus,
    VerifierRole,
    VolumePeriod,
    WhatIf,
    WorkloadAnalysis,
    WorkUnit,
)

__all__ = [
    "__version__",
    "CORE_VERSION",
    "NATIONAL_POLICY_TOML",
    "ALLOWANCE_KEYS",
    "PPPK_ALLOWANCE_KEYS",
    "CRITERIA_ALLOWANCE_KEYS",
    "VARIANT_ALLOWANCE_KEYS",
    "ALLOWANCE_RULES",
    "SLIP_SCHEMA_VERSION",
    # engine
    "City",
    "Calendar",
    "Policy",
    "PolicyLayer",
    "PolicyReform",
    "MonthContext",
    "Ledger",
    "generate_city",
    "simulate_month",
    "policy_catalogue",
    "Table",
    "Html",
    # the allowance (TPP)
    "AllowanceInput",
    "Payroll",
    "compute_slip",
    "compute_slip_json",
    "explain_slip",
    "format_date",
    "format_rupiah",
    "render_message",
    "rule_name",
    "allowance_parameters",
    "pay_city",
    "what_if",
    "arrears",
    "verify_slip",
    # budget, readiness, the seven uses, awards
    "generate_insight_records",
    "budget_realisation",
    "unit_readiness",
    "shadow_month",
    "insights_report",
    "awards",
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
    "Official",
    "Officer",
    "ClockDevice",
    "ParamSpec",
    "PolicyChange",
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
    "AllowanceDelta",
    "AllowanceTotals",
    "AmountChange",
    "Arrears",
    "ParamUse",
    "PayrollFailure",
    "NotPaid",
    "PayrollSummary",
    "RuleTotal",
    "RuleDifference",
    "Slip",
    "SlipLine",
    "SlipDifference",
    "SlipVerification",
    "WhatIf",
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
    "Office",
    "OfficerRole",
    "DeviceKind",
    "VolumePeriod",
    "Presence",
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
    "AllowanceError",
    "ArithmeticError",
    "TypeConversionError",
    "FloatRefused",
    "InternalError",
]
