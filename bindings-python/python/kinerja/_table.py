"""Columnar results: :class:`Table`.

City-wide results (the workload analysis per position and per unit, the recap per
employee, the payroll per employee and per unit, a ledger's entries) are built by the
native module in one call as an Arrow record batch (the same builder as the CLI's
``--parquet`` files), never as one Python object per row. A :class:`Table` wraps it:

- pyarrow, polars, pandas (through pyarrow) and DuckDB read it without a copy through
  the Arrow PyCapsule interface (``pa.table(t)``, ``pl.DataFrame(t)``,
  ``duckdb.sql("select * from t")``); :meth:`Table.to_arrow`, :meth:`Table.to_polars`
  and :meth:`Table.to_pandas` do that for you (the libraries are optional and imported
  only when asked for);
- :meth:`Table.to_parquet` writes a Parquet file natively (no pyarrow needed);
- indexing a column (``t["net"]``) converts that column to Python values, once.

Cell values are plain Python values: ``str``, ``int``, ``bool``, :class:`decimal.Decimal`
(exact; never floats), :class:`datetime.date` / :class:`datetime.time` /
:class:`datetime.datetime`, or ``None``. Enumerations appear as their text values
(``"approved"``, ``"A"``), which compare equal to the :mod:`kinerja` enum members.
Money columns are Arrow ``decimal128(38, 2)``, other decimals ``decimal128(38, 28)``;
docs/python-tables.md lists every table's columns and types.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._html import Html
    from ._kinerja import _NativeTable

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

    __slots__ = ("_columns", "_names", "_len", "_money", "_native")

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
        self._names = list(cols)
        self._len = lengths.pop() if lengths else 0
        self._money = marked
        self._native: Optional[_NativeTable] = None

    @classmethod
    def _from_native(cls, native: _NativeTable) -> "Table":
        """Wraps a record batch built by the native module (columns converted to
        Python values only when indexed)."""
        table = cls.__new__(cls)
        table._columns = {}
        table._names = native.column_names
        table._len = native.num_rows
        table._money = frozenset(native.money_columns)
        table._native = native
        return table

    def _arrow(self) -> _NativeTable:
        """The Arrow record batch (built once from the columns of a table made in
        Python: each column's type from its values)."""
        if self._native is None:
            from ._kinerja import _table_from_columns

            self._native = _table_from_columns(self._columns, sorted(self._money))
        return self._native

    def _all(self) -> Dict[str, List[Any]]:
        return {name: self[name] for name in self._names}

    @property
    def money_columns(self) -> FrozenSet[str]:
        """The columns that hold rupiah amounts (exact :class:`decimal.Decimal` s,
        Arrow ``decimal128(38, 2)``), shown as ``Rp 6.500.000`` by :meth:`to_html`."""
        return self._money

    @property
    def columns(self) -> List[str]:
        """The column names, in order."""
        return list(self._names)

    @property
    def schema(self) -> List[Tuple[str, str, bool]]:
        """``(name, Arrow type, nullable)`` per column, in order, e.g.
        ``("net", "decimal128(38, 2)", False)`` (docs/python-tables.md)."""
        return [(n, t, bool(null)) for n, t, null in self._arrow().schema_types()]

    def __len__(self) -> int:
        """The number of rows."""
        return self._len

    def __getitem__(self, column: str) -> List[Any]:
        """One column's values (a list, converted once; do not mutate it)."""
        values = self._columns.get(column)
        if values is None:
            if self._native is None or column not in self._names:
                raise KeyError(column)
            values = self._native.column(column)
            self._columns[column] = values
        return values

    def __contains__(self, column: object) -> bool:
        return column in self._names

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """Iterates over the rows (see :meth:`rows`)."""
        return self.rows()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        if self._native is not None and other._native is not None:
            return self._native.equals(other._native)
        return self._names == other._names and self._all() == other._all()

    __hash__ = None  # type: ignore[assignment]

    def rows(self) -> Iterator[Dict[str, Any]]:
        """Iterates over the rows, each a dict of column name -> value (convenience;
        use the columns or a dataframe for large tables)."""
        names = list(self._names)
        for values in zip(*self._all().values()):
            yield dict(zip(names, values))

    def row(self, index: int) -> Dict[str, Any]:
        """One row as a dict (negative indexes count from the end)."""
        return {name: self[name][index] for name in self._names}

    def to_dict(self) -> Dict[str, List[Any]]:
        """The columns as a new dict of lists."""
        return {k: list(v) for k, v in self._all().items()}

    # --- the Arrow PyCapsule interface ------------------------------------------------

    def __arrow_c_schema__(self) -> object:
        """The Arrow schema as a PyCapsule (Arrow PyCapsule interface)."""
        return self._arrow().__arrow_c_schema__()

    def __arrow_c_array__(self, requested_schema: Optional[object] = None) -> Tuple[object, object]:
        """The table as one Arrow struct array: a ``(schema, array)`` PyCapsule pair."""
        return self._arrow().__arrow_c_array__(requested_schema)

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The table as an Arrow stream PyCapsule: what ``pyarrow.table(t)``,
        ``polars.DataFrame(t)`` and DuckDB read, without a copy."""
        return self._arrow().__arrow_c_stream__(requested_schema)

    def to_parquet(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the table as a Parquet file at ``path`` (replaced if it exists),
        natively: pyarrow is not needed. Money columns are ``decimal128(38, 2)``."""
        self._arrow().to_parquet(os.fspath(path))

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` (needs pandas and pyarrow), through Arrow. Decimal
        columns stay exact (object dtype of :class:`decimal.Decimal`); an integer
        column with missing values becomes float64 with NaN, as pyarrow does."""
        _optional("pandas", "to_pandas", "pandas")
        pa = _optional("pyarrow", "to_pandas", "pyarrow")
        return pa.table(self).to_pandas()

    def to_polars(self) -> Any:
        """A ``polars.DataFrame`` (needs polars), read from the Arrow stream without a
        copy. Decimal columns are exact ``Decimal`` columns."""
        pl = _optional("polars", "to_polars", "polars")
        return pl.DataFrame(self)

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` (needs pyarrow), read from the Arrow stream without a
        copy. Money columns are ``decimal128(38, 2)``."""
        pa = _optional("pyarrow", "to_arrow", "pyarrow")
        return pa.table(self)
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
        names = list(self._names)
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        return f"<kinerja.Table: {self._len} rows x {len(names)} columns ({shown})>"
