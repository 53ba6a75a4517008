"""The national month: every region generated and paid, as dicts with exact amounts.

A region is the unit of work of a distributed run: :func:`national_region` computes
one from ``(seed, index, regions, scale)`` alone, so the regions of a plan can be
mapped over the workers of a cluster (Dask, see ``docs/national.md``) and their
summaries added up with :func:`national_combine`; :func:`national_run` computes the
same totals in this process.

Money fields (``gross``, ``tax``, ``contribution``, ``net``) are
:class:`decimal.Decimal`; counts are ``int``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, List

from ._kinerja import (
    _national_combine_json,
    _national_plan_json,
    _national_region_json,
    _national_run_json,
)

_MONEY = frozenset({"gross", "tax", "contribution", "net"})


def _decimals(value: Any) -> Any:
    """Money texts (keys in _MONEY) as Decimal, recursively."""
    if isinstance(value, dict):
        return {k: Decimal(v) if k in _MONEY and isinstance(v, str) else _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def _texts(value: Any) -> Any:
    """Decimal amounts back to the texts the engine reads."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    return value


def national_plan(seed: int = 1, regions: int = 540, scale: float = 1.0) -> List[Dict[str, Any]]:
    """The regions of the national month: ``{"index", "kind", "employees"}`` each."""
    plan: List[Dict[str, Any]] = json.loads(_national_plan_json(seed, regions, scale))
    return plan


def national_region(index: int, *, seed: int = 1, regions: int = 540, scale: float = 1.0) -> Dict[str, Any]:
    """Region ``index`` of the plan generated and paid: ``{"region", "chunks", "counts"}``."""
    summary: Dict[str, Any] = _decimals(json.loads(_national_region_json(seed, index, regions, scale)))
    return summary


def national_combine(summaries: List[Dict[str, Any]], *, seed: int = 1) -> Dict[str, Any]:
    """The national totals of region summaries (in any order; added by region index)."""
    texts = [json.dumps(_texts(s)) for s in summaries]
    totals: Dict[str, Any] = _decimals(json.loads(_national_combine_json(seed, texts)))
    return totals


def national_run(seed: int = 1, regions: int = 540, scale: float = 1.0, threads: int = 2) -> Dict[str, Any]:
    """The whole national month in this process: ``{"month", "seed", "regions", "totals", "per_region"}``."""
    totals: Dict[str, Any] = _decimals(json.loads(_national_run_json(seed, regions, scale, threads)))
    return totals
