"""Tables in, columns out: pandas, polars, Arrow (any object with ``__arrow_c_stream__``), dicts
of arrays and numpy record arrays, read as numpy columns; and the time axis of a table.

The time axis is made in one place, :func:`time_column`: a ``ds`` column holds dates (strings,
``datetime64`` values, ``datetime``/``date``/``Timestamp`` objects), a ``time`` (or ``t``)
column holds numbers on the time axis (decimal years for now).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _core
from ._core import GrowthcastError

#: The time columns a table may have, in order of preference.
TIME_COLUMNS = ("ds", "time", "t")


class Table:
    """Read access to the columns of a table as numpy arrays, and what kind of table it was."""

    def __init__(self, data: Any) -> None:
        self.flavour = "pandas"
        self._get: Any
        module = type(data).__module__.split(".")[0]
        if module == "pandas":
            self.columns: List[str] = [str(c) for c in data.columns]
            self._get = lambda c: data[c].to_numpy()
        elif module == "polars":
            self.flavour = "polars"
            self.columns = list(data.columns)
            self._get = lambda c: data[c].to_numpy()
        elif hasattr(data, "__arrow_c_stream__"):
            import pyarrow as pa  # the Arrow PyCapsule interface, read by pyarrow

            table = data if isinstance(data, pa.Table) else pa.table(data)
            self.flavour = "arrow"
            self.columns = list(table.column_names)
            self._get = lambda c: table.column(c).to_numpy()
        elif isinstance(data, dict):
            self.columns = [str(c) for c in data]
            self._get = lambda c: np.asarray(data[c])
        elif isinstance(data, np.ndarray) and data.dtype.names:
            self.columns = list(data.dtype.names)
            self._get = lambda c: data[c]
        else:
            raise GrowthcastError(
                f"a table is a pandas or polars DataFrame, an Arrow table (or any object with "
                f"__arrow_c_stream__), a dict of arrays or a numpy record array, not "
                f"{type(data).__name__}"
            )

    def has(self, column: str) -> bool:
        """Whether the table has this column."""
        return column in self.columns

    def column(self, column: str) -> np.ndarray:
        """A column as a numpy array; a missing column is an error that lists the columns."""
        if column not in self.columns:
            raise GrowthcastError(
                f"no column `{column}`: the table has {', '.join(self.columns) or 'no columns'}"
            )
        return np.asarray(self._get(column))

    def floats(self, column: str) -> np.ndarray:
        """A column as contiguous float64 (read in place when it already is)."""
        values = self.column(column)
        try:
            return np.ascontiguousarray(values, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise GrowthcastError(f"column `{column}`: numbers expected ({e})") from None


def _date_text(value: Any) -> str:
    """One ``ds`` value as a date the library reads."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value, unit="D"))
    if isinstance(value, (_dt.datetime, _dt.date)):  # includes pandas.Timestamp
        return value.strftime("%Y-%m-%d")
    return str(value)


def time_column(table: Table) -> Tuple[str, Any]:
    """The time axis of a table: ``("ds", [date strings])`` from a ``ds`` column, or
    ``("time", float64 array)`` from a ``time`` (or ``t``) column.

    This is the one place where a table's time becomes the library's; a ``time`` column is a
    number on the time axis (decimal years until series carry a unit of their own).
    """
    if table.has("ds"):
        ds = table.column("ds")
        if np.issubdtype(ds.dtype, np.datetime64):
            return "ds", list(np.datetime_as_string(ds, unit="D"))
        return "ds", [_date_text(v) for v in ds]
    for name in ("time", "t"):
        if table.has(name):
            return "time", table.floats(name)
    raise GrowthcastError(
        "no time column: name it `ds` (dates) or `time` (numbers); the table has "
        + ", ".join(table.columns)
    )


def time_values(table: Table) -> np.ndarray:
    """The time axis as float64 decimal years for a batch (dates converted by the library)."""
    if table.has("ds"):
        ds = table.column("ds")
        if np.issubdtype(ds.dtype, np.datetime64):
            days = ds.astype("datetime64[D]").astype(np.int64)
            return _core.decimal_years_from_days(np.ascontiguousarray(days))
        text = np.asarray([_date_text(v) for v in ds], dtype=object)
        unique, inverse = np.unique(text, return_inverse=True)
        years = np.array([_core.parse_date(str(d)) for d in unique], dtype=np.float64)
        return years[inverse]
    return time_column(table)[1]


def to_t(value: Any) -> float:
    """A date (string, ``datetime``, ``Timestamp``, ``datetime64``) or a number as the library's
    time (a decimal year)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    return _core.parse_date(_date_text(value))


def kinds(table: Table) -> Optional[List[str]]:
    """The ``kind`` column as strings (missing values are exact), or ``None``."""
    if not table.has("kind"):
        return None
    out = []
    for k in table.column("kind"):
        out.append("" if k is None or (isinstance(k, float) and np.isnan(k)) else str(k))
    return out


def one_series(table: Table, name: Optional[str], unit: Optional[str],
               time_unit: Optional[str] = None) -> _core.Series:
    """The one series of a table: the rows of series `name` when the table has a ``series``
    column (which must then hold one series, or `name` must say which), else every row. A
    `time_unit` (or a ``time_unit`` column) makes a ``time`` column a numeric time axis."""
    rows: Optional[np.ndarray] = None
    label = name or "series"
    if table.has("series"):
        names = table.column("series").astype(str)
        present = list(dict.fromkeys(names))
        if name is None:
            if len(present) != 1:
                raise GrowthcastError(
                    f"the table holds {len(present)} series ({', '.join(present[:5])}"
                    f"{', ...' if len(present) > 5 else ''}): pick one with name=..., "
                    "or fit them all with batch_fit"
                )
            label = present[0]
        elif name not in present:
            raise GrowthcastError(
                f"no series `{name}` in the table: it holds {', '.join(present[:10])}"
            )
        rows = names == label
    if unit is None and table.has("unit"):
        units = table.column("unit")
        unit = str(units[rows][0] if rows is not None else units[0])
        unit = "" if unit == "nan" else unit
    if time_unit is None and table.has("time_unit"):
        units = table.column("time_unit")
        first = units[rows][0] if rows is not None else units[0]
        time_unit = None if first is None or str(first) in ("", "nan", "None") else str(first)
    kind, times = time_column(table)
    y = table.floats("y")
    k = kinds(table)
    if rows is not None:
        idx = np.flatnonzero(rows)
        y = y[idx]
        k = None if k is None else [k[i] for i in idx]
        times = [times[i] for i in idx] if kind == "ds" else times[idx]
    if kind == "ds":
        return _core.Series(label, list(y), ds=list(times), kind=k, unit=unit or "",
                            time_unit=time_unit)
    return _core.Series(label, list(y), t=list(times), kind=k, unit=unit or "",
                        time_unit=time_unit)


def frame(rows: Sequence[Dict[str, Any]], columns: Sequence[str], like: str = "pandas") -> Any:
    """Rows (dicts) as a DataFrame with these columns, in the flavour of the input table."""
    import pandas as pd

    df = pd.DataFrame.from_records(list(rows), columns=list(columns))
    numeric = "time_unit" in df.columns and df["time_unit"].notna().any()
    if "ds" in df.columns and len(df):
        # Dates on the calendar; on a numeric time axis `ds` is the time itself.
        df["ds"] = pd.to_numeric(df["ds"]) if numeric else pd.to_datetime(df["ds"])
    return convert(df, like)


def convert(df: Any, like: str) -> Any:
    """A pandas DataFrame as the flavour asked for: polars for polars input, a pyarrow Table
    for Arrow input, pandas otherwise."""
    if like == "polars":
        import polars as pl

        return pl.from_pandas(df)
    if like == "arrow":
        import pyarrow as pa

        return pa.Table.from_pandas(df, preserve_index=False)
    return df
