"""Comparisons through the bindings equal `growthcast compare` (JSON and CSV) on the bundled data."""

import json

import numpy as np
import pandas as pd
import pytest

import growthcast as gc

CASES = [
    ("tokens_daily", [], {}),
    ("genai_users", ["--ceiling-at-most", "1.41e9"], {"ceiling_at_most": 1.41e9}),
    ("genai_users", ["--ceiling", "1.41e9"], {"ceiling": 1.41e9}),
    ("enterprises_llm", [], {}),
]


@pytest.mark.parametrize("name,flags,kwargs", CASES)
def test_compare_equals_the_tool(cli, data_dir, tmp_path, name, flags, kwargs):
    csv = tmp_path / "c.csv"
    ref = cli("compare", f"data/{name}.csv", *flags, "--json", "--csv", str(csv))
    # The tool names a known ceiling by its value written `{:.4e}`; so does the binding.
    c = gc.compare(gc.read_csv(data_dir / f"{name}.csv"), until="2030-12-31", **kwargs)
    mine = c.to_dict()
    for key in ("series", "criterion", "ranking", "failed", "notes", "recommended"):
        assert mine[key] == ref[key], key
    want = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    got = c.projections
    assert list(got.columns) == list(want.columns)
    assert list(got.model) == list(want.model)
    for col in ("t", "yhat", "yhat_lower", "yhat_upper", "conf_lower", "conf_upper"):
        np.testing.assert_array_equal(got[col].to_numpy(float), want[col].to_numpy(float), col)
    rec = c.recommended
    assert (rec.model == "recommended").all() and rec.method.eq("envelope").all()
    assert rec.yhat.tolist() == got[got.model == "recommended"].yhat.tolist()


def test_ranking_fits_repr_and_chart(data_dir):
    c = gc.compare(gc.read_csv(data_dir / "genai_users.csv"), ceiling_at_most=1.41e9,
                   ceiling_name="population 1.41e9")
    r = c.ranking
    assert tuple(r.columns) == gc._api.RANKING_COLUMNS
    assert r.delta.iloc[0] == 0.0 and (r.delta.diff().dropna() >= 0).all()
    assert abs(r.weight.sum() - 1.0) < 1e-12
    assert set(c.fits) >= {"exponential", "logistic, K ≤ population 1.41e9"}
    assert "gompertz" in c.failed and "did not converge" in c.failed["gompertz"]
    text = repr(c)
    assert text.startswith("model comparison for `genai_users`") and "recommended projection" in text
    rec = c.recommendation
    assert rec["known_ceiling"]["value"] == 1.41e9
    assert rec["statement"] in text
    # The band stops at the known bound.
    assert c.recommended.conf_upper.max() <= 1.41e9
    assert c.png(width=600, height=360)[:4] == b"\x89PNG"
    assert "<svg" in c.svg()
    # The same record as `growthcast compare --json` (`compare::Summary`).
    out = json.loads(c.to_json())
    assert out["series"] == "genai_users"
    assert set(out) == {"series", "criterion", "ranking", "failed", "notes", "recommended", "averaged"}
    assert out["recommended"]["statement"] == rec["statement"]
