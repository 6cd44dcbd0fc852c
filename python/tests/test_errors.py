"""Library errors raise GrowthcastError (a ValueError) with the library's message; bad tables
raise it with a message that names the column or series."""

import subprocess

import numpy as np
import pandas as pd
import pytest

import growthcast as gc
from conftest import ROOT


def test_a_failed_fit_raises_the_library_message(cli, data_dir):
    users = gc.read_csv(data_dir / "genai_users.csv")
    with pytest.raises(gc.GrowthcastError) as e:
        gc.fit(users, "gompertz")
    assert isinstance(e.value, ValueError)
    tool = subprocess.run(
        [str(ROOT / "target/debug/growthcast"), "fit", "data/genai_users.csv", "--model", "gompertz"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert tool.returncode != 0
    assert tool.stderr.startswith("error: " + str(e.value) + ";")


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: gc.cagr(100, 0, 2), "invalid argument `end` = 0: must be a finite number > 0"),
        (lambda: gc.fit({"ds": ["2024", "2025"], "y": [1.0, 2.0]}, "nope"),
         "unknown model `nope`: choose one of exponential (or exp), logistic, gompertz, linear, richards or bass"),
        (lambda: gc.fit({"ds": ["2024", "2024-01-01", "2024"], "y": [1.0, 2.0, 3.0]}),
         "series `series` has 1 distinct time(s) but model `exponential` with 2 free parameters needs 2"),
        (lambda: gc.fit({"ds": ["2024", "2025", "2026"], "y": [1.0, -2.0, 3.0]}),
         "series `series`, row 2: value -2 is not positive, but the multiplicative error model takes ln(y)"),
        (lambda: gc.fit({"ds": ["2024", "June 2025"], "y": [1.0, 2.0]}), "June 2025"),
        (lambda: gc.fit({"ds": ["2024", "2025"], "y": [1.0, 2.0], "kind": ["exact", "roughly"]}), "roughly"),
        (lambda: gc.fit({"time": [1.0, 2.0]}), "no column `y`: the table has time"),
        (lambda: gc.fit({"when": [1.0, 2.0], "y": [1.0, 2.0]}), "no time column: name it `ds` (dates) or `time` (numbers)"),
        (lambda: gc.fit({"series": ["a", "b"], "time": [1.0, 2.0], "y": [1.0, 2.0]}), "the table holds 2 series (a, b)"),
        (lambda: gc.fit({"series": ["a"], "time": [1.0], "y": [1.0]}, name="c"), "no series `c` in the table"),
        (lambda: gc.fit([1, 2, 3]), "a table is a pandas or polars DataFrame"),
        (lambda: gc.compare({"ds": ["2024", "2025", "2026"], "y": [1.0, 2.0, 3.0]}, until="2025-06-30"),
         "until 2025-06-30 must come after the last observation of `series` (2026-01-01)"),
        (lambda: gc.compare({"ds": ["2024", "2025", "2026"], "y": [1.0, 2.0, 3.0]}, ceiling=5, ceiling_at_most=5),
         "give either `ceiling`"),
        (lambda: gc.check_cagr(8.1e12, 14.7e12, 5, 0.128, start_kind="roughly"), "roughly"),
        (lambda: gc.fit({"ds": ["2024", "2025"], "y": [1.0, 2.0]}).png(until="2026-12-31", width=0),
         "chart (PNG bytes): size 0x720 is outside 100..=10000 pixels"),
        (lambda: gc.fit({"ds": ["2024", "2025"], "y": [1.0, 2.0]})._inner.chart("gif"), "chart format `gif`: choose png or svg"),
    ],
)
def test_errors_raise_with_the_message(call, message):
    with pytest.raises(gc.GrowthcastError) as e:
        call()
    assert message in str(e.value)


def test_library_messages_are_unchanged():
    # The message is the library's Display, not a Python rewording: compare with the tool.
    tool = subprocess.run(
        [str(ROOT / "target/debug/growthcast"), "cagr", "100", "0", "--years", "2"],
        cwd=ROOT, capture_output=True, text=True,
    )
    with pytest.raises(gc.GrowthcastError) as e:
        gc.cagr(100, 0, 2)
    assert tool.stderr.strip() == "error: " + str(e.value)


def test_a_failing_series_of_a_batch_is_a_row_not_an_exception():
    t = np.arange(6, dtype=float)
    df = pd.DataFrame({
        "series": ["good"] * 6 + ["bad"] * 6,
        "time": np.r_[t, t],
        "y": np.r_[2.0 ** t, [1.0, 2.0, -1.0, 4.0, 5.0, 6.0]],
    })
    out = gc.batch_fit(df, "exponential")
    good, bad = out.set_index("series").loc["good"], out.set_index("series").loc["bad"]
    assert good.converged and pd.isna(good.error)
    assert not bad.converged and np.isnan(bad.r)
    with pytest.raises(gc.GrowthcastError) as e:
        gc.fit(df, "exponential", name="bad")
    assert bad.error == str(e.value)
