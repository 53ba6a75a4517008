"""A city's month paid from Python: pay_city (columnar slips, unit and city totals,
one slip by NIP), what_if (60/40 against 70/30) and arrears after a correction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Dict, List

import pytest

import kinerja
from conftest import HEAD, MON, MONTH, PEER, READER, STAFF, TUE, UNKNOWN, at, log_report, small_dataset

ROOT = Path(__file__).resolve().parents[2]
ZERO = Decimal(0)
BASE = ["nip", "name", "unit", "job_class", "ceiling", "gross", "tax", "contribution", "net", "content_hash"]


def proposed_70_30(policy: kinerja.Policy) -> kinerja.Policy:
    return policy.with_layer(kinerja.PolicyLayer.from_file(ROOT / "policy" / "proposed-70-30.toml"))


def closed(ledger: kinerja.Ledger) -> kinerja.Ledger:
    """The month closed by HEAD, an HR officer, on Monday 9 November, after the
    verification deadline (6 November): the recap that pays is the closed one."""
    ledger.close_month(HEAD, at(dt.date(2026, 11, 9), 8))
    return ledger


def worked_one_day(ctx: kinerja.MonthContext) -> kinerja.Ledger:
    """STAFF scans in and out on Monday 5 October on the agency's reader, logs two
    reports (2 x 30 = 60 minutes) and attends both roll calls (HEAD, the attendance
    officer, records them); HEAD approves the reports. Nobody else does anything; the
    month is closed. Commands in time order: record times never go backwards."""
    ledger = kinerja.Ledger(ctx)
    ledger.record_clock(READER, at(MON, 7, 30), employee=STAFF, scanned_at=at(MON, 7, 30), direction="in")
    ledger.record_clock(READER, at(MON, 16), employee=STAFF, scanned_at=at(MON, 16), direction="out")
    entry = log_report(ledger)
    for kind in ("morning", "afternoon"):
        ledger.record_roll_call(HEAD, at(MON, 17), date=MON, kind=kind, attended=[STAFF])
    ledger.verify(HEAD, at(TUE, 9), entry.id, kinerja.Approve())
    return closed(ledger)


def test_an_empty_month_by_hand(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    """Nobody scans or logs anything in October 2026 (22 working days): 22 TK days each.

    STAFF (class 8, III/a, salary 4,500,000): C = 2,250,000; P = 1,350,000, E = 0,
    shortfall -1,350,000; D = 900,000; TK -R(900,000 x 3 x 22 / 100) = -594,000;
    G = 306,000; tax 5 % -15,300; BPJS 1 % of 306,000 = -3,060; N = 287,640.
    PEER (class 8, PPPK, no salary record: base 0): the same amounts.
    HEAD (class 14, IV/b, no salary): C = 5,250,000; P = 3,150,000; D = 2,100,000;
    TK -1,386,000; G = 714,000; tax 15 % -107,100; BPJS -7,140; N = 599,760.
    City: gross 1,326,000; net 1,175,040.
    """
    payroll = kinerja.pay_city(ctx, closed(kinerja.Ledger(ctx)).recap(), policy, allow_unverified=True)
    assert payroll.month == MONTH and len(payroll) == 3 and payroll.failures == ()
    s = payroll.slips
    # Every rule of the engine is a column whether or not it applied this month (the
    # same columns every month, issue 15): the rules that did not apply hold zeros.
    rules = [r for r in kinerja.ALLOWANCE_RULES if r != "ceiling"]
    assert s.columns == BASE + rules and payroll.rules == rules
    applied = {"performance.shortfall", "deduction.unexcused", "tax.pph21", "contribution.bpjs"}
    assert all(v == 0 for r in rules if r not in applied for v in s[r])
    assert all(v != 0 for r in applied for v in s[r])
    assert s["nip"] == [HEAD, STAFF, PEER]
    assert s["name"] == ["Teuku Kepala", "Cut Analis", "Rina Rekan"]
    assert s["unit"] == ["BKPSDM"] * 3 and s["job_class"] == [14, 8, 8]
    assert s["gross"] == [Decimal("714000"), Decimal("306000"), Decimal("306000")]
    assert s["net"] == [Decimal("599760"), Decimal("287640"), Decimal("287640")]
    assert s["deduction.unexcused"] == [Decimal("-1386000"), Decimal("-594000"), Decimal("-594000")]
    assert s["contribution.bpjs"] == [Decimal("-7140"), Decimal("-3060"), Decimal("-3060")]
    city = payroll.city
    assert (city.count, city.ceiling, city.gross, city.net) == (
        3,
        Decimal("9750000"),
        Decimal("1326000"),
        Decimal("1175040"),
    )
    assert city.tax == Decimal("-137700") and city.contribution == Decimal("-13260")
    assert city.by_rule["deduction.unexcused"] == Decimal("-2574000")
    u = payroll.units
    assert u.columns[:8] == ["unit", "name", "slips", "ceiling", "gross", "tax", "contribution", "net"]
    assert u.row(0)["slips"] == 3 and u.row(0)["net"] == city.net
    assert u.row(0)["name"] == "Badan Kepegawaian dan Pengembangan SDM"


def test_one_day_of_work_by_hand(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    """STAFF worked Monday (present, both roll calls, 60 verified minutes): 21 TK days.

    E = R(1,350,000 x 60 / 6,600) = R(12,272.73) = 12,273, shortfall -1,337,727;
    TK -R(900,000 x 3 x 21 / 100) = -567,000; G = 12,273 + 900,000 - 567,000 = 345,273;
    tax -R(17,263.65) = -17,264; BPJS -R(3,452.73) = -3,453; N = 324,556.
    """
    payroll = kinerja.pay_city(ctx, worked_one_day(ctx), allow_unverified=True)  # a ledger: its final recap; the context's policy
    slip = payroll.slip(STAFF)
    assert [(l.rule, l.amount) for l in slip.lines] == [
        ("ceiling", Decimal("2250000")),
        ("performance.shortfall", Decimal("-1337727")),
        ("deduction.unexcused", Decimal("-567000")),
        ("tax.pph21", Decimal("-17264")),
        ("contribution.bpjs", Decimal("-3453")),
    ]
    assert (slip.gross, slip.net) == (Decimal("345273"), Decimal("324556"))
    row = payroll.slips.row(1)
    assert row["nip"] == STAFF and row["net"] == slip.net and row["content_hash"] == slip.content_hash
    # The input the employee was paid from, recomputed alone: the same slip.
    paid_from = payroll.input(STAFF)
    assert paid_from.performance == {"target_minutes": 6600, "verified_minutes": 60}
    assert paid_from.discipline["unexcused_days"] == 21 and paid_from.salary == Decimal("4500000.00")
    alone = kinerja.compute_slip(paid_from, policy)
    assert [(l.rule, l.amount) for l in alone.lines] == [(l.rule, l.amount) for l in slip.lines]
    assert (alone.net, len(alone.unverified), len(slip.unverified)) == (slip.net, 0, 39)


def test_arrears_after_the_month_was_paid_early(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    """Paid on the empty month (N = 287,640); the day's work recorded afterwards gives
    N = 324,556. Arrears: shortfall +12,273, TK +27,000, tax -1,964 (-17,264 - -15,300),
    BPJS -393 (-3,453 - -3,060); net +36,916 to pay."""
    paid = kinerja.pay_city(ctx, closed(kinerja.Ledger(ctx)), allow_unverified=True).slip(STAFF)
    recomputed = kinerja.pay_city(ctx, worked_one_day(ctx), allow_unverified=True).slip(STAFF)
    a = kinerja.arrears(paid, recomputed)
    diff = {d.rule: d.difference for d in a.by_rule}
    assert diff == {
        "ceiling": ZERO,
        "performance.shortfall": Decimal("12273"),
        "deduction.unexcused": Decimal("27000"),
        "tax.pph21": Decimal("-1964"),
        "contribution.bpjs": Decimal("-393"),
    }
    assert (a.net, a.to_pay, a.to_recover) == (Decimal("36916"), Decimal("36916"), ZERO)


def test_slip_lookup_errors(ctx: kinerja.MonthContext) -> None:
    payroll = kinerja.pay_city(ctx, closed(kinerja.Ledger(ctx)), allow_unverified=True)
    assert STAFF in payroll and UNKNOWN not in payroll and 42 not in payroll
    with pytest.raises(kinerja.NotFoundError) as e:
        payroll.slip(UNKNOWN)
    assert (e.value.record, e.value.id) == ("slip", UNKNOWN)
    with pytest.raises(kinerja.NotFoundError):
        payroll.input(UNKNOWN)
    with pytest.raises(kinerja.ValidationError):
        payroll.slip("12345")
    with pytest.raises(TypeError, match="MonthlyRecap"):
        kinerja.pay_city(ctx, "2026-10", allow_unverified=True)  # type: ignore[arg-type]


def test_recap_of_another_month(city: kinerja.City, policy: kinerja.Policy, ctx: kinerja.MonthContext) -> None:
    november = kinerja.MonthContext(city, policy, "2026-11")
    with pytest.raises(kinerja.AllowanceError) as e:
        kinerja.pay_city(november, closed(kinerja.Ledger(ctx)).recap(), policy, allow_unverified=True)
    assert e.value.code == "month_mismatch"
    assert e.value.details == {"recap": "2026-10", "context": "2026-11"}


def test_policy_binding_error_stops_the_month(ctx: kinerja.MonthContext, policy: kinerja.Policy) -> None:
    bad = policy.with_toml(
        "kota-salah.toml",
        '[layer]\nname = "Kota Salah"\n\n[[allowance.weight_performance]]\nfrom = 2026-01-01\n'
        'value = "70"\nref = "Perwal Kota Salah (illustrative)"\n',
    )
    with pytest.raises(kinerja.PolicyError) as e:
        kinerja.pay_city(ctx, closed(kinerja.Ledger(ctx)), bad, allow_unverified=True)
    assert e.value.code == "bad_value" and e.value.id == "allowance.weight_discipline"


# --- a synthetic city's month ----------------------------------------------------------


@pytest.fixture(scope="module")
def payroll(synthetic: kinerja.City, simulated: kinerja.Ledger, policy: kinerja.Policy) -> kinerja.Payroll:
    return kinerja.pay_city(simulated.context, simulated.recap(), policy, allow_unverified=True)


def total(values: List[Decimal]) -> Decimal:
    return sum(values, ZERO)


def test_columns_add_up(payroll: kinerja.Payroll) -> None:
    s = payroll.slips
    assert len(s) == len(payroll) > 200 and payroll.failures == ()
    assert s.columns[: len(BASE)] == BASE
    rules = payroll.rules
    assert s.columns[len(BASE) :] == rules
    assert "ceiling" not in rules and "performance.shortfall" in rules
    # Rule columns in slip order.
    order = kinerja.ALLOWANCE_RULES
    assert [order.index(r) for r in rules] == sorted(order.index(r) for r in rules)
    for i in range(len(s)):
        row = s.row(i)
        assert row["ceiling"] + total([row[r] for r in rules]) == row["net"]
        assert row["gross"] + row["tax"] + row["contribution"] == row["net"]
        assert row["tax"] == (row["tax.pph21"] if "tax.pph21" in rules else ZERO)
    city = payroll.city
    assert total(s["net"]) == city.net and total(s["gross"]) == city.gross
    assert total(s["ceiling"]) == city.ceiling and city.count == len(s)
    for rule in rules:
        assert total(s[rule]) == city.by_rule.get(rule, ZERO)
    u = payroll.units
    assert total(u["net"]) == city.net and sum(u["slips"]) == city.count
    assert all(type(v) is Decimal for v in s["net"])
    # Per unit: the slips of the unit's employees.
    first = u.row(0)
    mine = [n for n, unit in zip(s["net"], s["unit"]) if unit == first["unit"]]
    assert total(mine) == first["net"] and len(mine) == first["slips"]


def test_slip_by_nip_matches_its_row(payroll: kinerja.Payroll, policy: kinerja.Policy) -> None:
    s = payroll.slips
    for i in (0, len(s) // 2, len(s) - 1):
        row = s.row(i)
        slip = payroll.slip(row["nip"])
        assert slip.net == row["net"] and slip.content_hash == row["content_hash"]
        for rule in payroll.rules:
            assert slip.amount(rule) == row[rule]
        # Same inputs, same amounts: recomputing from the input alone gives the same
        # lines and net. (The paid slip, version 3, also lists the unverified policy
        # values it was paid with, so its seal differs from the plain slip's.)
        alone = kinerja.compute_slip(payroll.input(row["nip"]), policy)
        assert [(l.rule, l.amount) for l in alone.lines] == [(l.rule, l.amount) for l in slip.lines]
        assert (alone.gross, alone.net, alone.schema_version, slip.schema_version) == (slip.gross, slip.net, 2, 3)
    nips = s["nip"]
    assert len(set(nips)) == len(nips)
    assert len(set(s["content_hash"])) == len(nips)


def test_ledger_and_recap_give_the_same_payroll(simulated: kinerja.Ledger, payroll: kinerja.Payroll) -> None:
    again = kinerja.pay_city(simulated.context, simulated, allow_unverified=True)
    assert again.slips == payroll.slips and again.units == payroll.units
    assert again.city == payroll.city
    assert payroll.slips is payroll.slips  # built once, cached
    assert repr(payroll).startswith(f"Payroll({MONTH}, {len(payroll)} slips, 0 failures")


def test_tables_convert(payroll: kinerja.Payroll) -> None:
    pytest.importorskip("pandas")
    df = payroll.slips.to_pandas()
    assert list(df.columns) == payroll.slips.columns and len(df) == len(payroll)
    assert isinstance(df["net"].iloc[0], Decimal)


def test_what_if_70_30(simulated: kinerja.Ledger, policy: kinerja.Policy, payroll: kinerja.Payroll) -> None:
    ctx = simulated.context
    w = kinerja.what_if(ctx, simulated.recap(), policy, proposed_70_30(policy))
    assert w.month == MONTH
    # The current policy pays as pay_city does (amount for amount; the payroll's slips
    # also list the unverified values they were paid with).
    assert w.current.slips["net"] == payroll.slips["net"] and w.current.slips["nip"] == payroll.slips["nip"]
    e = w.employees
    assert e["presence"] == ["both"] * len(e) and len(e) == len(payroll)
    for name in ("gross", "tax", "contribution", "net"):
        change = getattr(w.city, name)
        assert total(e[f"{name}_delta"]) == change.delta == change.after - change.before
        assert total(e[f"{name}_before"]) == change.before
        assert total(w.units[f"{name}_delta"]) == change.delta
    assert w.city.net.before == payroll.city.net == w.before.net
    assert w.city.net.after == w.proposed.city.net == w.after.net
    assert w.city.employees == len(e) == sum(w.units["employees"])
    # Each employee's delta is the difference of their two slips, rule by rule.
    by_nip: Dict[str, int] = {n: i for i, n in enumerate(e["nip"])}
    for nip in e["nip"][:25]:
        row = e.row(by_nip[nip])
        before, after = w.current.slip(nip), w.proposed.slip(nip)
        assert row["net_delta"] == after.net - before.net
        assert row["delta.performance.shortfall"] == after.amount("performance.shortfall") - before.amount(
            "performance.shortfall"
        )
        assert row["unit"] == payroll.slips.row(payroll.slips["nip"].index(nip))["unit"]
    # The weights move money from discipline to performance: the shortfall grows with P.
    assert total(e["delta.performance.shortfall"]) < 0
    # Units in dataset order, named.
    assert w.units["unit"] == [u for u in payroll.units["unit"] if u in set(w.units["unit"])]
    assert all(n for n in w.units["name"])


def test_what_if_with_the_same_policy_changes_nothing(simulated: kinerja.Ledger, policy: kinerja.Policy) -> None:
    w = kinerja.what_if(simulated.context, simulated, policy, policy)
    assert w.city.net.delta == ZERO and set(w.employees["net_delta"]) == {ZERO}
    assert all(c.startswith("delta.") for c in w.employees.columns[16:])


# --- everyone is accounted for -----------------------------------------------------------

RETIRED = "196601012000031005"


def city_with_a_retiree() -> kinerja.City:
    """The small city plus an analyst whose assignment ended on 31 August 2026."""
    data = small_dataset()
    data["employees"].append({"nip": RETIRED, "name": "Pak Pensiun", "rank": "III/d", "employment": "PNS"})
    data["assignments"].append(
        {"employee": RETIRED, "position": "ANALIS", "kind": "definitive", "from": "2010-01-01", "until": "2026-08-31"}
    )
    return kinerja.City.from_dict(data)


def test_every_employee_is_in_the_payroll(policy: kinerja.Policy) -> None:
    """The empty month of test_an_empty_month_by_hand (gross 1,326,000, net 1,175,040)
    plus a retiree, who is listed as not paid with the assignment's `until`."""
    city = city_with_a_retiree()
    ctx = kinerja.MonthContext(city, policy, MONTH)
    payroll = kinerja.pay_city(ctx, kinerja.Ledger(ctx), allow_unverified=True)
    assert len(payroll) == 3 and payroll.failures == ()
    (np,) = payroll.not_paid
    assert (np.employee, np.code, np.record, np.field, np.unit) == (RETIRED, "left_service", "assignment", "until", "BKPSDM")
    assert "2026-08-31" in np.reason
    e = payroll.employees
    assert e["nip"] == [HEAD, STAFF, PEER, RETIRED]
    assert e["status"] == ["paid", "paid", "paid", "not_paid"]
    assert e["code"] == [None, None, None, "left_service"] and e["net"][3] is None
    assert e["net"][:3] == [Decimal("599760"), Decimal("287640"), Decimal("287640")]
    s = payroll.summary
    assert (s.employees, s.paid, s.failed, s.not_paid) == (4, 3, 0, 1)
    assert (s.ceiling, s.gross, s.net) == (Decimal("9750000"), Decimal("1326000"), Decimal("1175040"))
    by_rule = {r.rule: (r.lines, r.amount) for r in s.by_rule}
    assert [r.rule for r in s.by_rule] == kinerja.ALLOWANCE_RULES
    assert by_rule["deduction.unexcused"] == (3, Decimal("-2574000"))
    assert by_rule["tax.pph21"] == (3, Decimal("-137700")) and by_rule["sanction"] == (0, ZERO)
    before_tax = [a for r, (_, a) in by_rule.items() if r not in ("tax.pph21", "contribution.bpjs")]
    assert sum(before_tax, ZERO) == s.gross and s.gross + s.tax + s.contribution == s.net
    assert "1 not paid" in repr(payroll)


def test_a_failure_names_its_unit(policy: kinerja.Policy) -> None:
    data = small_dataset()
    data["sanctions"] = [
        {"employee": STAFF, "level": "heavy", "effective_from": "2026-08-01", "months": 6, "reference": "SK 1"}
    ]
    ctx = kinerja.MonthContext(kinerja.City.from_dict(data), policy, MONTH)
    payroll = kinerja.pay_city(ctx, kinerja.Ledger(ctx), allow_unverified=True)
    (f,) = payroll.failures
    assert (f.employee, f.code, f.unit) == (STAFF, "unknown_sanction_level", "BKPSDM")
    assert payroll.employees["status"] == ["paid", "paid", "failed"]
    assert (payroll.summary.paid, payroll.summary.failed) == (2, 1)


def test_the_synthetic_month_lists_every_employee(synthetic: kinerja.City, payroll: kinerja.Payroll) -> None:
    employees = {e.nip for e in synthetic.employees}
    e = payroll.employees
    assert sorted(e["nip"]) == sorted(employees)
    s = payroll.summary
    assert s.employees == len(employees) == s.paid + s.failed + s.not_paid
    assert s.paid == len(payroll) and s.not_paid == len(payroll.not_paid) > 0
    assert total([n for n in e["net"] if n is not None]) == s.net == payroll.city.net


def test_unverified_policy_values_need_an_explicit_permission(ctx: kinerja.MonthContext) -> None:
    """Every allowance value of the national baseline is recalled or illustrative (39)."""
    ledger = closed(kinerja.Ledger(ctx))
    with pytest.raises(kinerja.PolicyError) as e:
        kinerja.pay_city(ctx, ledger)
    assert e.value.code == "unverified_policy"
    payroll = kinerja.pay_city(ctx, ledger, allow_unverified=True)
    slip = payroll.slip(payroll.slips["nip"][0])
    assert slip.schema_version == 3
    assert len(slip.unverified) == 39
    assert "allowance.ceilings (illustrative)" in slip.unverified
