//! The `report` subcommand, run as a user would: the files it writes, and a report with
//! nothing to report.

mod common;

use predicates::prelude::*;

use common::cmd;

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

/// A folder with one long file of `n` logistic series (days 0 to 9) and one small file.
fn many_series_folder(name: &str, n: usize) -> std::path::PathBuf {
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&base);
    let data = base.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut text = String::from("series,time,time_unit,value\n");
    for i in 0..n {
        let (k, r) = (100.0 + 37.0 * i as f64, 0.6 + 0.01 * i as f64);
        for j in 0..10 {
            let noise = 1.0 + 0.02 * ((i * 13 + j * 7) as f64).sin();
            let y = k / (1.0 + (-r * (j as f64 - 5.0)).exp()) * noise;
            text.push_str(&format!("c{i:03},{j},day,{y}\n"));
        }
    }
    std::fs::write(data.join("cultures.csv"), text).unwrap();
    std::fs::copy("data/tokens_daily.csv", data.join("tokens_daily.csv")).unwrap();
    base
}

#[test]
fn a_file_of_many_series_gets_a_summary_not_a_chart_per_series() {
    let base = many_series_folder("growthcast-cli-many-report", 22);
    let out = base.join("out");
    let assert = cmd()
        .args(["report", "--data", base.join("data").to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let charts: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // No chart per series of the long file: its histograms of rates and ceilings only.
    let mut long: Vec<&String> = charts
        .iter()
        .filter(|c| c.starts_with("cultures"))
        .collect();
    long.sort();
    assert_eq!(
        long,
        [
            "cultures_ceilings.png",
            "cultures_ceilings.svg",
            "cultures_rates.png",
            "cultures_rates.svg"
        ],
        "{charts:?}"
    );
    assert!(
        charts.iter().any(|c| c.starts_with("tokens_daily")),
        "the small file keeps its charts: {charts:?}"
    );
    let png = std::fs::read(out.join("charts/cultures_rates.png")).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{}",
        png.len()
    );
    assert!(
        stdout.contains("histograms of their growth rates (charts/cultures_rates.png) and ceilings (charts/cultures_ceilings.png)"),
        "the lead line names the histograms: {stdout}"
    );
    assert!(
        stdout.contains(
            "Chart: charts/cultures_rates.png (and .svg), the histogram of the growth rates"
        ),
        "{stdout}"
    );
    // The histogram counts the series the lead line gives each model.
    let svg = std::fs::read_to_string(out.join("charts/cultures_rates.svg")).unwrap();
    assert!(
        svg.contains("cultures: growth rates of the chosen models across 22 series"),
        "{svg}"
    );
    assert!(svg.contains("r (1/day)"));
    let lead = stdout
        .lines()
        .find(|l| l.starts_with("cultures: 22 series"))
        .unwrap();
    let presented = lead.split("the model presented is ").nth(1).unwrap();
    let mut total = 0;
    for part in presented.split(';').next().unwrap().split(", ") {
        let (model, n) = part.rsplit_once(' ').unwrap();
        total += n.parse::<usize>().unwrap();
        assert!(
            svg.contains(&format!("{model}: {n} series, median ")),
            "{model} {n}: {svg}"
        );
    }
    assert_eq!(total, 22, "{lead}");
    assert!(
        stdout.contains("cultures: 22 series, a file of many series"),
        "{stdout}"
    );
    assert!(
        stdout.contains("==== cultures (22 series) ===="),
        "{stdout}"
    );
    assert!(stdout.contains("r (1/day)"), "{stdout}");
    // The many series' projections: the chosen model at the printed times (9.5 to 14 by
    // half days), one model per series; every series' parameters.
    let mut r = csv::Reader::from_path(out.join("projections.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let (series, model, t) = (
        h.iter().position(|c| c == "series").unwrap(),
        h.iter().position(|c| c == "model").unwrap(),
        h.iter().position(|c| c == "t").unwrap(),
    );
    let mut per: std::collections::BTreeMap<String, (std::collections::BTreeSet<String>, usize)> =
        Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[series].starts_with('c') {
            let tt: f64 = rec[t].parse().unwrap();
            assert!(tt > 9.0 && tt <= 14.0, "{tt}");
            let e = per.entry(rec[series].to_string()).or_default();
            e.0.insert(rec[model].to_string());
            e.1 += 1;
        }
    }
    assert_eq!(per.len(), 22);
    assert!(
        per.values().all(|(m, n)| m.len() == 1 && *n == 10),
        "{per:?}"
    );
    let params = std::fs::read_to_string(out.join("parameters.csv")).unwrap();
    assert!((0..22).all(|i| params.contains(&format!("\nc{i:03},"))));
}
