"""Budget realisation, unit readiness, the seven uses and the awards as tables."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import kinerja


def _records(subs: List[Dict[str, Any]]) -> str:
    return json.dumps(
        {
            "budgets": [
                {
                    "unit": "BKPSDM",
                    "year": 2026,
                    "programmes": [
                        {
                            "code": "P1",
                            "name": "Program",
                            "activities": [{"code": "K1", "name": "Kegiatan", "sub_activities": subs}],
                        }
                    ],
                }
            ]
        }
    )


def test_budget_absorption_and_deviation_by_hand(policy: kinerja.Policy) -> None:
    # Ceiling 1,200,000; plan 100,000 a month; realised 80,000 + 90,000 + 100,000.
    # Through March: planned 300,000, realised 270,000: absorption 22.50 %, deviation
    # -30,000 = -10.00 % (not beyond the 10 % threshold: not behind).
    sub = {
        "code": "S1",
        "name": "Sub",
        "ceiling": "1200000",
        "plan": ["100000"] * 12,
        "realisation": ["80000", "90000", "100000"],
        "progress": ["10", "20", "30"],
    }
    t = kinerja.budget_realisation(_records([sub]), 2026, 3, policy)
    rows = {r["level"]: r for r in t.rows()}
    s = rows["sub_activity"]
    assert (s["planned"], s["realised"]) == (Decimal("300000"), Decimal("270000"))
    assert s["absorption_percent"] == Decimal("22.50")
    assert s["deviation"] == Decimal("-30000")
    assert s["deviation_percent"] == Decimal("-10.00")
    assert s["behind"] is False
    assert rows["city"]["realised"] == Decimal("270000")


def test_realisation_beyond_the_ceiling_is_refused(policy: kinerja.Policy) -> None:
    sub = {"code": "S1", "name": "Sub", "ceiling": "10", "realisation": ["11"]}
    with pytest.raises(kinerja.KinerjaError) as e:
        kinerja.budget_realisation(_records([sub]), 2026, 12, policy)
    assert e.value.code == "budget_ceiling_exceeded"


@pytest.fixture(scope="module")
def months() -> List[kinerja.Ledger]:
    city = kinerja.generate_city(seed=2, units=4, employees=80)
    policy = kinerja.Policy.national()
    out: List[kinerja.Ledger] = []
    for i, m in enumerate(["2026-01", "2026-02", "2026-03"]):
        ledger, _ = kinerja.simulate_month(kinerja.MonthContext(city, policy, m), seed=i + 1)
        out.append(ledger)
    return out


def test_readiness_without_plans_fails_requirement_three(months: List[kinerja.Ledger]) -> None:
    t = kinerja.unit_readiness(months[0], "{}")
    assert len(t) == 4
    for row in t.rows():
        assert row["ready"] is False
        assert "plans" in row["unmet"].split(",")
        assert row["pays"] is False


def test_every_report_is_a_table_with_a_nip_column_for_people(months: List[kinerja.Ledger]) -> None:
    for report in ["restructuring", "staffing", "procedures", "training", "performance", "promotion", "sanctions", "verification"]:
        t = kinerja.insights_report(report, months)
        assert isinstance(t, kinerja.Table)
        if report in ("training", "promotion", "sanctions"):
            assert "nip" in t.columns and "employee" not in t.columns
    staffing = kinerja.insights_report("staffing", months, years=3)
    assert list(staffing["year"]) == [2026, 2027, 2028]
    with pytest.raises(ValueError):
        kinerja.insights_report("gossip", months)


def test_awards_name_three_winners_per_category(months: List[kinerja.Ledger]) -> None:
    city = kinerja.generate_city(seed=2, units=4, employees=80)
    records = kinerja.generate_insight_records(city, 1, 2026, 3)
    t = kinerja.awards(months, records)
    for category in ("performance", "service", "innovative"):
        winners = [r for r in t.rows() if r["category"] == category and r["winner"]]
        assert len(winners) == 3
        assert [w["rank"] for w in winners] == [1, 2, 3]


def test_shadow_month_runs_a_unit_through_the_chain_without_paying(months: List[kinerja.Ledger]) -> None:
    city = kinerja.generate_city(seed=2, units=4, employees=80)
    policy = kinerja.Policy.national()
    records = kinerja.generate_insight_records(city, 1, 2026, 3)
    february = months[1]
    readiness = {r["unit"]: r for r in kinerja.unit_readiness(february, records).rows()}
    payroll = kinerja.pay_city(kinerja.MonthContext(city, policy, "2026-02"), february, allow_unverified=True)
    checked = 0
    for unit, row in readiness.items():
        run = kinerja.shadow_month(february, records, unit)
        assert (run["unit"], run["month"], run["paid"]) == (unit, "2026-02", False)
        # The same verdict as the readiness table, with the evidence of each unmet one.
        assert run["ready"] is row["ready"]
        assert ",".join(run["unmet"]) == row["unmet"]
        assert sorted(run["evidence"]) == sorted(run["unmet"])
        # The slips the month would pay are those the payroll computes for the unit's
        # employees: same people, same net total (nothing paid).
        paid = [r for r in payroll.slips.rows() if r["unit"] == unit]
        assert sorted(s.employee for s in run["slips"]) == sorted(r["nip"] for r in paid)
        assert run["totals"].net == sum((r["net"] for r in paid), Decimal(0))
        assert run["totals"].count == len(paid)
        checked += len(paid)
    assert checked > 0
    with pytest.raises(kinerja.KinerjaError) as e:
        kinerja.shadow_month(february, records, "NOWHERE")
    assert e.value.code == "unknown_unit"


def test_sanctions_and_training_tables_carry_the_new_columns(months: List[kinerja.Ledger]) -> None:
    s = kinerja.insights_report("sanctions", months)
    assert {"nip", "unexcused_days", "longest_run", "consecutive", "level", "sanction"} <= set(s.columns)
    for r in s.rows():
        # The consecutive rule is applied exactly when the run reaches 10 working days.
        assert r["consecutive"] is (r["longest_run"] >= 10)
    t = kinerja.insights_report("training", months)
    assert {"nip", "group", "tasks", "under_target", "often_returned"} <= set(t.columns)
    p = kinerja.insights_report("promotion", months)
    assert {"rank_since", "years_in_rank"} <= set(p.columns)
