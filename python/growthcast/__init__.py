"""growthcast: fit growth models (exponential, logistic, Gompertz, linear, ...) to short, messy
time series and project them forward with honest uncertainty.

Python bindings of the growthcast Rust library. Tables go in with Prophet-style columns
(``ds``/``y`` or ``time``/``y``, optional ``series``, ``kind``, ``unit``) as pandas or polars
DataFrames, Arrow tables or dicts of numpy arrays; frames come out with the columns of the
library's CSV export (``yhat``, ``yhat_lower``, ``yhat_upper``, ...).

>>> import pandas as pd, growthcast as gc
>>> users = pd.DataFrame({"ds": ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"],
...                       "y": [2.30e8, 2.491e8, 5.15e8, 6.02e8]})
>>> fit = gc.fit(users, "logistic", fix={"K": 1.41e9})
>>> round(fit.estimates()["r"], 3)
0.983
"""

from ._api import (
    Comparison,
    ClaimCheck,
    Fit,
    cagr,
    check_cagr,
    check_claims,
    check_increase,
    check_multiple,
    compare,
    fit,
    project,
    read_csv,
    series,
)
from ._core import GrowthcastError, Series, doubling_time, format_date, implied_rate, parse_date
from .batch import batch_fit

__all__ = [
    "ClaimCheck",
    "Comparison",
    "Fit",
    "GrowthcastError",
    "Series",
    "batch_fit",
    "cagr",
    "check_cagr",
    "check_claims",
    "check_increase",
    "check_multiple",
    "compare",
    "doubling_time",
    "fit",
    "format_date",
    "implied_rate",
    "parse_date",
    "project",
    "read_csv",
    "series",
]
__version__ = "0.1.0"
