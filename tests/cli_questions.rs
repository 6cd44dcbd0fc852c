//! The questions the command-line tool answers, run as a user would on the bundled data:
//! `when`, `cagr` (and the claims it checks), `scenario`, and the `--until` limit.

mod common;

use predicates::prelude::*;

use common::{broken, cmd, monthly};

#[test]
fn compare_when_cagr_and_scenario_answer() {
    cmd()
        .args(["compare", "data/genai_users.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cannot be told apart"));
    cmd()
        .args(["when", "data/tokens_daily.csv", "--reach", "1e15"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reached around"));
    cmd()
        .args([
            "when",
            "data/tokens_daily.csv",
            "--reach",
            "1e15",
            "--model",
            "logistic",
            "--horizon",
            "2040",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("not within the horizon"));
    cmd()
        .args([
            "cagr",
            "8.1e12",
            "14.7e12",
            "--years",
            "5",
            "--claim",
            "0.128",
            "--start-kind",
            "about",
            "--end-kind",
            "at_least",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("CAGR 12.6591%"))
        .stdout(predicate::str::contains(
            "the claim needs an end value of 1.4792e13",
        ));
    cmd()
        .args([
            "scenario",
            "--base",
            "140e9",
            "--base-year",
            "2024",
            "--targets-file",
            "data/datacenter_power_2030.csv",
            "--rate",
            "low=0.1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("ASSUMED base"))
        .stdout(predicate::str::contains(
            "medium     target 4.0000e11 by 2030: implies 19.12% a year",
        ));
}

#[test]
fn until_is_a_limit_that_text_json_and_csv_respect() {
    // Issue 12.2: `--until 2026-06` printed 2026-12-31 only, and the chart ended elsewhere.
    let file = monthly();
    let csv = broken("monthly_until.csv", "");
    let out = cmd()
        .args([
            "fit",
            file.to_str().unwrap(),
            "--until",
            "2026-06",
            "--json",
            "--csv",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = v["projection"]["points"].as_array().unwrap();
    let limit = growthcast::time::parse_date("2026-06-01").unwrap();
    let ts: Vec<f64> = points.iter().map(|p| p["t"].as_f64().unwrap()).collect();
    assert!(ts.iter().all(|&t| t <= limit + 1e-9), "{ts:?}");
    assert!(
        (ts.last().unwrap() - limit).abs() < 1e-9,
        "ends at the limit: {ts:?}"
    );
    assert!(ts.len() == 2, "2025-12-31 and 2026-06-01: {ts:?}");
    // Every printed point is a row of the CSV with the same value.
    let mut r = csv::Reader::from_path(&csv).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let last_row = rows.last().unwrap();
    assert_eq!(&last_row[col("ds")], "2026-06-01");
    for p in points {
        let t = p["t"].as_f64().unwrap();
        let row = rows
            .iter()
            .find(|r| (r[col("t")].parse::<f64>().unwrap() - t).abs() < 1e-9)
            .unwrap_or_else(|| panic!("no CSV row at {t}"));
        let yhat: f64 = row[col("yhat")].parse().unwrap();
        let want = p["value"].as_f64().unwrap();
        assert!((yhat - want).abs() <= 1e-9 * want, "{yhat} vs {want}");
    }
    // The text shows the same dates and nothing past the limit.
    cmd()
        .args(["fit", file.to_str().unwrap(), "--until", "2026-06"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-06-01"))
        .stdout(predicate::str::contains("2026-12-31").not());
    // A limit before the data's end is a usage error, not a projection dated 2020.
    cmd()
        .args(["fit", file.to_str().unwrap(), "--until", "2020"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not after the last observation"));
    // A bare year means its end, as before.
    cmd()
        .args(["fit", file.to_str().unwrap(), "--until", "2027"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2027-12-31"));
}

#[test]
fn when_a_level_was_passed_gives_the_crossing_not_the_first_date() {
    // Issue 12.1: "already reached around 2024-01-01", where the data show 1e11.
    cmd()
        .args(["when", "data/tokens_daily.csv", "--reach", "1e13"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already reached"))
        .stdout(predicate::str::contains("around 2025-"))
        .stdout(predicate::str::contains("around 2024-01-01").not());
    // A negative level needs no `=` (issue 12.10).
    cmd()
        .args([
            "when",
            "data/genai_users.csv",
            "--model",
            "linear",
            "--error",
            "additive",
            "--reach",
            "-5",
        ])
        .assert()
        .success();
}

#[test]
fn claims_in_their_own_units() {
    // Issue 12.9: "more than 300x in 1.5 years" is a multiple, checked as one.
    cmd()
        .args([
            "cagr",
            "1e11",
            "3e13",
            "--years",
            "1.5",
            "--end-kind",
            "at_least",
            "--claim-multiple",
            "300x",
            "--claim-kind",
            "at_least",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("growth of more than 300.0000x"))
        .stdout(predicate::str::contains("holds"));
    // 300 as a rate is ambiguous and refused, with the way out named.
    cmd()
        .args(["cagr", "1e11", "3e13", "--years", "1.5", "--claim", "300"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--claim-multiple 300"));
    // "up more than 40%" is an increase; a contradicted one says so.
    cmd()
        .args([
            "cagr",
            "1e14",
            "1.3e14",
            "--years",
            "0.25",
            "--claim-increase",
            "40%",
            "--claim-kind",
            "at_least",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("increase of more than 40.00%"))
        .stdout(predicate::str::contains("contradicted"));
    // 12.8% and 0.128 are the same claim.
    for rate in ["12.8%", "0.128"] {
        cmd()
            .args([
                "cagr",
                "8.1e12",
                "14.7e12",
                "--years",
                "5",
                "--claim-rate",
                rate,
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("CAGR over 5 years of 12.80%"));
    }
}
