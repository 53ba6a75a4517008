"""Workload analysis (ABK) and yearly targets, against hand-computed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import kinerja
from conftest import MON, PEER, STAFF, small_dataset


def test_workload_of_the_small_city(city: kinerja.City, policy: kinerja.Policy) -> None:
    abk = city.workload_analysis(policy, MON)
    assert abk.date == MON
    assert abk.effective_minutes_per_year == 75000
    # Positions, in dataset order.
    pos = {row["position"]: row for row in abk.positions.rows()}
    # KABAN: 48 meetings/year x 60 min = 2,880 min; 2,880 / 75,000 = 0.0384 FTE held by 1.
    kaban = pos["KABAN"]
    assert kaban["workload_minutes"] == Decimal("2880")
    assert kaban["required_staff"] == Decimal("0.0384")
    assert kaban["headcount"] == 1
    assert kaban["efficiency"] == Decimal("0.0384")
    assert kaban["grade"] == kinerja.EfficiencyGrade.E  # below 0.50
    assert kaban["gap"] == Decimal("-0.9616")
    assert kaban["kind"] == "leadership"
    # ANALIS: 2 reports/day x 250 days x 30 min = 15,000 min; 0.2 FTE held by 2;
    # EJ = 15,000 / (2 x 75,000) = 0.1; gap 0.2 - 2 = -1.8; rounded staff 0.2 -> 0.
    analis = pos["ANALIS"]
    assert analis["workload_minutes"] == Decimal("15000")
    assert analis["required_staff"] == Decimal("0.2")
    assert analis["required_staff_rounded"] == Decimal("0")
    assert analis["efficiency"] == Decimal("0.1")
    assert analis["gap"] == Decimal("-1.8")
    # The unit: 17,880 min; 17,880 / 75,000 = 0.2384 FTE; headcount 3;
    # EU = 17,880 / 225,000 = 0.079466...; gap -2.7616.
    (unit,) = list(abk.units.rows())
    assert unit["unit"] == "BKPSDM" and unit["positions"] == 2
    assert unit["workload_minutes"] == Decimal("17880")
    assert unit["required_staff"] == Decimal("0.2384")
    assert unit["headcount"] == 3
    assert unit["gap"] == Decimal("-2.7616")
    assert unit["efficiency"].quantize(Decimal("0.000001")) == Decimal("0.079467")
    assert abk.total.headcount == 3
    assert abk.total.grade is kinerja.EfficiencyGrade.E
    assert abk.total.gap == Decimal("-2.7616")
    # Tasks: one row per task of every position.
    assert abk.tasks["task"] == ["KABAN-T1", "ANALIS-T1"]
    assert abk.tasks["annual_volume"] == [Decimal("48"), Decimal("500")]
    # Every value used is quoted with its legal reference.
    assert {p.key for p in abk.provenance} >= {"abk.effective_minutes_per_year", "abk.grade_bands"}


def test_workload_follows_the_policy_date(city: kinerja.City, policy: kinerja.Policy) -> None:
    # A city layer sets 60,000 effective minutes from 1 July 2026.
    layered = policy.with_toml(
        "kota-uji.toml",
        """
[layer]
name = "Kota Uji"
[[abk.effective_minutes_per_year]]
from = 2026-07-01
value = 60000
ref = "Perwal Kota Uji No. 1 Tahun 2026"
""",
    )
    june = city.workload_analysis(layered, dt.date(2026, 6, 30))
    october = city.workload_analysis(layered, MON)
    assert june.effective_minutes_per_year == 75000
    assert october.effective_minutes_per_year == 60000
    # ANALIS: 15,000 min / 60,000 = 0.25 FTE; EJ = 15,000 / (2 x 60,000) = 0.125.
    analis = october.positions.row(1)
    assert analis["required_staff"] == Decimal("0.25")
    assert analis["efficiency"] == Decimal("0.125")
    layers = {p.key: p.layer for p in october.provenance}
    assert layers["abk.effective_minutes_per_year"] == "Kota Uji"


def test_nobody_holds_a_position_before_the_assignments(city: kinerja.City, policy: kinerja.Policy) -> None:
    abk = city.workload_analysis(policy, dt.date(2020, 6, 1))
    analis = abk.positions.row(1)
    assert analis["headcount"] == 1  # PEER starts in 2021
    # EJ = 15,000 / 75,000 = 0.2 with one holder.
    assert analis["efficiency"] == Decimal("0.2")


def test_yearly_targets_split_evenly(city: kinerja.City, policy: kinerja.Policy) -> None:
    t = city.yearly_targets(policy, 2026, MON)
    rows = {(r["nip"], r["task"]): r for r in t.rows()}
    # ANALIS-T1: 500 reports a year, split between its 2 holders: 250 each, 7,500 min.
    for nip in (STAFF, PEER):
        r = rows[(nip, "ANALIS-T1")]
        assert r["share"] == Decimal("0.5")
        assert r["annual_quantity"] == Decimal("250")
        assert r["annual_minutes"] == Decimal("7500")
        assert r["year"] == 2026
    assert len(t) == 3


def test_explicit_target_shares_are_checked(policy: kinerja.Policy) -> None:
    data = small_dataset()
    data["target_shares"] = [
        {"employee": STAFF, "task": "ANALIS-T1", "share": Decimal("0.7")},
        {"employee": PEER, "task": "ANALIS-T1", "share": "0.6"},
    ]
    city = kinerja.City.from_dict(data)
    with pytest.raises(kinerja.ValidationError) as e:
        city.yearly_targets(policy, 2026, MON)
    assert e.value.code == "validation"
    assert {p.code for p in e.value.problems} == {"shares_exceed_one"}


def test_synthetic_city_tables(synthetic: kinerja.City, policy: kinerja.Policy) -> None:
    abk = synthetic.workload_analysis(policy, dt.date(2026, 10, 1))
    assert len(abk.units) == 6
    assert len(abk.positions) == len(synthetic.positions)
    assert sum(abk.units["headcount"]) == abk.total.headcount
    assert sum(abk.units["workload_minutes"]) == abk.total.workload_minutes
