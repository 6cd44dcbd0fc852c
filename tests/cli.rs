//! The command-line tool, run as a user would: on the bundled data and on broken files.

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("growthcast").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn broken(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

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
fn broken_input_gives_one_line_on_stderr_and_a_nonzero_exit() {
    let cases = [
        (
            "bad_date.csv",
            "date,value\n2024,1\n2025-13-01,2\n",
            "bad_date.csv: line 3, column `date`",
        ),
        (
            "text_value.csv",
            "date,value\n2024,1\n2025,many\n",
            "line 3, column `value`: `many` is not a number",
        ),
        ("empty.csv", "", "the file is empty"),
        ("header_only.csv", "date,value\n", "no data rows"),
        (
            "no_value.csv",
            "date,amount\n2024,1\n",
            "line 1, column `value`: missing column",
        ),
    ];
    for (name, text, want) in cases {
        let p = broken(name, text);
        let out = cmd().args(["fit", p.to_str().unwrap()]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("error: ") && err.contains(want),
            "{name}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
        assert!(out.stdout.is_empty());
    }
    // Usage errors exit with 2.
    cmd()
        .args(["fit", "data/genai_users.csv", "--model", "cubic"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown model"));
    cmd()
        .args(["fit", "data/datacenter_power_2030.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--series"));
    cmd()
        .args(["fit", "/no/such/file.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/no/such/file.csv"));
    // A fit that cannot work says how to fix it.
    cmd()
        .args([
            "fit",
            "data/digital_economy_share.csv",
            "--model",
            "logistic",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fix a parameter with --fix"));
}

#[test]
fn help_shows_examples_for_every_subcommand() {
    for sub in ["fit", "compare", "scenario", "cagr", "when"] {
        cmd()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("growthcast {sub}")));
    }
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
fn report_writes_every_file_and_says_where() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-report");
    let _ = std::fs::remove_dir_all(&out); // nothing left from an earlier run
    let assert = cmd()
        .args(["report", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for f in [
        "projections.csv",
        "parameters.csv",
        "comparison.csv",
        "backtests.csv",
        "scenarios.csv",
        "fits.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
        assert!(stdout.contains(f), "{f} named in the summary");
    }
    assert!(out.join("charts/tokens_daily_fit.png").exists());
    cmd()
        .args(["report", "--data", "/no/such/dir"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/no/such/dir"));
}

/// `--svg y.png` writes an SVG and `--png y.svg` a PNG: the flag names the format, whatever the
/// extension, on every subcommand that draws.
#[test]
fn the_format_flag_wins_over_the_extension() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-format");
    let _ = std::fs::remove_dir_all(&dir); // nothing left from an earlier run
    std::fs::create_dir_all(&dir).unwrap();
    let runs: [(&str, Vec<&str>); 3] = [
        (
            "fit",
            vec![
                "fit",
                "data/genai_users.csv",
                "--model",
                "logistic",
                "--fix",
                "K=1.41e9",
            ],
        ),
        ("compare", vec!["compare", "data/genai_users.csv"]),
        (
            "scenario",
            vec![
                "scenario",
                "--base",
                "140e9",
                "--base-year",
                "2024",
                "--rate",
                "low=0.1",
            ],
        ),
    ];
    for (name, args) in runs {
        let svg_named_png = dir.join(format!("{name}_svg.png"));
        let png_named_svg = dir.join(format!("{name}_png.svg"));
        cmd()
            .args(&args)
            .args(["--svg", svg_named_png.to_str().unwrap()])
            .args(["--png", png_named_svg.to_str().unwrap()])
            .assert()
            .success();
        let svg = std::fs::read_to_string(&svg_named_png)
            .unwrap_or_else(|e| panic!("{name}: --svg did not write text: {e}"));
        let head = svg.trim_start();
        assert!(
            head.starts_with("<svg") || head.starts_with("<?xml"),
            "{name}: --svg wrote {:?}",
            &head[..head.len().min(40)]
        );
        let png = std::fs::read(&png_named_svg).unwrap();
        assert!(
            png.starts_with(b"\x89PNG"),
            "{name}: --png did not write a PNG"
        );
    }
}
