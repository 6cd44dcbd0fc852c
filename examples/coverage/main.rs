//! Coverage of the default intervals and bands, measured: a simulation study over short noisy
//! series (README, "Coverage of intervals and bands").
//!
//! ```text
//! cargo run --release --example coverage                 # 400 series per cell, 2 threads
//! cargo run --release --example coverage -- 1000 --threads 4
//! ```
//!
//! True curves: exponential, logistic with the data ending before its inflection, logistic with
//! the data spanning it, Gompertz spanning its inflection, and the first logistic fitted with its
//! ceiling known (fixed). n ∈ {4, 6, 10} points one year apart, multiplicative (lognormal) noise
//! σ ∈ {0.02, 0.05, 0.10, 0.30} on the log scale, horizons 1, 2 and 5 years past the last point.
//! Each series is fitted with the TRUE model and the defaults; the study counts how often the
//! parameter intervals (profile likelihood, Wald beside it) hold the true parameter, the
//! confidence band (bootstrap, delta beside it) the true curve, and the prediction band a new
//! draw from the truth. Coverage is over the fits that succeed; failed fits are counted apart.

mod sim;

use sim::{
    cell_seed, grid_cells, median, parse_args, pct, pool_cells, run_cell, run_cells, Cell, Curve,
    Tally, CURVES, DEFAULTS, HORIZONS,
};
use std::time::Instant;

const NS: [usize; 3] = [4, 6, 10];
const SIGMAS: [f64; 4] = [0.02, 0.05, 0.10, 0.30];

fn main() {
    let (reps, threads) = parse_args("coverage", 400);
    let cells = grid_cells(&CURVES, &NS, &SIGMAS);
    let start = Instant::now();
    let tallies = run_cells(&cells, threads, |&(c, n, s)| {
        run_cell(c, n, s, reps, cell_seed(c, n, s), DEFAULTS)
    });
    let secs = start.elapsed().as_secs_f64();
    let se = 100.0 * (0.95 * 0.05 / reps as f64).sqrt();
    println!(
        "{reps} series per cell, {} cells, {secs:.0} s on {threads} threads. Coverage in % of the fits \
         that succeeded, `default / comparison`: parameters profile / Wald, bands bootstrap / delta. \
         Monte-Carlo standard error at 95%: {se:.1} points per cell, {:.1} pooled over 4 noise levels.\n",
        cells.len(),
        se / 2.0
    );
    println!("## Every cell\n");
    header();
    for ((c, n, s), t) in cells.iter().zip(&tallies) {
        row(*c, &format!("{n}"), &format!("{s}"), t);
    }
    println!("\n## By curve and n (pooled over the noise levels)\n");
    header();
    for &c in &CURVES {
        for &n in &NS {
            let t = pool(&cells, &tallies, |&(cc, nn, _)| cc == c && nn == n);
            row(c, &format!("{n}"), "all", &t);
        }
    }
    println!("\n## By noise level (pooled over curves and n; parameters: every free one)\n");
    header();
    for &s in &SIGMAS {
        let t = pool(&cells, &tallies, |&(_, _, ss)| ss == s);
        row_pooled(&format!("{s}"), &cells, &tallies, s, &t);
    }
    println!(
        "\n## Wald intervals, textbook (estimate ± t·SE) / kept to what the parameter can take \
         (fit::wald_interval: a ceiling's on the log scale, cut to the fit's bounds), by curve\n"
    );
    println!("| curve | parameters |\n|---|---|");
    for &c in &CURVES {
        let t = pool(&cells, &tallies, |&(cc, _, _)| cc == c);
        let cols = param_pairs(c, &t, &t.param_wald, &t.param_wald_kept);
        println!("| {} | {} |", c.name(), cols.join(", "));
    }
    println!("\n## Shape of the bands and failures, by curve (all n and noise levels)\n");
    shape_table(&cells, &tallies);
}

fn pool(cells: &[Cell], tallies: &[Tally], keep: impl Fn(&Cell) -> bool) -> Tally {
    pool_cells(cells, tallies, keep, Tally::default(), Tally::add)
}

fn header() {
    let h: Vec<String> = HORIZONS.iter().map(|h| format!("+{h}y")).collect();
    println!(
        "| curve | n | σ | failed | parameters | curve {} | {} | {} | new draw {} | {} | {} | conf. upper/lower {} | edge falls |",
        h[0], h[1], h[2], h[0], h[1], h[2], h[2]
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
}

fn bands(t: &Tally) -> String {
    let f = t.fits();
    let mut cols = Vec::new();
    for k in 0..HORIZONS.len() {
        cols.push(format!(
            "{} / {}",
            pct(t.conf_default[k], f),
            pct(t.conf_delta[k], f)
        ));
    }
    for k in 0..HORIZONS.len() {
        cols.push(format!(
            "{} / {}",
            pct(t.pred_default[k], f),
            pct(t.pred_delta[k], f)
        ));
    }
    let last = HORIZONS.len() - 1;
    let ratio = median(&t.width_ratio[last]);
    cols.push(if ratio < 1e3 {
        format!("{ratio:.2}")
    } else {
        format!("{ratio:.1e}")
    });
    cols.push(format!(
        "{} / {}",
        pct(t.falls_default, f),
        pct(t.falls_delta, f)
    ));
    cols.join(" | ")
}

/// `name a% / b%` for each free parameter of `c`: the shares of `t`'s fits whose intervals of
/// two kinds (`a`, `b`: counts per parameter) held it.
fn param_pairs(c: Curve, t: &Tally, a: &[usize], b: &[usize]) -> Vec<String> {
    let f = t.fits();
    t.names
        .iter()
        .enumerate()
        .filter(|&(j, _)| !c.fixed(j))
        .map(|(j, name)| format!("{name} {} / {}", pct(a[j], f), pct(b[j], f)))
        .collect()
}

fn row(c: Curve, n: &str, s: &str, t: &Tally) {
    let params = param_pairs(c, t, &t.param_default, &t.param_wald);
    println!(
        "| {} | {n} | {s} | {} | {} | {} |",
        c.name(),
        t.failed(),
        params.join(", "),
        bands(t)
    );
}

/// A row pooled over curves: the parameter column counts every free parameter of every fit.
fn row_pooled(s: &str, cells: &[Cell], tallies: &[Tally], sigma: f64, t: &Tally) {
    let (mut d, mut w, mut of) = (0, 0, 0);
    for ((c, _, ss), tt) in cells.iter().zip(tallies) {
        if *ss != sigma {
            continue;
        }
        for j in 0..tt.param_default.len() {
            if !c.fixed(j) {
                d += tt.param_default[j];
                w += tt.param_wald[j];
                of += tt.fits();
            }
        }
    }
    println!(
        "| all | all | {s} | {} | all {} / {} | {} |",
        t.failed(),
        pct(d, of),
        pct(w, of),
        bands(t)
    );
}

fn shape_table(cells: &[Cell], tallies: &[Tally]) {
    println!(
        "| curve | series | failed fits (kind) | default interval open-ended | band edge falls: bootstrap / delta | \
         conf. band above known K: bootstrap / delta | bootstrap refits failed | \
         diverged fits' \"K above …\": given / % true |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &c in &CURVES {
        let t = pool(cells, tallies, |&(cc, _, _)| cc == c);
        let f = t.fits();
        let kinds: Vec<String> = t.failures.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let open: Vec<String> = t
            .names
            .iter()
            .enumerate()
            .filter(|&(j, _)| !c.fixed(j))
            .map(|(j, name)| format!("{name} {}%", pct(t.param_open[j], f)))
            .collect();
        let ceiling = if c.known_ceiling(&c.truth(4)).is_some() {
            format!("{} / {}", t.above_ceiling_default, t.above_ceiling_delta)
        } else {
            "n/a".into()
        };
        println!(
            "| {} | {} | {} | {} | {} / {} | {ceiling} | {:.2}% | {} / {} |",
            c.name(),
            t.reps,
            if kinds.is_empty() {
                "0".into()
            } else {
                kinds.join(", ")
            },
            open.join(", "),
            t.falls_default,
            t.falls_delta,
            100.0 * t.boot_failed_share / f.max(1) as f64,
            t.diverged_bound,
            pct(t.diverged_bound_holds, t.diverged_bound)
        );
    }
}
