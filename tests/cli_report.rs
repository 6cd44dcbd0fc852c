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
