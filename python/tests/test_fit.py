"""One fit through the bindings equals the Rust library's (the command-line tool's JSON and CSV),
on the bundled data; frames have the CSV export's columns; reprs, JSON and charts."""

import json

import numpy as np
import pandas as pd
import pytest

import growthcast as gc

# (file, model, flags for the tool, keywords for gc.fit)
CASES = [
    ("tokens_daily", "exponential", [], {}),
    ("tokens_daily", "linear", [], {}),
    ("genai_users", "logistic", ["--fix", "K=1.41e9"], {"fix": {"K": 1.41e9}}),
    ("genai_users", "gompertz", ["--fix", "K=1.41e9"], {"fix": {"K": 1.41e9}}),
    ("enterprises_llm", "exponential", ["--error", "additive"], {"error_model": "additive"}),
    ("digital_economy_size", "exponential", [], {}),
]


def frame(data_dir, name):
    return gc.read_csv(data_dir / f"{name}.csv")


@pytest.mark.parametrize("name,model,flags,kwargs", CASES)
def test_fit_equals_the_library(cli, data_dir, tmp_path, name, model, flags, kwargs):
    csv = tmp_path / "p.csv"
    ref = cli("fit", f"data/{name}.csv", "--model", model, *flags, "--json", "--csv", str(csv))
    fit = gc.fit(frame(data_dir, name), model, **kwargs)
    mine = fit.to_dict()
    for key, value in ref["fit"].items():
        if key == "observations":  # the date as written: `2024` in the file, a datetime here
            value = [{k: v for k, v in o.items() if k != "date"} for o in value]
            mine[key] = [{k: v for k, v in o.items() if k != "date"} for o in mine[key]]
        assert mine[key] == value, key  # bit for bit: the same JSON
    assert mine["derived"] == ref["derived"]
    # The projection frame is the tool's CSV, column for column.
    want = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    got = fit.project(until="2030-12-31")
    assert list(got.columns) == list(want.columns) == list(gc._api.PROJECTION_COLUMNS)
    assert (got["ds"].dt.strftime("%Y-%m-%d") == want["ds"]).all()
    for col in ("t", "y", "yhat", "yhat_lower", "yhat_upper", "conf_lower", "conf_upper"):
        np.testing.assert_array_equal(got[col].to_numpy(float), want[col].to_numpy(float), col)
    for col in ("series", "unit", "model", "method"):
        assert (got[col].fillna("") == want[col].fillna("")).all(), col
    assert (got["kind"].fillna("") == want["kind"].fillna("")).all()
    assert (got["is_projection"] == want["is_projection"]).all()


def test_parameters_frame_has_the_export_columns(data_dir):
    fit = gc.fit(frame(data_dir, "genai_users"), "logistic", fix={"K": 1.41e9})
    p = fit.params
    assert tuple(p.columns) == gc._api.PARAMETER_COLUMNS
    assert list(p.parameter) == ["K", "r", "tm"]
    k = p.set_index("parameter").loc["K"]
    assert k.fixed and k.estimate == 1.41e9 and k.std_error == 0.0
    d = fit.to_dict()["params"]
    assert list(p.estimate) == [q["estimate"] for q in d]
    # An interval with no upper bound from these data is empty (NaN), as in parameters.csv.
    assert np.isnan(p.set_index("parameter").loc["tm", "upper"])
    assert fit.estimates()["r"] == d[1]["estimate"]


def test_time_column_of_decimal_years_equals_the_dates(data_dir):
    df = frame(data_dir, "tokens_daily")
    by_date = gc.fit(df, "exponential")
    by_time = gc.fit(pd.DataFrame({"time": df.t, "y": df.y, "kind": df.kind}), "exponential")
    a, b = by_date.to_dict(), by_time.to_dict()
    assert [p["estimate"] for p in a["params"]] == [p["estimate"] for p in b["params"]]
    assert a["rss"] == b["rss"]


def test_pandas_datetimes_polars_and_dicts_give_the_same_fit(data_dir):
    df = frame(data_dir, "genai_users")
    want = gc.fit(df, "logistic", fix={"K": 1.41e9}).to_dict()
    as_dt = df.assign(ds=pd.to_datetime(df.ds))
    as_str = df.assign(ds=df.ds.dt.strftime("%Y-%m-%d"))
    as_dict = {c: as_str[c].to_numpy() for c in ("ds", "y", "kind")}
    for data in (as_dt, as_str, as_dict):
        got = gc.fit(data, "logistic", fix={"K": 1.41e9}, name="genai_users" if data is not as_dict else None)
        assert [p["estimate"] for p in got.to_dict()["params"]] == [p["estimate"] for p in want["params"]]
    pl = pytest.importorskip("polars")
    got = gc.fit(pl.from_pandas(as_str), "logistic", fix={"K": 1.41e9})
    assert got.to_dict()["rss"] == want["rss"]
    assert type(got.params).__module__.startswith("polars")


def test_repr_json_and_charts(data_dir):
    fit = gc.fit(frame(data_dir, "genai_users"), "logistic", fix={"K": 1.41e9})
    text = repr(fit)
    assert text.startswith("[[Fit]] logistic model of `genai_users`")
    assert "K    = 1.41000e9 (fixed) people" in text
    assert json.loads(fit.to_json())["label"] == "logistic (K = 1.41e9)"
    png = fit.png(width=600, height=360)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == fit._repr_png_()[:0] + png
    assert fit._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = fit.svg(until="2028-12-31", title="users")
    assert svg.lstrip().startswith("<svg") and "users" in svg
    assert "2030-12-31" in fit.summary() and fit.identified
    w = fit.when(1.128e9, "2035-01-01")
    assert w["statement"].startswith("1.1280e9 people: reached around 2027")


def test_predict_at_the_dates_of_a_future_frame(data_dir):
    fit = gc.fit(frame(data_dir, "tokens_daily"), "exponential")
    future = pd.DataFrame({"ds": pd.to_datetime(["2027-12-31", "2030-12-31"])})
    p = fit.predict(future)
    assert list(p.ds) == list(future.ds) and p.is_projection.all()
    whole = fit.project(until="2030-12-31").set_index("ds")
    assert p.yhat.iloc[1] == whole.loc["2030-12-31", "yhat"]
    assert gc.project(frame(data_dir, "tokens_daily"), "exponential").equals(fit.project())


def test_the_package_docstring_example():
    import doctest

    result = doctest.testmod(gc, verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_a_time_column_with_a_unit_speaks_that_unit():
    # Chick 1 of R's ChickWeight: weight in grams on days 0 to 21.
    days = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 21]
    grams = [42, 51, 59, 64, 76, 93, 106, 125, 149, 171, 199, 205]
    df = pd.DataFrame({"time": days, "y": grams, "time_unit": "day"})
    f = gc.fit(df, "logistic")
    assert f.axis == "day"
    assert "1/day" in repr(f) and "growth rate per day" in repr(f)
    p = f.project()
    assert p["ds"].dtype.kind in "if"  # numbers, not dates
    assert (p["time_unit"] == "day").all()
    assert p["ds"].max() == 35  # half the span past day 21, rounded
    assert "By day 35" in f.summary()
    same = gc.fit(df.drop(columns="time_unit"), "logistic", time_unit="day")
    assert same.estimates() == f.estimates()
    rec = gc.compare(df).recommendation
    assert "at day 35" in rec["statement"]
    with pytest.raises(gc.GrowthcastError, match="time unit"):
        gc.fit(pd.DataFrame({"ds": ["2020", "2021", "2022"], "y": [1, 2, 4]}), time_unit="day")
