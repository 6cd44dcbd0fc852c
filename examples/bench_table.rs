//! Reproduces the performance comparison in one command:
//!
//! ```sh
//! cargo run --release --example bench_table            # 3 rounds of `cargo bench --bench fit`
//! cargo run --release --example bench_table -- 5       # 5 rounds
//! cargo run --release --example bench_table -- 0       # no new run: read the last results
//! ```
//!
//! Each round runs the criterion bench `benches/fit.rs` (growthcast and the levenberg-marquardt
//! crate side by side in every group) and reads the median time of each function from
//! `target/criterion/GROUP/FUNCTION/new/estimates.json`. A ratio is computed within a round
//! (both sides measured minutes apart at most, on the same machine state); the table gives,
//! per case, the median over rounds of those ratios, the per-round ratios, and whether the
//! issue's target is met. It also counts, over the bench's 10,000 batch series, the fits that
//! reach the crate's minimum. A last row gives the machine's own ceiling for two threads (two
//! independent serial batches at once against one), so that a parallel ratio can be read
//! against what the cores delivered in that run. The table is printed and written to
//! `target/bench_table.md`.

#[path = "../benches/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(label, group, our function, their function, target ratio)`: the ratio is their time over
/// ours (how many times faster growthcast is).
const CASES: [(&str, &str, &str, &str, f64); 8] = [
    (
        "logistic, n = 10",
        "logistic_n10",
        "growthcast",
        "levenberg_marquardt",
        2.5,
    ),
    (
        "logistic, n = 100",
        "logistic_n100",
        "growthcast",
        "levenberg_marquardt",
        0.0,
    ),
    (
        "logistic, n = 1000",
        "logistic_n1000",
        "growthcast",
        "levenberg_marquardt",
        1.5,
    ),
    (
        "exponential, n = 10",
        "exp_n10",
        "growthcast",
        "levenberg_marquardt",
        2.0,
    ),
    (
        "exponential, n = 100",
        "exp_n100",
        "growthcast",
        "levenberg_marquardt",
        0.0,
    ),
    (
        "exponential, n = 1000",
        "exp_n1000",
        "growthcast",
        "levenberg_marquardt",
        1.5,
    ),
    (
        "batch 10,000 × 10, serial",
        "batch_logistic_10k",
        "growthcast_serial",
        "levenberg_marquardt_serial",
        3.0,
    ),
    (
        "batch parallel vs serial (growthcast)",
        "batch_logistic_10k",
        "growthcast_parallel",
        "growthcast_serial",
        1.7,
    ),
];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Median time in nanoseconds of one bench function in the last run.
fn median_ns(group: &str, function: &str) -> Option<f64> {
    let path = target_dir()
        .join("criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn command_output(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("number of rounds"))
        .unwrap_or(3);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // ratios[case] over rounds, and the times of the last round.
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); CASES.len()];
    let mut last: Vec<(f64, f64)> = vec![(f64::NAN, f64::NAN); CASES.len()];
    let mut full_path = (f64::NAN, f64::NAN);
    // Per round: what two threads can reach on this machine (two independent serial batches).
    let mut ceiling: Vec<f64> = Vec::new();
    // Per round: the parallel speed-up as a share of that ceiling.
    let mut of_ceiling: Vec<f64> = Vec::new();
    for round in 0..rounds.max(1) {
        if rounds > 0 {
            eprintln!("round {} of {rounds}: cargo bench --bench fit", round + 1);
            let status = Command::new(&cargo)
                .args(["bench", "--bench", "fit"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stdout(std::process::Stdio::null())
                .status()
                .expect("cargo bench runs");
            assert!(status.success(), "cargo bench failed");
        }
        for (k, (_, group, ours, theirs, _)) in CASES.iter().enumerate() {
            if let (Some(a), Some(b)) = (median_ns(group, ours), median_ns(group, theirs)) {
                ratios[k].push(b / a);
                last[k] = (a, b);
            }
        }
        if let (Some(serial), Some(two), Some(parallel)) = (
            median_ns("batch_logistic_10k", "growthcast_serial"),
            median_ns("batch_logistic_10k", "machine_two_serial_threads"),
            median_ns("batch_logistic_10k", "growthcast_parallel"),
        ) {
            ceiling.push(2.0 * serial / two);
            of_ceiling.push((serial / parallel) / (2.0 * serial / two));
        }
        full_path = (
            median_ns("full_path_logistic_n10", "fitter_self_start").unwrap_or(f64::NAN),
            median_ns("full_path_logistic_n10", "fitter_given_start").unwrap_or(f64::NAN),
        );
    }

    let mut out = String::new();
    let rustc = command_output("rustc", &["--version"]);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    out += &format!(
        "Machine: {cores} cores ({cpu}), {rustc}; {} round(s) of `cargo bench --bench fit`.\n\n",
        rounds.max(1)
    );
    out += "| case | growthcast | comparison | ratio (median over rounds) | per round | target | met |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (k, (label, _, _, theirs, target)) in CASES.iter().enumerate() {
        let per_round: Vec<String> = ratios[k].iter().map(|r| format!("{r:.2}")).collect();
        let m = median(&mut ratios[k].clone());
        let who = if theirs.starts_with("levenberg") {
            "levenberg-marquardt"
        } else {
            "growthcast serial"
        };
        let (target_s, met) = if *target > 0.0 {
            (
                format!("≥ {target}×"),
                if m >= *target { "yes" } else { "**no**" },
            )
        } else {
            ("—".to_string(), "")
        };
        out += &format!(
            "| {label} | {} | {} ({who}) | **{m:.2}×** | {} | {target_s} | {met} |\n",
            time(last[k].0),
            time(last[k].1),
            per_round.join(", "),
        );
    }
    let per_round: Vec<String> = ceiling.iter().map(|r| format!("{r:.2}")).collect();
    if !ceiling.is_empty() {
        out += &format!(
        "| machine ceiling: two threads fitting at once vs one (no target) | | | {:.2}× | {} | — | |\n",
        median(&mut ceiling.clone()),
        per_round.join(", ")
    );
    }
    if !of_ceiling.is_empty() {
        let per_round: Vec<String> = of_ceiling.iter().map(|r| format!("{r:.2}")).collect();
        out += &format!(
            "\nParallel speed-up as a share of the machine's two-thread ceiling: median {:.2} \
             (per round {}).\n",
            median(&mut of_ceiling.clone()),
            per_round.join(", ")
        );
    }
    out += &format!(
        "\nFull user path (`Fitter::fit` on a `Series`, rich `Fit` with covariance and report), \
         logistic n = 10: {} with self-start values, {} with the given start values.\n",
        time(full_path.0),
        time(full_path.1)
    );
    let per_fit = |k: usize| last[k].0 / 10_000.0;
    out += &format!(
        "Batch per fit (last round): growthcast serial {}, parallel {}; levenberg-marquardt serial {}.\n",
        time(per_fit(6)),
        time(last[7].0 / 10_000.0),
        time(last[6].1 / 10_000.0),
    );

    let (t, values) = support::batch_array(10_000);
    let (same, total, worst) = support::same_answers(&t, &values);
    out += &format!(
        "Same answers: growthcast reaches the levenberg-marquardt crate's minimum (parameters within \
         1e-6 relative, or an RSS no higher) on {same} of {total} batch series; worst relative \
         parameter difference {worst:.1e}.\n"
    );
    println!("{out}");
    let path = target_dir().join("bench_table.md");
    if std::fs::write(&path, &out).is_ok() {
        eprintln!("written to {}", path.display());
    }
}
