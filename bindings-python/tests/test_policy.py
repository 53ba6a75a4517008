"""Policy layering, resolution with provenance, and policy errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import kinerja

CITY_TOML = """
[layer]
name = "Kota Uji"
description = "Perwal Kota Uji No. 17 Tahun 2026"

[[abk.effective_minutes_per_year]]
from = 2026-07-01
value = 73500
ref = "Perwal Kota Uji No. 17 Tahun 2026, Pasal 5"
"""

KEY = "abk.effective_minutes_per_year"


def test_national_values_with_provenance(policy: kinerja.Policy) -> None:
    r = policy.resolve(KEY, dt.date(2026, 10, 1))
    assert r.key == KEY
    assert r.value == 75000
    assert r.provenance.layer == "national"
    assert r.provenance.source == "policy/national.toml"
    assert r.provenance.effective_from == dt.date(2020, 1, 1)
    assert "PermenPAN-RB" in r.provenance.reference
    old = policy.resolve(KEY, dt.date(2019, 12, 31))
    assert old.value == 72000
    assert old.provenance.effective_until == dt.date(2019, 12, 31)


def test_value_types(policy: kinerja.Policy) -> None:
    day = dt.date(2026, 10, 1)
    assert policy.resolve("activity.cap_daily", day).value is True
    assert policy.resolve("activity.pending_at_deadline", day).value == "not_counted"
    assert policy.resolve("attendance.band_limits_minutes", day).value == [30, 60, 90]
    bands = policy.resolve("abk.grade_bands", day).value
    assert isinstance(bands, list) and len(bands) == 5


def test_city_layer_wins_from_its_date(policy: kinerja.Policy) -> None:
    layer = kinerja.PolicyLayer.from_toml("kota-uji.toml", CITY_TOML)
    assert layer.name == "Kota Uji" and layer.source == "kota-uji.toml"
    assert layer.keys == [KEY]
    (entry,) = layer.timeline(KEY)
    assert entry.effective_from == dt.date(2026, 7, 1) and entry.value == 73500 and entry.until is None
    layered = policy.with_layer(layer)
    assert [l.name for l in layered.layers] == ["national", "Kota Uji"]
    assert layered.resolve(KEY, dt.date(2026, 6, 30)).value == 75000
    july = layered.resolve(KEY, dt.date(2026, 7, 1))
    assert july.value == 73500
    assert july.provenance.layer == "Kota Uji"
    assert july.provenance.reference == "Perwal Kota Uji No. 17 Tahun 2026, Pasal 5"
    # The same through with_toml and with a one-layer Policy.
    assert policy.with_toml("kota-uji.toml", CITY_TOML) == layered
    assert policy.with_layer(kinerja.Policy.from_toml("kota-uji.toml", CITY_TOML)) == layered
    assert kinerja.Policy.from_layers(layered.layers) == layered
    # The original policy is unchanged (policies are values).
    assert policy.resolve(KEY, dt.date(2026, 7, 1)).value == 75000
    assert "national > Kota Uji" in repr(layered)


def test_one_layer_policy_has_no_baseline() -> None:
    only_city = kinerja.Policy.from_toml("kota-uji.toml", CITY_TOML)
    with pytest.raises(kinerja.PolicyError) as e:
        only_city.resolve(KEY, dt.date(2026, 6, 30))
    assert e.value.code == "no_value"
    assert e.value.id == KEY
    assert e.value.details["date"] == dt.date(2026, 6, 30)


def test_unknown_key(policy: kinerja.Policy) -> None:
    with pytest.raises(kinerja.PolicyError) as e:
        policy.resolve("abk.efective_minutes_per_year", dt.date(2026, 1, 1))
    assert e.value.code == "unknown_key"
    assert isinstance(e.value, ValueError)


def test_invalid_file_lists_every_problem() -> None:
    text = """
[layer]
name = "Kota Salah"

[[abk.effective_minutes_per_year]]
from = 2026-01-01
value = 73500
ref = ""

[[activity.daily_cap_minutes]]
from = 2026-01-01
value = 0.9
ref = "Perwal"

[[abk.not_a_key]]
from = 2026-01-01
value = 1
ref = "Perwal"
"""
    with pytest.raises(kinerja.PolicyError) as e:
        kinerja.PolicyLayer.from_toml("salah.toml", text)
    err = e.value
    assert err.code == "invalid_policy"
    assert err.details["file"] == "salah.toml"
    codes = {p.code for p in err.problems}
    assert "missing_reference" in codes
    assert "unknown_key" in codes
    assert len(err.problems) >= 3
    assert all(p.record == "policy" for p in err.problems)


def test_resolve_all_and_catalogue(policy: kinerja.Policy) -> None:
    everything = policy.resolve_all(dt.date(2026, 10, 1))
    keys = [r.key for r in everything]
    assert KEY in keys and "targets.daily_minutes" in keys
    catalogue = kinerja.policy_catalogue()
    assert {s.key for s in catalogue} >= set(keys)
    spec = next(s for s in catalogue if s.key == KEY)
    assert spec.kind.startswith("integer")
    assert "effective" in spec.doc.lower()
    assert "[layer]" in kinerja.NATIONAL_POLICY_TOML


def test_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "kota.toml"
    path.write_text(CITY_TOML, encoding="utf-8")
    layer = kinerja.PolicyLayer.from_file(path)
    assert layer.source == str(path)
    assert layer.description == "Perwal Kota Uji No. 17 Tahun 2026"


def test_structured_values_keep_decimal_text(policy: kinerja.Policy) -> None:
    # Inside structured parameters decimals are written as text in TOML and stay text
    # (the core reads them exactly); never floats.
    bands = policy.resolve("abk.grade_bands", dt.date(2026, 10, 1)).value
    assert isinstance(bands, list)
    assert bands[0] == {"grade": "A", "lower": "1.00", "lower_inclusive": False}
    assert Decimal(bands[1]["lower"]) == Decimal("0.90")


def test_an_oversized_policy_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("w", encoding="utf-8") as f:
        f.write('[layer]\nname = "big"\n')
        f.write("# " + "x" * (4 * 1024 * 1024) + "\n")
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.PolicyLayer.from_file(big)
    assert e.value.code == "too_large"
    # The same text given directly is refused by the core with the same code.
    with pytest.raises(kinerja.PolicyError) as p:
        kinerja.PolicyLayer.from_toml("big.toml", big.read_text(encoding="utf-8"))
    assert [x.code for x in p.value.problems] == ["too_large"]


def test_the_national_baseline_covers_every_month_from_2020() -> None:
    import datetime as _dt

    assert kinerja.Policy.national().coverage() == (_dt.date(2020, 1, 1), None)
    assert kinerja.Policy.from_layers([]).coverage() is None
