"""The national month on a Dask cluster (a local one: two worker processes) gives the
same totals as the single-process run, region by region and in sum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List

import pytest

import kinerja

distributed = pytest.importorskip("distributed")

SEED = 7
REGIONS = 20
SCALE = 0.01  # regions of about 20 to 600 employees: seconds, not minutes


def test_plan_is_deterministic_and_has_provinces() -> None:
    plan = kinerja.national_plan(SEED, REGIONS, SCALE)
    assert plan == kinerja.national_plan(SEED, REGIONS, SCALE)
    assert [r["index"] for r in plan] == list(range(REGIONS))
    # 20 regions: ceil(20 * 38 / 540) = 2 provinces, then regencies and cities.
    assert [r["kind"] for r in plan[:2]] == ["province", "province"]
    assert all(r["kind"] in ("regency", "city") for r in plan[2:])
    assert all(r["employees"] > 0 for r in plan)


def test_bad_plan_is_refused() -> None:
    with pytest.raises(kinerja.ValidationError) as e:
        kinerja.national_plan(SEED, 0, SCALE)
    assert e.value.field == "regions"


def test_dask_local_cluster_equals_single_process() -> None:
    single = kinerja.national_run(seed=SEED, regions=REGIONS, scale=SCALE, threads=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        futures = client.map(
            lambda i: kinerja.national_region(i, seed=SEED, regions=REGIONS, scale=SCALE),
            range(REGIONS),
            pure=False,
        )
        summaries: List[Dict[str, Any]] = client.gather(futures)
        # Both workers took part (the partitions really were spread).
        assert len(client.scheduler_info()["workers"]) == 2
    # Reduced out of order: the sum does not depend on the order of arrival.
    dask_totals = kinerja.national_combine(list(reversed(summaries)), seed=SEED)
    assert dask_totals == single
    t = dask_totals["totals"]
    assert t["employees"] == sum(r["employees"] for r in kinerja.national_plan(SEED, REGIONS, SCALE))
    assert t["employees"] > 0 and t["paid"] > 0
    assert isinstance(t["net"], Decimal) and t["net"] > 0
    # Net is gross less what is withheld (tax and contribution are negative).
    assert t["net"] == t["gross"] + t["tax"] + t["contribution"]
    # The groups add up to the whole.
    assert sum(g["net"] for g in t["by_employment"]) == t["net"]
    assert sum(g["employees"] for g in t["by_class"]) == t["paid"] + t["not_paid"]
