"""The month ledger: commands, verification, authorisation (who may issue each
command, decided by the core), attendance, roll calls, closing and reopening the
month, time order, the journal's hash chain and replay, snapshots and the monthly
recap.

Commands are issued in time order: the record never goes backwards."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import kinerja
from conftest import DEPUTY, HEAD, MAYOR, MON, MONTH, PEER, READER, STAFF, TUE, UNKNOWN, at, log_report, small_dataset


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
    with pytest.raises(kinerja.AuthorisationError) as other:
        ledger.log_activity(
            PEER, at(MON, 16), date=MON, start=dt.time(10), end=dt.time(11), task="ANALIS-T1", quantity=1, employee=STAFF
        )
    assert other.value.code == "not_authorised"
    assert other.value.details["reason"] == "not_the_employee"
    assert (other.value.details["actor"], other.value.details["employee"]) == (PEER, STAFF)
    # ... and only the entry's employee edits it.
    with pytest.raises(kinerja.AuthorisationError) as edit:
        ledger.edit_activity(
            PEER, at(MON, 16), 1, date=MON, start=dt.time(8), end=dt.time(9), task="ANALIS-T1", quantity=1
        )
    assert edit.value.code == "not_authorised"
    assert edit.value.details["reason"] == "not_the_employee"
    # A device verifies nothing; the mayor verifies only top positions, and the
    # analysts have a supervising position (KABAN).
    with pytest.raises(kinerja.AuthorisationError) as device:
        ledger.verify(READER, at(TUE, 9), 1, kinerja.Approve())
    assert device.value.details["reason"] == "not_an_employee"
    with pytest.raises(kinerja.AuthorisationError) as mayor:
        ledger.verify(MAYOR, at(TUE, 9), 1, kinerja.Approve())
    assert (mayor.value.details["reason"], mayor.value.details["position"]) == ("not_the_verifier", "KABAN")
    with pytest.raises(kinerja.ValidationError) as malformed:
        ledger.verify("official:wali kota", at(TUE, 9), 1, kinerja.Approve())
    assert (malformed.value.code, malformed.value.field) == ("invalid_actor", "actor")
    assert len(ledger) == 1  # refused commands change nothing


def test_activity_rules(ledger: kinerja.Ledger) -> None:
    def refused(**kw: object) -> kinerja.ActivityRejected:
        args: dict[str, object] = dict(date=MON, start=dt.time(10), end=dt.time(11), task="ANALIS-T1", quantity=1)
        args.update(kw)
        when = args.pop("when", at(MON, 16))
        with pytest.raises(kinerja.ActivityRejected) as e:
            ledger.log_activity(STAFF, when, **args)  # type: ignore[arg-type]
        return e.value

    # In time order: the refusals made before Monday afternoon's entry first.
    assert refused(when=at(dt.date(2026, 10, 2), 16)).code == "future_date"
    assert refused(date=dt.date(2026, 10, 3), when=at(dt.date(2026, 10, 5), 8)).code == "non_working_day"
    log_report(ledger)
    overlap = refused(start=dt.time(8, 30), end=dt.time(9, 30))
    assert (overlap.code, overlap.field, overlap.record) == ("overlapping_entry", "start", "activity")
    assert refused(quantity=0).code == "non_positive_quantity"
    assert refused(end=dt.time(10)).code == "end_not_after_start"
    assert refused(task="KABAN-T1").code == "task_not_assigned"
    assert refused(start=dt.time(7), end=dt.time(7, 20)).code == "before_working_hours"
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
    with pytest.raises(kinerja.AuthorisationError) as e:
        ledger.resubmit(PEER, at(TUE, 10), 1)
    assert e.value.code == "not_authorised"
    assert e.value.details["reason"] == "not_the_employee"


def test_not_found(ledger: kinerja.Ledger) -> None:
    with pytest.raises(kinerja.NotFoundError) as e:
        ledger.entry(99)
    assert e.value.code == "unknown_entry" and e.value.id == "99"
    with pytest.raises(kinerja.NotFoundError) as v:
        ledger.verify(HEAD, at(TUE, 9), 42, kinerja.Approve())
    assert v.value.code == "unknown_entry"
    # Somebody the city does not know may not log anything: refused as an actor.
    with pytest.raises(kinerja.AuthorisationError) as u:
        ledger.log_activity(UNKNOWN, at(MON, 16), date=MON, start=dt.time(8), end=dt.time(9), task="ANALIS-T1", quantity=1)
    assert (u.value.code, u.value.details["reason"], u.value.id) == ("not_authorised", "unknown_actor", UNKNOWN)
    # An HR officer recording an absence of somebody the city does not know.
    with pytest.raises(kinerja.NotFoundError) as a:
        ledger.record_absence(HEAD, at(MON, 16), employee=UNKNOWN, start=TUE, end=TUE, kind="permit")
    assert (a.value.code, a.value.id, a.value.record) == ("unknown_employee", UNKNOWN, "absence")


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
    # The agency's fingerprint reader sends the scan in; STAFF's own phone the scan out.
    ledger.record_clock(READER, at(MON, 7, 45), employee=STAFF, scanned_at=at(MON, 7, 45), direction="in")
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
        ledger.record_clock(READER, at(MON, 16), employee=STAFF, scanned_at=dt.datetime(2026, 11, 2, 7, 30), direction="in")
    assert wrong_month.value.code == "wrong_month"
    assert wrong_month.value.details["month"] == MONTH
    ledger.register_extra_task(
        HEAD,
        at(MON, 16),
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
    # HEAD is the unit's attendance officer: roll calls are recorded after they are held.
    ledger.record_roll_call(HEAD, at(MON, 17), date=MON, kind="morning", attended=[STAFF], absent=[PEER])
    with pytest.raises(kinerja.LedgerError) as no_ceremony:
        ledger.mark_roll_call(HEAD, at(MON, 17), employee=STAFF, date=MON, kind="ceremony")
    assert no_ceremony.value.code == "conflict" and no_ceremony.value.field == "kind"
    # HEAD is also an HR officer: HR declares ceremonies.
    ledger.declare_ceremony(HEAD, at(MON, 17), date=dt.date(2026, 10, 19), name="Hari Kesadaran Nasional")
    ledger.mark_roll_call(
        HEAD, at(dt.date(2026, 10, 19), 9), employee=STAFF, date=dt.date(2026, 10, 19), kind=kinerja.RollCallKind.CEREMONY
    )
    seq = ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    assert seq == len(ledger) and ledger.is_closed
    with pytest.raises(kinerja.LedgerError) as closed:
        ledger.log_activity(
            STAFF, at(dt.date(2026, 11, 9), 9), date=MON, start=dt.time(13), end=dt.time(14), task="ANALIS-T1", quantity=1
        )
    assert closed.value.code == "month_closed"


def test_recap_of_the_small_city(ledger: kinerja.Ledger) -> None:
    # STAFF: one entry of 2 reports x 30 min = 60 min (span 08:00-09:00 = 60 min),
    # approved; in at 07:45 (15 min late: band 1), out at 16:00 on Monday; annual
    # leave on Tuesday. No scans on the other 20 working days: unexcused.
    ledger.record_clock(READER, at(MON, 7, 45), employee=STAFF, scanned_at=at(MON, 7, 45), direction="in")
    ledger.record_clock(READER, at(MON, 16), employee=STAFF, scanned_at=at(MON, 16), direction="out")
    log_report(ledger)
    ledger.record_absence(HEAD, at(MON, 16, 30), employee=STAFF, start=TUE, end=TUE, kind="leave.annual")
    ledger.record_roll_call(HEAD, at(MON, 17), date=MON, kind="morning", attended=[STAFF])
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    recap = ledger.recap()
    assert recap.month == MONTH
    assert recap.as_of == dt.date(2026, 11, 7) and recap.deadline_passed
    staff = next(r for r in recap.employees.rows() if r["nip"] == STAFF)
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
    peer = next(r for r in recap.employees.rows() if r["nip"] == PEER)
    assert peer["verified_minutes"] == 0 and peer["achievement_percent"] == Decimal(0)
    (unit,) = list(recap.units.rows())
    assert unit["employees"] == 3 and unit["verified_minutes"] == 60
    # Before the deadline the recap says so.
    early = ledger.recap(as_of=dt.date(2026, 10, 31))
    assert not early.deadline_passed


def test_recap_tables_are_built_once_and_compared(ledger: kinerja.Ledger) -> None:
    # The tables are built from the engine's recap on first read and kept, so every
    # read gives the same object (a recap only paid never builds them).
    log_report(ledger)
    recap = ledger.recap()
    assert recap.employees is recap.employees and recap.units is recap.units
    # Equality still covers the tables: the same state gives equal recaps; approving
    # STAFF's 60 minutes changes only the tables (same month, dates and provenance),
    # and the recaps then differ.
    assert ledger.recap() == recap
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    after = ledger.recap()
    assert (after.month, after.as_of, after.provenance) == (recap.month, recap.as_of, recap.provenance)
    assert after != recap
    staff = next(r for r in after.employees.rows() if r["nip"] == STAFF)
    assert staff["verified_minutes"] == 60
    with pytest.raises(TypeError):
        hash(recap)


def test_replay_and_snapshot(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Return("Perbaiki"))
    ledger.resubmit(STAFF, at(TUE, 10), 1)
    ledger.record_absence(HEAD, at(TUE, 10, 30), employee=PEER, start=TUE, end=TUE, kind="sick")
    journal = ledger.journal_json()
    # Line-delimited: a header line, then one event per line.
    lines = journal.splitlines()
    assert len(lines) == 1 + len(ledger) == 5
    again = kinerja.Ledger.replay(ctx, journal)
    assert again == ledger
    assert again.journal_json() == journal
    assert again.head == ledger.head
    head = ledger.head
    loaded = kinerja.Ledger.from_snapshot(ctx, ledger.snapshot(), head)
    assert loaded.head == head and len(loaded) == len(ledger) == 4
    assert loaded.entries() == ledger.entries()
    assert loaded.recap().employees == ledger.recap().employees
    # The loaded ledger continues the journal's numbering and chain: the same command
    # gives the same event, so both heads move to the same (seq, hash).
    for each in (ledger, loaded):
        each.verify(HEAD, at(TUE, 11), 1, kinerja.Approve())
    assert loaded.head == ledger.head and ledger.head[0] == 5


def test_the_head(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    seq, genesis = ledger.head
    assert seq == 0 and len(genesis) == 64 and int(genesis, 16) >= 0
    # The genesis depends on the month only: an empty ledger of the same month has it.
    assert kinerja.Ledger(ctx).head == (0, genesis)
    log_report(ledger)
    first = ledger.head
    assert first[0] == 1 and first[1] != genesis and len(first[1]) == 64
    # Each event line carries its seq, the previous hash and its own hash: the head's.
    last_line = ledger.journal_json().splitlines()[-1]
    assert f'"seq":1,"prev":"{genesis}","hash":"{first[1]}"' in last_line
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    assert ledger.head[0] == 2 and ledger.head != first
    # A journal cut short replays (its chain is whole) but ends at another head than
    # the one kept apart: that is how a rewritten journal is noticed.
    cut = "\n".join(ledger.journal_json().splitlines()[:-1]) + "\n"
    assert kinerja.Ledger.replay(ctx, cut).head == first != ledger.head


def test_replay_errors(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    with pytest.raises(kinerja.LedgerError) as garbage:
        kinerja.Ledger.replay(ctx, "not json")
    assert garbage.value.code == "not_a_journal"
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve())
    journal = ledger.journal_json()
    header, logged, approved = journal.splitlines()
    # Event 1 (line 2) edited in the text: 2 reports become 9. Its content no longer
    # matches its hash: the chain names the event and the line.
    assert '"quantity":2,"description"' in logged
    edited = "\n".join([header, logged.replace('"quantity":2,"description"', '"quantity":9,"description"'), approved])
    with pytest.raises(kinerja.LedgerError) as e:
        kinerja.Ledger.replay(ctx, edited)
    assert e.value.code == "chain"
    assert (e.value.details["fault"], e.value.details["seq"], e.value.details["line"]) == ("edited", 1, 2)
    # Event 1 removed: event 2 follows the genesis.
    with pytest.raises(kinerja.LedgerError) as removed:
        kinerja.Ledger.replay(ctx, "\n".join([header, approved]))
    assert (removed.value.code, removed.value.details["fault"], removed.value.details["seq"]) == ("chain", "removed", 2)
    # The events swapped.
    with pytest.raises(kinerja.LedgerError) as swapped:
        kinerja.Ledger.replay(ctx, "\n".join([header, approved, logged]))
    assert swapped.value.code == "chain"
    # A journal of another month.
    november = kinerja.MonthContext(ctx.city, ctx.policy, "2026-11")
    with pytest.raises(kinerja.LedgerError) as other:
        kinerja.Ledger.replay(november, journal)
    assert other.value.code == "format"


def test_a_version_1_journal_still_loads_but_is_not_verifiable(ctx: kinerja.MonthContext) -> None:
    """A journal written before hashes (version 1: one JSON document) is migrated: its
    events are checked as before and replayed, and the ledger says nothing vouches for them."""
    v1 = json.dumps(
        {
            "version": 1,
            "month": MONTH,
            "events": [
                {
                    "seq": 1,
                    "actor": STAFF,
                    "at": "2026-10-05T16:00:00",
                    "type": "activity_logged",
                    "id": 1,
                    "input": {
                        "employee": STAFF,
                        "date": "2026-10-05",
                        "start": "08:00:00",
                        "end": "09:00:00",
                        "task": "ANALIS-T1",
                        "quantity": 2,
                        "description": "Laporan mutasi pegawai",
                    },
                    "standard_minutes": 30,
                }
            ],
        }
    )
    migrated = kinerja.Ledger.replay(ctx, v1)
    assert not migrated.is_verifiable
    assert len(migrated) == 1 and migrated.entry(1).quantity == 2
    fresh = kinerja.Ledger(ctx)
    log_report(fresh)
    assert fresh.is_verifiable and kinerja.Ledger.replay(ctx, fresh.journal_json()).is_verifiable
    assert migrated.entries() == fresh.entries()


def test_an_altered_snapshot_is_refused(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    log_report(ledger)
    ledger.verify(HEAD, at(TUE, 9), 1, kinerja.Approve(quantity=1))
    snapshot, head = ledger.snapshot(), ledger.head
    assert kinerja.Ledger.from_snapshot(ctx, snapshot, head).entry(1).approved_quantity == 1
    # The approval raised from 1 report to 2 in the snapshot's text: its seal no
    # longer matches its content.
    assert snapshot.count('"approved_quantity":1') == 1
    altered = snapshot.replace('"approved_quantity":1', '"approved_quantity":2')
    with pytest.raises(kinerja.LedgerError) as sealed:
        kinerja.Ledger.from_snapshot(ctx, altered, head)
    assert sealed.value.code == "format" and sealed.value.record == "snapshot"
    assert "altered" in str(sealed.value)
    # The snapshot loads only against the head it summarises.
    with pytest.raises(kinerja.LedgerError) as wrong_head:
        kinerja.Ledger.from_snapshot(ctx, snapshot, (1, head[1]))
    assert wrong_head.value.code == "format"
    with pytest.raises(kinerja.LedgerError) as bad_hash:
        kinerja.Ledger.from_snapshot(ctx, snapshot, (2, "not a hash"))
    assert bad_hash.value.code == "format"
    with pytest.raises(kinerja.LedgerError) as garbage:
        kinerja.Ledger.from_snapshot(ctx, "{}", head)
    assert garbage.value.code == "format"


def test_record_times_never_go_backwards(ledger: kinerja.Ledger) -> None:
    log_report(ledger)  # recorded Monday 16:00
    with pytest.raises(kinerja.LedgerError) as e:
        ledger.record_absence(HEAD, at(MON, 15, 59), employee=PEER, start=TUE, end=TUE, kind="permit")
    assert e.value.code == "out_of_order"
    assert (e.value.details["at"], e.value.details["last"]) == (at(MON, 15, 59), at(MON, 16))
    # The same minute is not earlier.
    ledger.record_absence(HEAD, at(MON, 16), employee=PEER, start=TUE, end=TUE, kind="permit")
    assert len(ledger) == 2


def test_clocks_come_from_the_units_machine(policy: kinerja.Policy) -> None:
    """A second unit (Dinas Kesehatan) with its own fingerprint reader and no staff.
    STAFF works at BKPSDM: only BKPSDM's reader may send their scans."""
    data = small_dataset()
    data["units"].append({"id": "DINKES", "name": "Dinas Kesehatan", "parent": None})
    data["clock_devices"].append({"id": "FP-DINKES", "unit": "DINKES", "kind": "fingerprint", "from": dt.date(2020, 1, 1)})
    city = kinerja.City.from_dict(data)
    assert [(d.id, d.unit, d.kind) for d in city.clock_devices] == [
        ("FP-BKPSDM", "BKPSDM", kinerja.DeviceKind.FINGERPRINT),
        ("FP-DINKES", "DINKES", kinerja.DeviceKind.FINGERPRINT),
    ]
    ledger = kinerja.Ledger(kinerja.MonthContext(city, policy, MONTH))
    scan = dict(employee=STAFF, scanned_at=at(MON, 7, 30), direction="in")

    def refused(actor: str, source: str = "fingerprint") -> kinerja.AuthorisationError:
        where = dict(latitude=Decimal("5.5483"), longitude=Decimal("95.3238")) if source == "mobile" else {}
        with pytest.raises(kinerja.AuthorisationError) as e:
            ledger.record_clock(actor, at(MON, 7, 30), source=source, **scan, **where)  # type: ignore[arg-type]
        assert e.value.code == "not_authorised"
        return e.value

    other_unit = refused("device:FP-DINKES")
    assert other_unit.details["reason"] == "outside_unit"
    assert (other_unit.details["actor"], other_unit.details["employee"]) == ("device:FP-DINKES", STAFF)
    assert refused(READER, source="face").details["reason"] == "wrong_device"  # a fingerprint reader
    assert refused("device:FP-NOWHERE").details["reason"] == "unknown_actor"
    assert refused(STAFF).details["reason"] == "not_a_device"  # a person is not a reader
    assert refused(PEER, source="mobile").details["reason"] == "not_the_employee"  # not PEER's phone scan
    assert len(ledger) == 0
    assert ledger.record_clock(READER, at(MON, 7, 30), **scan) == 1  # type: ignore[arg-type]


def test_absences_are_recorded_by_hr_or_self_reported(ledger: kinerja.Ledger) -> None:
    """HEAD and PEER are HR officers; STAFF is not."""
    # A colleague who is not an HR officer may not record somebody else's absence.
    with pytest.raises(kinerja.AuthorisationError) as peer:
        ledger.record_absence(STAFF, at(MON, 7), employee=PEER, start=MON, end=MON, kind="sick")
    assert (peer.value.code, peer.value.details["reason"]) == ("not_authorised", "not_the_employee")
    # An official is not an HR officer either.
    with pytest.raises(kinerja.AuthorisationError) as official:
        ledger.record_absence(DEPUTY, at(MON, 7), employee=STAFF, start=MON, end=MON, kind="permit")
    assert official.value.details["reason"] == "not_an_employee"
    # The employee reports a kind the national policy lets them report...
    ledger.record_absence(STAFF, at(MON, 7), employee=STAFF, start=MON, end=MON, kind="sick")
    # ... but not annual leave, which is granted by decree and recorded by HR.
    with pytest.raises(kinerja.AuthorisationError) as leave:
        ledger.record_absence(STAFF, at(MON, 7), employee=STAFF, start=TUE, end=TUE, kind="leave.annual")
    assert (leave.value.details["reason"], leave.value.details["kind"]) == ("not_self_reportable", "leave.annual")
    ledger.record_absence(HEAD, at(MON, 7, 5), employee=STAFF, start=TUE, end=TUE, kind="leave.annual")
    assert len(ledger) == 2
    assert [(o.employee, o.role) for o in ledger.context.city.officers] == [
        (HEAD, kinerja.OfficerRole.HR),
        (PEER, kinerja.OfficerRole.HR),
        (HEAD, kinerja.OfficerRole.ATTENDANCE),
    ]


def test_close_and_reopen_the_month(ledger: kinerja.Ledger, ctx: kinerja.MonthContext) -> None:
    """HEAD and PEER are HR officers. HEAD closes; only another HR officer reopens, with
    a reason; the month then takes changes again."""
    log_report(ledger)
    with pytest.raises(kinerja.LedgerError) as open_month:
        ledger.reopen_month(PEER, at(MON, 17), "Koreksi")
    assert open_month.value.code == "not_closed"
    with pytest.raises(kinerja.AuthorisationError) as staff:
        ledger.close_month(STAFF, at(dt.date(2026, 10, 30), 17))
    assert (staff.value.details["reason"], staff.value.details["role"]) == ("not_an_officer", "hr")
    assert ledger.close_month(HEAD, at(dt.date(2026, 10, 30), 17)) == 2 and ledger.is_closed
    with pytest.raises(kinerja.LedgerError) as closed:
        ledger.verify(HEAD, at(dt.date(2026, 10, 30), 17, 30), 1, kinerja.Approve())
    assert closed.value.code == "month_closed"
    monday = dt.date(2026, 11, 2)
    with pytest.raises(kinerja.AuthorisationError) as same:
        ledger.reopen_month(HEAD, at(monday, 9), "Koreksi absensi")
    assert (same.value.code, same.value.details["reason"]) == ("not_authorised", "same_officer")
    with pytest.raises(kinerja.LedgerError) as blank:
        ledger.reopen_month(PEER, at(monday, 9), "   ")
    assert (blank.value.code, blank.value.field) == ("missing_reason", "reason")
    assert ledger.is_closed and len(ledger) == 2
    assert ledger.reopen_month(PEER, at(monday, 9, 5), "Verifikasi tertunda, nota dinas 800/77") == 3
    assert not ledger.is_closed
    approved = ledger.verify(HEAD, at(monday, 10), 1, kinerja.Approve())
    assert approved.status is kinerja.VerificationStatus.APPROVED
    # The reopening is in the journal and replays through the same checks.
    assert '"Verifikasi tertunda, nota dinas 800/77"' in ledger.journal_json()
    assert kinerja.Ledger.replay(ctx, ledger.journal_json()) == ledger


def test_officials_verify_top_positions(ledger: kinerja.Ledger, city: kinerja.City, policy: kinerja.Policy) -> None:
    """The Kepala Badan holds a top position (no supervisor): the mayor verifies them."""
    meeting = ledger.log_activity(
        HEAD, at(MON, 16), date=MON, start=dt.time(9), end=dt.time(10), task="KABAN-T1", quantity=1
    )
    assert city.verifier_role(MAYOR, HEAD, MON) is kinerja.VerifierRole.OFFICIAL
    assert [e.id for e in ledger.verification_queue(MAYOR)] == [meeting.id]
    assert ledger.verification_queue(DEPUTY) == [] and ledger.verification_queue(PEER) == []
    with pytest.raises(kinerja.AuthorisationError) as deputy:
        ledger.verify(DEPUTY, at(TUE, 9), meeting.id, kinerja.Approve())
    assert (deputy.value.details["reason"], deputy.value.details["position"]) == ("not_the_verifier", "KABAN")
    ledger.verify(MAYOR, at(TUE, 9), meeting.id, kinerja.Approve())
    t = ledger.transitions()
    assert (t["by"], t["role"], t["to"]) == ([MAYOR], ["official"], ["approved"])
    assert [(o.id, o.office, o.verifies) for o in city.officials] == [
        ("WALIKOTA", kinerja.Office.REGIONAL_HEAD, ("KABAN",)),
        ("WAKIL", kinerja.Office.DEPUTY_HEAD, ()),
    ]


def test_who_decides_is_judged_on_the_decision_date(policy: kinerja.Policy) -> None:
    """The mayor's term ends on Friday 30 October: work done in October is theirs to
    verify while in office, not after."""
    data = small_dataset()
    data["officials"][0]["until"] = dt.date(2026, 10, 30)
    city = kinerja.City.from_dict(data)
    assert city.verifier_role(MAYOR, HEAD, MON) is kinerja.VerifierRole.OFFICIAL
    assert city.verifier_role(MAYOR, HEAD, MON, decided_on=dt.date(2026, 10, 30)) is kinerja.VerifierRole.OFFICIAL
    with pytest.raises(kinerja.AuthorisationError) as e:
        city.verifier_role(MAYOR, HEAD, MON, decided_on=dt.date(2026, 11, 2))
    assert (e.value.details["reason"], e.value.details["date"]) == ("not_in_service", dt.date(2026, 11, 2))
    ledger = kinerja.Ledger(kinerja.MonthContext(city, policy, MONTH))
    meeting = ledger.log_activity(
        HEAD, at(MON, 16), date=MON, start=dt.time(9), end=dt.time(10), task="KABAN-T1", quantity=1
    )
    assert [e.id for e in ledger.verification_queue(MAYOR)] == [meeting.id]  # as of the work date
    assert [e.id for e in ledger.verification_queue(MAYOR, on=dt.date(2026, 10, 30))] == [meeting.id]
    assert ledger.verification_queue(MAYOR, on=dt.date(2026, 11, 2)) == []
    with pytest.raises(kinerja.AuthorisationError):
        ledger.verify(MAYOR, at(dt.date(2026, 11, 2), 9), meeting.id, kinerja.Approve())


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
