//! The `compare` subcommand, run as a user would: the ranking, the recommended projection
//! (text, JSON, CSV, chart), a known ceiling and the trust verdicts.

mod common;

use predicates::prelude::*;

use common::{cmd, exponential_csv};

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
    // `compare::Summary`'s fields, as the Python package's `Comparison.to_json()` gives them.
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let want = [
        "averaged",
        "criterion",
        "failed",
        "notes",
        "ranking",
        "recommended",
        "series",
    ];
    assert_eq!(
        keys.iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        want.into()
    );
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
