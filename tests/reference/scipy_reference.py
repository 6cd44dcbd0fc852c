#!/usr/bin/env python3
"""Independent SciPy reference values for the Rust curve-fitting tests.

Generated with:
    Python 3.11.7, numpy 2.4.6, scipy 1.17.1
(the versions actually used are also printed at run time and stored in the JSON
under "meta").

How to run (from the repository root):
    python3 -m venv .venv && .venv/bin/pip install numpy scipy
    .venv/bin/python tests/reference/scipy_reference.py

The script prints every reference number and writes
tests/reference/scipy_reference.json (next to this file). All floats, both
printed and in the JSON, are written with 17 significant digits ("%.17g"),
which round-trips IEEE-754 doubles exactly.

What it does
------------
1. Generates four synthetic data sets with
   ``rng = np.random.default_rng(20261123)`` (draws in the order D_exp, D_log,
   D_gom, D_lin) and embeds the resulting t/y arrays in the JSON so the Rust
   tests can hard-code them.
2. Fits nine cases with ``scipy.optimize.curve_fit(method="lm",
   jac=<analytic>, xtol=1e-14, ftol=1e-14, gtol=0, maxfev=100000,
   absolute_sigma=False)``.
   "multiplicative" cases fit log f(t) to log y (residual log y - log f).
3. For each case records popt, perr = sqrt(diag(pcov)), pcov, rss (weighted by
   1/sigma^2 when weighted, in the fitted space), dof = n - p,
   residual_sd = sqrt(rss/dof), r_squared = 1 - rss/tss (tss about the
   (weighted) mean in the fitted space), and loglik/aic/aicc/bic following R's
   ``logLik.nls`` convention:
       loglik = -n/2*(log(2*pi) + 1 - log(n) - sum(log w)/n + log(rss_w))
       aic  = -2*loglik + 2*(p+1)
       aicc = aic + 2*(p+1)*(p+2)/(n-p-2)
       bic  = -2*loglik + (p+1)*log(n)
   (w = 1/sigma^2, or 1 when unweighted; p = number of free parameters).
   For multiplicative cases these are in log space (the Jacobian term
   -sum(log y) is NOT included, matching R's nls on log(y) ~ log(f)).
4. For selected cases computes projections at t = 2020.5, 2024.0, 2030.0:
   f, gradient g of f w.r.t. the free parameters, se_fit = sqrt(g' pcov g),
   q = t.ppf(0.975, dof), and
     additive:       conf = f -/+ q*se_fit,  pred = f -/+ q*sqrt(se_fit^2 + s2)
     multiplicative: se_log = se_fit/f,
                     conf = exp(log f -/+ q*se_log),
                     pred = exp(log f -/+ q*sqrt(se_log^2 + s2))
   with s2 = rss/dof.
5. Sanity checks: each fit is restarted from its optimum (must not move),
   cross-checked against scipy.optimize.least_squares(method="trf"), and
   compared loosely with the generating parameter values. The remaining
   Gauss-Newton step at popt is recorded under "checks": popt is pinned down
   to roughly 1e-9 relative (the rss is flat to second order, so ftol stops
   LM there); Rust comparisons of popt/perr should use rtol ~1e-6.
"""

import json
import math
import os
import platform
import sys

import numpy as np
import scipy
from scipy import optimize, stats

T0 = 2018.0
SEED = 20261123
PROJ_T = np.array([2020.5, 2024.0, 2030.0])
FIT_KW = dict(method="lm", xtol=1e-14, ftol=1e-14, gtol=0.0, maxfev=100000)
OUT_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy_reference.json")


def fmt(x):
    """17 significant digits."""
    return "%.17g" % x


# ---------------------------------------------------------------------------
# Models: value f(t, *p) and analytic Jacobian df/dp (shape n x p), plus the
# log-space versions log f and d(log f)/dp.
# ---------------------------------------------------------------------------

def exp_f(t, y0, r):
    return y0 * np.exp(r * (t - T0))


def exp_jac(t, y0, r):
    e = np.exp(r * (t - T0))
    return np.column_stack([e, y0 * (t - T0) * e])


def exp_logf(t, y0, r):
    return np.log(y0) + r * (t - T0)


def exp_logjac(t, y0, r):
    t = np.asarray(t, dtype=float)
    return np.column_stack([np.full_like(t, 1.0 / y0), t - T0])


def logis_f(t, K, r, tm):
    return K / (1.0 + np.exp(-r * (t - tm)))


def logis_jac(t, K, r, tm):
    e = np.exp(-r * (t - tm))
    d = 1.0 + e
    return np.column_stack([1.0 / d, K * e * (t - tm) / d**2, -K * e * r / d**2])


def logis_logf(t, K, r, tm):
    return np.log(K) - np.log1p(np.exp(-r * (t - tm)))


def logis_logjac(t, K, r, tm):
    t = np.asarray(t, dtype=float)
    e = np.exp(-r * (t - tm))
    d = 1.0 + e
    return np.column_stack([np.full_like(t, 1.0 / K), e * (t - tm) / d, -e * r / d])


def gomp_f(t, K, r, tm):
    return K * np.exp(-np.exp(-r * (t - tm)))


def gomp_jac(t, K, r, tm):
    u = np.exp(-r * (t - tm))
    g = np.exp(-u)
    return np.column_stack([g, K * g * u * (t - tm), -K * g * u * r])


def gomp_logf(t, K, r, tm):
    return np.log(K) - np.exp(-r * (t - tm))


def gomp_logjac(t, K, r, tm):
    t = np.asarray(t, dtype=float)
    u = np.exp(-r * (t - tm))
    return np.column_stack([np.full_like(t, 1.0 / K), u * (t - tm), -u * r])


def lin_f(t, a, b):
    return a + b * (t - T0)


def lin_jac(t, a, b):
    t = np.asarray(t, dtype=float)
    return np.column_stack([np.ones_like(t), t - T0])


K_FIXED = 1000.0


def logisK_f(t, r, tm):
    return logis_f(t, K_FIXED, r, tm)


def logisK_jac(t, r, tm):
    return logis_jac(t, K_FIXED, r, tm)[:, 1:]


def logisK_logf(t, r, tm):
    return logis_logf(t, K_FIXED, r, tm)


def logisK_logjac(t, r, tm):
    return logis_logjac(t, K_FIXED, r, tm)[:, 1:]


MODELS = {
    "exponential": dict(f=exp_f, jac=exp_jac, logf=exp_logf, logjac=exp_logjac,
                        params=["y0", "r"], fixed={"T0": T0}),
    "logistic": dict(f=logis_f, jac=logis_jac, logf=logis_logf, logjac=logis_logjac,
                     params=["K", "r", "tm"], fixed={}),
    "gompertz": dict(f=gomp_f, jac=gomp_jac, logf=gomp_logf, logjac=gomp_logjac,
                     params=["K", "r", "tm"], fixed={}),
    "linear": dict(f=lin_f, jac=lin_jac, logf=None, logjac=None,
                   params=["a", "b"], fixed={"T0": T0}),
    "logistic_fixed_K": dict(f=logisK_f, jac=logisK_jac, logf=logisK_logf,
                             logjac=logisK_logjac, params=["r", "tm"],
                             fixed={"K": K_FIXED}),
}


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def make_data():
    rng = np.random.default_rng(SEED)
    t_exp = np.arange(2018, 2026, dtype=float)
    y_exp = 3.0 * np.exp(0.35 * (t_exp - 2018.0)) * (1.0 + 0.03 * rng.standard_normal(8))

    t_log = np.arange(2010, 2022, dtype=float)
    y_log_true = 1000.0 / (1.0 + np.exp(-0.9 * (t_log - 2015.5)))
    y_log = y_log_true * (1.0 + 0.03 * rng.standard_normal(12))

    t_gom = np.arange(2010, 2022, dtype=float)
    y_gom = 500.0 * np.exp(-np.exp(-0.6 * (t_gom - 2014.0))) * (1.0 + 0.03 * rng.standard_normal(12))

    t_lin = np.arange(2018, 2026, dtype=float)
    y_lin = 10.0 + 2.5 * (t_lin - 2018.0) + 0.4 * rng.standard_normal(8)

    sigma_log = 0.02 * y_log_true + 1.0

    return {
        "D_exp": dict(t=t_exp, y=y_exp, truth={"y0": 3.0, "r": 0.35}),
        "D_log": dict(t=t_log, y=y_log, truth={"K": 1000.0, "r": 0.9, "tm": 2015.5},
                      sigma=sigma_log),
        "D_gom": dict(t=t_gom, y=y_gom, truth={"K": 500.0, "r": 0.6, "tm": 2014.0}),
        "D_lin": dict(t=t_lin, y=y_lin, truth={"a": 10.0, "b": 2.5}),
    }


CASES = [
    # name, model, data, error, weighted, start, project
    ("exp_additive", "exponential", "D_exp", "additive", False, [1.0, 0.1], True),
    ("exp_multiplicative", "exponential", "D_exp", "multiplicative", False, [1.0, 0.1], True),
    ("logistic_additive", "logistic", "D_log", "additive", False, [1100.0, 1.0, 2015.0], True),
    ("logistic_multiplicative", "logistic", "D_log", "multiplicative", False, [1100.0, 1.0, 2015.0], True),
    ("logistic_weighted", "logistic", "D_log", "additive", True, [1100.0, 1.0, 2015.0], False),
    ("gompertz_additive", "gompertz", "D_gom", "additive", False, [550.0, 0.5, 2014.0], False),
    ("gompertz_multiplicative", "gompertz", "D_gom", "multiplicative", False, [550.0, 0.5, 2014.0], False),
    ("linear_additive", "linear", "D_lin", "additive", False, [1.0, 1.0], False),
    ("logistic_fixed_K", "logistic_fixed_K", "D_log", "additive", False, [1.0, 2015.0], True),
]


# ---------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------

def do_fit(fun, jac, t, yfit, p0, sigma):
    popt, pcov, info, mesg, ier = optimize.curve_fit(
        fun, t, yfit, p0=p0, jac=lambda tt, *p: jac(tt, *p), sigma=sigma,
        absolute_sigma=False, full_output=True, **FIT_KW)
    return popt, pcov, info, mesg, ier


def fit_case(name, model_name, data, error, weighted, start, project):
    m = MODELS[model_name]
    t, y = data["t"], data["y"]
    n = len(t)
    p = len(start)
    if error == "multiplicative":
        fun, jac, yfit = m["logf"], m["logjac"], np.log(y)
    else:
        fun, jac, yfit = m["f"], m["jac"], y
    sigma = data["sigma"] if weighted else None
    w = 1.0 / sigma**2 if weighted else np.ones(n)

    popt, pcov, info, mesg, ier = do_fit(fun, jac, t, yfit, start, sigma)
    assert ier in (1, 2, 3, 4), (name, ier, mesg)

    # --- sanity: restart from the optimum must not move
    popt2, pcov2, _, _, ier2 = do_fit(fun, jac, t, yfit, popt, sigma)
    assert ier2 in (1, 2, 3, 4)
    moved = np.max(np.abs(popt2 - popt) / np.maximum(np.abs(popt), 1e-300))
    assert moved < 1e-10, (name, "restart moved", moved)

    # --- sanity: independent optimiser (TRF) agrees
    sw = np.sqrt(w)
    ls = optimize.least_squares(lambda q: sw * (yfit - fun(t, *q)), start,
                                jac=lambda q: -sw[:, None] * jac(t, *q),
                                method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15,
                                max_nfev=100000)
    trf_diff = np.max(np.abs(ls.x - popt) / np.abs(popt))
    assert trf_diff < 1e-7, (name, "TRF disagrees", ls.x, popt)

    # --- sanity: analytic Jacobian vs central differences at the optimum
    Jn = np.empty((n, p))
    for k in range(p):
        h = 1e-7 * max(abs(popt[k]), 1.0)
        up, dn = popt.copy(), popt.copy()
        up[k] += h
        dn[k] -= h
        Jn[:, k] = (fun(t, *up) - fun(t, *dn)) / (2 * h)
    Ja = jac(t, *popt)
    jac_err = np.max(np.abs(Ja - Jn) / (np.abs(Ja) + 1e-8 * np.max(np.abs(Ja))))
    assert jac_err < 1e-5, (name, "jacobian mismatch", jac_err)

    # --- statistics
    resid = yfit - fun(t, *popt)
    rss = float(np.sum(w * resid**2))
    dof = n - p
    s2 = rss / dof
    ybar = np.sum(w * yfit) / np.sum(w)
    tss = float(np.sum(w * (yfit - ybar) ** 2))
    r2 = 1.0 - rss / tss
    loglik = -n / 2.0 * (math.log(2 * math.pi) + 1.0 - math.log(n)
                         - float(np.sum(np.log(w))) / n + math.log(rss))
    aic = -2.0 * loglik + 2.0 * (p + 1)
    aicc = aic + 2.0 * (p + 1) * (p + 2) / (n - p - 2)
    bic = -2.0 * loglik + (p + 1) * math.log(n)
    perr = np.sqrt(np.diag(pcov))

    # pcov must equal s2 * inv(J' W J) (absolute_sigma=False)
    Jw = sw[:, None] * jac(t, *popt)
    pcov_check = s2 * np.linalg.inv(Jw.T @ Jw)
    assert np.allclose(pcov, pcov_check, rtol=1e-8, atol=0), (name, "pcov check")

    # Remaining Gauss-Newton step at the optimum: how well popt is pinned down
    # beyond what the rss (flat to 2nd order) can resolve in floating point.
    r_w = sw * resid
    gn_step = np.linalg.lstsq(Jw, r_w, rcond=None)[0]

    truth = data["truth"]
    true_vec = np.array([truth[k] for k in m["params"]])
    rel_to_truth = np.abs(popt - true_vec) / np.abs(true_vec)

    out = {
        "model": model_name,
        "data": None,  # filled by caller
        "error": error,
        "weighted": weighted,
        "param_names": m["params"],
        "fixed": m["fixed"],
        "start": list(map(float, start)),
        "popt": popt.tolist(),
        "perr": perr.tolist(),
        "pcov": pcov.tolist(),
        "n": n,
        "p": p,
        "dof": dof,
        "rss": rss,
        "s2": s2,
        "residual_sd": math.sqrt(s2),
        "tss": tss,
        "r_squared": r2,
        "loglik": loglik,
        "aic": aic,
        "aicc": aicc,
        "bic": bic,
        "t975": float(stats.t.ppf(0.975, dof)),
        "t95": float(stats.t.ppf(0.95, dof)),
        "nfev": int(info["nfev"]),
        "ier": int(ier),
        "fitted": fun(t, *popt).tolist(),
        "residuals": resid.tolist(),
        "checks": {
            "restart_max_rel_move": float(moved),
            "trf_max_rel_diff": float(trf_diff),
            "jacobian_max_rel_err_vs_fd": float(jac_err),
            "gauss_newton_step_max_rel": float(np.max(np.abs(gn_step / popt))),
            "gauss_newton_step_max_over_perr": float(np.max(np.abs(gn_step) / perr)),
            "max_rel_diff_to_truth": float(np.max(rel_to_truth)),
        },
    }

    if project:
        q = out["t975"]
        f = m["f"](PROJ_T, *popt)
        g = m["jac"](PROJ_T, *popt)
        se_fit = np.sqrt(np.einsum("ij,jk,ik->i", g, pcov, g))
        proj = {"t": PROJ_T.tolist(), "f": f.tolist(), "grad": g.tolist(),
                "se_fit": se_fit.tolist(), "q": q, "s2": s2}
        if error == "additive":
            proj["conf_lower"] = (f - q * se_fit).tolist()
            proj["conf_upper"] = (f + q * se_fit).tolist()
            sp = np.sqrt(se_fit**2 + s2)
            proj["pred_lower"] = (f - q * sp).tolist()
            proj["pred_upper"] = (f + q * sp).tolist()
        else:
            se_log = se_fit / f
            # cross-check: se_log equals sqrt(gl' pcov gl) with gl = d(log f)/dp
            gl = m["logjac"](PROJ_T, *popt)
            se_log2 = np.sqrt(np.einsum("ij,jk,ik->i", gl, pcov, gl))
            assert np.allclose(se_log, se_log2, rtol=1e-12), (name, "se_log check")
            lf = np.log(f)
            proj["se_log"] = se_log.tolist()
            proj["conf_lower"] = np.exp(lf - q * se_log).tolist()
            proj["conf_upper"] = np.exp(lf + q * se_log).tolist()
            sp = np.sqrt(se_log**2 + s2)
            proj["pred_lower"] = np.exp(lf - q * sp).tolist()
            proj["pred_upper"] = np.exp(lf + q * sp).tolist()
        out["projection"] = proj
    return out


# ---------------------------------------------------------------------------
# Output helpers: JSON with every float as %.17g
# ---------------------------------------------------------------------------

def to_json(obj, indent=0):
    sp = "  " * indent
    sp1 = "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{sp1}{json.dumps(str(k))}: {to_json(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp + "}"
    if isinstance(obj, (list, tuple, np.ndarray)):
        obj = list(obj)
        if all(isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool)
               for v in obj):
            return "[" + ", ".join(to_json(v) for v in obj) + "]"
        if not obj:
            return "[]"
        return "[\n" + ",\n".join(sp1 + to_json(v, indent + 1) for v in obj) + "\n" + sp + "]"
    if isinstance(obj, bool) or obj is None:
        return json.dumps(obj)
    if isinstance(obj, (int, np.integer)):
        return str(int(obj))
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if not math.isfinite(x):
            raise ValueError("non-finite float in output")
        return fmt(x)
    return json.dumps(obj)


def print_tree(prefix, obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            print_tree(f"{prefix}.{k}" if prefix else k, v)
    elif isinstance(obj, list) and obj and isinstance(obj[0], list):
        for i, row in enumerate(obj):
            print_tree(f"{prefix}[{i}]", row)
    elif isinstance(obj, list):
        print(f"{prefix} = [" + ", ".join(
            fmt(v) if isinstance(v, float) else json.dumps(v) for v in obj) + "]")
    elif isinstance(obj, float):
        print(f"{prefix} = {fmt(obj)}")
    else:
        print(f"{prefix} = {json.dumps(obj)}")


def main():
    versions = {"python": platform.python_version(), "numpy": np.__version__,
                "scipy": scipy.__version__}
    print("python", versions["python"], "numpy", versions["numpy"], "scipy", versions["scipy"])

    datasets = make_data()
    results = {}
    for name, model, dname, error, weighted, start, project in CASES:
        res = fit_case(name, model, datasets[dname], error, weighted, start, project)
        res["data"] = dname
        results[name] = res

    data_out = {}
    for dname, d in datasets.items():
        entry = {"t": d["t"].tolist(), "y": d["y"].tolist(), "truth": d["truth"]}
        if "sigma" in d:
            entry["sigma"] = d["sigma"].tolist()
        data_out[dname] = entry

    dofs = sorted({r["dof"] for r in results.values()})
    tq = {str(df): {"t975": float(stats.t.ppf(0.975, df)), "t95": float(stats.t.ppf(0.95, df))}
          for df in dofs}

    doc = {
        "meta": {
            "generator": "tests/reference/scipy_reference.py",
            "versions": versions,
            "seed": SEED,
            "rng": "numpy.random.default_rng(seed).standard_normal, draw order D_exp(8), D_log(12), D_gom(12), D_lin(8)",
            "T0": T0,
            "curve_fit": "method='lm', analytic jac, xtol=1e-14, ftol=1e-14, gtol=0, maxfev=100000, absolute_sigma=False",
            "multiplicative": "fit log f to log y; rss/tss/loglik/aic in log space",
            "weighted": "sigma given; w = 1/sigma^2; rss = sum(w*r^2); tss about weighted mean",
            "loglik": "-n/2*(log(2*pi) + 1 - log(n) - sum(log w)/n + log(rss_w))  (R logLik.nls)",
            "aic": "-2*loglik + 2*(p+1); aicc = aic + 2*(p+1)*(p+2)/(n-p-2); bic = -2*loglik + (p+1)*log(n)",
            "projection": "additive: f -/+ q*se_fit, f -/+ q*sqrt(se_fit^2+s2); multiplicative: exp(log f -/+ q*se_fit/f), exp(log f -/+ q*sqrt((se_fit/f)^2+s2)); q = t.ppf(0.975, dof)",
            "float_format": "%.17g",
        },
        "data": data_out,
        "t_quantiles": tq,
        "cases": results,
    }

    print_tree("", {"data": data_out, "t_quantiles": tq, "cases": results})

    with open(OUT_JSON, "w") as fh:
        fh.write(to_json(doc) + "\n")
    # round-trip check: the JSON parses and reproduces the doubles exactly
    with open(OUT_JSON) as fh:
        back = json.load(fh)
    for name, r in results.items():
        assert back["cases"][name]["popt"] == r["popt"]
    for dname, d in data_out.items():
        assert back["data"][dname]["y"] == d["y"]
    print(f"wrote {OUT_JSON}", file=sys.stderr)


if __name__ == "__main__":
    main()
