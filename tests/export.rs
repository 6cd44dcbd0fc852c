//! The notebook files, read back: the tidy projections CSV and the parameters CSV have the
//! documented columns, one row per (series, model, date) or (series, model, parameter), and
//! values everywhere they exist; fits serialise to JSON with NaN as null.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use growthcast::export::{self, ProjectionRow};
use growthcast::time::{self, format_date, parse_date};
use growthcast::{io, Exponential, Fit, Fitter, Linear, Logistic, Series};

const PROJECTION_COLUMNS: [&str; 17] = [
    "series",
    "unit",
    "model",
    "ds",
    "t",
    "time_unit",
    "y",
    "kind",
    "yhat",
    "yhat_lower",
    "yhat_upper",
    "conf_lower",
    "conf_upper",
    "level",
    "is_projection",
    "beyond_span",
    "method",
];

const PARAMETER_COLUMNS: [&str; 13] = [
    "series",
    "model",
    "parameter",
    "unit",
    "estimate",
    "std_error",
    "lower",
    "upper",
    "level",
    "fixed",
    "identified",
    "warnings",
    "method",
];

fn tmp(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-export");
    std::fs::create_dir_all(&dir).unwrap();
    // No file from an earlier run can stand in for one this run failed to write.
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn data(name: &str) -> Series {
    io::read_series(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name),
    )
    .unwrap()
}

/// Fits with degrees of freedom (tokens, users) and without (digital economy, two points).
fn fits() -> Vec<(String, Series, Fit)> {
    let tokens = data("tokens_daily.csv");
    let users = data("genai_users.csv");
    let size = data("digital_economy_size.csv");
    vec![
        (
            "exponential".into(),
            tokens.clone(),
            tokens.fit(Exponential::new()).unwrap(),
        ),
        (
            "linear".into(),
            tokens.clone(),
            tokens.fit(Linear::new()).unwrap(),
        ),
        (
            "logistic, K = 1.41e9".into(),
            users.clone(),
            Fitter::new(Logistic).fix("K", 1.41e9).fit(&users).unwrap(),
        ),
        (
            "exponential".into(),
            size.clone(),
            size.fit(Exponential::new()).unwrap(),
        ),
    ]
}

fn read(path: &PathBuf) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn projections_csv_reads_back_complete() {
    let horizon = parse_date("2030-12-31").unwrap();
    let fits = fits();
    let mut rows = Vec::new();
    for (label, _, fit) in &fits {
        let projection = fit.project(&export::csv_grid(fit, horizon));
        rows.extend(export::projection_rows(label, fit, &projection));
    }
    let path = tmp("projections.csv");
    export::write_projections(&path, &rows).unwrap();
    let (header, back) = read(&path);
    assert_eq!(header, PROJECTION_COLUMNS);
    assert_eq!(back.len(), rows.len());
    assert!(back.iter().any(|r| r["method"] == "bootstrap"), "{back:?}");

    for (label, series, fit) in &fits {
        let mine: Vec<&BTreeMap<String, String>> = back
            .iter()
            .filter(|r| r["series"] == series.name() && r["model"] == *label)
            .collect();
        // One row per date: the observations, the first of every month after the first
        // observation up to the horizon, and the horizon.
        let first = series.observations()[0].t;
        let last = series.observations().last().unwrap().t;
        let mut dates: BTreeSet<String> = series.times().iter().map(|&t| format_date(t)).collect();
        dates.extend(
            export::monthly_grid(first, horizon)
                .into_iter()
                .map(format_date),
        );
        dates.extend(time::year_ends(last, horizon).into_iter().map(format_date));
        dates.insert(format_date(horizon));
        assert_eq!(mine.len(), dates.len(), "{label} on {}", series.name());
        let got: BTreeSet<String> = mine.iter().map(|r| r["ds"].clone()).collect();
        assert_eq!(got, dates);

        // Observed values exactly where there are observations, with their kinds.
        let observed: Vec<_> = mine.iter().filter(|r| !r["y"].is_empty()).collect();
        assert_eq!(observed.len(), series.len());
        for (r, o) in observed.iter().zip(series.observations()) {
            assert_eq!(r["y"].parse::<f64>().unwrap(), o.value);
            assert_eq!(r["kind"], o.kind.as_str());
            assert_eq!(r["ds"], format_date(o.t));
        }
        let has_bands = fit.dof() > 0;
        for r in &mine {
            assert_eq!(r["y"].is_empty(), r["kind"].is_empty());
            for c in [
                "series",
                "model",
                "ds",
                "t",
                "yhat",
                "level",
                "is_projection",
            ] {
                assert!(!r[c].is_empty(), "{c} missing in {r:?}");
            }
            assert_eq!(r["unit"], series.unit());
            // ds and t agree, and t is a decimal year.
            let t: f64 = r["t"].parse().unwrap();
            assert_eq!(format_date(t), r["ds"]);
            assert_eq!(r["is_projection"] == "true", t > last + 1e-9);
            // Bands exist exactly when the fit has degrees of freedom, and bracket yhat.
            for c in ["yhat_lower", "yhat_upper", "conf_lower", "conf_upper"] {
                assert_eq!(!r[c].is_empty(), has_bands, "{c} in {r:?}");
            }
            if has_bands {
                let v = |c: &str| r[c].parse::<f64>().unwrap();
                assert!(v("yhat_lower") <= v("conf_lower") && v("conf_lower") <= v("yhat"));
                assert!(v("yhat") <= v("conf_upper") && v("conf_upper") <= v("yhat_upper"));
            }
        }
    }

    // serde reads the same file back into the same rows.
    let mut r = csv::Reader::from_path(&path).unwrap();
    let typed: Vec<ProjectionRow> = r.deserialize().map(Result::unwrap).collect();
    assert_eq!(typed.len(), rows.len());
    for (a, b) in typed.iter().zip(&rows) {
        assert_eq!(a.ds, b.ds);
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.is_projection, b.is_projection);
        assert_eq!(a.y, b.y);
        let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * y.abs(),
            (None, None) => true,
            _ => false,
        };
        assert!(close(a.yhat, b.yhat) && close(a.yhat_upper, b.yhat_upper));
    }
}

#[test]
fn parameters_csv_reads_back() {
    let fits = fits();
    let mut rows = Vec::new();
    for (label, _, fit) in &fits {
        rows.extend(export::parameter_rows(label, fit));
    }
    let path = tmp("parameters.csv");
    export::write_parameters(&path, &rows).unwrap();
    let (header, back) = read(&path);
    assert_eq!(header, PARAMETER_COLUMNS);
    let expected: usize = fits.iter().map(|(_, _, f)| f.params().len()).sum();
    assert_eq!(back.len(), expected);
    // Each row says how its interval was made (profile likelihood by default).
    assert!(back.iter().any(|r| r["method"] == "profile"), "{back:?}");
    let mut i = 0;
    for (label, series, fit) in &fits {
        for p in fit.params() {
            let r = &back[i];
            i += 1;
            assert_eq!(r["series"], series.name());
            assert_eq!(r["model"], *label);
            assert_eq!(r["parameter"], p.name);
            assert_eq!(r["estimate"].parse::<f64>().unwrap(), p.estimate);
            assert_eq!(r["fixed"], p.fixed.to_string());
            assert_eq!(r["identified"], fit.is_identified().to_string());
            assert_eq!(r["std_error"].is_empty(), p.std_error.is_nan(), "{r:?}");
            assert_eq!(r["lower"].is_empty(), p.lower.is_nan(), "{r:?}");
            if p.fixed {
                assert_eq!(r["std_error"], "0.0");
                assert_eq!(r["lower"], r["estimate"]);
            }
            if fit.dof() == 0 {
                assert!(r["warnings"].contains("degrees of freedom"), "{r:?}");
            }
        }
    }
}

#[test]
fn fits_serialise_to_json_with_null_for_nan() {
    let fits = fits();
    let refs: Vec<(&str, &Fit)> = fits.iter().map(|(l, _, f)| (l.as_str(), f)).collect();
    let path = tmp("fits.json");
    export::write_json(&path, &refs).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), fits.len());
    for (j, (label, series, fit)) in arr.iter().zip(&fits) {
        let keys: BTreeSet<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        for k in [
            "label",
            "series",
            "unit",
            "model",
            "formula",
            "error_model",
            "level",
            "params",
            "covariance",
            "correlation",
            "rss",
            "residual_sd",
            "dof",
            "n_points",
            "r_squared",
            "log_likelihood",
            "aic",
            "aicc",
            "bic",
            "termination",
            "iterations",
            "warnings",
            "observations",
        ] {
            assert!(keys.contains(k), "missing key {k}");
        }
        assert_eq!(j["label"], label.as_str());
        assert_eq!(j["series"], series.name());
        assert_eq!(j["dof"], fit.dof());
        assert_eq!(j["error_model"], "multiplicative");
        assert_eq!(j["params"].as_array().unwrap().len(), fit.params().len());
        for (pj, p) in j["params"].as_array().unwrap().iter().zip(fit.params()) {
            assert_eq!(pj["name"], p.name.as_str());
            // serde_json's default parser may be one ulp off.
            let e = pj["estimate"].as_f64().unwrap();
            assert!(
                (e - p.estimate).abs() <= 1e-14 * p.estimate.abs(),
                "{e} vs {}",
                p.estimate
            );
            // NaN is not JSON: unknown numbers are null.
            assert_eq!(pj["std_error"].is_null(), p.std_error.is_nan());
        }
        assert_eq!(j["residual_sd"].is_null(), fit.residual_sd().is_nan());
        assert_eq!(j["observations"].as_array().unwrap().len(), series.len());
        assert_eq!(
            j["observations"][0]["kind"],
            series.observations()[0].kind.as_str()
        );
    }
    // The two-point fit really has nulls.
    assert!(arr[3]["residual_sd"].is_null());
}

#[test]
fn rows_are_drawn_from_the_projection_given_not_projected_again() {
    // Any projection becomes rows: one per point, with its values, and the observation of the
    // day where there is one (2024-12-31 here is not one of the yearly dates, so no y there).
    let (label, series, fit) = &fits()[2];
    let last = series.observations().last().unwrap().t;
    let mut times = vec![series.observations()[0].t];
    times.extend(time::year_ends(last, 2028.0));
    let p = fit.project(&times);
    let rows = export::projection_rows(label, fit, &p);
    assert_eq!(rows.len(), p.points.len());
    for (r, q) in rows.iter().zip(&p.points) {
        assert_eq!(
            (r.t, r.yhat, r.model.as_str()),
            (q.t, Some(q.value), label.as_str())
        );
        assert_eq!(r.level, p.level);
    }
    assert_eq!(rows[0].y, Some(series.observations()[0].value));
    assert!(rows[1..].iter().all(|r| r.y.is_none() && r.is_projection));
}

#[test]
fn the_model_average_goes_through_the_same_row_builder() {
    let users = data("genai_users.csv");
    let horizon = parse_date("2030-12-31").unwrap();
    let c = growthcast::compare::compare_standard(&users);
    let base = c.fit(c.ranking[0].id).unwrap();
    let grid = export::csv_grid(base, horizon);
    let avg = c.averaged(&grid).unwrap();
    let rows = export::projection_rows(&avg.model, base, &avg);
    let member = export::projection_rows("m", base, &base.project(&grid));
    assert_eq!(rows.len(), member.len());
    for (a, m) in rows.iter().zip(&member) {
        assert_eq!((&a.ds, a.y, a.kind), (&m.ds, m.y, m.kind));
        assert!(a.model.starts_with("model average"));
    }
    for (r, q) in rows.iter().zip(&avg.points) {
        assert_eq!(r.yhat, Some(q.value).filter(|v| v.is_finite()));
    }
    assert_eq!(rows.iter().filter(|r| r.y.is_some()).count(), users.len());
}
