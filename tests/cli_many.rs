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
        "series,unit,ds,t,time_unit,best,point,trusted,members,yhat,conf_lower,conf_upper,\
         yhat_lower,yhat_upper,level,error"
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
}
