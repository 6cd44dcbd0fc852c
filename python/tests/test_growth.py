"""CAGR and claim checks: closed forms, the tool's verdicts, and the bundled claims."""

import math

import pandas as pd
import pytest

import growthcast as gc


def test_cagr_closed_forms():
    assert gc.cagr(100, 121, 2) == pytest.approx(0.1, rel=1e-14)
    assert gc.doubling_time(1.0) == pytest.approx(1.0, rel=1e-14)
    assert gc.implied_rate(140e9, 2024, 400e9, 2030) == pytest.approx((400 / 140) ** (1 / 6) - 1, rel=1e-14)
    t0, t1 = gc.parse_date("2020-01-01"), gc.parse_date("2025-01-01")
    assert gc._core.cagr_between("2020-01-01", 8.1e12, "2025-01-01", 14.7e12) == pytest.approx(
        (14.7 / 8.1) ** (1 / (t1 - t0)) - 1, rel=1e-14
    )


def test_cagr_of_each_series_of_a_frame(data_dir):
    d = pd.concat([gc.read_csv(data_dir / f"{n}.csv") for n in ("tokens_daily", "genai_users")])
    out = gc.cagr(d).set_index("series")
    u = out.loc["genai_users"]
    assert (u.start, u.end) == (2.3e8, 6.02e8)
    assert u.cagr == pytest.approx(math.pow(6.02e8 / 2.3e8, 1 / u.years) - 1, rel=1e-14)
    assert u.years == pytest.approx(1.5, abs=0.01)


@pytest.mark.parametrize(
    "check,args,flags",
    [
        (gc.check_cagr, (8.1e12, 14.7e12, 5.0, 0.128), ["8.1e12", "14.7e12", "--years", "5", "--claim-rate", "0.128"]),
        (gc.check_multiple, (1e11, 3e13, 300.0), ["1e11", "3e13", "--years", "1.5", "--claim-multiple", "300"]),
        (gc.check_increase, (1e14, 1.4e14, 0.4), ["1e14", "1.4e14", "--years", "0.25", "--claim-increase", "0.4"]),
    ],
)
@pytest.mark.parametrize("kinds", [("exact", "exact", "exact"), ("about", "at_least", "exact"), ("exact", "at_least", "at_least")])
def test_claims_equal_the_tool(cli, check, args, flags, kinds):
    sk, ek, ck = kinds
    ref = cli("cagr", *flags, "--start-kind", sk, "--end-kind", ek, "--claim-kind", ck, "--json")
    c = check(*args, start_kind=sk, end_kind=ek, claimed_kind=ck)
    assert c.to_dict() == ref["checks"][0]
    assert c.verdict == ref["checks"][0]["verdict"]
    assert c.plausible == (c.verdict != "contradicted")


def test_the_bundled_claims(data_dir):
    claims = pd.read_csv(data_dir / "claims.csv")
    data = pd.concat([gc.read_csv(data_dir / f"{n}.csv") for n in claims.series.unique()])
    out = gc.check_claims(claims, data)
    assert len(out) == len(claims)
    cagr = out[out.kind == "cagr"].iloc[0]
    # "CAGR 12.8%" from about 8.1e12 to more than 14.7e12: allowed by the wording (README).
    assert cagr.verdict == "allowed_by_wording"
    tokens = out[(out.series == "tokens_daily") & (out.kind == "multiple")]
    assert (tokens.verdict != "contradicted").all()
    assert out.explanation.str.len().min() > 20
