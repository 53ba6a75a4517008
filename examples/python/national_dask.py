"""The national month as a Dask job: one task per region, the totals reduced on the cluster.

Each region of the plan is generated and paid on a worker by ``kinerja.national_region``
(the ``kinerja`` wheel must be installed on every worker); the summaries are added by
``kinerja.national_combine`` and compared with the single-process run
(``kinerja.national_run``, the same engine on this machine's threads). Both give the
same totals to the rupiah, whatever the split.

    python examples/python/national_dask.py                    # 540 regions at 2 % size, local cluster
    python examples/python/national_dask.py --scale 1          # the full national month (minutes)
    python examples/python/national_dask.py --scheduler tcp://head:8786   # a real cluster

See docs/national.md for running on a real cluster (dask-scheduler, dask-worker).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from typing import Any, Dict, List

import kinerja


def dask_national(
    client: Any, *, seed: int, regions: int, scale: float
) -> Dict[str, Any]:
    """Maps the plan's regions over the cluster and reduces their summaries there."""
    futures = client.map(
        lambda index: kinerja.national_region(index, seed=seed, regions=regions, scale=scale),
        range(regions),
        pure=False,
    )
    total = client.submit(lambda summaries: kinerja.national_combine(summaries, seed=seed), futures)
    result: Dict[str, Any] = total.result()
    return result


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regions", type=int, default=540)
    ap.add_argument("--scale", type=float, default=0.02)
    ap.add_argument("--workers", type=int, default=2, help="local cluster: worker processes")
    ap.add_argument("--scheduler", default=None, help="address of a running dask-scheduler instead")
    ap.add_argument("--no-compare", action="store_true", help="skip the single-process run")
    args = ap.parse_args(argv)

    # Imported here (and untyped: distributed ships no type information).
    distributed: Any = importlib.import_module("distributed")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    t0 = time.perf_counter()
    if args.scheduler:
        with Client(args.scheduler) as client:
            dask_totals = dask_national(client, seed=args.seed, regions=args.regions, scale=args.scale)
    else:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
            with Client(cl) as client:
                dask_totals = dask_national(client, seed=args.seed, regions=args.regions, scale=args.scale)
    dask_s = time.perf_counter() - t0
    t = dask_totals["totals"]
    print(f"Dask: {dask_totals['regions']} regions, {t['employees']} employees, {t['records']} records, "
          f"net {kinerja.format_rupiah(t['net'])} in {dask_s:.1f} s")
    if args.no_compare:
        return 0
    t0 = time.perf_counter()
    single = kinerja.national_run(seed=args.seed, regions=args.regions, scale=args.scale, threads=2)
    single_s = time.perf_counter() - t0
    print(f"single process: net {kinerja.format_rupiah(single['totals']['net'])} in {single_s:.1f} s")
    if single != dask_totals:
        print("MISMATCH: the Dask totals differ from the single-process run", file=sys.stderr)
        return 1
    print("same totals (every region's summary and the national sums)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
