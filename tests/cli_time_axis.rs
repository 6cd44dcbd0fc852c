//! The command-line tool on a numeric time axis, as a user would run it on R's ChickWeight
//! (`data/lab/chickweight.csv`: a `time_unit` column says `day`): every command speaks days and
//! never prints a calendar date.

mod common;

use predicates::prelude::*;

use common::{broken, cmd};

/// Whether `text` holds something shaped like a calendar date (`2024-06-30`, `0118-01-01`).
fn has_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10).any(|w| {
        let d = |i: usize| w[i].is_ascii_digit();
        d(0) && d(1) && d(2) && d(3) && w[4] == b'-' && d(5) && d(6) && w[7] == b'-' && d(8) && d(9)
    })
}

fn stdout_of(args: &[&str]) -> String {
    let out = cmd()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn fit_compare_and_when_speak_days() {
    let file = "data/lab/chickweight.csv";
    let fit = stdout_of(&[
        "fit", file, "--series", "chick_1", "--model", "logistic", "--until", "28",
    ]);
    for words in [
        "1/day",
        "By day 28",
        "growth rate per day",
        "doubling every",
        "days",
    ] {
        assert!(fit.contains(words), "{words}: {fit}");
    }
    let compare = stdout_of(&["compare", file, "--series", "chick_1"]);
    assert!(compare.contains("at day 35"), "{compare}");
    assert!(compare.contains("own rate changes alone"), "{compare}");
    let when = stdout_of(&["when", file, "--series", "chick_1", "--reach", "300"]);
    assert!(when.contains("reached around day 2"), "{when}");
    let json = stdout_of(&["fit", file, "--series", "chick_1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["projection"]["axis"], "day");
    for text in [&fit, &compare, &when, &json] {
        assert!(!has_date(text), "{text}");
    }
}

#[test]
fn numbers_without_a_unit_are_refused_with_the_flag_to_give_one() {
    let file = broken("hours.csv", "time,value\n0,1\n3,2\n6,4.1\n9,7.9\n");
    cmd()
        .args(["fit", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--time-unit day"));
    let out = stdout_of(&[
        "fit",
        file.to_str().unwrap(),
        "--time-unit",
        "hour",
        "--until",
        "12",
    ]);
    assert!(
        out.contains("1/hour") && out.contains("By hour 12"),
        "{out}"
    );
    cmd()
        .args([
            "fit",
            file.to_str().unwrap(),
            "--time-unit",
            "hour",
            "--until",
            "2030-12-31",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`hour`"));
}

#[test]
fn a_report_on_a_day_axis_prints_no_date() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-days");
    let (data, out) = (dir.join("data"), dir.join("out"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&data).unwrap();
    let text = std::fs::read_to_string("data/lab/chickweight.csv").unwrap();
    let mut chick = String::from("series,time,time_unit,value,unit\n");
    for line in text.lines().filter(|l| l.starts_with("chick_1,")) {
        let cells: Vec<&str> = line.split(',').collect();
        chick += &format!("{}\n", cells[..5].join(","));
    }
    std::fs::write(data.join("chick.csv"), chick).unwrap();
    let report = stdout_of(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(report.contains("chick_1: day 35"), "{report}");
    assert!(!has_date(&report), "{report}");
    let csv = std::fs::read_to_string(out.join("projections.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains(",time_unit,"));
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",day,")),
        "every row counts in days"
    );
    assert!(!has_date(&csv));
    assert!(out.join("charts/chick_1_recommended.png").exists());
}

/// The 50 chicks of `data/lab/chickweight.csv` in one file: a file of many series, summarised by
/// histograms of the chosen models' rates (per day) and ceilings (in grams), with no date in
/// the text nor on the charts.
#[test]
fn a_report_on_many_series_on_a_day_axis_prints_no_date() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-many-days");
    let (data, out) = (dir.join("data"), dir.join("out"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy("data/lab/chickweight.csv", data.join("chickweight.csv")).unwrap();
    let report = stdout_of(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        report.contains("chickweight: 50 series, a file of many series"),
        "{report}"
    );
    assert!(report.contains("charts/chickweight_rates.png"), "{report}");
    assert!(
        report.contains("charts/chickweight_ceilings.png"),
        "{report}"
    );
    assert!(!has_date(&report), "{report}");
    for (chart, axis) in [("rates", "r (1/day)"), ("ceilings", "K (g)")] {
        let svg =
            std::fs::read_to_string(out.join(format!("charts/chickweight_{chart}.svg"))).unwrap();
        assert!(svg.contains(axis), "{chart}: {svg}");
        assert!(!svg.contains("year"), "{chart}: {svg}");
        assert!(!has_date(&svg), "{chart}: {svg}");
        assert!(out.join(format!("charts/chickweight_{chart}.png")).exists());
    }
}
