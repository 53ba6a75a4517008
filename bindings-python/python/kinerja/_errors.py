"""The exceptions of :mod:`kinerja`.

Every error the engine reports is a :class:`KinerjaError`. The native module raises
the subclass that matches the core's error and fills in what the core knows:

* ``code`` -- the core's stable machine-readable code (``"overlapping_entry"``,
  ``"not_authorised"``, ``"unknown_key"``, ...), the same code the Rust library,
  the command line and the other bindings report;
* ``record``, ``id``, ``field`` -- the kind of record at fault, its id and the field,
  where the core names them (``None`` otherwise);
* ``problems`` -- every problem found, for validation errors (a dataset or policy file
  is checked as a whole and every problem is listed, not just the first);
* ``details`` -- any further facts the core gives (e.g. ``{"seq": 12}`` for a journal
  event that cannot be replayed, ``{"reason": "self_verification"}`` for an
  authorisation error).

The classes also derive from the closest built-in exception (``ValueError``,
``LookupError``, ``TypeError``, ``ArithmeticError``, ``PermissionError``) so generic
handlers keep working.
"""

from __future__ import annotations

import builtins
from typing import Any, Mapping, Optional, Sequence, Tuple

from ._types import Problem

__all__ = [
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


class KinerjaError(Exception):
    """Base class of every error the engine reports.

    Attributes:
        code: The core's stable, machine-readable error code.
        record: The kind of record at fault (``"activity"``, ``"employee"``,
            ``"policy"``, ...), or ``None``.
        id: The id of the record at fault (an activity id, a NIP, a policy key, ...),
            or ``None``.
        field: The field at fault, or ``None``.
        problems: Every problem found (validation errors); empty otherwise.
        details: Further facts the core reports, by name.
    """

    code: str
    record: Optional[str]
    id: Optional[str]
    field: Optional[str]
    problems: Tuple[Problem, ...]
    details: Mapping[str, Any]

    def __init__(
        self,
        message: str,
        *,
        code: str = "error",
        record: Optional[str] = None,
        id: Optional[str] = None,
        field: Optional[str] = None,
        problems: Sequence[Problem] = (),
        details: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.record = record
        self.id = id
        self.field = field
        self.problems = tuple(problems)
        self.details = dict(details or {})

    def __repr__(self) -> str:
        parts = [repr(self.message), f"code={self.code!r}"]
        for name in ("record", "id", "field"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        if self.problems:
            parts.append(f"problems=<{len(self.problems)}>")
        return f"{type(self).__name__}({', '.join(parts)})"


class ValidationError(KinerjaError, ValueError):
    """Input data failed validation: a dataset, a NIP, a month, a task volume...

    ``problems`` lists every problem found, each naming its record, id and field;
    ``record``, ``id`` and ``field`` repeat those of the first problem.
    """


class PolicyError(KinerjaError, ValueError):
    """A policy file is invalid, a key is unknown, or no value is in force on a date.

    Codes: ``invalid_policy`` (with ``problems``), ``unknown_key``, ``no_value``,
    ``wrong_type``, ``bad_value``, and the workload analysis's parameter codes
    (``abk_effective_time``, ``abk_conversion_factor``, ``abk_grade_bands``).
    ``id`` is the policy key (or the file for ``invalid_policy``).
    """


class AuthorisationError(KinerjaError, PermissionError):
    """The actor may not issue this command (the core's authorisation matrix): verify
    work they do not supervise or their own, act for another employee, send a scan
    from a machine of another unit, record an absence or close the month without
    being an HR officer, ...

    Code ``not_authorised``; ``details["reason"]`` says why: ``self_verification``,
    ``no_supervisor``, ``not_the_supervisor``, ``unknown_employee``,
    ``unknown_actor``, ``not_an_employee``, ``not_in_service``, ``not_the_employee``,
    ``not_an_officer``, ``outside_unit``, ``not_a_device``, ``wrong_device``,
    ``not_the_verifier``, ``same_officer`` or ``not_self_reportable``; further details
    name the ``actor`` and, where the core gives them, the ``employee``, ``date``,
    ``role``, ``position`` or ``kind``. (The code ``not_the_employee``, with
    ``details["action"]``, is an edit that would move an entry to another employee.)
    """


class NotFoundError(KinerjaError, LookupError):
    """A referenced record does not exist (an employee, an activity entry, a unit...)."""


class ActivityRejected(KinerjaError, ValueError):
    """A daily activity entry breaks a logging rule (overlap, outside the entry window,
    not a working day, a task that is not the employee's, ...). ``field`` names the
    field of the entry at fault."""


class VerificationError(KinerjaError, ValueError):
    """A verification step is refused (an invalid transition, a missing reason, a
    quantity out of range, a passed deadline, ...). ``id`` is the entry's id."""


class AttendanceError(KinerjaError, ValueError):
    """An absence is refused (overlap, no working day, missing evidence, permit cap).
    ``id`` is the employee's NIP."""


class LedgerError(KinerjaError):
    """A ledger command, journal or snapshot is refused for a reason of the ledger
    itself.

    Codes: ``month_closed``, ``not_closed`` (reopening an open month),
    ``missing_reason``, ``wrong_month``, ``conflict``, ``out_of_order`` (a record time
    before the last event's; ``details["at"]``, ``details["last"]``),
    ``claim_too_old`` / ``claim_in_future`` (a late receipt claiming a time outside
    the policy's window), ``duplicate_key``; for journals ``chain`` (an edited,
    removed, inserted, duplicated or reordered event: ``details["fault"]``,
    ``details["seq"]``, ``details["line"]``), ``replay`` (``details["seq"]`` is the
    event, and ``__cause__`` the error its command raised when checked again),
    ``forged`` (an event that is not what its command gives), ``format``,
    ``not_a_journal``, ``unsupported_version``; ``format`` also for a snapshot that
    names another head or whose seal does not match (an altered snapshot)."""


class AllowanceError(KinerjaError, ValueError):
    """The allowance (TPP) cannot be computed for a reason of its own.

    Codes: ``unknown_sanction_level`` and ``sanction_months_not_allowed`` (``field`` is
    ``sanctions[i].level`` / ``sanctions[i].months``; ``details`` has ``index``,
    ``level``, ``known`` or ``months`` and ``allowed``), ``month_mismatch`` (a recap or
    input of another month), ``slip_mismatch`` (:func:`kinerja.arrears` of slips of
    different employees or months), ``allowance_invariant`` (a bug).

    Other allowance errors use the general classes with their own codes: an invalid
    input is a :class:`ValidationError` (``invalid_allowance_input``, every problem
    in ``problems``), a policy that cannot be bound a :class:`PolicyError`, a float a
    :class:`FloatRefused`.
    """


class ArithmeticError(KinerjaError, builtins.ArithmeticError):
    """Checked arithmetic failed (overflow, division by zero), or a value is not an
    exact decimal that the engine can hold (more than 28 significant digits)."""


class TypeConversionError(KinerjaError, TypeError):
    """A Python value cannot be converted to what the engine expects (e.g. a
    ``datetime`` where a ``date`` is expected, or an unsupported type in a dataset
    dictionary)."""


class FloatRefused(TypeConversionError):
    """A ``float`` was given where an exact number is needed (money, rates, shares,
    coordinates, dataset values). Floats are binary approximations: pass a
    :class:`decimal.Decimal` (or an ``int``) instead. Never converted silently."""


class InternalError(KinerjaError):
    """A bug in the engine (a Rust panic). The call did not complete; the objects it
    was working on may be inconsistent. Please report it with the message."""
