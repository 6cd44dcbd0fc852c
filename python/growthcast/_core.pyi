"""Type stubs of the extension module ``growthcast._core`` (Rust, PyO3)."""

from os import PathLike
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "GrowthcastError", "Series", "parse_date", "format_date", "read_series",
    "decimal_years_from_days", "Fit", "fit", "Comparison", "compare", "ClaimCheck", "cagr",
    "cagr_between", "doubling_time", "implied_rate", "check_cagr", "check_multiple",
    "check_increase", "batch_fit",
]

class GrowthcastError(ValueError):
    """An error of the growthcast library, with its message."""

@final
class Series:
    def __new__(
        cls,
        name: str,
        y: Sequence[float],
        ds: Optional[Sequence[str]] = None,
        t: Optional[Sequence[float]] = None,
        kind: Optional[Sequence[str]] = None,
        unit: str = "",
        time_unit: Optional[str] = None,
    ) -> "Series": ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def axis(self) -> str: ...
    @property
    def default_until(self) -> float: ...
    def __len__(self) -> int: ...
    def rows_json(self) -> str: ...

@final
class Fit:
    @property
    def label(self) -> str: ...
    @property
    def series_name(self) -> str: ...
    @property
    def axis(self) -> str: ...
    @property
    def default_until(self) -> float: ...
    @property
    def identified(self) -> bool: ...
    def to_json(self) -> str: ...
    def parameters_json(self) -> str: ...
    def projection_json(
        self, until: float, times: Optional[Sequence[float]] = None, delta: bool = False
    ) -> str: ...
    def summary(self, until: float) -> str: ...
    def when_json(self, level: float, horizon: float) -> str: ...
    def chart(
        self,
        format: str = "png",
        width: int = 1200,
        height: int = 720,
        until: Optional[float] = None,
        title: Optional[str] = None,
        log_y: Optional[bool] = None,
    ) -> bytes: ...

@final
class Comparison:
    def ranking_json(self) -> str: ...
    def failed(self) -> List[Tuple[str, str]]: ...
    def fits(self) -> List[Fit]: ...
    def projections_json(self) -> str: ...
    def recommended_json(self) -> str: ...
    def recommendation_json(self) -> str: ...
    def to_json(self) -> str: ...
    def chart(
        self,
        format: str = "png",
        width: int = 1200,
        height: int = 720,
        title: Optional[str] = None,
        log_y: Optional[bool] = None,
    ) -> bytes: ...

@final
class ClaimCheck:
    @property
    def verdict(self) -> str: ...
    @property
    def plausible(self) -> bool: ...
    def to_json(self) -> str: ...

def parse_date(date: str) -> float: ...
def format_date(t: float) -> str: ...
def read_series(path: Union[str, PathLike[str]]) -> List[Series]: ...
def decimal_years_from_days(days: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]: ...
def fit(
    series: Series,
    model: str = "exponential",
    fix: Optional[Sequence[Tuple[str, float]]] = None,
    bounds: Optional[Sequence[Tuple[str, float, float]]] = None,
    error_model: str = "multiplicative",
    allow_decline: bool = False,
    level: float = 0.95,
    intervals: str = "profile",
    label: Optional[str] = None,
) -> Fit: ...
def compare(
    series: Series,
    until: float,
    ceiling: Optional[float] = None,
    ceiling_at_most: Optional[float] = None,
    ceiling_name: Optional[str] = None,
) -> Comparison: ...
def cagr(start: float, end: float, years: float) -> float: ...
def cagr_between(start_date: str, start: float, end_date: str, end: float) -> float: ...
def doubling_time(rate: float) -> float: ...
def implied_rate(base: float, base_year: float, target: float, target_year: float) -> float: ...
def check_cagr(
    start: float,
    end: float,
    years: float,
    claimed: float,
    start_kind: str = "exact",
    end_kind: str = "exact",
    claimed_kind: str = "exact",
) -> ClaimCheck: ...
def check_multiple(
    start: float,
    end: float,
    claimed: float,
    start_kind: str = "exact",
    end_kind: str = "exact",
    claimed_kind: str = "exact",
) -> ClaimCheck: ...
def check_increase(
    start: float,
    end: float,
    claimed: float,
    start_kind: str = "exact",
    end_kind: str = "exact",
    claimed_kind: str = "exact",
) -> ClaimCheck: ...
def batch_fit(
    t: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    offsets: npt.NDArray[np.int64],
    model: str = "logistic",
    fix: Optional[Sequence[Tuple[str, float]]] = None,
    bounds: Optional[Sequence[Tuple[str, float, float]]] = None,
    error_model: str = "multiplicative",
    allow_decline: bool = False,
    std_errors: bool = True,
    start: Optional[Sequence[float]] = None,
    parallel: bool = True,
    project: Optional[Sequence[float]] = None,
) -> Dict[str, Any]: ...
