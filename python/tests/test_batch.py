"""The batch equals per-series fits, whatever the row order or the table's flavour."""

import numpy as np
import pandas as pd
import pytest

import growthcast as gc


def logistic_table(n_series=60, n=8, seed=7):
    """A long table of noisy logistic series on yearly dates (noise 3%, multiplicative)."""
    rng = np.random.default_rng(seed)
    years = np.arange(2015, 2015 + n)
    rows = []
    for i in range(n_series):
        k, r, tm = rng.uniform(100, 10_000), rng.uniform(0.5, 1.5), rng.uniform(2017, 2021)
        y = k / (1 + np.exp(-r * (years - tm))) * np.exp(0.03 * rng.standard_normal(n))
        rows.append(pd.DataFrame({"series": f"s{i:03d}", "ds": [f"{t}-06-30" for t in years], "y": y}))
    return pd.concat(rows, ignore_index=True)


def test_batch_equals_full_fits_of_each_series():
    df = logistic_table()
    out = gc.batch_fit(df, "logistic").set_index("series")
    assert out.converged.all() and out.error.isna().all()
    for name, rows in df.groupby("series"):
        full = gc.fit(rows, "logistic", intervals="wald").to_dict()
        est = [p["estimate"] for p in full["params"]]
        se = [p["std_error"] for p in full["params"]]
        got = out.loc[name]
        np.testing.assert_allclose([got.K, got.r, got.tm], est, rtol=1e-7)
        np.testing.assert_allclose([got.K_se, got.r_se, got.tm_se], se, rtol=1e-5)
        assert got.rss == pytest.approx(full["rss"], rel=1e-9)


def test_batch_is_the_same_bit_for_bit_in_any_row_order_and_alone():
    df = logistic_table(n_series=40)
    want = gc.batch_fit(df, "logistic")
    shuffled = df.sample(frac=1.0, random_state=3)
    got = gc.batch_fit(shuffled, "logistic").set_index("series").loc[want.series].reset_index()
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for name in ("s000", "s017", "s039"):
        alone = gc.batch_fit(df[df.series == name], "logistic")
        pd.testing.assert_frame_equal(alone, want[want.series == name].reset_index(drop=True), check_exact=True)
    serial = gc.batch_fit(df, "logistic", parallel=False)
    pd.testing.assert_frame_equal(serial, want, check_exact=True)


def test_dates_datetimes_and_decimal_years_agree():
    df = logistic_table(n_series=10)
    by_text = gc.batch_fit(df, "logistic")
    by_datetime = gc.batch_fit(df.assign(ds=pd.to_datetime(df.ds)), "logistic")
    t = [gc.parse_date(d) for d in df.ds]
    by_time = gc.batch_fit(pd.DataFrame({"series": df.series, "time": t, "y": df.y}), "logistic")
    pd.testing.assert_frame_equal(by_text, by_datetime, check_exact=True)
    pd.testing.assert_frame_equal(by_text, by_time, check_exact=True)


def test_polars_arrow_and_dict_tables():
    df = logistic_table(n_series=12)
    want = gc.batch_fit(df, "logistic")
    as_dict = gc.batch_fit({c: df[c].to_numpy() for c in df.columns}, "logistic")
    pd.testing.assert_frame_equal(as_dict, want, check_exact=True)
    pa = pytest.importorskip("pyarrow")
    got = gc.batch_fit(pa.Table.from_pandas(df), "logistic")
    assert isinstance(got, pa.Table)
    pd.testing.assert_frame_equal(got.to_pandas(), want, check_exact=True)
    pl = pytest.importorskip("polars")
    got = gc.batch_fit(pl.from_pandas(df), "logistic")
    assert got["K"].to_list() == want.K.to_list()


def test_projections_are_the_fitted_curves():
    df = logistic_table(n_series=5)
    fits, curves = gc.batch_fit(df, "logistic", project=["2025-12-31", 2030.0])
    assert list(curves.columns) == ["series", "t", "yhat"] and len(curves) == 10
    f = fits.set_index("series")
    for _, row in curves.iterrows():
        k, r, tm = f.loc[row.series, ["K", "r", "tm"]]
        assert row.yhat == pytest.approx(k / (1 + np.exp(-r * (row.t - tm))), rel=1e-13)
    assert curves.t.iloc[0] == gc.parse_date("2025-12-31")


def test_a_fixed_ceiling_and_an_exponential_anchored_per_series():
    df = logistic_table(n_series=6)
    fixed = gc.batch_fit(df, "logistic", fix={"K": 20_000.0})
    assert list(fixed.columns[1:3]) == ["r", "tm"]
    name = fixed.series.iloc[2]
    full = gc.fit(df[df.series == name], "logistic", fix={"K": 20_000.0}, intervals="wald").estimates()
    assert fixed.r.iloc[2] == pytest.approx(full["r"], rel=1e-7)
    exp = gc.batch_fit(df, "exponential", std_errors=False).set_index("series")
    assert "r_se" not in exp.columns
    one = gc.fit(df[df.series == name], "exponential", intervals="wald").estimates()
    assert exp.loc[name, "y0"] == pytest.approx(one["y0"], rel=1e-7)  # y0 at each series' own start


def test_the_batch_releases_the_gil():
    import threading
    import time

    rng = np.random.default_rng(5)
    n, t = 100_000, np.linspace(0.0, 10.0, 10)
    y = (1000 / (1 + np.exp(-(t[None, :] - 5.0)))) * (1 + 0.02 * rng.standard_normal((n, 10)))
    columns = (np.tile(t, n), y.ravel(), np.arange(n + 1, dtype=np.int64) * 10)
    span = {}

    def run():
        span["start"] = time.perf_counter()
        gc._core.batch_fit(*columns, "logistic")
        span["end"] = time.perf_counter()

    worker = threading.Thread(target=run)
    ticks = []
    worker.start()
    while worker.is_alive():  # this thread runs Python code only while the batch lets go of the GIL
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    inside = [x for x in ticks if span["start"] < x < span["end"]]
    duration = span["end"] - span["start"]
    assert duration > 0.05
    assert len(inside) > 10, (len(inside), duration)


def test_any_object_with_the_arrow_pycapsule_interface():
    pa = pytest.importorskip("pyarrow")

    class Stream:
        """Only `__arrow_c_stream__`, as DuckDB relations and other Arrow producers have."""

        def __init__(self, table):
            self._table = table

        def __arrow_c_stream__(self, requested_schema=None):
            return self._table.__arrow_c_stream__(requested_schema)

    df = logistic_table(n_series=8)
    got = gc.batch_fit(Stream(pa.Table.from_pandas(df)), "logistic")
    pd.testing.assert_frame_equal(got.to_pandas(), gc.batch_fit(df, "logistic"), check_exact=True)
