"""Fits, comparisons, projections and claim checks over DataFrames."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._core import GrowthcastError
from ._tables import Table, convert, frame, one_series, to_t

#: Columns of the projections frame: those of the library's ``projections.csv``.
PROJECTION_COLUMNS = (
    "series", "unit", "model", "ds", "t", "time_unit", "y", "kind", "yhat", "yhat_lower", "yhat_upper",
    "conf_lower", "conf_upper", "level", "is_projection", "beyond_span", "method",
)
#: Columns of the parameters frame: those of the library's ``parameters.csv``.
PARAMETER_COLUMNS = (
    "series", "model", "parameter", "unit", "estimate", "std_error", "lower", "upper", "level",
    "fixed", "identified", "warnings", "method",
)
#: Columns of a comparison's ranking frame (the library's ``compare::Ranked``).
RANKING_COLUMNS = (
    "id", "label", "k", "criterion", "delta", "weight", "identified", "trusted", "trust_reasons",
    "warnings",
)

Date = Union[str, float, int, Any]


def _fit_args(fix: Optional[Mapping[str, float]], bounds: Optional[Mapping[str, Tuple[float, float]]]):
    fixed = [(str(k), float(v)) for k, v in (fix or {}).items()]
    bounded = [(str(k), float(lo), float(hi)) for k, (lo, hi) in (bounds or {}).items()]
    return fixed, bounded


class Fit:
    """A fitted growth model: ``repr`` is the library's report; frames, JSON and charts."""

    def __init__(self, inner: _core.Fit, flavour: str = "pandas") -> None:
        self._inner = inner
        self._flavour = flavour

    def __repr__(self) -> str:
        return repr(self._inner)

    @property
    def label(self) -> str:
        """The fit's label: the model name, with fixed values."""
        return self._inner.label

    @property
    def identified(self) -> bool:
        """Whether the data identify every free parameter (the library's ``is_identified``)."""
        return self._inner.identified

    @property
    def axis(self) -> str:
        """The time axis: ``calendar`` (dates, rates per year) or the unit of a numeric one."""
        return self._inner.axis

    @property
    def params(self) -> Any:
        """The parameters frame: the columns of the library's ``parameters.csv``."""
        return frame(json.loads(self._inner.parameters_json()), PARAMETER_COLUMNS, self._flavour)

    def estimates(self) -> Dict[str, float]:
        """The estimates by parameter name."""
        return {p["parameter"]: p["estimate"] for p in json.loads(self._inner.parameters_json())}

    def project(
        self,
        until: Optional[Date] = None,
        dates: Optional[Iterable[Date]] = None,
        delta: bool = False,
    ) -> Any:
        """Fitted and projected values with 95% bands: the columns of ``projections.csv``.

        By default on the library's CSV grid (every observation date, the first of every month,
        the year ends) up to `until` (the end of 2030); at the given `dates` (dates or numbers)
        otherwise. ``delta=True`` gives delta-method bands instead of the bootstrap's.
        """
        h = self._inner.default_until if until is None else to_t(until)
        times = None if dates is None else [to_t(d) for d in dates]
        rows = json.loads(self._inner.projection_json(h, times, delta))
        return frame(rows, PROJECTION_COLUMNS, self._flavour)

    def predict(self, future: Any) -> Any:
        """Prophet's ``predict``: the projection at the times of a frame's ``ds`` or ``time``."""
        from ._tables import time_column

        _, times = time_column(Table(future))
        return self.project(dates=list(times))

    def summary(self, until: Optional[Date] = None) -> str:
        """The fit in words, up to `until` (the library's ``Fit::summary``)."""
        return self._inner.summary(self._inner.default_until if until is None else to_t(until))

    def when(self, level: float, horizon: Date) -> Dict[str, Any]:
        """When the curve reaches `level` before `horizon`, with its interval (``Fit::when``);
        ``statement`` says it in words."""
        return json.loads(self._inner.when_json(float(level), to_t(horizon)))

    def to_json(self) -> str:
        """The fit as the library's JSON (``export::fits_to_json``)."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The fit as a dict (the library's JSON)."""
        return json.loads(self._inner.to_json())

    def png(self, width: int = 1200, height: int = 720, until: Optional[Date] = None,
            title: Optional[str] = None, log_y: Optional[bool] = None) -> bytes:
        """The library's chart of the fit as PNG bytes."""
        h = None if until is None else to_t(until)
        return self._inner.chart("png", width, height, h, title, log_y)

    def svg(self, width: int = 1200, height: int = 720, until: Optional[Date] = None,
            title: Optional[str] = None, log_y: Optional[bool] = None) -> str:
        """The library's chart of the fit as SVG text."""
        h = None if until is None else to_t(until)
        return self._inner.chart("svg", width, height, h, title, log_y).decode("utf-8")

    def _repr_png_(self) -> bytes:
        return self.png(width=900, height=540)


class Comparison:
    """The standard models compared on one series, and the recommended projection across the
    plausible ones; ``repr`` is the library's text."""

    def __init__(self, inner: _core.Comparison, flavour: str = "pandas") -> None:
        self._inner = inner
        self._flavour = flavour

    def __repr__(self) -> str:
        return repr(self._inner)

    @property
    def ranking(self) -> Any:
        """The ranking, best first: criterion, Δ, Akaike weight, identified, whether the band
        can be relied on (``trusted``, and the codes of the reasons why not), warnings."""
        rows = json.loads(self._inner.ranking_json())
        for r in rows:
            r["warnings"] = " | ".join(r["warnings"])
            trust = r.pop("trust")
            r["trusted"] = trust["trusted"]
            r["trust_reasons"] = " | ".join(x["reason"] for x in trust.get("reasons", []))
        return frame(rows, RANKING_COLUMNS, self._flavour)

    @property
    def recommended(self) -> Any:
        """The recommended projection on the CSV grid (rows labelled ``recommended``), the
        columns of ``projections.csv``; empty when no model has a degree of freedom left."""
        rows = json.loads(self._inner.recommended_json())
        return frame(rows, PROJECTION_COLUMNS, self._flavour)

    @property
    def projections(self) -> Any:
        """Every fitted model's projection and the recommended one: ``compare --csv``'s rows."""
        rows = json.loads(self._inner.projections_json())
        return frame(rows, PROJECTION_COLUMNS, self._flavour)

    @property
    def recommendation(self) -> Optional[Dict[str, Any]]:
        """The recommendation (members, edges, statement, trust, drift) as a dict, at the year
        ends up to the horizon; ``None`` when there is none."""
        return json.loads(self._inner.recommendation_json())

    @property
    def fits(self) -> Dict[str, Fit]:
        """The fitted models by label."""
        return {f.label: Fit(f, self._flavour) for f in self._inner.fits()}

    @property
    def failed(self) -> Dict[str, str]:
        """The models that failed to fit, with the library's message."""
        return dict(self._inner.failed())

    def to_json(self) -> str:
        """Everything, as ``growthcast compare --json`` prints it."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """Everything, as a dict."""
        return json.loads(self._inner.to_json())

    def png(self, width: int = 1200, height: int = 720, title: Optional[str] = None,
            log_y: Optional[bool] = None) -> bytes:
        """The chart of the recommended projection as PNG bytes."""
        return self._inner.chart("png", width, height, title, log_y)

    def svg(self, width: int = 1200, height: int = 720, title: Optional[str] = None,
            log_y: Optional[bool] = None) -> str:
        """The chart of the recommended projection as SVG text."""
        return self._inner.chart("svg", width, height, title, log_y).decode("utf-8")

    def _repr_png_(self) -> bytes:
        return self.png(width=900, height=540)


def series(data: Any, name: Optional[str] = None, unit: Optional[str] = None,
           time_unit: Optional[str] = None) -> _core.Series:
    """The library's series from a table with ``ds``/``y`` (or ``time``/``y``), optional
    ``kind``, ``unit``, ``time_unit`` and ``series`` columns (`name` picks one series). A
    ``time`` column with a `time_unit` (``"day"``, or a ``time_unit`` column) is a numeric time
    axis: rates per day, no calendar dates."""
    return one_series(Table(data), name, unit, time_unit)


def fit(
    data: Any,
    model: str = "exponential",
    *,
    fix: Optional[Mapping[str, float]] = None,
    bounds: Optional[Mapping[str, Tuple[float, float]]] = None,
    error_model: str = "multiplicative",
    allow_decline: bool = False,
    level: float = 0.95,
    intervals: str = "profile",
    name: Optional[str] = None,
    unit: Optional[str] = None,
    time_unit: Optional[str] = None,
) -> Fit:
    """Fits one growth model (``exponential``, ``logistic``, ``gompertz``, ``linear``,
    ``richards``, ``bass``) to the series of a table.

    ``fix={"K": 1.41e9}`` holds a parameter at a known value, ``bounds={"r": (0, 5)}`` bounds
    one. Errors of the library raise :class:`GrowthcastError` with its message.
    """
    table = Table(data)
    s = one_series(table, name, unit, time_unit)
    fixed, bounded = _fit_args(fix, bounds)
    inner = _core.fit(s, model, fixed, bounded, error_model, allow_decline, level, intervals)
    return Fit(inner, table.flavour)


def project(data: Any, model: str = "exponential", until: Optional[Date] = None,
            dates: Optional[Iterable[Date]] = None, **kwargs: Any) -> Any:
    """Fits `model` (keywords as :func:`fit`) and returns its projection frame."""
    return fit(data, model, **kwargs).project(until=until, dates=dates)


def compare(
    data: Any,
    until: Optional[Date] = None,
    *,
    ceiling: Optional[float] = None,
    ceiling_at_most: Optional[float] = None,
    ceiling_name: Optional[str] = None,
    name: Optional[str] = None,
    unit: Optional[str] = None,
    time_unit: Optional[str] = None,
) -> Comparison:
    """Compares exponential, logistic, Gompertz and linear fits of a series and recommends one
    projection up to `until` (the end of 2030) whose band spans the plausible models.

    A known ceiling narrows it: ``ceiling_at_most=1.41e9`` (a population, 100%) or
    ``ceiling=...`` (the level the curve saturates at).
    """
    table = Table(data)
    s = one_series(table, name, unit, time_unit)
    h = s.default_until if until is None else to_t(until)
    inner = _core.compare(s, h, ceiling, ceiling_at_most, ceiling_name)
    return Comparison(inner, table.flavour)


def read_csv(path: str) -> Any:
    """Every series of a CSV file in the library's format (``date``, ``value``, ``unit``,
    ``kind``, optional ``series``) as one long frame: ``series``, ``unit``, ``ds``, ``t``,
    ``y``, ``kind``."""
    rows: List[Dict[str, Any]] = []
    for s in _core.read_series(str(path)):
        rows.extend(json.loads(s.rows_json()))
    return frame(rows, ("series", "unit", "ds", "t", "y", "kind"))


def cagr(start: Any, end: Optional[float] = None, years: Optional[float] = None) -> Any:
    """Compound annual growth rate: ``cagr(start, end, years)`` for two numbers, or
    ``cagr(frame)`` for each series of a table, from its first to its last observation (a
    frame with ``series``, ``start``, ``end``, ``years`` and ``cagr``)."""
    if end is not None or years is not None:
        if end is None or years is None:
            raise GrowthcastError("cagr(start, end, years) needs all three numbers")
        return _core.cagr(float(start), float(end), float(years))
    table = Table(start)
    names = [None] if not table.has("series") else list(dict.fromkeys(table.column("series").astype(str)))
    rows = []
    for n in names:
        obs = json.loads(one_series(table, n, None).rows_json())
        first, last = obs[0], obs[-1]
        years_between = last["t"] - first["t"]
        rows.append({
            "series": first["series"], "start_ds": first["ds"], "start": first["y"],
            "end_ds": last["ds"], "end": last["y"], "years": years_between,
            "cagr": _core.cagr(first["y"], last["y"], years_between),
        })
    cols = ("series", "start_ds", "start", "end_ds", "end", "years", "cagr")
    return convert(frame(rows, cols), table.flavour)


class ClaimCheck:
    """The verdict on a growth claim: ``holds``, ``allowed_by_wording`` or ``contradicted``;
    ``repr`` is the library's sentence."""

    def __init__(self, inner: _core.ClaimCheck) -> None:
        self._inner = inner

    def __repr__(self) -> str:
        return repr(self._inner)

    @property
    def verdict(self) -> str:
        """``holds``, ``allowed_by_wording`` or ``contradicted``."""
        return self._inner.verdict

    @property
    def plausible(self) -> bool:
        """``True`` unless the figures contradict the claim."""
        return self._inner.plausible

    def to_dict(self) -> Dict[str, Any]:
        """The check as a dict (the library's JSON)."""
        return json.loads(self._inner.to_json())


def check_cagr(start: float, end: float, years: float, claimed: float, *,
               start_kind: str = "exact", end_kind: str = "exact",
               claimed_kind: str = "exact") -> ClaimCheck:
    """Checks a claimed compound annual growth rate (0.128 is 12.8%) against two figures; the
    kinds say what the wording allows (``about``, ``at_least`` for "more than", ...)."""
    return ClaimCheck(_core.check_cagr(start, end, years, claimed, start_kind, end_kind, claimed_kind))


def check_multiple(start: float, end: float, claimed: float, *, start_kind: str = "exact",
                   end_kind: str = "exact", claimed_kind: str = "exact") -> ClaimCheck:
    """Checks a claimed growth multiple (300 is "300-fold")."""
    return ClaimCheck(_core.check_multiple(start, end, claimed, start_kind, end_kind, claimed_kind))


def check_increase(start: float, end: float, claimed: float, *, start_kind: str = "exact",
                   end_kind: str = "exact", claimed_kind: str = "exact") -> ClaimCheck:
    """Checks a claimed increase over the period (0.4 is "+40%")."""
    return ClaimCheck(_core.check_increase(start, end, claimed, start_kind, end_kind, claimed_kind))


CLAIM_COLUMNS = (
    "series", "claim", "kind", "from", "to", "start", "start_kind", "end", "end_kind", "claimed",
    "claimed_kind", "face_value", "required_end", "verdict", "explanation",
)


def check_claims(claims: Any, data: Any) -> Any:
    """Checks every claim of a table in the format of ``data/claims.csv`` (``series``,
    ``claim``, ``kind`` = multiple/increase/cagr, ``from``, ``to``, ``claimed``,
    ``claimed_kind``) against the figures of a long data table on those dates."""
    ct, dt = Table(claims), Table(data)
    rows = []
    for i in range(len(ct.column("series"))):
        c = {k: ct.column(k)[i] for k in ("series", "claim", "kind", "from", "to", "claimed", "claimed_kind")}
        obs = json.loads(one_series(dt, str(c["series"]), None).rows_json())
        at = {round(o["t"], 9): o for o in obs}

        def figure(date: Any) -> Dict[str, Any]:
            o = at.get(round(to_t(str(date)), 9))
            if o is None:
                raise GrowthcastError(
                    f"claim `{c['claim']}`: series `{c['series']}` has no figure on {date}"
                )
            return o

        a, b = figure(c["from"]), figure(c["to"])
        kinds = dict(start_kind=a["kind"], end_kind=b["kind"], claimed_kind=str(c["claimed_kind"]))
        what = str(c["kind"])
        claimed = float(c["claimed"])
        if what == "cagr":
            check = check_cagr(a["y"], b["y"], b["t"] - a["t"], claimed, **kinds)
        elif what == "multiple":
            check = check_multiple(a["y"], b["y"], claimed, **kinds)
        elif what == "increase":
            check = check_increase(a["y"], b["y"], claimed, **kinds)
        else:
            raise GrowthcastError(f"claim kind `{what}`: choose multiple, increase or cagr")
        d = check.to_dict()
        rows.append({
            "series": str(c["series"]), "claim": str(c["claim"]), "kind": what,
            "from": str(c["from"]), "to": str(c["to"]), "start": a["y"], "start_kind": a["kind"],
            "end": b["y"], "end_kind": b["kind"], "claimed": claimed,
            "claimed_kind": str(c["claimed_kind"]), "face_value": d["face_value"],
            "required_end": d["required_end"], "verdict": check.verdict,
            "explanation": repr(check),
        })
    return convert(frame(rows, CLAIM_COLUMNS), ct.flavour)
