"""The month ledger: commands, verification, authorisation, attendance, roll calls,
closing the month, journal replay, snapshots and the monthly recap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import kinerja
from conftest import HEAD, MON, MONTH, PEER, STAFF, TUE, UNKNOWN, at, log_report


def test_context(ctx: kinerja.MonthContext, city: kinerja.City) -> None:
    assert ctx.month == MONTH
    assert (ctx.first_day, ctx.last_day) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    # 5 working days after 31 October (a Saturday): 2, 3, 4, 5, 6 November.
    assert ctx.deadline == dt.date(2026, 11, 6)
    assert ctx.city.name == city.name
    assert any(p.key == "activity.entry_window_working_days" for p in ctx.provenance)
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.MonthContext(city, ctx.policy, "October")
    assert e.value.code == "invalid_month"


def test_log_and_approve(ledger: kinerja.Ledger) -> None:
    entry = log_report(ledger)
    assert entry.id == 1
    assert entry.status is kinerja.VerificationStatus.SUBMITTED
    assert (entry.employee, entry.date, entry.start, entry.end) == (STAFF, MON, dt.time(8), dt.time(9))
    assert entry.standard_minutes == 30
    assert entry.submitted_at == at(MON, 16)
    assert entry.approved_quantity is None and entry.revision == 0
    assert [e.id for e in ledger.verification_queue(HEAD)] == [1]
    assert ledger.verification_queue(PEER) == []
    approved = ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    assert approved.status is kinerja.VerificationStatus.APPROVED
    assert approved.approved_quantity == 2
    assert ledger.entry(1) == approved
    assert len(ledger) == 2 and ledger.entry_count == 1


def test_approve_lower_quantity_reject_and_return(ledger: kinerja.Ledger) -> None:
    log_report(ledger, start=8)
    log_report(ledger, start=10)
    log_report(ledger, start=13)
    lower = ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve(quantity=1))
    assert lower.approved_quantity == 1
    rejected = ledger.verify(HEAD, at(TUE, 9), 2, kinerja.Reject("Bukan tugas jabatan"))
    assert rejected.status is kinerja.VerificationStatus.REJECTED
    returned = ledger.verify(HEAD, at(TUE, 9), 3, kinerja.Return("Lampirkan laporan"))
    assert returned.status == "returned"
    edited = ledger.edit_activity(
        STAFF,
        at(TUE, 10),
        3,
        date=MON,
        start=dt.time(13),
        end=dt.time(14),
        task="ANALIS-T1",
        quantity=1,
        description="Laporan mutasi, dengan lampiran",
        evidence="ND 800/12",
    )
    assert edited.status is kinerja.VerificationStatus.RETURNED
    assert edited.quantity == 1 and edited.evidence == "ND 800/12"
    again = ledger.resubmit(STAFF, at(TUE, 11), 3)
    assert again.status is kinerja.VerificationStatus.SUBMITTED and again.revision >= 1
    t = ledger.transitions()
    assert t["to"] == ["approved", "rejected", "returned", "submitted"]
    assert t["role"][:3] == ["definitive", "definitive", "definitive"]
    assert t["reason"][1] == "Bukan tugas jabatan"
    assert t["quantity"][0] == 1


def test_verify_many_is_all_or_nothing(ledger: kinerja.Ledger) -> None:
    log_report(ledger, start=8)
    log_report(ledger, start=10)
    with pytest.raises(kinerja.VerificationError) as e:
        ledger.verify_many(HEAD, at(TUE, 9), [(1, kinerja.Approve()), (2, kinerja.Reject("  "))])
    assert e.value.code == "empty_reason" and e.value.id == "2"
    assert ledger.entry(1).status is kinerja.VerificationStatus.SUBMITTED  # nothing applied
    done = ledger.verify_many(HEAD, at(TUE, 9), {1: kinerja.Approve(), 2: kinerja.Approve(quantity=1)})
    assert [e.status for e in done] == [kinerja.VerificationStatus.APPROVED] * 2


def test_authorisation_comes_from_the_core(ledger: kinerja.Ledger) -> None:
    log_report(ledger)
    with pytest.raises(kinerja.AuthorisationError) as e:
        ledger.verify(PEER, at(TUE, 9), 1, kinerja.Approve())
    assert e.value.code == "not_authorised"
    assert e.value.details["reason"] == "not_the_supervisor"
    assert e.value.details["verifier"] == PEER
    assert isinstance(e.value, PermissionError)
    with pytest.raises(kinerja.AuthorisationError) as own:
        ledger.verify(STAFF, at(TUE, 9), 1, kinerja.Approve())
    assert own.value.details["reason"] == "self_verification"
    # An employee logs only their own work.
    with pytest.raises(kinerja.LedgerError) as other:
        ledger.log_activity(
            PEER, at(MON, 16), date=MON, start=dt.time(10), end=dt.time(11), task="ANALIS-T1", quantity=1, employee=STAFF
        )
    assert other.value.code == "conflict" and other.value.field == "employee"
    assert len(ledger) == 1  # refused commands change nothing


def test_activity_rules(ledger: kinerja.Ledger) -> None:
    log_report(ledger)

    def refused(**kw: object) -> kinerja.ActivityRejected:
        args: dict[str, object] = dict(date=MON, start=dt.time(10), end=dt.time(11), task="ANALIS-T1", quantity=1)
        args.update(kw)
        when = args.pop("when", at(MON, 16))
        with pytest.raises(kinerja.ActivityRejected) as e:
            ledger.log_activity(STAFF, when, **args)  # type: ignore[arg-type]
        return e.value

    overlap = refused(start=dt.time(8, 30), end=dt.time(9, 30))
    assert (overlap.code, overlap.field, overlap.record) == ("overlapping_entry", "start", "activity")
    assert refused(date=dt.date(2026, 10, 3), when=at(dt.date(2026, 10, 5), 8)).code == "non_working_day"
    assert refused(quantity=0).code == "non_positive_quantity"
    assert refused(end=dt.time(10)).code == "end_not_after_start"
    assert refused(task="KABAN-T1").code == "task_not_assigned"
    assert refused(start=dt.time(7), end=dt.time(7, 20)).code == "before_working_hours"
    assert refused(when=at(dt.date(2026, 10, 2), 16)).code == "future_date"
    late = refused(when=at(dt.date(2026, 10, 15), 16))
    assert late.code == "outside_entry_window" and late.field == "date"
    assert ledger.entry_count == 1


def test_verification_rules(ledger: kinerja.Ledger) -> None:
    log_report(ledger)
    with pytest.raises(kinerja.VerificationError) as q:
        ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve(quantity=3))
    assert (q.value.code, q.value.field, q.value.id) == ("quantity_out_of_range", "approved_quantity", "1")
    with pytest.raises(kinerja.VerificationError) as late:
        ledger.verify(HEAD, at(dt.date(2026, 11, 9), 9), 1, kinerja.Approve())
    assert late.value.code == "deadline_passed"
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    with pytest.raises(kinerja.VerificationError) as twice:
        ledger.verify(HEAD, at(TUE, 10), 1, kinerja.Approve())
    assert twice.value.code == "invalid_transition"
    with pytest.raises(kinerja.VerificationError) as not_returned:
        ledger.resubmit(STAFF, at(TUE, 10), 1)
    assert not_returned.value.code == "invalid_transition"


def test_only_the_owner_resubmits(ledger: kinerja.Ledger) -> None:
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Return("Perbaiki jam"))
    with pytest.raises(kinerja.VerificationError) as e:
        ledger.resubmit(PEER, at(TUE, 10), 1)
    assert e.value.code == "not_owner"


def test_not_found(ledger: kinerja.Ledger) -> None:
    with pytest.raises(kinerja.NotFoundError) as e:
        ledger.entry(99)
    assert e.value.code == "unknown_entry" and e.value.id == "99"
    with pytest.raises(kinerja.NotFoundError) as v:
        ledger.verify(HEAD, at(TUE, 9), 42, kinerja.Approve())
    assert v.value.code == "unknown_entry"
    with pytest.raises(kinerja.NotFoundError) as u:
        ledger.log_activity(UNKNOWN, at(MON, 16), date=MON, start=dt.time(8), end=dt.time(9), task="ANALIS-T1", quantity=1)
    assert (u.value.code, u.value.id, u.value.record) == ("unknown_employee", UNKNOWN, "activity")


def test_decision_must_be_a_decision(ledger: kinerja.Ledger) -> None:
    log_report(ledger)
    with pytest.raises(TypeError):
        ledger.verify(HEAD, at(TUE, 9), 1, "approve")  # type: ignore[arg-type]


def test_absences(ledger: kinerja.Ledger) -> None:
    seq = ledger.record_absence(HEAD, at(MON, 7), employee=STAFF, start=TUE, end=TUE, kind=kinerja.AbsenceKind.LEAVE_ANNUAL)
    assert seq == 1
    with pytest.raises(kinerja.AttendanceError) as overlap:
        ledger.record_absence(HEAD, at(MON, 7), employee=STAFF, start=TUE, end=TUE, kind="permit")
    assert (overlap.value.code, overlap.value.field, overlap.value.id) == ("absence_overlap", "range", STAFF)
    with pytest.raises(kinerja.AttendanceError) as weekend:
        ledger.record_absence(
            HEAD, at(MON, 7), employee=STAFF, start=dt.date(2026, 10, 10), end=dt.date(2026, 10, 11), kind="permit"
        )
    assert weekend.value.code == "absence_no_working_day"
    with pytest.raises(kinerja.AttendanceError) as evidence:
        ledger.record_absence(HEAD, at(MON, 7), employee=PEER, start=MON, end=MON, kind="official_travel")
    assert (evidence.value.code, evidence.value.field) == ("absence_evidence_required", "evidence")
    # Permit cap 3 working days a month: 12..15 October is 4 working days.
    with pytest.raises(kinerja.AttendanceError) as cap:
        ledger.record_absence(
            HEAD, at(MON, 7), employee=PEER, start=dt.date(2026, 10, 12), end=dt.date(2026, 10, 15), kind="permit"
        )
    assert cap.value.code == "permit_cap_exceeded"
    ledger.record_absence(
        HEAD, at(MON, 7), employee=PEER, start=MON, end=MON, kind="off_site_half_day", replaces="in", evidence="ST 090/4"
    )
    with pytest.raises(kinerja.ValidationError) as half:
        ledger.record_absence(HEAD, at(MON, 7), employee=PEER, start=TUE, end=TUE, kind="off_site_half_day", evidence="x")
    assert half.value.field == "replaces"
    with pytest.raises(kinerja.ValidationError) as code:
        ledger.record_absence(HEAD, at(MON, 7), employee=PEER, start=TUE, end=TUE, kind="holiday")
    assert code.value.code == "invalid_value"


def test_clock_roll_call_ceremony_and_month_end(ledger: kinerja.Ledger) -> None:
    ledger.record_clock(STAFF, at(MON, 7, 45), employee=STAFF, scanned_at=at(MON, 7, 45), direction="in")
    ledger.record_clock(
        STAFF,
        at(MON, 16),
        employee=STAFF,
        scanned_at=at(MON, 16),
        direction=kinerja.ClockDirection.OUT,
        source=kinerja.ClockSource.MOBILE,
        latitude=Decimal("5.5483"),
        longitude=Decimal("95.3238"),
        accuracy_m=12,
    )
    with pytest.raises(kinerja.LedgerError) as wrong_month:
        ledger.record_clock(STAFF, at(MON, 8), employee=STAFF, scanned_at=dt.datetime(2026, 11, 2, 7, 30), direction="in")
    assert wrong_month.value.code == "wrong_month"
    assert wrong_month.value.details["month"] == MONTH
    ledger.record_roll_call(HEAD, at(MON, 8), date=MON, kind="morning", attended=[STAFF], absent=[PEER])
    with pytest.raises(kinerja.LedgerError) as no_ceremony:
        ledger.mark_roll_call(HEAD, at(MON, 8), employee=STAFF, date=dt.date(2026, 10, 19), kind="ceremony")
    assert no_ceremony.value.code == "conflict"
    ledger.declare_ceremony(HEAD, at(MON, 8), date=dt.date(2026, 10, 19), name="Hari Kesadaran Nasional")
    ledger.mark_roll_call(HEAD, at(MON, 8), employee=STAFF, date=dt.date(2026, 10, 19), kind=kinerja.RollCallKind.CEREMONY)
    ledger.register_extra_task(
        HEAD,
        at(MON, 9),
        id="EXTRA-1",
        employee=STAFF,
        name="Panitia seleksi",
        output_unit="berkas",
        standard_minutes=20,
        valid_from=MON,
    )
    extra = ledger.log_activity(
        STAFF, at(MON, 16), date=MON, start=dt.time(10), end=dt.time(11), task="EXTRA-1", quantity=3
    )
    assert extra.standard_minutes == 20
    seq = ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    assert seq == len(ledger) and ledger.is_closed
    with pytest.raises(kinerja.LedgerError) as closed:
        log_report(ledger, start=13)
    assert closed.value.code == "month_closed"


def test_recap_of_the_small_city(ledger: kinerja.Ledger) -> None:
    # STAFF: one entry of 2 reports x 30 min = 60 min (span 08:00-09:00 = 60 min),
    # approved; in at 07:45 (15 min late: band 1), out at 16:00 on Monday; annual
    # leave on Tuesday. No scans on the other 20 working days: unexcused.
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    ledger.record_clock(STAFF, at(MON, 7, 45), employee=STAFF, scanned_at=at(MON, 7, 45), direction="in")
    ledger.record_clock(STAFF, at(MON, 16), employee=STAFF, scanned_at=at(MON, 16), direction="out")
    ledger.record_absence(HEAD, at(MON, 7), employee=STAFF, start=TUE, end=TUE, kind="leave.annual")
    ledger.record_roll_call(HEAD, at(MON, 8), date=MON, kind="morning", attended=[STAFF])
    recap = ledger.recap()
    assert recap.month == MONTH
    assert recap.as_of == dt.date(2026, 11, 7) and recap.deadline_passed
    staff = next(r for r in recap.employees.rows() if r["employee"] == STAFF)
    assert staff["name"] == "Cut Analis" and staff["unit"] == "BKPSDM" and staff["position"] == "ANALIS"
    # Target: 22 working days - 1 day of annual leave = 21 days x 300 min = 6,300 min.
    assert staff["calendar_working_days"] == 22
    assert staff["reduced_days"] == 1 and staff["target_days"] == 21
    assert staff["target_minutes"] == 6300
    assert staff["verified_minutes"] == 60 and staff["claimed_minutes"] == 60
    # Achievement 60 / 6,300 x 100 = 0.952380...%, exact.
    assert staff["achievement_percent"] == Decimal(60) * 100 / Decimal(6300)
    assert staff["entries_approved"] == 1 and staff["entries_pending"] == 0
    assert staff["working_days"] == 22 and staff["days_present"] == 1
    assert staff["late_b1_days"] == 1 and staff["late_b1_minutes"] == 15 and staff["late_days"] == 1
    assert staff["absence_leave_annual"] == 1
    assert staff["unexcused_days"] == 20
    assert staff["morning_attended"] == 1
    peer = next(r for r in recap.employees.rows() if r["employee"] == PEER)
    assert peer["verified_minutes"] == 0 and peer["achievement_percent"] == Decimal(0)
    (unit,) = list(recap.units.rows())
    assert unit["employees"] == 3 and unit["verified_minutes"] == 60
    # Before the deadline the recap says so.
    early = ledger.recap(as_of=dt.date(2026, 10, 31))
    assert not early.deadline_passed


def test_replay_and_snapshot(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Return("Perbaiki"))
    ledger.resubmit(STAFF, at(TUE, 10), 1)
    ledger.record_absence(HEAD, at(MON, 7), employee=PEER, start=TUE, end=TUE, kind="sick")
    journal = ledger.journal_json()
    again = kinerja.Ledger.replay(ctx, journal)
    assert again == ledger
    assert again.journal_json() == journal
    loaded = kinerja.Ledger.from_snapshot(ctx, ledger.snapshot())
    assert loaded.entries() == ledger.entries()
    assert loaded.recap().employees == ledger.recap().employees
    assert len(loaded) == 0  # a snapshot starts a new journal segment


def test_replay_errors(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    with pytest.raises(kinerja.LedgerError) as garbage:
        kinerja.Ledger.replay(ctx, "not json")
    assert garbage.value.code == "format"
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    # A tampered journal: the entry now belongs to someone not in the city. Replay
    # checks the structure of every event and names the one that fails.
    tampered = ledger.journal_json().replace(f'"employee":"{STAFF}"', f'"employee":"{UNKNOWN}"')
    with pytest.raises(kinerja.LedgerError) as e:
        kinerja.Ledger.replay(ctx, tampered)
    assert e.value.code == "replay"
    assert e.value.details["seq"] == 1
    cause = e.value.__cause__
    assert isinstance(cause, kinerja.NotFoundError) and cause.code == "unknown_employee"
    with pytest.raises(kinerja.LedgerError) as snap:
        kinerja.Ledger.from_snapshot(ctx, "{}")
    assert snap.value.code == "format"


def test_simulated_month(simulated: kinerja.Ledger, synthetic: kinerja.City) -> None:
    assert simulated.is_closed
    recap = simulated.recap()
    assert len(recap.employees) == len(synthetic.employees)
    assert len(recap.units) == len(synthetic.units)
    assert sum(recap.units["verified_minutes"]) == sum(recap.employees["verified_minutes"])
    entries = simulated.entries()
    assert len(entries) == simulated.entry_count
    statuses = set(entries["status"])
    assert statuses <= {s.value for s in kinerja.VerificationStatus}
    assert all(c <= 450 for c in entries["credited_minutes"])


def test_simulation_is_deterministic_and_counts_refusals(synthetic: kinerja.City, policy: kinerja.Policy) -> None:
    ctx = kinerja.MonthContext(synthetic, policy, MONTH)
    a, report_a = kinerja.simulate_month(ctx, seed=11, close=False)
    b, report_b = kinerja.simulate_month(ctx, seed=11, close=False)
    assert a == b and report_a == report_b
    assert not a.is_closed
    assert report_a.accepted == len(a)
    assert all(isinstance(n, int) and n > 0 for n in report_a.refused.values())
    replayed = kinerja.Ledger.replay(ctx, a.journal_json())
    assert replayed == a
    assert "events" in repr(a)
