"""One employee's allowance (TPP) from Python: building inputs, slips, explanations,
policy values, arrears, and the errors (every one with the core's code)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import pytest

import kinerja

ROOT = Path(__file__).resolve().parents[2]
NIP = "198503152010011001"
OTHER = "199001012015052003"

WEIGHTS_70_50 = """
[layer]
name = "Kota Salah"

[[allowance.weight_performance]]
from = 2026-01-01
value = "70"
ref = "Perwal Kota Salah (illustrative)"

[[allowance.weight_discipline]]
from = 2026-01-01
value = "50"
ref = "Perwal Kota Salah (illustrative)"
"""


def example() -> Dict[str, Any]:
    """The module example of the core: class 9, 6,000 of 6,600 minutes, two TL1 days.

    C = 2,500,000; P = 1,500,000; D = 1,000,000; E = R(1,500,000 x 6,000 / 6,600) =
    R(1,363,636.36) = 1,363,636, shortfall -136,364; TL1 = -(1,000,000 x 0.5 % x 2) =
    -10,000; G = 2,353,636; tax III 5 % = -R(117,681.8) = -117,682; BPJS 1 % of
    (4,500,000 + G) - 4,500,000 = -R(23,536.36) = -23,536; N = 2,212,418.
    """
    return {
        "employee": NIP,
        "month": "2026-10",
        "job_class": 9,
        "rank": "III/c",
        "employment": "PNS",
        "salary": Decimal("4500000"),
        "calendar_working_days": 22,
        "assigned_working_days": 22,
        "performance": {"target_minutes": 6600, "verified_minutes": 6000},
        "discipline": {
            "days_present": 22,
            "late": [2, 0, 0, 0],
            "early": [0, 0, 0, 0],
            "unexcused_days": 0,
            "roll_calls_missed": {"morning": 0, "afternoon": 0, "ceremony": 0},
        },
    }


def amounts(slip: kinerja.Slip) -> Dict[str, Decimal]:
    return {line.rule: line.amount for line in slip.lines}


# --- inputs --------------------------------------------------------------------------


def test_input_by_keywords_dict_and_json_are_the_same() -> None:
    by_keywords = kinerja.AllowanceInput(
        employee=NIP,
        month="2026-10",
        job_class=9,
        rank="III/c",
        employment=kinerja.EmploymentType.PNS,
        salary=4500000,  # an int is exact too
        calendar_working_days=22,
        assigned_working_days=22,
        performance={"target_minutes": 6600, "verified_minutes": 6000},
        discipline=example()["discipline"],
    )
    from_dict = kinerja.AllowanceInput.from_dict(example())
    assert by_keywords == from_dict
    assert kinerja.AllowanceInput.from_json(from_dict.to_json()) == from_dict
    assert from_dict.to_json().startswith('{"employee":"198503152010011001","month":"2026-10","job_class":9')
    assert '"salary":"4500000"' in from_dict.to_json()
    # Getters and the dict form.
    assert from_dict.employee == NIP and from_dict.month == "2026-10" and from_dict.job_class == 9
    assert from_dict.rank == "III/c"
    assert from_dict.employment is kinerja.EmploymentType.PNS
    assert from_dict.salary == Decimal("4500000") and isinstance(from_dict.salary, Decimal)
    assert from_dict.performance == {"target_minutes": 6600, "verified_minutes": 6000}
    assert from_dict.discipline["late"] == [2, 0, 0, 0] and from_dict.discipline["absences"] == {}
    assert from_dict.acting == [] and from_dict.sanctions == []
    d = from_dict.to_dict()
    assert d["salary"] == Decimal("4500000") and kinerja.AllowanceInput.from_dict(d) == from_dict
    assert "AllowanceInput(198503152010011001, 2026-10, class 9" in repr(from_dict)


def test_input_with_acting_and_sanctions_round_trips() -> None:
    data = example()
    data["acting"] = [{"position": "DINKES-P002", "job_class": 11, "working_days": 12}]
    data["sanctions"] = [
        {"level": "medium", "effective_from": dt.date(2026, 5, 1), "months": 6, "reference": "SK 800/123/2026"}
    ]
    data["discipline"]["absences"] = {"permit": 1}
    i = kinerja.AllowanceInput.from_dict(data)
    assert i.sanctions == [
        {"level": "medium", "effective_from": dt.date(2026, 5, 1), "months": 6, "reference": "SK 800/123/2026"}
    ]
    assert i.acting == [{"position": "DINKES-P002", "job_class": 11, "working_days": 12}]
    assert kinerja.AllowanceInput.from_dict(i.to_dict()) == i
    # Dates may also be written as text, as in the JSON form.
    data["sanctions"][0]["effective_from"] = "2026-05-01"
    assert kinerja.AllowanceInput.from_dict(data) == i


def test_replace_makes_a_corrected_copy() -> None:
    i = kinerja.AllowanceInput.from_dict(example())
    j = i.replace(performance={"target_minutes": 6600, "verified_minutes": 6600}, salary=Decimal("4600000"))
    assert j.performance["verified_minutes"] == 6600 and j.salary == Decimal("4600000")
    assert i.performance["verified_minutes"] == 6000  # inputs are values
    with pytest.raises(TypeError, match="no field `salry`"):
        i.replace(salry=1)


# --- slips ---------------------------------------------------------------------------


def test_slip_lines_totals_and_explanations(policy: kinerja.Policy) -> None:
    slip = kinerja.compute_slip(example(), policy)  # a dict is accepted too
    assert [(l.rule, l.amount) for l in slip.lines] == [
        ("ceiling", Decimal("2500000")),
        ("performance.shortfall", Decimal("-136364")),
        ("deduction.late.1", Decimal("-10000")),
        ("tax.pph21", Decimal("-117682")),
        ("contribution.bpjs", Decimal("-23536")),
    ]
    assert (slip.gross, slip.tax, slip.contribution, slip.net) == (
        Decimal("2353636"),
        Decimal("-117682"),
        Decimal("-23536"),
        Decimal("2212418"),
    )
    assert slip.ceiling == Decimal("2500000")
    assert slip.amount("acting") == Decimal(0) and slip.line("acting") is None
    assert slip.rules == ("ceiling", "performance.shortfall", "deduction.late.1", "tax.pph21", "contribution.bpjs")
    late = slip.line("deduction.late.1")
    assert late is not None
    # Indonesian by default; 2 x 0.5 % x Rp 1,000,000 = Rp 10,000 deducted.
    assert late.explanation == "Terlambat TL1: 2 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 10.000"
    assert late.render() == late.explanation
    assert late.render(lang="en") == (
        "Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000"
    )
    # The structured form: message id and typed arguments.
    assert late.message is not None and late.message["id"] == "slip-deduction"
    assert late.message["args"]["count"] == {"int": 2}
    assert late.message["args"]["amount"] == {"money": "-10000"}
    assert kinerja.render_message(late.message, "en") == late.render(lang="en")
    with pytest.raises(ValueError):
        late.render(lang="fr")
    assert late.inputs == {"discipline.late[0]": "2"}
    late_rate = next(p for p in late.parameters if p.key == "allowance.deduction.late")
    assert late_rate.layer == "national" and late_rate.reference and late_rate.effective_from <= dt.date(2026, 10, 1)
    assert len(slip.content_hash) == 64 and int(slip.content_hash, 16) >= 0
    # The slip is a frozen record.
    with pytest.raises(AttributeError):
        slip.net = Decimal(0)  # type: ignore[misc]
    text = slip.explain()
    assert text.startswith("Slip TPP — 198503152010011001 — Oktober 2026\n")
    assert "[deduction.late.1]" in text and "-Rp 10.000" in text and "neto Rp 2.212.418" in text
    assert "allowance.deduction.late" in text
    text = slip.explain(lang="en", name="Siti")
    assert text.startswith("Allowance slip (TPP) — 198503152010011001 Siti — October 2026\n")
    assert "-Rp 10,000" in text and "net Rp 2,212,418" in text
    assert repr(slip).startswith("Slip(198503152010011001, 2026-10, 5 lines, gross=2353636, net=2212418")


def test_one_formatter_for_rupiah_and_dates() -> None:
    assert kinerja.format_rupiah(Decimal("6500000")) == "Rp 6.500.000"
    assert kinerja.format_rupiah(6500000, "en") == "Rp 6,500,000"
    assert kinerja.format_rupiah(Decimal("-150000")) == "-Rp 150.000"
    assert kinerja.format_rupiah(0) == "Rp 0"
    assert kinerja.format_rupiah(Decimal("1234.5")) == "Rp 1.234,50"
    assert kinerja.format_date(dt.date(2026, 10, 5)) == "5 Oktober 2026"
    assert kinerja.format_date(dt.date(2026, 10, 5), lang="en") == "5 October 2026"
    with pytest.raises(kinerja.FloatRefused):
        kinerja.format_rupiah(1.5)  # type: ignore[arg-type]


def test_slip_json_round_trip(policy: kinerja.Policy) -> None:
    slip = kinerja.compute_slip(example(), policy)
    text = slip.to_json()
    data = json.loads(text)
    assert data["net"] == "2212418" and data["lines"][0]["parameters"][0]["from"] == "2020-01-01"
    assert kinerja.Slip.from_json(text) == slip
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.Slip.from_json('{"schema_version": 1}')
    assert e.value.code == "invalid_slip"


def test_policy_values_and_their_change_date(policy: kinerja.Policy) -> None:
    """The draft Perwal weighs 70/30 from 2026-10-01; September keeps 60/40.

    October under 70/30: P = 1,750,000; D = 750,000; E = R(1,750,000 x 6,000 / 6,600) =
    R(1,590,909.09) = 1,590,909; TL1 = -(750,000 x 0.5 % x 2) = -7,500; G = 2,333,409;
    tax -R(116,670.45) = -116,670; BPJS -R(23,334.09) = -23,334; N = 2,193,405.
    """
    proposed = policy.with_toml(
        "proposed-70-30.toml",
        (ROOT / "policy" / "proposed-70-30.toml").read_text(encoding="utf-8"),
    )
    october = kinerja.compute_slip(example(), proposed)
    assert amounts(october)["performance.shortfall"] == Decimal("-159091")
    assert amounts(october)["deduction.late.1"] == Decimal("-7500")
    assert (october.gross, october.net) == (Decimal("2333409"), Decimal("2193405"))
    september = kinerja.compute_slip(dict(example(), month="2026-09"), proposed)
    assert september.net == Decimal("2212418")
    values = {p.key: p for p in kinerja.allowance_parameters(proposed, "2026-10")}
    assert list(values) == kinerja.ALLOWANCE_KEYS
    assert values["allowance.weight_performance"].value == "70"
    assert values["allowance.weight_performance"].layer.startswith("Draft Perwal")
    assert values["allowance.weight_performance"].effective_from == dt.date(2026, 10, 1)
    assert kinerja.allowance_parameters(proposed, "2026-09")[7].value == "60"
    # A different policy value changes the content hash even for the same input.
    assert october.content_hash != kinerja.compute_slip(example(), policy).content_hash


def test_rule_ids_in_slip_order() -> None:
    rules = kinerja.ALLOWANCE_RULES
    assert rules[0] == "ceiling" and rules[-2:] == ["tax.pph21", "contribution.bpjs"]
    assert rules.index("deduction.absence.permit") < rules.index("deduction.floor") < rules.index("sanction")
    assert rules.index("sanction") < rules.index("acting")


# --- arrears -------------------------------------------------------------------------


def test_arrears_after_a_late_verification(policy: kinerja.Policy) -> None:
    """Paid with 6,000 verified minutes; 600 more were verified late (6,600 of 6,600).

    Recomputed: no shortfall; G = 2,500,000 - 10,000 = 2,490,000; tax -124,500;
    BPJS -24,900; N = 2,340,600. Arrears: shortfall +136,364, tax -6,818 (-124,500 -
    -117,682), BPJS -1,364 (-24,900 - -23,536); net +128,182 (2,340,600 - 2,212,418).
    """
    paid_input = kinerja.AllowanceInput.from_dict(example())
    paid = kinerja.compute_slip(paid_input, policy)
    corrected = paid_input.replace(performance={"target_minutes": 6600, "verified_minutes": 6600})
    recomputed = kinerja.compute_slip(corrected, policy)
    assert recomputed.net == Decimal("2340600")
    a = kinerja.arrears(paid, recomputed)
    assert (a.employee, a.month) == (NIP, "2026-10")
    assert [(d.rule, d.paid, d.recomputed, d.difference) for d in a.by_rule] == [
        ("ceiling", Decimal("2500000"), Decimal("2500000"), Decimal("0")),
        ("performance.shortfall", Decimal("-136364"), Decimal("0"), Decimal("136364")),
        ("deduction.late.1", Decimal("-10000"), Decimal("-10000"), Decimal("0")),
        ("tax.pph21", Decimal("-117682"), Decimal("-124500"), Decimal("-6818")),
        ("contribution.bpjs", Decimal("-23536"), Decimal("-24900"), Decimal("-1364")),
    ]
    assert (a.gross, a.tax, a.contribution, a.net) == (
        Decimal("136364"),
        Decimal("-6818"),
        Decimal("-1364"),
        Decimal("128182"),
    )
    assert (a.to_pay, a.to_recover) == (Decimal("128182"), Decimal("0"))
    back = kinerja.arrears(recomputed, paid)
    assert (back.to_pay, back.to_recover) == (Decimal("0"), Decimal("128182"))


def test_arrears_of_different_employees_is_refused(policy: kinerja.Policy) -> None:
    a = kinerja.compute_slip(example(), policy)
    b = kinerja.compute_slip(dict(example(), employee=OTHER), policy)
    with pytest.raises(kinerja.AllowanceError) as e:
        kinerja.arrears(a, b)
    assert e.value.code == "slip_mismatch"
    assert e.value.field == "employee"
    assert e.value.details == {"paid": NIP, "recomputed": OTHER}
    with pytest.raises(TypeError, match="kinerja.Slip"):
        kinerja.arrears(a, "not a slip")  # type: ignore[arg-type]


def test_pppk_employee_with_ni_pppk_and_grade(policy: kinerja.Policy) -> None:
    """A PPPK employee (NI PPPK 19931228 2025 21 2 001, grade IX) in the module example.

    Same lines as the example up to G = 2,353,636; tax by ``allowance.tax.flat_pppk``
    IX = 5 %: -R(117,681.8) = -117,682; BPJS -23,536; N = 2,212,418.
    """
    data = dict(example(), employee="199312282025212001", employment="PPPK", rank="IX")
    slip = kinerja.compute_slip(data, policy)
    assert (slip.gross, slip.tax, slip.net) == (Decimal(2353636), Decimal(-117682), Decimal(2212418))
    tax = [line for line in slip.lines if line.rule == "tax.pph21"][0]
    assert tax.parameters[1].key == "allowance.tax.flat_pppk"
    assert kinerja.PPPK_ALLOWANCE_KEYS == ["allowance.tax.flat_pppk", "allowance.acting_pppk"]
    # A PPPK employee with a PNS rank is refused, naming the field.
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.compute_slip(dict(data, rank="III/c"), policy)
    assert [(p.field, p.code) for p in e.value.problems] == [("rank", "rank_not_pppk_grade")]


# --- errors --------------------------------------------------------------------------


def test_job_class_18_is_refused_with_every_problem(policy: kinerja.Policy) -> None:
    data = example()
    data["job_class"] = 18
    data["assigned_working_days"] = 23  # more than the 22 calendar days
    data["discipline"]["absences"] = {"vacation": 1}
    i = kinerja.AllowanceInput.from_dict(data)  # the shape is fine; the values are not
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.compute_slip(i, policy)
    err = e.value
    assert err.code == "invalid_allowance_input"
    found = {(p.field, p.code) for p in err.problems}
    assert ("job_class", "out_of_range") in found
    assert ("assigned_working_days", "out_of_range") in found
    assert ("discipline.absences.vacation", "unknown_absence_code") in found
    assert all(p.record == "allowance_input" and p.id == NIP for p in err.problems)
    assert (err.record, err.id) == ("allowance_input", NIP)
    with pytest.raises(kinerja.ValidationError) as again:
        i.validate()
    assert again.value.problems == err.problems
    kinerja.AllowanceInput.from_dict(example()).validate()  # a good input passes


def test_float_money_is_refused(policy: kinerja.Policy) -> None:
    data = example()
    data["salary"] = 4500000.0
    with pytest.raises(kinerja.FloatRefused) as e:
        kinerja.AllowanceInput.from_dict(data)
    assert e.value.code == "float_refused" and e.value.field == "salary"
    with pytest.raises(kinerja.FloatRefused):
        kinerja.compute_slip(data, policy)
    keywords = example()
    keywords["salary"] = 4500000.5
    with pytest.raises(kinerja.FloatRefused):
        kinerja.AllowanceInput(**keywords)
    nested = example()
    nested["performance"]["verified_minutes"] = 6000.0
    with pytest.raises(kinerja.FloatRefused) as e:
        kinerja.AllowanceInput.from_dict(nested)
    assert e.value.field == "performance.verified_minutes"
    # The JSON form writes money as a decimal string: a JSON number is refused too.
    text = kinerja.AllowanceInput.from_dict(example()).to_json().replace('"4500000"', "4500000.0")
    with pytest.raises(kinerja.ValidationError) as v:
        kinerja.AllowanceInput.from_json(text)
    assert v.value.code == "invalid_allowance_input"


def test_shape_errors_name_the_field() -> None:
    missing = example()
    del missing["rank"]
    with pytest.raises(kinerja.ValidationError, match="missing field `rank`") as e:
        kinerja.AllowanceInput.from_dict(missing)
    assert e.value.code == "invalid_allowance_input"
    unknown = example()
    unknown["bonus"] = Decimal(1)
    with pytest.raises(kinerja.ValidationError, match="unknown field `bonus`"):
        kinerja.AllowanceInput.from_dict(unknown)
    with pytest.raises(kinerja.ValidationError, match="rank"):
        kinerja.AllowanceInput.from_dict(dict(example(), rank="V/a"))
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.AllowanceInput.from_json("{")
    assert e.value.details["line"] == 1
    with pytest.raises(TypeError, match="AllowanceInput or a dict"):
        kinerja.compute_slip(["not", "an", "input"], kinerja.Policy.national())  # type: ignore[arg-type]


def test_unknown_sanction_level(policy: kinerja.Policy) -> None:
    data = example()
    data["sanctions"] = [
        {"level": "medium", "effective_from": "2026-01-01", "months": 6, "reference": ""},
        {"level": "severe", "effective_from": "2026-09-01", "months": 6, "reference": "SK 800/9/2026"},
    ]
    with pytest.raises(kinerja.AllowanceError) as e:
        kinerja.compute_slip(data, policy)
    err = e.value
    assert isinstance(err, kinerja.KinerjaError) and isinstance(err, ValueError)
    assert err.code == "unknown_sanction_level"
    assert (err.record, err.id, err.field) == ("allowance_input", NIP, "sanctions[1].level")
    assert err.details["level"] == "severe" and err.details["index"] == 1
    assert "medium" in err.details["known"]


def test_sanction_duration_not_allowed(policy: kinerja.Policy) -> None:
    data = example()
    data["sanctions"] = [{"level": "medium", "effective_from": "2026-09-01", "months": 7, "reference": ""}]
    with pytest.raises(kinerja.AllowanceError) as e:
        kinerja.compute_slip(data, policy)
    assert e.value.code == "sanction_months_not_allowed"
    assert e.value.field == "sanctions[0].months"
    assert e.value.details["allowed"] == [6, 9, 12] and e.value.details["months"] == 7


def test_policy_that_cannot_be_bound(policy: kinerja.Policy) -> None:
    # Each weight is a valid percent on its own; together they do not make 100.
    bad = policy.with_toml("kota-salah.toml", WEIGHTS_70_50)
    with pytest.raises(kinerja.PolicyError) as e:
        kinerja.compute_slip(example(), bad)
    err = e.value
    assert err.code == "bad_value"
    assert (err.record, err.id) == ("policy", "allowance.weight_discipline")
    assert "sum to 100" in str(err)
    with pytest.raises(kinerja.PolicyError) as again:
        kinerja.allowance_parameters(bad, "2026-10")
    assert again.value.code == "bad_value"
    # A month before the bad layer takes effect binds fine.
    assert kinerja.compute_slip(dict(example(), month="2025-12"), bad).net > 0


def test_policy_without_allowance_values() -> None:
    only_city = kinerja.Policy.from_toml("kota-salah.toml", WEIGHTS_70_50)
    with pytest.raises(kinerja.PolicyError) as e:
        kinerja.compute_slip(example(), only_city)
    assert e.value.code == "no_value"


def test_example_input_is_not_mutated(policy: kinerja.Policy) -> None:
    data = example()
    before = copy.deepcopy(data)
    kinerja.compute_slip(data, policy)
    assert data == before


# --- sealed slips: verify_slip ---------------------------------------------------------


def test_a_stored_slip_verifies(policy: kinerja.Policy) -> None:
    """The example slip (N = 2,212,418), stored as JSON and read back, still holds."""
    stored = kinerja.Slip.from_json(kinerja.compute_slip(example(), policy).to_json())
    assert len(stored.input_hash) == len(stored.policy_hash) == len(stored.content_hash) == 64
    v = kinerja.verify_slip(stored, example(), policy)
    assert v.holds and v.sealed and v.input_matches and v.policy_matches and bool(v)
    assert v.differences == () and v.wording == ()
    assert v.recomputed == stored
    assert v.reasons == ("the slip holds: sealed, same input, same policy, same amounts",)
    # The method form, with an AllowanceInput.
    assert stored.verify(kinerja.AllowanceInput.from_dict(example()), policy) == v


def test_an_edited_amount_is_caught_and_named(policy: kinerja.Policy) -> None:
    """Someone raises the net from 2,212,418 to 2,312,418 in the stored slip."""
    import dataclasses

    slip = kinerja.compute_slip(example(), policy)
    edited = dataclasses.replace(slip, net=Decimal("2312418"))
    v = kinerja.verify_slip(edited, example(), policy)
    assert not v.holds and not v.sealed and v.input_matches and v.policy_matches
    assert [(d.field, d.stored, d.recomputed) for d in v.differences] == [("net", "2312418", "2212418")]
    assert any("seal is broken" in r for r in v.reasons)
    assert repr(v).startswith("SlipVerification(holds=False")


def test_a_corrected_input_is_reported(policy: kinerja.Policy) -> None:
    """The month is corrected to the full 6,600 minutes: the shortfall line (-136,364)
    goes, so gross 2,353,636 becomes 2,490,000."""
    slip = kinerja.compute_slip(example(), policy)
    corrected = dict(example(), performance={"target_minutes": 6600, "verified_minutes": 6600})
    v = slip.verify(corrected, policy)
    assert not v.holds and v.sealed and not v.input_matches and v.policy_matches
    fields = {d.field: (d.stored, d.recomputed) for d in v.differences}
    assert fields["gross"] == ("2353636", "2490000")
    assert fields["lines[1].rule"] == ("performance.shortfall", "deduction.late.1")


def test_verify_refuses_another_employees_slip(policy: kinerja.Policy) -> None:
    slip = kinerja.compute_slip(example(), policy)
    with pytest.raises(kinerja.AllowanceError) as e:
        kinerja.verify_slip(slip, dict(example(), employee="199003032015031003"), policy)
    assert e.value.code == "slip_mismatch" and e.value.field == "employee"


# --- bounded conversions ----------------------------------------------------------------


def test_a_deep_or_cyclic_input_dict_is_a_clear_error_not_a_crash(policy: kinerja.Policy) -> None:
    deep: Dict[str, Any] = {}
    node = deep
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.AllowanceInput.from_dict(dict(example(), acting=deep))
    assert e.value.code == "too_deep"
    cyclic = example()
    cyclic["discipline"]["self"] = cyclic["discipline"]
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.compute_slip(cyclic, policy)
    assert e.value.code == "cyclic_value" and e.value.field == "discipline.self"


def test_ptkp_and_ter_withholding() -> None:
    """TER (PP 58/2023) from Python: the example with PTKP status K/1 (category B).

    G = 2,353,636 (see ``example``); income = salary 4,500,000 + G = 6,853,636, in B's
    bracket 6,850,000 < x <= 7,300,000 at 0.75 %: tax = -R(2,353,636 x 0.75 %) =
    -R(17,652.27) = -17,652; BPJS -23,536 as in the example; N = 2,353,636 - 17,652 -
    23,536 = 2,312,448.
    """
    policy = kinerja.Policy.national().with_toml(
        "ter.toml",
        '[layer]\nname = "ter city"\n\n[[allowance.tax.method]]\nfrom = 2024-01-01\nvalue = "ter_monthly"\nref = "Perwal test"\n',
    )
    data = dict(example(), ptkp="K/1")
    i = kinerja.AllowanceInput(**data)
    assert i.ptkp == "K/1" and i.to_dict()["ptkp"] == "K/1"
    assert kinerja.AllowanceInput.from_dict(i.to_dict()) == i
    slip = kinerja.compute_slip(i, policy)
    assert (slip.gross, slip.tax, slip.contribution, slip.net) == (
        Decimal("2353636"),
        Decimal("-17652"),
        Decimal("-23536"),
        Decimal("2312448"),
    )
    # Without a PTKP status the TER method refuses the input, naming the field.
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.compute_slip(kinerja.AllowanceInput(**example()), policy)
    assert "ptkp" in str(e.value)
    # A Plh record keeps its kind through the dict form.
    plh = kinerja.AllowanceInput(**dict(example(), acting=[{"position": "P", "job_class": 11, "working_days": 12, "kind": "plh"}]))
    assert plh.acting == [{"position": "P", "job_class": 11, "working_days": 12, "kind": "plh"}]
