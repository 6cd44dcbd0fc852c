//! `fit` on a long file of many series, run as a user would: every series fitted, one
//! parameters CSV with an `error` column, one projections CSV at the printed times, a summary,
//! and the exit codes (1 when none fits, 3 when some fail).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use common::{broken, cmd};

/// The documented columns of the parameters CSV.
const PARAM_COLUMNS: &str = "series,model,parameter,unit,estimate,std_error,lower,upper,level,\
fixed,identified,warnings,method,error";

/// The columns of `export::ProjectionRow`.
const PROJ_COLUMNS: &str = "series,unit,model,ds,t,time_unit,y,kind,yhat,yhat_lower,yhat_upper,\
conf_lower,conf_upper,level,is_projection,beyond_span,method";

/// A long file of `n` logistic series (days 0 to 9) with a little deterministic noise, and
/// `short` series of two points after them.
fn long_file(name: &str, n: usize, short: usize) -> PathBuf {
    let mut text = String::from("series,time,value\n");
    for i in 0..n {
        let (k, r, tm) = (
            100.0 + 37.0 * i as f64,
            0.6 + 0.01 * (i % 100) as f64,
            4.0 + (i % 7) as f64 * 0.3,
        );
        for j in 0..10 {
            let t = j as f64;
            let noise = 1.0 + 0.02 * ((i * 13 + j * 7) as f64).sin();
            let y = k / (1.0 + (-r * (t - tm)).exp()) * noise;
            text.push_str(&format!("c{i:03},{t},{y}\n"));
        }
    }
    for i in 0..short {
        text.push_str(&format!("short{i},0,5\nshort{i},1,7\n"));
    }
    broken(name, &text)
}

fn out(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-many");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn rows(path: &Path) -> (String, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header.join(","), rows)
}

#[test]
fn a_long_file_fits_every_series_and_a_failing_one_gets_its_error_row() {
    let file = long_file("many.csv", 120, 1);
    let (params, proj) = (out("many_params.csv"), out("many_proj.csv"));
    cmd()
        .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
        .args(["--model", "logistic", "--until", "14"])
        .args(["--params", params.to_str().unwrap()])
        .args(["--csv", proj.to_str().unwrap()])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "121 series, logistic model: 120 fitted, 1 failed (too few points: 1)",
        ))
        .stdout(predicate::str::contains("rate r (1/day): median"))
        .stderr(predicate::str::contains("1 of 121 series failed"));

    let (header, prows) = rows(&params);
    assert_eq!(header, PARAM_COLUMNS);
    let names: BTreeSet<&str> = prows.iter().map(|r| r["series"].as_str()).collect();
    assert_eq!(names.len(), 121, "every series has its rows");
    for i in 0..120 {
        let mine: Vec<_> = prows
            .iter()
            .filter(|r| r["series"] == format!("c{i:03}"))
            .collect();
        let ps: Vec<&str> = mine.iter().map(|r| r["parameter"].as_str()).collect();
        assert_eq!(ps, ["K", "r", "tm"], "c{i:03}");
        assert!(mine.iter().all(|r| r["error"].is_empty()));
        let r: f64 = mine[1]["estimate"].parse().unwrap();
        let want = 0.6 + 0.01 * (i % 100) as f64;
        assert!(
            (r - want).abs() < 0.05 * want,
            "c{i:03}: r = {r}, made with {want}"
        );
    }
    let short: Vec<_> = prows.iter().filter(|r| r["series"] == "short0").collect();
    assert_eq!(short.len(), 1);
    assert!(short[0]["estimate"].is_empty() && short[0]["parameter"].is_empty());
    assert!(short[0]["error"].contains("point"), "{}", short[0]["error"]);

    // Projections: only the printed times after the data (9.5 to 14 by half days), per series.
    let (header, jrows) = rows(&proj);
    assert_eq!(header, PROJ_COLUMNS);
    assert_eq!(jrows.len(), 120 * 10);
    for r in &jrows {
        let t: f64 = r["t"].parse().unwrap();
        assert!(t > 9.0 && t <= 14.0, "{t}");
        assert_eq!(r["is_projection"], "true");
        assert_eq!(r["time_unit"], "day");
    }
}

#[test]
fn each_series_gets_the_numbers_a_single_fit_gives() {
    let file = long_file("same.csv", 30, 0);
    let (all, one) = (out("same_all.csv"), out("same_one.csv"));
    let f = file.to_str().unwrap();
    let common = ["--time-unit", "day", "--model", "gompertz"];
    cmd()
        .args(["fit", f])
        .args(common)
        .args(["--params", all.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("30 fitted, 0 failed"));
    cmd()
        .args(["fit", f, "--series", "c017"])
        .args(common)
        .args(["--params", one.to_str().unwrap()])
        .assert()
        .success();
    let (_, all) = rows(&all);
    let (header, one) = rows(&one);
    assert_eq!(header, PARAM_COLUMNS, "one series: the same table");
    let mine: Vec<_> = all.iter().filter(|r| r["series"] == "c017").collect();
    assert_eq!(mine.len(), one.len());
    for (a, b) in mine.iter().zip(&one) {
        for col in [
            "parameter",
            "estimate",
            "std_error",
            "lower",
            "upper",
            "method",
        ] {
            assert_eq!(a[col], b[col], "{col}");
        }
    }
}

#[test]
fn no_series_fitted_exits_1_and_charts_are_refused() {
    let file = long_file("none.csv", 0, 3);
    let params = out("none_params.csv");
    cmd()
        .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
        .args(["--model", "logistic", "--params", params.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 fitted, 3 failed"))
        .stderr(predicate::str::contains("none of its 3 series fitted"));
    let (_, prows) = rows(&params);
    assert_eq!(prows.len(), 3);
    assert!(prows.iter().all(|r| !r["error"].is_empty()));

    let file = long_file("charts.csv", 3, 0);
    cmd()
        .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
        .args(["--png", out("x.png").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds 3 series: --png and --svg draw one series",
        ));
}

#[test]
fn the_json_summary_counts_and_gives_the_rate_quantiles() {
    let file = long_file("json.csv", 40, 2);
    let o = cmd()
        .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
        .args(["--model", "logistic", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["series"], 42);
    assert_eq!(v["fitted"], 40);
    assert_eq!(v["failures"]["too few points"], 2);
    let rate = &v["rate"];
    assert_eq!(rate["parameter"], "r");
    let (q10, med, q90) = (
        rate["q10"].as_f64().unwrap(),
        rate["median"].as_f64().unwrap(),
        rate["q90"].as_f64().unwrap(),
    );
    // The rates were made as 0.6 + 0.01 i, i = 0..39: median 0.795, deciles 0.639 and 0.951.
    assert!(q10 < med && med < q90);
    assert!((med - 0.795).abs() < 0.02, "{med}");
    assert!(
        (q10 - 0.639).abs() < 0.02 && (q90 - 0.951).abs() < 0.02,
        "{q10} {q90}"
    );
}

#[test]
fn compare_on_a_long_file_gives_each_series_its_recommendation_in_one_row() {
    let file = long_file("compare_many.csv", 12, 1);
    let csv = out("compare_many.csv");
    let _ = std::fs::remove_file(&csv);
    let assert = cmd()
        .args([
            "compare",
            file.to_str().unwrap(),
            "--time-unit",
            "day",
            "--csv",
        ])
        .arg(&csv)
        .assert()
        .code(3);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("13 series: 12 with a recommended projection, 1 without"),
        "{stdout}"
    );
    let (header, rows) = rows(&csv);
    assert_eq!(
        header,
        "series,unit,ds,t,time_unit,best,point,trusted,members,naive_weight,yhat,conf_lower,\
         conf_upper,yhat_lower,yhat_upper,level,error"
    );
    assert_eq!(rows.len(), 13, "one row per series");
    let short = rows.iter().find(|r| r["series"] == "short0").unwrap();
    assert!(short["error"].contains("degree of freedom"), "{short:?}");
    // Each row is the last point of the series' own recommendation, as `compare --series` prints.
    let one = rows.iter().find(|r| r["series"] == "c004").unwrap();
    assert!(one["error"].is_empty());
    assert_eq!(
        (one["ds"].as_str(), one["time_unit"].as_str()),
        ("14", "day")
    );
    let single = cmd()
        .args([
            "compare",
            file.to_str().unwrap(),
            "--time-unit",
            "day",
            "--series",
            "c004",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&single).unwrap();
    let last = v["recommended"]["projection"]["points"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let yhat: f64 = one["yhat"].parse().unwrap();
    assert!(
        (yhat - last["value"].as_f64().unwrap()).abs() <= 1e-9 * yhat,
        "{yhat} vs {last}"
    );
    let lo: f64 = one["conf_lower"].parse().unwrap();
    assert!((lo - last["conf_lower"].as_f64().unwrap()).abs() <= 1e-9 * lo);
    assert!(one["members"].contains(one["point"].as_str()));
    // The naive path's weight is the recommendation's (empty when its band carries no drift).
    match v["recommended"]["drift"]["persisting"].as_f64() {
        Some(w) => {
            let got: f64 = one["naive_weight"].parse().unwrap();
            assert!(
                (got - w).abs() <= 1e-12 && (0.0..=1.0).contains(&got),
                "{got} vs {w}"
            );
        }
        None => assert!(one["naive_weight"].is_empty(), "{one:?}"),
    }
}

/// The rows of `path` by (series, parameter) or (series, ds).
fn keyed(path: &Path, second: &str) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let (_, rows) = rows(path);
    rows.into_iter()
        .map(|r| ((r["series"].clone(), r[second].clone()), r))
        .collect()
}

fn num(r: &BTreeMap<String, String>, col: &str) -> f64 {
    r[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col}: `{}`", r[col]))
}

#[test]
fn fast_gives_the_estimates_and_standard_errors_of_the_full_fit_with_wald_intervals() {
    let file = long_file("fast.csv", 60, 1);
    let f = file.to_str().unwrap();
    let (full, fast) = (out("fast_full.csv"), out("fast_fast.csv"));
    let common = ["--time-unit", "day", "--model", "logistic"];
    cmd()
        .args(["fit", f, "--params", full.to_str().unwrap()])
        .args(common)
        .assert()
        .code(3);
    cmd()
        .args(["fit", f, "--fast", "--params", fast.to_str().unwrap()])
        .args(common)
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "61 series, logistic model: 60 fitted, 1 failed (too few points: 1)",
        ))
        .stdout(predicate::str::contains(
            "Wald intervals (estimate ± t·SE) from the batch path",
        ))
        .stdout(predicate::str::contains(
            "`fit` without --fast gives profile intervals",
        ));
    let (header, _) = rows(&fast);
    assert_eq!(header, PARAM_COLUMNS);
    let (full, fast) = (keyed(&full, "parameter"), keyed(&fast, "parameter"));
    assert_eq!(
        full.keys().collect::<Vec<_>>(),
        fast.keys().collect::<Vec<_>>()
    );
    // R: qt(0.975, 7) (10 points, 3 parameters).
    let q = 2.3646242515927844;
    for (key, b) in &fast {
        let a = &full[key];
        if key.0 == "short0" {
            assert!(b["estimate"].is_empty(), "{b:?}");
            assert_eq!(b["error"], a["error"], "the full fit's message");
            continue;
        }
        let (est, se) = (num(b, "estimate"), num(b, "std_error"));
        approx::assert_relative_eq!(est, num(a, "estimate"), max_relative = 1e-6);
        approx::assert_relative_eq!(se, num(a, "std_error"), max_relative = 1e-6);
        // Kept to what the parameter can take: the ceiling's on the log scale (K·exp(±q·SE/K)),
        // the rate's cut at its bound 0; the time's as the textbook has it.
        let (lo, hi) = match key.1.as_str() {
            "K" => (est * (-q * se / est).exp(), est * (q * se / est).exp()),
            "r" => ((est - q * se).max(0.0), est + q * se),
            _ => (est - q * se, est + q * se),
        };
        assert!(lo > 0.0 || key.1 == "tm", "{key:?}: {lo}");
        approx::assert_relative_eq!(num(b, "lower"), lo, max_relative = 1e-12);
        approx::assert_relative_eq!(num(b, "upper"), hi, max_relative = 1e-12);
        assert_eq!(
            (
                b["method"].as_str(),
                b["identified"].as_str(),
                b["level"].as_str()
            ),
            ("wald", "", "0.95"),
            "{key:?}"
        );
        assert_eq!(
            (a["method"].as_str(), a["unit"].as_str()),
            ("profile", b["unit"].as_str())
        );
        assert!(b["error"].is_empty());
    }
}

#[test]
fn fast_gives_the_full_fits_errors_for_replicates_and_too_few_points() {
    let file = broken(
        "fast_replicates.csv",
        "series,time,value\nrep,0,1\nrep,0,1.1\nrep,1,2\nrep,1,2.1\nshort,0,1\nshort,1,2\n",
    );
    let mut errors = Vec::new();
    for fast in [false, true] {
        let params = out(&format!("fast_replicates_{fast}.csv"));
        cmd()
            .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
            .args(["--model", "logistic", "--params", params.to_str().unwrap()])
            .args(fast.then_some("--fast"))
            .assert()
            .code(1);
        let (_, rows) = rows(&params);
        errors.push(
            rows.into_iter()
                .map(|r| r["error"].clone())
                .collect::<Vec<_>>(),
        );
    }
    assert!(errors[0][0].contains("distinct time"), "{:?}", errors[0]);
    assert!(errors[0][1].contains("usable point"), "{:?}", errors[0]);
    assert_eq!(errors[0], errors[1]);
}

#[test]
fn delta_bands_are_labelled_and_fast_projections_match_the_full_fits() {
    let file = long_file("delta.csv", 20, 0);
    let f = file.to_str().unwrap();
    let (boot, full, fast) = (out("d_boot.csv"), out("d_full.csv"), out("d_fast.csv"));
    let common = ["--time-unit", "day", "--model", "logistic", "--until", "14"];
    cmd()
        .args(["fit", f, "--csv", boot.to_str().unwrap()])
        .args(common)
        .assert()
        .success();
    cmd()
        .args([
            "fit",
            f,
            "--bands",
            "delta",
            "--csv",
            full.to_str().unwrap(),
        ])
        .args(common)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "--bands delta: the projections' bands",
        ));
    let o = cmd()
        .args(["fit", f, "--fast", "--bands", "delta", "--json"])
        .args(["--csv", fast.to_str().unwrap()])
        .args(common)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["intervals"].as_str(), v["bands"].as_str()),
        (Some("wald"), Some("delta"))
    );
    assert_eq!(v["fitted"], 20);
    let (header, _) = rows(&fast);
    assert_eq!(header, PROJ_COLUMNS);
    let (boot, full, fast) = (keyed(&boot, "ds"), keyed(&full, "ds"), keyed(&fast, "ds"));
    assert_eq!(full.len(), 20 * 10);
    assert_eq!(
        full.keys().collect::<Vec<_>>(),
        fast.keys().collect::<Vec<_>>()
    );
    for (key, b) in &fast {
        let (a, c) = (&full[key], &boot[key]);
        assert_eq!(
            (a["method"].as_str(), b["method"].as_str()),
            ("delta", "delta")
        );
        assert_eq!(c["method"], "bootstrap", "the default is unchanged");
        approx::assert_relative_eq!(num(a, "yhat"), num(c, "yhat"), max_relative = 1e-12);
        for col in [
            "yhat",
            "yhat_lower",
            "yhat_upper",
            "conf_lower",
            "conf_upper",
        ] {
            approx::assert_relative_eq!(num(b, col), num(a, col), max_relative = 1e-6);
        }
        let (lo, y, hi) = (num(b, "conf_lower"), num(b, "yhat"), num(b, "conf_upper"));
        assert!(num(b, "yhat_lower") < lo && lo < y && y < hi && hi < num(b, "yhat_upper"));
        // Multiplicative errors: the band is symmetric in ln y.
        approx::assert_relative_eq!((y / lo).ln(), (hi / y).ln(), max_relative = 1e-9);
    }
}

#[test]
fn fast_refuses_what_the_batch_path_cannot_honour() {
    let file = long_file("refuse.csv", 3, 0);
    let f = file.to_str().unwrap();
    let csv = out("refuse_proj.csv");
    let refused = |extra: &[&str], says: &str| {
        cmd()
            .args(["fit", f, "--time-unit", "day", "--model", "logistic"])
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says.to_string()));
    };
    refused(&["--fast", "--fix", "K=500"], "drop --fix K=…");
    refused(
        &["--fast", "--csv", csv.to_str().unwrap()],
        "--fast --csv needs --bands delta",
    );
    refused(
        &[
            "--fast",
            "--bands",
            "bootstrap",
            "--csv",
            csv.to_str().unwrap(),
        ],
        "add --bands delta",
    );
    refused(
        &["--bands", "delta"],
        "--bands sets the bands of the --csv projections",
    );
    refused(
        &["--fast", "--series", "c001"],
        "--fast is for a long file of many series",
    );
    // A weight (or a one-sided row) is named with its series and time.
    let weighted = broken(
        "weighted_many.csv",
        "series,time,value,weight\na,0,1,1\na,1,2,1\na,2,4,1\nb,0,1,1\nb,1,2,2\nb,2,4,1\n",
    );
    cmd()
        .args([
            "fit",
            weighted.to_str().unwrap(),
            "--time-unit",
            "day",
            "--fast",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "observation 2 of series `b` (at day 1) has weight 2",
        ));
    let sided = broken(
        "sided_many.csv",
        "series,time,value,kind\na,0,1,exact\na,1,2,exact\na,2,4,at_least\nb,0,1,exact\nb,1,2,exact\nb,2,4,exact\n",
    );
    cmd()
        .args([
            "fit",
            sided.to_str().unwrap(),
            "--time-unit",
            "day",
            "--fast",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("observation 3 of series `a`"))
        .stderr(predicate::str::contains("is one-sided"));
}
