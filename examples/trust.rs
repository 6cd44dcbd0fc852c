//! Calibrates the trust verdict (`growthcast::trust`, issue 15): among the fits it calls trusted,
//! how often does the fit's own 95% confidence band hold the true curve? And how often is the true
//! model trusted (the power)? The old `Fit::is_identified` is scored beside it.
//!
//! ```text
//! cargo run --release --example trust            # 100 series per cell, 2 threads, a few minutes
//! cargo run --release --example trust -- 200 --threads 4
//! ```
//!
//! True curves (those of `examples/coverage`): exponential, logistic with the data ending one year
//! before its inflection, logistic and Gompertz with the inflection in the middle of the data.
//! n ∈ {4, 6, 10} yearly points, lognormal noise σ ∈ {0.02, 0.05, 0.10}, horizons 1, 2 and 5
//! years past the last point. Every series is fitted with `compare::compare_standard`
//! (exponential, logistic, Gompertz, linear) and every candidate gets its verdict under each set
//! of thresholds of a grid (the bands, the costly part, are made once per fit and only for fits
//! some rule trusts). Coverage counts a fit whose band is not finite as not covering.
//!
//! Pools are curve × n (the three noise levels together); a pool with fewer than 20 trusted fits
//! is too small to judge and is listed apart.

#[path = "coverage/sim.rs"]
#[allow(dead_code)]
mod sim;

use std::time::Instant;

use growthcast::compare::compare_standard;
use growthcast::trust::TrustOptions;
use sim::{
    grid_cells, noisy_series, parse_args, pct, pool_cells, run_cells, seed_of, yearly, Cell, Curve,
    Rng, FREE_CURVES, HORIZONS,
};

const NS: [usize; 3] = [4, 6, 10];
const SIGMAS: [f64; 3] = [0.02, 0.05, 0.10];
const CURVES: [Curve; 4] = FREE_CURVES;
/// The seeds of this study's cells start here.
const SEED: u64 = 0x7A05_7000_0000_0000;
/// Smallest pool (trusted fits) whose coverage is held to the 90% target.
const MIN_POOL: usize = 20;
/// The coverage the verdict promises among trusted fits.
const TARGET: f64 = 0.90;

/// The threshold grid: fewest degrees of freedom × AIC margins (identified and unidentified
/// rivals) × (runs-test level, SD ratio), the last pair also off.
fn grid() -> Vec<TrustOptions> {
    let mut v = Vec::new();
    for min_dof in [2, 3, 4] {
        for margin in [2.0, 4.0, 6.0] {
            for margin_unidentified in [1.0, 2.0] {
                for (runs_alpha, sd_ratio) in [(0.05, 1.5), (0.10, 1.25), (0.0, f64::INFINITY)] {
                    v.push(TrustOptions {
                        min_dof,
                        margin,
                        margin_unidentified,
                        runs_alpha,
                        sd_ratio,
                    });
                }
            }
        }
    }
    v
}

/// Counts for one rule in one cell (or pool).
#[derive(Clone, Debug, Default)]
struct Stat {
    /// Series simulated.
    series: usize,
    /// Fits the rule passes (any candidate).
    passed: usize,
    /// Of those, per horizon: the fit's confidence band holds the true curve.
    covered: [usize; 3],
    /// Series where the true model's fit passes.
    true_passed: usize,
    /// Passed fits of another model than the true one.
    wrong_passed: usize,
}

impl Stat {
    fn add(&mut self, o: &Stat) {
        self.series += o.series;
        self.passed += o.passed;
        self.true_passed += o.true_passed;
        self.wrong_passed += o.wrong_passed;
        for k in 0..3 {
            self.covered[k] += o.covered[k];
        }
    }
    fn coverage(&self, k: usize) -> f64 {
        self.covered[k] as f64 / self.passed as f64
    }
    fn worst(&self) -> f64 {
        (0..3).map(|k| self.coverage(k)).fold(1.0, f64::min)
    }
}

/// One cell: the stats of the identified rule (index 0) and of each option set (1..).
fn run_cell(curve: Curve, n: usize, sigma: f64, reps: usize, seed: u64) -> Vec<Stat> {
    let opts = grid();
    let p = curve.truth(n);
    let t = yearly(n);
    let last = t[n - 1];
    let times: Vec<f64> = HORIZONS.iter().map(|h| last + h).collect();
    let truth = [0, 1, 2].map(|k| curve.value(times[k], &p));
    let mut rng = Rng::new(seed);
    let mut stats = vec![
        Stat {
            series: reps,
            ..Stat::default()
        };
        opts.len() + 1
    ];
    for _ in 0..reps {
        let s = noisy_series(curve, &p, &t, sigma, &mut rng);
        let cmp = compare_standard(&s);
        for c in &cmp.candidates {
            let Ok(fit) = &c.fit else { continue };
            let mut pass = vec![fit.is_identified()];
            pass.extend(opts.iter().map(|o| cmp.trust_with(c.id, o).trusted));
            if !pass.iter().any(|&x| x) {
                continue;
            }
            let pr = fit.project(&times);
            let cover = [0, 1, 2].map(|k| {
                let q = &pr.points[k];
                q.conf_lower <= truth[k] && truth[k] <= q.conf_upper
            });
            let own = c.model == curve.model_name();
            for (st, _) in stats.iter_mut().zip(&pass).filter(|(_, &x)| x) {
                st.passed += 1;
                st.true_passed += usize::from(own);
                st.wrong_passed += usize::from(!own);
                for (c, &hit) in st.covered.iter_mut().zip(&cover) {
                    *c += usize::from(hit);
                }
            }
        }
    }
    stats
}

/// The stats pooled over the cells `keep` selects.
fn pool(cells: &[Cell], stats: &[Vec<Stat>], keep: impl Fn(&Cell) -> bool) -> Vec<Stat> {
    let add =
        |out: &mut Vec<Stat>, st: &Vec<Stat>| out.iter_mut().zip(st).for_each(|(a, b)| a.add(b));
    pool_cells(
        cells,
        stats,
        keep,
        vec![Stat::default(); stats[0].len()],
        add,
    )
}

fn ratio_name(r: f64) -> String {
    if r.is_finite() {
        format!("{r}")
    } else {
        "off".into()
    }
}

/// One line per threshold set: worst pool, pooled coverage, power.
fn grid_table(pools: &[(String, Vec<Stat>)], all: &[Stat]) {
    println!("\n## Threshold grid (worst = lowest coverage over horizons and pools with ≥ {MIN_POOL} trusted fits)\n");
    println!("| min dof | margin | margin unid. | runs α | SD ratio | trusted fits | worst pool | pooled +1y | +2y | +5y | power | small pools |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (j, o) in grid().iter().enumerate() {
        let st = &all[j + 1];
        let judged: Vec<&Stat> = pools
            .iter()
            .map(|(_, p)| &p[j + 1])
            .filter(|p| p.passed >= MIN_POOL)
            .collect();
        let worst = judged.iter().map(|p| p.worst()).fold(1.0, f64::min);
        let small = pools.len() - judged.len();
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1}{} | {} | {} | {} | {} | {small} |",
            o.min_dof,
            o.margin,
            o.margin_unidentified,
            o.runs_alpha,
            ratio_name(o.sd_ratio),
            st.passed,
            100.0 * worst,
            if worst < TARGET { " ✗" } else { "" },
            pct(st.covered[0], st.passed),
            pct(st.covered[1], st.passed),
            pct(st.covered[2], st.passed),
            pct(st.true_passed, st.series),
        );
    }
}

/// The detailed table of one rule against the old `is_identified`, per pool and pooled.
fn detail(pools: &[(String, Vec<Stat>)], all: &[Stat], j: usize) {
    println!(
        "\n| curve | n | rule | fits passed | of another model | cover +1y | +2y | +5y | power |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(&str, &[Stat])> = pools.iter().map(|(n, p)| (n.as_str(), &p[..])).collect();
    rows.push(("all | all", all));
    for (name, p) in rows {
        for (rule, st) in [("trusted", &p[j]), ("old: identified", &p[0])] {
            let small = if st.passed < MIN_POOL { " (small)" } else { "" };
            println!(
                "| {name} | {rule} | {}{small} | {} | {} | {} | {} | {} |",
                st.passed,
                st.wrong_passed,
                pct(st.covered[0], st.passed),
                pct(st.covered[1], st.passed),
                pct(st.covered[2], st.passed),
                pct(st.true_passed, st.series),
            );
        }
    }
}

fn main() {
    let (reps, threads) = parse_args("trust", 100);
    let cells = grid_cells(&CURVES, &NS, &SIGMAS);
    let started = Instant::now();
    let stats = run_cells(&cells, threads, |&cell| {
        let (c, n, s) = cell;
        run_cell(c, n, s, reps, seed_of(SEED, &CURVES, cell))
    });
    let pools: Vec<(String, Vec<Stat>)> = CURVES
        .iter()
        .flat_map(|&c| NS.iter().map(move |&n| (c, n)))
        .map(|(c, n)| {
            let p = pool(&cells, &stats, |x| x.0 == c && x.1 == n);
            (format!("{} | {n}", c.name()), p)
        })
        .collect();
    let all = pool(&cells, &stats, |_| true);
    println!(
        "# Trust verdict calibration: {reps} series per cell, {} cells, {:.0} s on {threads} threads",
        cells.len(),
        started.elapsed().as_secs_f64()
    );
    grid_table(&pools, &all);
    let d = TrustOptions::default();
    let j = grid().iter().position(|o| *o == d).map_or(1, |j| j + 1);
    println!(
        "\n## Default thresholds (min dof {}, AIC margin {} / {} unidentified, runs α {}, SD ratio {}) against `is_identified`",
        d.min_dof,
        d.margin,
        d.margin_unidentified, d.runs_alpha, d.sd_ratio
    );
    detail(&pools, &all, j);
}
