//! A batch of 1,000,000 logistic series × 10 points: time and memory.
//!
//! ```sh
//! /usr/bin/time -v cargo run --release --example batch_million            # parallel, anchors' start
//! /usr/bin/time -v target/release/examples/batch_million serial self      # serial, self-start
//! ```
//!
//! Arguments: `parallel` (default) or `serial`; `anchors` (default: start values
//! `(1.1 max y, 1, median t)` computed per series, as in the bench) or `self` (the model's
//! self-start, as `Fitter::fit` uses). The data come from the bench's generator (K ~ U(100,
//! 10000), r ~ U(0.5, 2), t0 ~ U(3, 7), 2% noise, t = linspace(0, 10, 10)), additive residuals.
//!
//! Prints the time, the number of converged fits, and the peak resident memory (`VmHWM`) next to
//! the input and output sizes: the batch streams over the rows with one solver per worker, so
//! the peak stays at input + output + a few MB.

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Instant;

use growthcast::batch::BatchFitter;
use growthcast::{ErrorModel, Logistic};
use ndarray::Array2;

const SERIES: usize = 1_000_000;
const N: usize = 10;

fn vm_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parallel = !args.iter().any(|a| a == "serial");
    let self_start = args.iter().any(|a| a == "self");
    let before = vm_kib("VmRSS:").unwrap_or(0);

    // The input: generated row by row straight into the array (no second copy).
    let t = support::linspace10(N);
    let mut rng = support::Rng::new(support::BATCH_SEED);
    let mut values = Array2::<f64>::zeros((SERIES, N));
    for mut row in values.rows_mut() {
        let (k, r, t0) = (
            rng.range(100.0, 10000.0),
            rng.range(0.5, 2.0),
            rng.range(3.0, 7.0),
        );
        for (y, &ti) in row.iter_mut().zip(&t) {
            *y = support::logistic(ti, k, r, t0) * (1.0 + 0.02 * rng.normal());
        }
    }

    let mut fitter = BatchFitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .parallel(parallel);
    if !self_start {
        fitter = fitter.start_with(|t, y, p| {
            p.copy_from_slice(&support::logistic_start(t, y));
            Ok(())
        });
    }
    let now = Instant::now();
    let fits = fitter.fit(&t, &values).expect("batch");
    let elapsed = now.elapsed();

    let input = (SERIES * N * 8) as f64;
    // params (3 f64) + rss (f64) + iterations and evaluations (u32) + termination (1 byte).
    let output = (SERIES * (3 * 8 + 8 + 4 + 4 + 1)) as f64;
    let peak = vm_kib("VmHWM:").unwrap_or(0) as f64 * 1024.0;
    println!(
        "{SERIES} series × {N} points, {}, {} start values, {} thread(s)",
        if parallel { "parallel" } else { "serial" },
        if self_start { "self-start" } else { "anchors'" },
        if parallel {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        }
    );
    println!(
        "time {:.3} s ({:.0} fits/s, {:.2} µs per fit); converged {} of {SERIES}",
        elapsed.as_secs_f64(),
        SERIES as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / SERIES as f64,
        fits.n_ok()
    );
    println!(
        "memory: process before the data {}, input {}, output {}; peak RSS {} \
         (peak − before − input − output = {})",
        mib(before as f64 * 1024.0),
        mib(input),
        mib(output),
        mib(peak),
        mib(peak - before as f64 * 1024.0 - input - output)
    );
    if let Some((i, e)) = fits.errors().first() {
        println!("first error: series {i}: {e}");
    }
}
