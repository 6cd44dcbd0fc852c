"""Many series at once: :func:`batch_fit` over a long table with a ``series`` column.

The columns are read as numpy arrays in place where they already are float64 and contiguous
(pandas, polars and single-chunk Arrow columns without nulls are), and the root crate's
``BatchFitter`` fits every series on all cores with the GIL released. The output is a few
numbers per series.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._core import GrowthcastError
from ._tables import Table, convert, time_values, to_t


def _layout(codes: np.ndarray, t: np.ndarray) -> Optional[np.ndarray]:
    """The row order that puts each series' rows together and in time order, or ``None`` when
    they already are (then nothing is copied)."""
    step = 1 << 20  # checked in chunks, so the check costs a few MB, not a copy of the table
    for a in range(0, max(len(codes) - 1, 0), step):
        c, tt = codes[a:a + step + 1], t[a:a + step + 1]
        dc = np.diff(c)
        if not (np.all(dc >= 0) and np.all((dc > 0) | (np.diff(tt) > 0))):
            return np.lexsort((t, codes))
    return None


def _columns(table: Table) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Series names, times, values and offsets of a long table, each series' rows together."""
    import pandas as pd

    t = np.ascontiguousarray(time_values(table), dtype=np.float64)
    y = table.floats("y")
    if table.has("series"):
        codes, names = pd.factorize(table.column("series"), sort=False)
        if (codes < 0).any():
            row = int(np.flatnonzero(codes < 0)[0]) + 1
            raise GrowthcastError(f"row {row}: the `series` column is empty")
    else:
        codes, names = np.zeros(len(y), dtype=np.int64), np.array(["series"], dtype=object)
    order = _layout(codes, t)
    if order is not None:
        t, y, codes = t[order], y[order], codes[order]
    counts = np.bincount(codes, minlength=len(names))
    offsets = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return np.asarray(names), t, y, offsets


def batch_fit(
    data: Any,
    model: str = "logistic",
    *,
    fix: Optional[Mapping[str, float]] = None,
    bounds: Optional[Mapping[str, Tuple[float, float]]] = None,
    error_model: str = "multiplicative",
    allow_decline: bool = False,
    std_errors: bool = True,
    start: Optional[Sequence[float]] = None,
    project: Optional[Iterable[Any]] = None,
    parallel: bool = True,
) -> Union[Any, Tuple[Any, Any]]:
    """Fits `model` to every series of a long table (columns ``series``, ``ds`` or ``time``,
    ``y``; pandas, polars, Arrow or a dict of arrays) on all cores.

    Returns one row per series, in the order the series first appear: ``series``, the
    estimates (one column per free parameter), their standard errors (``<name>_se``), ``rss``,
    ``iterations``, ``at_bound`` (a rate held at 0: the series falls or does not grow),
    ``converged`` and ``error`` (the library's message for a series that failed, else
    ``None``). With ``project`` (dates or numbers) it also returns the fitted curve there, one
    row per series and time: ``series``, ``t``, ``yhat``.

    The fits are the lean path of the library (estimates, standard errors from ``JᵀJ``); use
    :func:`growthcast.fit` for intervals, bands and warnings of one series.
    """
    import pandas as pd

    table = Table(data)
    names, t, y, offsets = _columns(table)
    times = None if project is None else [to_t(p) for p in project]
    fixed = [(str(k), float(v)) for k, v in (fix or {}).items()]
    bounded = [(str(k), float(lo), float(hi)) for k, (lo, hi) in (bounds or {}).items()]
    out = _core.batch_fit(
        t, y, offsets, model, fixed, bounded, error_model, allow_decline, std_errors,
        None if start is None else [float(s) for s in start], parallel, times,
    )
    columns = {"series": names}
    for j, p in enumerate(out["names"]):
        columns[p] = out["params"][:, j]
    if out["std_errors"] is not None:
        for j, p in enumerate(out["names"]):
            columns[p + "_se"] = out["std_errors"][:, j]
    columns["rss"] = out["rss"]
    columns["iterations"] = out["iterations"]
    columns["at_bound"] = out["at_bound"]
    columns["converged"] = out["converged"]
    error = np.full(len(names), None, dtype=object)
    # The library names a failing series by its position (`series 3`); name it as the table does.
    for i, message in zip(out["error_index"], out["error_message"]):
        error[i] = message.replace(f"`series {i}`", f"`{names[i]}`")
    columns["error"] = error
    fits = convert(pd.DataFrame(columns), table.flavour)
    if times is None:
        return fits
    m = len(times)
    curves = pd.DataFrame({
        "series": np.repeat(names, m),
        "t": np.tile(np.asarray(times, dtype=np.float64), len(names)),
        "yhat": out["yhat"].reshape(-1),
    })
    return fits, convert(curves, table.flavour)
