"""Columnar results: :class:`Table`.

City-wide results (the workload analysis per position and per unit, the recap per
employee, a ledger's entries) are built by the native module in one call as a dict of
column name -> list, not as one Python object per row. A :class:`Table` wraps those
columns and converts them to pandas, polars or pyarrow on request; those libraries
are optional and imported only when asked for.

Cell values are plain Python values: ``str``, ``int``, ``bool``, :class:`decimal.Decimal`
(exact; never floats), :class:`datetime.date` / :class:`datetime.time` /
:class:`datetime.datetime`, or ``None``. Enumerations appear as their text values
(``"approved"``, ``"A"``), which compare equal to the :mod:`kinerja` enum members.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Dict, Iterator, List, Mapping, Sequence

__all__ = ["Table"]


def _optional(module: str, what: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"Table.{what}() needs the optional dependency `{package}`: "
            f"install it with `pip install {package}` (or `pip install kinerja[{package}]`)"
        ) from e


class Table:
    """Columns of equal length, in a fixed order.

    >>> t = Table({"unit": ["DISDIK", "DINKES"], "gap": [3, -1]})
    >>> len(t), t.columns
    (2, ['unit', 'gap'])
    >>> t["gap"]
    [3, -1]
    >>> next(t.rows())
    {'unit': 'DISDIK', 'gap': 3}
    """

    __slots__ = ("_columns", "_len")

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        cols: Dict[str, List[Any]] = {str(k): list(v) for k, v in columns.items()}
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns have different lengths: {sorted(lengths)}")
        self._columns = cols
        self._len = lengths.pop() if lengths else 0

    @classmethod
    def _wrap(cls, columns: Dict[str, List[Any]], length: int) -> "Table":
        """Wraps columns built by the native module (not copied, not re-checked)."""
        table = cls.__new__(cls)
        table._columns = columns
        table._len = length
        return table

    @property
    def columns(self) -> List[str]:
        """The column names, in order."""
        return list(self._columns)

    def __len__(self) -> int:
        """The number of rows."""
        return self._len

    def __getitem__(self, column: str) -> List[Any]:
        """One column's values (a list; do not mutate it)."""
        return self._columns[column]

    def __contains__(self, column: object) -> bool:
        return column in self._columns

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """Iterates over the rows (see :meth:`rows`)."""
        return self.rows()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return self._columns == other._columns

    __hash__ = None  # type: ignore[assignment]

    def rows(self) -> Iterator[Dict[str, Any]]:
        """Iterates over the rows, each a dict of column name -> value (convenience;
        use the columns or a dataframe for large tables)."""
        names = list(self._columns)
        for values in zip(*self._columns.values()):
            yield dict(zip(names, values))

    def row(self, index: int) -> Dict[str, Any]:
        """One row as a dict (negative indexes count from the end)."""
        return {name: col[index] for name, col in self._columns.items()}

    def to_dict(self) -> Dict[str, List[Any]]:
        """The columns as a new dict of lists."""
        return {k: list(v) for k, v in self._columns.items()}

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` (needs pandas). Decimal columns stay exact
        (object dtype of :class:`decimal.Decimal`)."""
        pd = _optional("pandas", "to_pandas", "pandas")
        return pd.DataFrame(self._columns, columns=list(self._columns))

    def to_polars(self) -> Any:
        """A ``polars.DataFrame`` (needs polars). Decimal columns become exact
        ``Decimal`` columns."""
        pl = _optional("polars", "to_polars", "polars")
        return pl.DataFrame(self._columns, strict=False)

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` (needs pyarrow). Decimal columns become exact
        ``decimal128`` columns."""
        pa = _optional("pyarrow", "to_arrow", "pyarrow")
        return pa.table(self._columns)

    def __repr__(self) -> str:
        names = list(self._columns)
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        return f"<kinerja.Table: {self._len} rows x {len(names)} columns ({shown})>"
