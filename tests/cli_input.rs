//! The command-line tool's input and usage, run as a user would: broken and differently spelled
//! files, reading options, usage mistakes, help, and the chart format flags.

mod common;

use predicates::prelude::*;

use common::{broken, cmd};

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
        .args(["when", "data/datacenter_power_2030.csv", "--reach", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--series"));
    // `fit` fits every series of a long file: two single-point targets do not fit.
    cmd()
        .args(["fit", "data/datacenter_power_2030.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "none of its 2 series fitted (too few points: 2)",
        ));
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
fn usage_mistakes_exit_2_and_name_the_parameters() {
    // Issue 12.7.
    let users = "data/genai_users.csv";
    for (args, says) in [
        (vec!["fit", users, "--level", "1.5"], "between 0 and 1"),
        (
            vec!["fit", users, "-m", "logistic", "--fix", "k=1.41e9"],
            "its parameters are K, r, tm",
        ),
        (
            vec!["fit", users, "-m", "logistic", "--bound", "rate=0:3"],
            "no parameter `rate`",
        ),
    ] {
        cmd()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
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
        .args(["when", p.to_str().unwrap(), "--reach", "100"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds 2 series (a, b)"));
    cmd()
        .args(["fit", p.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 series, exponential model: 2 fitted",
        ));
    cmd()
        .args(["fit", p.to_str().unwrap(), "--series", "b"])
        .assert()
        .success()
        .stdout(predicate::str::contains("exponential model of `b`"));
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
