"""Policy reforms written in Python (`Policy.reform()`), checked by the core's policy
loader, equal to the TOML file a city would write, and compared with `Policy.compare`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Dict

import pytest

import kinerja

NIP = "198503152010011001"
REFERENCE = "Perwal Kota Uji No. 12 Tahun 2026, Pasal 8"
LIMITS_REFERENCE = "Perwal Kota Uji No. 12 Tahun 2026, Pasal 11"

# The file a city would write for the same reform: weights 70/30 from January 2027,
# and late-arrival bands of 15/45/90 minutes for the first half of 2027 only.
REFORM_TOML = f"""
[layer]
name = "Perwal Kota Uji 12/2026"
description = "Perubahan bobot TPP"

[[allowance.weight_performance]]
from = 2027-01-01
value = "70"
ref = "{REFERENCE}"
status = "verified"
source = "JDIH Kota Uji, Perwal 12/2026, hal. 4"

[[allowance.weight_discipline]]
from = 2027-01-01
value = "30"
ref = "{REFERENCE}"
status = "verified"
source = "JDIH Kota Uji, Perwal 12/2026, hal. 4"

[[attendance.band_limits_minutes]]
from = 2027-01-01
until = 2027-06-30
value = [15, 45, 90]
ref = "{LIMITS_REFERENCE}"
note = "Uji coba enam bulan."
"""


def reform(policy: kinerja.Policy) -> kinerja.PolicyReform:
    checked = "JDIH Kota Uji, Perwal 12/2026, hal. 4"
    return (
        policy.reform("Perwal Kota Uji 12/2026", "Perubahan bobot TPP", source="perwal-12-2026.toml")
        .set(
            "allowance.weight_performance",
            "70",
            effective="2027-01-01",
            reference=REFERENCE,
            status="verified",
            source=checked,
        )
        .set(
            "allowance.weight_discipline",
            Decimal("30"),
            effective=dt.date(2027, 1, 1),
            reference=REFERENCE,
            status="verified",
            source=checked,
        )
        .set(
            "attendance.band_limits_minutes",
            [15, 45, 90],
            effective="2027-01-01",
            until="2027-06-30",
            reference=LIMITS_REFERENCE,
            note="Uji coba enam bulan.",
        )
    )


def example(month: str) -> Dict[str, Any]:
    """Class 9, 6,000 of 6,600 minutes, two TL1 days (the core's module example)."""
    return {
        "employee": NIP,
        "month": month,
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


def test_reform_is_the_policy_the_toml_file_gives(policy: kinerja.Policy) -> None:
    r = reform(policy)
    reformed = r.build()
    from_file = policy.with_toml("perwal-12-2026.toml", REFORM_TOML)
    # The same layers: name, description, source, every key's dated entries.
    assert reformed == from_file
    assert [l.name for l in reformed.layers] == ["national", "Perwal Kota Uji 12/2026"]
    assert r.keys == ["allowance.weight_discipline", "allowance.weight_performance", "attendance.band_limits_minutes"]
    assert len(r) == 3 and r.base == policy and r.source == "perwal-12-2026.toml"
    # The same resolved values, with the same provenance, before, on and after the dates.
    for day in (dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 6, 30), dt.date(2027, 7, 1)):
        assert reformed.resolve_all(day) == from_file.resolve_all(day), day
    assert reformed.resolve("allowance.weight_performance", dt.date(2027, 1, 1)).value == Decimal("70")
    assert reformed.resolve("allowance.weight_performance", dt.date(2026, 12, 31)).value == Decimal("60")
    assert reformed.resolve("attendance.band_limits_minutes", dt.date(2027, 6, 30)).value == [15, 45, 90]
    # After the trial the national bands apply again.
    assert reformed.resolve("attendance.band_limits_minutes", dt.date(2027, 7, 1)).value == [30, 60, 90]
    # The reform's own TOML (a policy file: `[layer]` first) gives it too, and so does its layer.
    assert r.to_toml().startswith('[layer]\ndescription = "Perubahan bobot TPP"\nname = "Perwal Kota Uji 12/2026"\n')
    assert policy.with_toml(r.source, r.to_toml()) == reformed
    assert policy.with_layer(r.layer()) == reformed


def test_reform_pays_the_same_slip_as_the_file(policy: kinerja.Policy) -> None:
    reformed = reform(policy).build()
    from_file = policy.with_toml("perwal-12-2026.toml", REFORM_TOML)
    january = kinerja.compute_slip(example("2027-01"), reformed)
    assert january == kinerja.compute_slip(example("2027-01"), from_file)
    assert january.content_hash == kinerja.compute_slip(example("2027-01"), from_file).content_hash
    amounts = {l.rule: l.amount for l in january.lines}
    # 70/30 of C = 2,500,000: P = 1,750,000, D = 750,000.
    # E = R(1,750,000 x 6,000 / 6,600) = R(1,590,909.09) = 1,590,909: shortfall -159,091.
    assert amounts["performance.shortfall"] == Decimal("-159091")
    # TL1 = -(750,000 x 0.5 % x 2) = -7,500.
    assert amounts["deduction.late.1"] == Decimal("-7500")
    # G = 2,500,000 - 159,091 - 7,500 = 2,333,409.
    assert january.gross == Decimal("2333409")
    # December 2026 is before the reform: 60/40, shortfall -136,364 and TL1 -10,000 as nationally.
    december = kinerja.compute_slip(example("2026-12"), reformed)
    assert {l.rule: l.amount for l in december.lines}["performance.shortfall"] == Decimal("-136364")
    assert december == kinerja.compute_slip(example("2026-12"), policy)
    # The slip quotes the reform's layer and reference for the weight it used.
    weight = next(
        p for l in january.lines for p in l.parameters if p.key == "allowance.weight_performance"
    )
    assert (weight.layer, weight.reference, weight.value) == ("Perwal Kota Uji 12/2026", REFERENCE, "70")


def test_compare_names_the_keys_and_the_days(policy: kinerja.Policy) -> None:
    reformed = reform(policy).build()
    changes = policy.compare(reformed)
    by_key = {c.key: c for c in changes}
    assert set(by_key) == {
        "allowance.weight_performance",
        "allowance.weight_discipline",
        "attendance.band_limits_minutes",
    }
    w = by_key["allowance.weight_performance"]
    assert (w.effective_from, w.effective_until) == (dt.date(2027, 1, 1), None)
    assert (w.before, w.after) == (Decimal("60"), Decimal("70"))
    assert w.after_reference == REFERENCE and w.after_layer == "Perwal Kota Uji 12/2026"
    assert w.before_reference is not None and "recalled" in w.before_reference
    bands = by_key["attendance.band_limits_minutes"]
    # Only the trial half-year differs: from 2027-07-01 both have the national bands.
    assert (bands.effective_from, bands.effective_until) == (dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    assert (bands.before, bands.after) == ([30, 60, 90], [15, 45, 90])
    # The other way round swaps before and after; a policy does not differ from itself.
    back = {c.key: c for c in reformed.compare(policy)}
    assert (back["allowance.weight_performance"].before, back["allowance.weight_performance"].after) == (
        Decimal("70"),
        Decimal("60"),
    )
    assert policy.compare(policy) == ()
    assert reformed.compare(policy.with_toml("perwal-12-2026.toml", REFORM_TOML)) == ()
    # A change that sets the value in force already is no difference.
    same = policy.reform("No-op").set(
        "allowance.weight_performance", "60", effective="2027-01-01", reference=REFERENCE
    )
    assert policy.compare(same.build()) == ()


def test_compare_in_catalogue_then_date_order(policy: kinerja.Policy) -> None:
    twice = (
        policy.reform("Dua tahap")
        .set("allowance.weight_performance", "70", effective="2028-01-01", reference="Tahap 2")
        .set("allowance.weight_performance", "65", effective="2027-01-01", reference="Tahap 1")
        .set("allowance.weight_discipline", "35", effective="2027-01-01", reference="Tahap 1")
        .set("allowance.weight_discipline", "30", effective="2028-01-01", reference="Tahap 2")
        .build()
    )
    changes = [(c.key, c.effective_from, c.effective_until, c.after) for c in policy.compare(twice)]
    keys = [s.key for s in kinerja.policy_catalogue()]
    assert changes == sorted(changes, key=lambda c: (keys.index(c[0]), c[1]))
    assert ("allowance.weight_performance", dt.date(2027, 1, 1), dt.date(2027, 12, 31), Decimal("65")) in changes
    assert ("allowance.weight_performance", dt.date(2028, 1, 1), None, Decimal("70")) in changes


def test_the_core_checks_the_reform(policy: kinerja.Policy) -> None:
    bad = (
        policy.reform("Salah")
        .set("allowance.weight_perfomance", "70", effective="2027-01-01", reference=REFERENCE)
        .set("allowance.weight_discipline", "150", effective="2027-01-01", reference=REFERENCE)
        .set("abk.days_per_year", 245, effective="2027-01-01", reference="  ")
    )
    with pytest.raises(kinerja.PolicyError) as e:
        bad.build()
    assert e.value.code == "invalid_policy"
    found = {(p.id, p.code) for p in e.value.problems}
    # Every problem at once, each naming the key, as for a policy file.
    assert found == {
        ("allowance.weight_perfomance", "unknown_key"),
        ("allowance.weight_discipline", "out_of_range"),
        ("abk.days_per_year", "missing_reference"),
    }
    # The same problems as the equivalent file (the reform is that file).
    with pytest.raises(kinerja.PolicyError) as from_file:
        policy.with_toml(bad.source, bad.to_toml())
    assert {(p.id, p.code) for p in from_file.value.problems} == found
    # Two changes of a key on the same day overlap.
    twice = policy.reform("Dua kali").set("abk.days_per_year", 245, effective="2027-01-01", reference="A")
    twice = twice.set("abk.days_per_year", 246, effective="2027-01-01", reference="B")
    with pytest.raises(kinerja.PolicyError) as e:
        twice.build()
    assert [p.code for p in e.value.problems] == ["unordered"]


def test_reform_refuses_floats_and_odd_values(policy: kinerja.Policy) -> None:
    r = policy.reform("Uji")
    with pytest.raises(kinerja.FloatRefused):
        r.set("allowance.weight_performance", 70.0, effective="2027-01-01", reference=REFERENCE)  # type: ignore[arg-type]
    with pytest.raises(kinerja.FloatRefused):
        r.set("attendance.band_limits_minutes", [15, 45.5, 90], effective="2027-01-01", reference=REFERENCE)
    with pytest.raises(kinerja.TypeConversionError, match="YYYY-MM-DD"):
        r.set("allowance.weight_performance", "70", effective="1 Januari 2027", reference=REFERENCE)
    with pytest.raises(kinerja.TypeConversionError):
        r.set("allowance.weight_performance", None, effective="2027-01-01", reference=REFERENCE)  # type: ignore[arg-type]
    # A reform is a value: set() returns a new one and leaves the first as it was.
    assert len(r) == 0 and r.build() != policy  # one more (empty) layer
    assert r.build().compare(policy) == ()
