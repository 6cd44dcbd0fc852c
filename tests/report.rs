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
    let mut calls = 0;
    let r = report::run(&ReportOptions::new(&data, &out), |done, total, _| {
        calls += 1;
        assert!(done <= total);
    })
    .unwrap();
    assert_eq!(calls, 11, "one progress call per data file");
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
    assert_eq!(
        pngs,
        2 * 10 + 1,
        "fit and models charts for 10 series, one fan"
    );

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
            "at_horizon",
            "breaks_known_ceiling",
            "chosen",
            "warnings",
            "notes"
        ]
    );
    // One choice per series, the same in the text, the chart and the CSV (issue 12.5).
    for series in ["genai_users", "tokens_daily", "genai_penetration", "ai_tv_offline_share"] {
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
        assert!(chart.starts_with(&format!("{series}: {}", chosen[0])), "{chart}");
        let section = r.text.split("==== ").find(|t| t.starts_with(series)).unwrap();
        let line = section.lines().find(|l| l.starts_with("-- ")).unwrap();
        assert!(line.contains(chosen[0].as_str()), "{series}: {line} vs {chosen:?}");
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
    assert_eq!(users.len(), 5);
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
