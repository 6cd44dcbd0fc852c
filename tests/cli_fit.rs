//! The `fit` subcommand, run as a user would: its text, JSON, chart and CSV, and how it
//! answers data that run off (a ceiling, a decline, huge values).

mod common;

use predicates::prelude::*;

use common::{broken, cmd, exponential_csv};

#[test]
fn fit_prints_a_report_and_a_projection() {
    cmd()
        .args([
            "fit",
            "data/genai_users.csv",
            "--model",
            "logistic",
            "--fix",
            "K=1.41e9",
            "--until",
            "2030",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[[Fit]] logistic model of `genai_users`",
        ))
        .stdout(predicate::str::contains("K    = 1.41000e9 (fixed)"))
        .stdout(predicate::str::contains("2030-12-31"));
}

#[test]
fn fit_json_is_valid_json_with_fit_and_projection() {
    let out = cmd()
        .args([
            "fit",
            "data/tokens_daily.csv",
            "--model",
            "exponential",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fit"]["model"], "exponential");
    assert_eq!(v["fit"]["params"][1]["name"], "r");
    assert!(v["projection"]["points"].as_array().unwrap().len() >= 4);
}

#[test]
fn fit_writes_chart_and_csv_that_read_back() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-out");
    let _ = std::fs::remove_dir_all(&dir); // nothing left from an earlier run
    std::fs::create_dir_all(&dir).unwrap();
    let (png, svg, csv) = (
        dir.join("users.png"),
        dir.join("users.svg"),
        dir.join("users.csv"),
    );
    cmd()
        .args([
            "fit",
            "data/genai_users.csv",
            "--model",
            "logistic",
            "--fix",
            "K=1.41e9",
        ])
        .args([
            "--png",
            png.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    // The CSV the tool writes is a CSV the tool reads: the series and its observations.
    cmd()
        .args(["fit", csv.to_str().unwrap(), "--model", "exponential"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exponential model of `genai_users`",
        ))
        .stdout(predicate::str::contains("data points        = 4"));
}

#[test]
fn json_has_derived_quantities_and_iso_dates_and_text_has_no_empty_unit() {
    // Issue 12.10.
    let out = cmd()
        .args([
            "fit",
            "data/genai_users.csv",
            "-m",
            "logistic",
            "--fix",
            "K=1.41e9",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["derived"];
    assert!(d["doubling_time"]["value"].as_f64().unwrap() > 0.0, "{d}");
    assert!(
        d["inflection_time"]["value"].as_f64().unwrap() > 2024.0,
        "{d}"
    );
    let p = &v["projection"]["points"][0];
    assert_eq!(p["ds"], "2026-12-31");
    // A file without a unit: no "(exponential model, )".
    let file = broken(
        "no_unit.csv",
        "date,value\n2020,1\n2021,2.1\n2022,3.9\n2023,8.2\n",
    );
    cmd()
        .args(["fit", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(", )").not())
        .stdout(predicate::str::contains(
            "projection of `no_unit` (exponential), 95% bands",
        ));
    // Richards and Bass by name.
    for m in ["richards", "bass"] {
        let out = cmd()
            .args(["fit", "data/genai_services.csv", "-m", m, "--json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("unknown model"), "{m}: {err}");
    }
}

#[test]
fn values_near_1e300_say_rescale_not_start_values() {
    let p = broken(
        "huge.csv",
        "date,value\n2020,1e300\n2021,2e300\n2022,4e300\n2023,8e300\n",
    );
    for error in ["multiplicative", "additive"] {
        let out = cmd()
            .args(["fit", p.to_str().unwrap(), "--error", error])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("row 4: value 8e300")
                && err.contains("rescale the unit, e.g. give the values in units of 1e300 "),
            "{err}"
        );
        assert!(
            !err.contains("start values") && !err.contains("--fix"),
            "{err}"
        );
    }
}

#[test]
fn fit_of_a_ceiling_that_runs_off_answers_what_the_data_support() {
    let out = cmd()
        .args(["fit"])
        .arg(exponential_csv())
        .args(["--model", "logistic", "--until", "2028"])
        .output()
        .unwrap();
    // Exit code 3: an answer was printed, but not the one asked for.
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("the data say only that K is above")
            && stdout.contains("at 95% (profile likelihood), with no upper bound"),
        "{stdout}"
    );
    assert!(stdout.contains("read as exponential growth:"), "{stdout}");
    assert!(stdout.contains("exponential model of `exp6`"), "{stdout}");
    assert!(stdout.contains("2028-12-31"), "{stdout}");
    assert!(stderr.contains("--fix K=VALUE"), "{stderr}");
    // The same in JSON: the failure with its bound, and the exponential reading.
    let out = cmd()
        .args(["fit"])
        .arg(exponential_csv())
        .args(["--model", "logistic", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diverged"]["parameter"], "K");
    let above = v["diverged"]["bound"]["above"].as_f64().unwrap();
    assert_eq!(v["diverged"]["bound"]["level"], 0.95);
    assert!(above > 100.0 * 2.5f64.exp(), "{above}");
    assert_eq!(v["read_as"], "exponential");
    assert_eq!(v["fit"]["model"], "exponential");
    assert!(v["projection"]["points"].as_array().unwrap().len() >= 4);
}

#[test]
fn falling_data_fit_a_rate_of_zero_with_a_warning_unless_decline_is_allowed() {
    let falling = broken(
        "falling.csv",
        "date,value\n2019-12-31,500\n2020-12-31,410\n2021-12-31,330\n2022-12-31,280\n2023-12-31,220\n",
    );
    let out = cmd()
        .args(["fit", falling.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fit"]["params"][1]["name"], "r");
    assert_eq!(v["fit"]["params"][1]["estimate"], 0.0);
    let warnings = v["fit"]["warnings"].to_string();
    assert!(warnings.contains("at_bound"), "{warnings}");
    assert!(warnings.contains("--allow-decline"), "{warnings}");
    // The report says it in words.
    cmd()
        .args(["fit", falling.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("the data fall or do not grow"));
    let out = cmd()
        .args([
            "fit",
            falling.to_str().unwrap(),
            "--allow-decline",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = v["fit"]["params"][1]["estimate"].as_f64().unwrap();
    assert!((-0.25..-0.2).contains(&r), "{r}");
    assert!(!v["fit"]["warnings"].to_string().contains("at_bound"));
    // `when` takes the flag too.
    cmd()
        .args(["when", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--allow-decline"));
}

#[test]
fn replicates_are_fitted_with_a_lack_of_fit_test_and_a_repeated_row_warns() {
    // Two measurements a year (issue 16, item 2); line 7 repeats line 6 exactly. The exponential
    // with multiplicative errors is the line `ln y ~ t`, so the test is R's
    // `anova(lm(log(y) ~ t), lm(log(y) ~ factor(t)))`: F = 1.4614 on 3 and 4 DF, p = 0.3513.
    let p = broken(
        "replicates.csv",
        "date,value\n2015,100\n2015,104\n2016,130\n2016,126\n2017,170\n2017,170\n2018,220\n2018,215\n2019,290\n",
    );
    cmd()
        .args(["fit", p.to_str().unwrap(), "--model", "exponential"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: series `replicates`: line 7 repeats line 6 (date 2017, value 170)",
        ))
        .stdout(predicate::str::contains("data points        = 9"))
        .stdout(predicate::str::contains(
            "lack of fit        = F = 1.4614 on 3 and 4 DF, p = 0.3513 (9 points at 5 distinct times",
        ));
}
