//! `fit` on a long file read one series at a time: a file whose rows are grouped by series is
//! streamed (checked whole first, so a bad row stops the run before anything is written), and
//! one whose rows are not is read whole, with the same results.

mod common;

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use common::{broken, cmd};

/// `n` exponential series of 8 daily points, as (series, time, value) rows in series order.
fn rows(n: usize) -> Vec<(String, usize, f64)> {
    let mut rows = Vec::new();
    for i in 0..n {
        let r = 0.1 + 0.01 * i as f64;
        for t in 0..8 {
            let noise = 1.0 + 0.03 * ((i * 5 + t * 3) as f64).sin();
            rows.push((format!("e{i:02}"), t, 50.0 * (r * t as f64).exp() * noise));
        }
    }
    rows
}

fn write(name: &str, rows: &[(String, usize, f64)], tail: &str) -> PathBuf {
    let mut text = String::from("series,time,value\n");
    for (s, t, y) in rows {
        text.push_str(&format!("{s},{t},{y}\n"));
    }
    text.push_str(tail);
    broken(name, &text)
}

fn out(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli-stream");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn grouped_and_interleaved_rows_give_the_same_tables() {
    let grouped = rows(30);
    // The same rows, by time first: every series' rows are spread over the file.
    let mut interleaved = grouped.clone();
    interleaved.sort_by_key(|(s, t, _)| (*t, s.clone()));
    let files = [
        write("grouped30.csv", &grouped, ""),
        write("interleaved30.csv", &interleaved, ""),
    ];
    let mut tables = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let (params, csv) = (out(&format!("p{k}.csv")), out(&format!("c{k}.csv")));
        cmd()
            .args(["fit", file.to_str().unwrap(), "--time-unit", "day"])
            .args(["--params", params.to_str().unwrap()])
            .args(["--csv", csv.to_str().unwrap(), "--bands", "delta"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "30 series, exponential model: 30 fitted",
            ));
        tables.push((
            std::fs::read_to_string(&params).unwrap(),
            std::fs::read_to_string(&csv).unwrap(),
        ));
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0].0.lines().count(), 1 + 30 * 2);
}

#[test]
fn a_bad_row_late_in_a_grouped_file_stops_the_run_before_anything_is_written() {
    let file = write("late_bad.csv", &rows(20), "e99,0,12\ne99,1,oops\n");
    let params = out("late_bad_params.csv");
    cmd()
        .args([
            "fit",
            file.to_str().unwrap(),
            "--time-unit",
            "day",
            "--fast",
        ])
        .args(["--params", params.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 163"))
        .stderr(predicate::str::contains("oops"));
    assert!(!params.exists(), "nothing written");
}

#[test]
fn compare_streams_a_grouped_file_and_reads_an_interleaved_one_whole_alike() {
    let grouped = rows(4);
    let mut interleaved = grouped.clone();
    interleaved.sort_by_key(|(s, t, _)| (*t, s.clone()));
    let files = [
        write("cmp_grouped.csv", &grouped, ""),
        write("cmp_interleaved.csv", &interleaved, ""),
    ];
    let mut tables = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let csv = out(&format!("cmp{k}.csv"));
        cmd()
            .args(["compare", file.to_str().unwrap(), "--time-unit", "day"])
            .args(["--csv", csv.to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "4 series: 4 with a recommended projection",
            ));
        tables.push(std::fs::read_to_string(&csv).unwrap());
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0].lines().count(), 1 + 4);
}
