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
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from ._html import Html

__all__ = ["Table"]


def _optional(module: str, what: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"Table.{what}() needs the optional dependency `{package}`: "
            f"install it with `pip install {package}`"
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

    __slots__ = ("_columns", "_len", "_money")

    def __init__(self, columns: Mapping[str, Sequence[Any]], *, money: Iterable[str] = ()) -> None:
        cols: Dict[str, List[Any]] = {str(k): list(v) for k, v in columns.items()}
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns have different lengths: {sorted(lengths)}")
        marked = frozenset(money)
        unknown = sorted(marked - set(cols))
        if unknown:
            raise ValueError(f"money columns that are not columns: {unknown}")
        self._columns = cols
        self._len = lengths.pop() if lengths else 0
        self._money = marked

    @classmethod
    def _wrap(cls, columns: Dict[str, List[Any]], length: int, money: Iterable[str] = ()) -> "Table":
        """Wraps columns built by the native module (not copied, not re-checked)."""
        table = cls.__new__(cls)
        table._columns = columns
        table._len = length
        table._money = frozenset(money)
        return table

    @property
    def money_columns(self) -> FrozenSet[str]:
        """The columns that hold rupiah amounts (exact :class:`decimal.Decimal` s),
        shown as ``Rp 6.500.000`` by :meth:`to_html`."""
        return self._money

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

    def to_html(self, lang: str = "id", max_rows: int = 60) -> "Html":
        """The table as HTML for a notebook (a ``str`` that Jupyter displays as HTML):
        headers for people in ``lang`` (``"id"``, the default, or ``"en"``), amounts
        written ``Rp 6.500.000`` by the engine's money formatter, dates by its date
        formatter, every text escaped; the first ``max_rows`` rows, the rest counted."""
        from ._html import table_html

        return table_html(self, lang, max_rows)

    def _repr_html_(self) -> str:
        """Jupyter's view: :meth:`to_html` in Indonesian."""
        return str(self.to_html())

    def __repr__(self) -> str:
        names = list(self._columns)
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        return f"<kinerja.Table: {self._len} rows x {len(names)} columns ({shown})>"
