//! The command-line tool, run as a user would: on the bundled data and on broken files.

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary cargo built for this test run, wherever `CARGO_TARGET_DIR` put it.
fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_growthcast"));
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

/// A monthly series, 2024-01 to 2025-06, growing 5% a month with a little wobble.
fn monthly() -> std::path::PathBuf {
    let mut text = String::from("date,value\n");
    for i in 0..18 {
        let (y, m) = (2024 + i / 12, 1 + i % 12);
        let v = 1000.0 * (0.05 * i as f64).exp() * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0));
        text.push_str(&format!("{y}-{m:02},{v}\n"));
    }
    broken("monthly.csv", &text)
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

#[test]
fn usage_mistakes_exit_2_and_name_the_parameters() {
    // Issue 12.7.
    cmd()
        .args(["fit", "data/genai_users.csv", "--level", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0 and 1"));
    cmd()
        .args([
            "fit",
            "data/genai_users.csv",
            "-m",
            "logistic",
            "--fix",
            "k=1.41e9",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its parameters are K, r, tm"));
    cmd()
        .args([
            "fit",
            "data/genai_users.csv",
            "-m",
            "logistic",
            "--bound",
            "rate=0:3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no parameter `rate`"));
    // `fit --help` lists every model's parameters, richards and bass included (issue 12.10).
    cmd()
        .args(["fit", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("logistic     K (ceiling"))
        .stdout(predicate::str::contains("richards     K"))
        .stdout(predicate::str::contains("bass         m (market size"));
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
fn report_with_nothing_to_report_fails_and_writes_nothing() {
    // Issue 12.6.
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-empty");
    let _ = std::fs::remove_dir_all(&base);
    let (empty, only_broken, partial) = (
        base.join("empty"),
        base.join("broken"),
        base.join("partial"),
    );
    for d in [&empty, &only_broken, &partial] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(empty.join("notes.txt"), "not a CSV").unwrap();
    std::fs::write(only_broken.join("bad.csv"), "when,how\n1,2\n").unwrap();
    std::fs::write(partial.join("bad.csv"), "when,how\n1,2\n").unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"),
        partial.join("genai_users.csv"),
    )
    .unwrap();
    for (data, why) in [
        (&empty, "no `.csv` files"),
        (&only_broken, "no file could be read"),
        (&base.join("missing"), "does not exist"),
    ] {
        let out = base.join("out");
        let _ = std::fs::remove_dir_all(&out);
        cmd()
            .args([
                "report",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(why));
        assert!(!out.exists(), "{}: nothing written", data.display());
    }
    // A partial run writes what it can, lists the skipped file last and exits 3.
    let out = base.join("out");
    let _ = std::fs::remove_dir_all(&out);
    cmd()
        .args([
            "report",
            "--data",
            partial.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("skipped"))
        .stderr(predicate::str::contains("bad.csv"));
    assert!(out.join("projections.csv").exists());
}

#[test]
fn files_spelled_differently_read_with_the_reading_options() {
    // European spreadsheet export: `;`, decimal commas, day-first dates, own column names,
    // a row without a value.
    let p = broken(
        "eu.csv",
        "Tag;Umsatz\n15/06/2020;1,5\n15/06/2021;NA\n15/06/2022;6,1\n15/06/2023;12,2\n",
    );
    cmd()
        .args(["fit", p.to_str().unwrap(), "--until", "2025"])
        .args(["--date-col", "Tag", "--value-col", "Umsatz"])
        .args(["--date-format", "%d/%m/%Y", "--skip-missing"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "skipped 1 row with no value (line 3)",
        ))
        .stdout(predicate::str::contains("data points        = 3"));
    // Without the options, each problem is named with the option that solves it.
    for (args, want) in [
        (&[][..], "column `date`: missing column"),
        (
            &["--date-col", "Tag", "--value-col", "Umsatz"][..],
            "--date-format %d/%m/%Y",
        ),
        (
            &[
                "--date-col",
                "Tag",
                "--value-col",
                "Umsatz",
                "--date-format",
                "%d/%m/%Y",
            ][..],
            "line 3, column `value`: no value (`NA`): pass --skip-missing",
        ),
    ] {
        let out = cmd()
            .args(["fit", p.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(want) && !err.contains("; fix:"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_long_file_with_a_series_id_column_is_several_series() {
    let p = broken(
        "long.csv",
        "series_id,date,value\na,2020,1\nb,2020,10\na,2021,2\nb,2021,20\na,2022,4.1\nb,2022,39\n",
    );
    cmd()
        .args(["fit", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds 2 series (a, b)"));
    cmd()
        .args(["fit", p.to_str().unwrap(), "--series", "b"])
        .assert()
        .success()
        .stdout(predicate::str::contains("exponential model of `b`"));
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
fn reading_options_are_in_the_help_and_checked() {
    for sub in ["fit", "compare", "when"] {
        cmd()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--date-col"))
            .stdout(predicate::str::contains("--date-format"))
            .stdout(predicate::str::contains("--skip-missing"))
            .stdout(predicate::str::contains("--delimiter"));
    }
    cmd()
        .args(["fit", "data/genai_users.csv", "--delimiter", ";;"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--delimiter `;;`"));
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

#[test]
fn model_is_a_typed_value_listed_in_help() {
    // Issue 13: `--model` is a registry value; --help lists the possible values.
    for sub in ["fit", "when"] {
        cmd()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "[possible values: exponential, logistic, gompertz, linear, richards, bass]",
            ));
    }
    // Case-insensitive, with the `exp` alias, as before.
    cmd()
        .args(["fit", "data/genai_users.csv", "-m", "EXP"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "exponential model of `genai_users`",
        ));
    // An unknown model is refused before any file is read, naming every model.
    cmd()
        .args(["fit", "/no/such/file.csv", "--model", "cubic"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown model `cubic`"))
        .stderr(predicate::str::contains("richards or bass"))
        .stderr(predicate::str::contains("/no/such/file.csv").not());
}

/// Six years of pure exponential growth (`100 e^{0.5 t}` with a little noise): no ceiling.
fn exponential_csv() -> std::path::PathBuf {
    let noise = [1.0, 1.03, 0.98, 1.01, 0.99, 1.02];
    let mut text = String::from("date,value\n");
    for (i, n) in noise.iter().enumerate() {
        text += &format!("{},{}\n", 2020 + i, 100.0 * (0.5 * i as f64).exp() * n);
    }
    broken("exp6.csv", &text)
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
fn compare_shows_the_one_sided_ceiling_of_a_logistic_that_ran_off() {
    cmd()
        .args(["compare"])
        .arg(exponential_csv())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the data say only that K is above",
        ))
        .stdout(
            predicate::str::is_match(
                r"\n    logistic +- .* no: ran off, K above \d\.\d{3}e\d+ at 95% only\n",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains("model average"));
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
fn compare_prints_the_recommended_projection_in_text_json_and_csv() {
    cmd()
        .args(["compare", "data/genai_users.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "recommended projection (the band spans every plausible model:",
        ))
        .stdout(predicate::str::contains("the low edge is"));
    let out = cmd()
        .args(["compare", "data/genai_users.csv", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["recommended"];
    assert_eq!(r["projection"]["method"], "envelope");
    assert!(r["statement"]
        .as_str()
        .unwrap()
        .contains("the high edge is"));
    let csv = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("compare_rec.csv");
    let _ = std::fs::remove_file(&csv);
    cmd()
        .args(["compare", "data/genai_users.csv", "--csv"])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains(",recommended,") && l.ends_with(",envelope")),
        "{text}"
    );
}

#[test]
fn compare_takes_a_known_ceiling_and_its_band_stays_below_it() {
    let out = cmd()
        .args([
            "compare",
            "data/genai_users.csv",
            "--ceiling-at-most",
            "1.41e9",
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
    let r = &v["recommended"];
    assert_eq!(r["known_ceiling"]["kind"], "at_most");
    for q in r["projection"]["points"].as_array().unwrap() {
        assert!(q["conf_upper"].as_f64().unwrap() <= 1.41e9, "{q}");
        assert!(q["pred_upper"].as_f64().unwrap() <= 1.41e9, "{q}");
    }
    let left: Vec<&str> = r["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert!(left.contains(&"exponential"), "{left:?}");
    cmd()
        .args(["compare", "data/genai_users.csv", "--ceiling=-3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("known ceiling"));
    cmd()
        .args([
            "compare",
            "data/genai_users.csv",
            "--ceiling",
            "1e9",
            "--ceiling-at-most",
            "2e9",
        ])
        .assert()
        .failure();
}

#[test]
fn compare_draws_the_recommended_chart() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (png, svg) = (dir.join("compare_rec.png"), dir.join("compare_rec.svg"));
    let _ = std::fs::remove_file(&png);
    let _ = std::fs::remove_file(&svg);
    cmd()
        .args(["compare", "data/genai_users.csv", "--until", "2028"])
        .arg("--png")
        .arg(&png)
        .arg("--svg")
        .arg(&svg)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains("genai_users: recommended projection"),
        "the chart is not the recommended one"
    );
    assert!(text.contains("hull of the plausible models"));
    for member in ["exponential", "linear", "logistic"] {
        assert!(text.contains(member), "member {member} is not named");
    }
}

#[test]
fn compare_says_which_fits_are_trusted_and_why_not_in_text_and_json() {
    // Four points: every three-parameter candidate has one degree of freedom, too few to check
    // any fit against it, so nothing is trusted and each row says so.
    cmd()
        .args(["compare", "data/genai_users.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("trusted"))
        .stdout(predicate::str::contains(
            "exponential not trusted: too few points to check it",
        ));
    let out = cmd()
        .args(["compare", "data/genai_users.csv", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["ranking"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert_eq!(r["trust"]["trusted"], false, "{r}");
        assert!(r["trust"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["reason"] == "too_few_points"));
    }
}
