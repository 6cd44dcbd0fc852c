//! The main job as a library call: every file it promises, with the rows it promises.

use std::collections::HashMap;

use growthcast::report::{self, ReportOptions};

fn read(path: &std::path::Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn report_writes_every_chart_and_table() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-report");
    let _ = std::fs::remove_dir_all(&out); // nothing left from an earlier run
    let (mut calls, mut last) = (0, (0, 0));
    let r = report::run(&ReportOptions::new(&data, &out), |done, total, _| {
        calls += 1;
        assert!(done <= total && done > last.0);
        last = (done, total);
    })
    .unwrap();
    assert_eq!(last.0, last.1, "the last call counts every series");
    assert!(calls >= 11, "at least one progress call per data file");
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    for (path, _) in &r.written {
        assert!(
            path.exists() && std::fs::metadata(path).unwrap().len() > 0,
            "{}",
            path.display()
        );
    }
    let pngs = r
        .written
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "png"))
        .count();
    let recommended: Vec<&String> = r
        .written
        .iter()
        .filter(|(p, _)| p.to_string_lossy().ends_with("_recommended.png"))
        .map(|(_, what)| what)
        .collect();
    assert_eq!(
        pngs,
        2 * 10 + recommended.len() + 1,
        "fit and models charts for 10 series, a recommended chart where there is one, one fan"
    );
    // The recommended chart, across the plausible models, for every series with a fit that
    // has a degree of freedom left (the report's text leads with the same recommendation).
    for series in ["genai_users", "tokens_daily", "genai_services"] {
        let what = r
            .written
            .iter()
            .find(|(p, _)| p.ends_with(format!("charts/{series}_recommended.png")))
            .map(|(_, what)| what.as_str())
            .unwrap_or_else(|| panic!("no recommended chart for {series}"));
        assert!(
            what.starts_with(&format!("{series}: recommended projection across ")),
            "{what}"
        );
    }
    // Two points leave no model a degree of freedom: no band, so no recommended chart.
    assert!(!out
        .join("charts/genai_penetration_recommended.png")
        .exists());

    // Comparison: every candidate of every series, the weights of each series summing to 1.
    let (header, rows) = read(&out.join("comparison.csv"));
    assert_eq!(
        header,
        [
            "series",
            "model",
            "criterion",
            "value",
            "delta",
            "weight",
            "identified",
            "trusted",
            "trust",
            "at_horizon",
            "breaks_known_ceiling",
            "chosen",
            "warnings",
            "notes"
        ]
    );
    // One choice per series, the same in the text, the chart and the CSV (issue 12.5).
    for series in [
        "genai_users",
        "tokens_daily",
        "genai_penetration",
        "ai_tv_offline_share",
    ] {
        let chosen: Vec<&String> = rows
            .iter()
            .filter(|r| r["series"] == series && r["chosen"] == "true")
            .map(|r| &r["model"])
            .collect();
        assert_eq!(chosen.len(), 1, "{series}: {chosen:?}");
        let chart = r
            .written
            .iter()
            .find(|(p, _)| p.ends_with(format!("charts/{series}_fit.png")))
            .map(|(_, what)| what.clone())
            .unwrap();
        assert!(
            chart.starts_with(&format!("{series}: {}", chosen[0])),
            "{chart}"
        );
        let section = r
            .text
            .split("==== ")
            .find(|t| t.starts_with(series))
            .unwrap();
        let line = section.lines().find(|l| l.starts_with("-- ")).unwrap();
        assert!(
            line.contains(chosen[0].as_str()),
            "{series}: {line} vs {chosen:?}"
        );
    }
    // Users: the exponential reaches 16x the population by 2030; it is flagged, never chosen.
    let users_exp = rows
        .iter()
        .find(|r| r["series"] == "genai_users" && r["model"] == "exponential")
        .unwrap();
    assert_eq!(users_exp["breaks_known_ceiling"], "true");
    assert_eq!(users_exp["chosen"], "false");
    // A share at 3e17 % is flagged too, in the CSV and the text.
    let share_exp = rows
        .iter()
        .find(|r| r["series"] == "ai_tv_offline_share" && r["model"] == "exponential")
        .unwrap();
    assert_eq!(share_exp["breaks_known_ceiling"], "true");
    assert!(r.text.contains("BREAKS the known ceiling (100%"));
    let users: Vec<_> = rows
        .iter()
        .filter(|r| r["series"] == "genai_users")
        .collect();
    assert_eq!(users.len(), 7);
    let total: f64 = users
        .iter()
        .filter_map(|r| r["weight"].parse::<f64>().ok())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert!(users[0]["notes"].contains("cannot be told apart"));
    assert!(
        users
            .iter()
            .any(|r| r["warnings"].starts_with("not fitted")),
        "the failed Gompertz is kept with its error"
    );

    // Hindcasts: one held-out point per fitted model of each series with four points.
    let (_, rows) = read(&out.join("backtests.csv"));
    assert!(rows
        .iter()
        .any(|r| r["series"] == "tokens_daily" && r["kind"] == "at_least"));
    assert!(rows.iter().all(|r| !r["yhat"].is_empty()));
    assert!(
        rows.iter().any(|r| r["series"] == "genai_services"
            && r["model"] == "logistic"
            && r["warnings"].contains("no degrees of freedom")),
        "the shortened fit's cautions travel with the hindcast"
    );

    // Profiles: the tokens ceiling has a lower bound and no upper bound.
    let (_, rows) = read(&out.join("ceiling_profiles.csv"));
    let tokens: Vec<_> = rows
        .iter()
        .filter(|r| r["series"] == "tokens_daily")
        .collect();
    assert!(tokens.len() >= 49);
    assert!(!tokens[0]["lower"].is_empty() && tokens[0]["upper"].is_empty());
    assert!(tokens[0]["statement"].contains("no upper bound"));

    // Scenarios: medium and high, 2024 to 2030, from the labelled assumed base.
    let (_, rows) = read(&out.join("scenarios.csv"));
    assert_eq!(rows.len(), 14);
    assert!(rows.iter().all(|r| r["base"].contains("ASSUMED")));
    let end: Vec<f64> = rows
        .iter()
        .filter(|r| r["ds"] == "2030-01-01")
        .map(|r| r["value"].parse().unwrap())
        .collect();
    assert_eq!(end.len(), 2);
    assert!(
        (end[0] - 4e11).abs() < 1.0 && (end[1] - 7e11).abs() < 1.0,
        "{end:?}"
    );

    // Sensitivity: both targets against six assumed bases, rates falling as the base rises.
    // The documents' claims, checked against the figures (issue 15.5).
    let (_, claims) = read(&out.join("claims.csv"));
    let verdicts: Vec<(&str, &str)> = claims
        .iter()
        .map(|r| (r["series"].as_str(), r["verdict"].as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("digital_economy_size", "allowed_by_wording"),
            ("tokens_daily", "holds"),
            ("tokens_daily", "holds"),
            ("tokens_daily", "holds"),
        ]
    );
    assert!(r.text.contains("claims in the documents:"));
    // The text leads with one line per series: the recommended 2030 band, its edges, what the
    // known ceiling does to it, and the claims' verdicts; the details follow.
    assert!(
        r.text.starts_with("==== In one line per series"),
        "{}",
        r.text
    );
    let lead: Vec<&str> = r.text.lines().take_while(|l| !l.is_empty()).collect();
    let line = |name: &str| {
        lead.iter()
            .find(|l| l.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no lead line for {name}: {lead:?}"))
            .to_string()
    };
    let tokens = line("tokens_daily");
    assert!(
        tokens.contains("2030-12-31") && tokens.contains("high edge exponential"),
        "{tokens}"
    );
    assert!(
        tokens.contains("\"more than 300x in 1.5 years\" holds"),
        "{tokens}"
    );
    let users = line("genai_users");
    assert!(
        users.contains("knowing ceiling ≤ population") && users.contains("of the band's width"),
        "{users}"
    );
    assert!(line("digital_economy_size").contains("CAGR 12.8%"));
    // Where the figure itself may land once growth rates drift (issue 18), with the drift's
    // size and source; the band stays within the population bound.
    assert!(
        tokens.contains("the figure itself, with growth rates drifting as real ones do (")
            && tokens.contains("own rate change(s) and the reference class"),
        "{tokens}"
    );
    assert!(
        users.contains("the figure itself") && users.contains(", 1.410e9]"),
        "{users}"
    );
    // projections.csv holds the recommended projection (the band across the models) too.
    let (_, proj) = read(&out.join("projections.csv"));
    let rec: Vec<_> = proj
        .iter()
        .filter(|r| r["series"] == "tokens_daily" && r["model"] == "recommended")
        .collect();
    assert!(!rec.is_empty() && rec.iter().all(|r| r["method"] == "envelope"));
    // Each series leads with the recommended projection across its plausible models; the
    // population bound leaves only the S-curves that saturate at or below it for the users.
    assert!(
        r.text.contains(
            "recommended, across every plausible model (logistic, K = population 1.41e9, \
             logistic, K ≤ population 1.41e9, gompertz, K ≤ population 1.41e9): at 2030-12-31"
        ),
        "{}",
        r.text
    );
    let (_, rows) = read(&out.join("scenario_sensitivity.csv"));
    assert_eq!(rows.len(), 12);
    let medium: Vec<f64> = rows
        .iter()
        .filter(|r| r["scenario"] == "medium")
        .map(|r| r["rate"].parse().unwrap())
        .collect();
    assert!(medium.windows(2).all(|w| w[0] > w[1]), "{medium:?}");
    assert!((medium[0] - ((400.0f64 / 100.0).powf(1.0 / 6.0) - 1.0)).abs() < 1e-9);

    // Projections include the model average; text mentions every series.
    let (_, rows) = read(&out.join("projections.csv"));
    assert!(rows.iter().any(|r| r["model"].starts_with("model average")));
    assert!(rows.iter().any(|r| r["beyond_span"] == "true"));
    for name in [
        "tokens_daily",
        "genai_users",
        "digital_economy_size",
        "datacenter_power_2030",
    ] {
        assert!(r.text.contains(name), "{name}");
    }
}

/// A fresh folder under the target's temporary directory.
fn fresh(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_users_folder_gets_a_generic_report_without_the_bundled_particulars() {
    // Issue 13: the bundled data's titles, sources and ceilings came from library code and
    // followed a file of the same name into any folder.
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let data = fresh("growthcast-report-generic/data");
    std::fs::copy(
        bundled.join("genai_users.csv"),
        data.join("genai_users.csv"),
    )
    .unwrap();
    let out = data.parent().unwrap().join("out");
    let r = report::run(&ReportOptions::new(&data, &out), |_, _, _| {}).unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let (_, rows) = read(&out.join("comparison.csv"));
    let mut said = r.text.clone();
    for (_, what) in &r.written {
        said.push_str(what);
    }
    for row in &rows {
        said.push_str(&row["model"]);
    }
    for particular in [
        "Generative-AI users in China",
        "population 1.41e9",
        "1.41e9",
        "BREAKS the known ceiling",
        "People's Daily",
        "press conference",
    ] {
        assert!(
            !said.contains(particular),
            "`{particular}` in a generic report"
        );
    }
    assert_eq!(rows.len(), 4, "the standard models only: {rows:?}");

    // The bundled folder still gets them: the ceiling in the models and the text, the title
    // and the documents from its particulars files.
    let out = fresh("growthcast-report-bundled-users");
    let opts = ReportOptions::new(&bundled, &out);
    let particulars = report::Particulars::load(&bundled).unwrap();
    assert_eq!(
        particulars.title("genai_users"),
        "Generative-AI users in China"
    );
    assert_eq!(
        particulars.document("002_0fc78b06f33ae70d.txt"),
        "People's Daily graphic on large models"
    );
    let r = report::run(&opts.with_particulars(particulars), |_, _, _| {}).unwrap();
    assert!(r.text.contains("logistic, K = population 1.41e9"));
    assert!(r
        .text
        .contains("BREAKS the known ceiling (population 1.41e9"));
}

#[test]
fn percent_units_keep_the_generic_100_percent_ceiling() {
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let data = fresh("growthcast-report-percent/data");
    std::fs::copy(
        bundled.join("ai_tv_offline_share.csv"),
        data.join("ai_tv_offline_share.csv"),
    )
    .unwrap();
    let out = data.parent().unwrap().join("out");
    let r = report::run(&ReportOptions::new(&data, &out), |_, _, _| {}).unwrap();
    assert!(r.text.contains("logistic, K = 100%"), "{}", r.text);
    assert!(r.text.contains("BREAKS the known ceiling (100%"));
}

#[test]
fn particulars_files_are_neither_series_nor_skipped() {
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let data = fresh("growthcast-report-particulars/data");
    std::fs::copy(
        bundled.join("genai_users.csv"),
        data.join("genai_users.csv"),
    )
    .unwrap();
    std::fs::write(
        data.join("report.csv"),
        "series,title,known_ceiling,ceiling_note,headline\n\
         genai_users,My users,5e9,\"planet 5e9 (all of it)\",false\n",
    )
    .unwrap();
    std::fs::write(
        data.join("report_sources.csv"),
        "source,document\n002_0fc78b06f33ae70d.txt,My document\n",
    )
    .unwrap();
    let out = data.parent().unwrap().join("out");
    let mut calls = 0;
    let r = report::run(&ReportOptions::new(&data, &out), |_, _, _| calls += 1).unwrap();
    assert_eq!(calls, 1, "one series file");
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert!(r.text.contains("logistic, K = planet 5e9"), "{}", r.text);
    assert!(!r.text.contains("report"), "{}", r.text);

    // Given programmatically, the particulars replace the folder's.
    let opts = ReportOptions::new(&data, &out).with_particulars(
        report::Particulars::default().with_ceiling("genai_users", 2e9, "everyone 2e9"),
    );
    let r = report::run(&opts, |_, _, _| {}).unwrap();
    assert!(r.text.contains("logistic, K = everyone 2e9"));
    assert!(!r.text.contains("planet"));
}

#[test]
fn a_malformed_particulars_file_is_an_error_naming_file_line_and_column() {
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let head = "series,claim,kind,from,to,claimed,claimed_kind,source\n";
    let claim = |row: &str| format!("{head}{row}\n");
    let (c1, c2, c3) = (
        claim("genai_users,x,multiple,2024-06-30,2099-01-01,2,at_least,s"),
        claim("nope,x,multiple,2024-06-30,2025-12-31,2,at_least,s"),
        claim("genai_users,x,increase,2024-06-30,2025-12-31,-1,at_least,s"),
    );
    let cases: [(&str, &str, &str, u64, &str); 8] = [
        ("claims.csv", &c1, "claims.csv", 2, "to"),
        ("claims.csv", &c2, "claims.csv", 2, "series"),
        ("claims.csv", &c3, "claims.csv", 2, "claimed"),
        (
            "report.csv",
            "series,title,known_ceiling,ceiling_note\na,A,,\nb,B,lots,why\n",
            "report.csv",
            3,
            "known_ceiling",
        ),
        (
            "report.csv",
            "series,title,known_ceiling,ceiling_note\na,A,-5,why\n",
            "report.csv",
            2,
            "known_ceiling",
        ),
        (
            "report.csv",
            "series,headline\na,true\nb,perhaps\n",
            "report.csv",
            3,
            "headline",
        ),
        (
            "report.csv",
            "series,assumed_base,assumed_base_year,base_note\nx,1e9,,why\n",
            "report.csv",
            2,
            "assumed_base_year",
        ),
        (
            "report_sources.csv",
            "source,document\na.txt,A\na.txt,B\n",
            "report_sources.csv",
            3,
            "source",
        ),
    ];
    for (i, (name, text, file, line, column)) in cases.into_iter().enumerate() {
        let data = fresh(&format!("growthcast-report-malformed-{i}/data"));
        std::fs::copy(
            bundled.join("genai_users.csv"),
            data.join("genai_users.csv"),
        )
        .unwrap();
        std::fs::write(data.join(name), text).unwrap();
        let out = data.parent().unwrap().join("out");
        let e = report::run(&ReportOptions::new(&data, &out), |_, _, _| {}).unwrap_err();
        match &e {
            growthcast::Error::Csv {
                file: f,
                line: l,
                column: c,
                ..
            } => {
                assert!(f.ends_with(file), "{e}");
                assert_eq!((*l, c.as_deref()), (line, Some(column)), "{e}");
            }
            other => panic!("case {i}: not a CSV error: {other}"),
        }
        assert!(!out.exists(), "case {i}: nothing written");
    }
}

#[test]
fn a_series_of_five_points_or_more_gets_rolling_origin_backtests() {
    // Issue 18: the report's backtest table uses the rolling origin on every series with five
    // or more points: the recommendation against the naive forecast, per step ahead.
    let data = fresh("growthcast-report-rolling/data");
    let mut csv = String::from("date,value\n");
    for (i, v) in [100.0, 113.0, 125.0, 142.0, 155.0, 176.0, 190.0]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!("{}-06-30,{v}\n", 2015 + i));
    }
    std::fs::write(data.join("sales.csv"), csv).unwrap();
    std::fs::write(
        data.join("short.csv"),
        "date,value\n2020-06-30,1\n2021-06-30,2\n2022-06-30,3\n2023-06-30,5\n",
    )
    .unwrap();
    let out = data.parent().unwrap().join("out");
    let r = report::run(&ReportOptions::new(&data, &out), |_, _, _| {}).unwrap();
    let (header, rows) = read(&out.join("rolling_backtests.csv"));
    assert_eq!(
        header,
        [
            "series",
            "method",
            "step",
            "forecasts",
            "coverage",
            "median_width",
            "median_abs_log_error"
        ]
    );
    // Only the 7-point series; origins of 3 to 6 points: 4 forecasts one step ahead.
    assert!(rows.iter().all(|r| r["series"] == "sales"), "{rows:?}");
    let one = |method: &str| {
        rows.iter()
            .find(|r| r["method"].starts_with(method) && r["step"] == "1")
            .unwrap_or_else(|| panic!("no {method} row: {rows:?}"))
    };
    assert_eq!(one("recommended")["forecasts"], "4");
    assert_eq!(one("naive")["forecasts"], "4");
    assert_eq!(
        one("naive")["coverage"],
        "",
        "the naive forecast has no band"
    );
    let cov: f64 = one("recommended")["coverage"].parse().unwrap();
    assert!((0.0..=1.0).contains(&cov));
    // Recomputed through the library, the rows are the same numbers.
    let s = growthcast::io::read_series(data.join("sales.csv")).unwrap();
    let naive =
        growthcast::hindcast::rolling(&growthcast::hindcast::Forecaster::Naive, &s, 3, 5).unwrap();
    let e: f64 = one("naive")["median_abs_log_error"].parse().unwrap();
    approx::assert_relative_eq!(
        e,
        naive.by_step[0].median_abs_log_error,
        max_relative = 1e-12
    );
    assert!(r.text.contains("rolling-origin backtest"), "{}", r.text);
    assert!(
        r.text.contains(
            "the naive forecast (the last two points' growth carried forward) did better"
        ) || r
            .text
            .contains("as well as the naive one or better at every step"),
        "{}",
        r.text
    );
}
