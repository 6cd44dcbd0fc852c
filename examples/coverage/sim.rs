//! The simulation behind `cargo run --release --example coverage` (shared with
//! `tests/coverage.rs`): simulate short noisy series from a known curve, fit the true model with
//! the defaults, and count how often the intervals and bands hold the truth.

use std::collections::BTreeMap;
use std::sync::Mutex;

use growthcast::fit::wald_interval;
use growthcast::{Error, Exponential, Fit, Fitter, Gompertz, Logistic, Model, Series};

/// Horizons past the last observation, in years.
pub(crate) const HORIZONS: [f64; 3] = [1.0, 2.0, 5.0];
/// Step of the time grid on which the bands are checked for shape.
const GRID_STEP: f64 = 0.25;
/// First observation; the others follow one year apart.
pub(crate) const T_FIRST: f64 = 2020.0;

/// A deterministic generator (SplitMix64 with Box–Muller): the same numbers on every platform.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// A standard normal value.
    pub(crate) fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// The true curves of the study.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    /// `100 · exp(0.4 (t − t₁))`.
    Exponential,
    /// Logistic, K = 1000, r = 0.6, inflection one year after the last observation.
    LogisticBefore,
    /// Logistic, K = 1000, r = 0.6, inflection in the middle of the data.
    LogisticThrough,
    /// Gompertz, K = 1000, r = 0.5, inflection in the middle of the data.
    Gompertz,
    /// As `LogisticBefore`, fitted with K fixed at its true value.
    LogisticKnownK,
}

/// Every curve, in table order.
pub(crate) const CURVES: [Curve; 5] = [
    Curve::Exponential,
    Curve::LogisticBefore,
    Curve::LogisticThrough,
    Curve::Gompertz,
    Curve::LogisticKnownK,
];

impl Curve {
    /// A name for tables.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Curve::Exponential => "exponential",
            Curve::LogisticBefore => "logistic, before inflection",
            Curve::LogisticThrough => "logistic, through inflection",
            Curve::Gompertz => "Gompertz, through inflection",
            Curve::LogisticKnownK => "logistic, K known, before infl.",
        }
    }

    /// The name `compare::compare_standard` gives the model of this curve.
    #[allow(dead_code)] // the coverage study fits the true model alone; the others use this
    pub(crate) fn model_name(self) -> &'static str {
        match self {
            Curve::Exponential => "exponential",
            Curve::Gompertz => "gompertz",
            _ => "logistic",
        }
    }

    /// The true parameters for `n` yearly points starting at [`T_FIRST`].
    pub(crate) fn truth(self, n: usize) -> Vec<f64> {
        let last = T_FIRST + (n - 1) as f64;
        let mid = 0.5 * (T_FIRST + last);
        match self {
            Curve::Exponential => vec![100.0, 0.4],
            Curve::LogisticBefore | Curve::LogisticKnownK => vec![1000.0, 0.6, last + 1.0],
            Curve::LogisticThrough => vec![1000.0, 0.6, mid],
            Curve::Gompertz => vec![1000.0, 0.5, mid],
        }
    }

    /// The true curve at `t`.
    pub(crate) fn value(self, t: f64, p: &[f64]) -> f64 {
        match self {
            Curve::Exponential => p[0] * (p[1] * (t - T_FIRST)).exp(),
            Curve::Gompertz => Gompertz.value(t, p),
            _ => Logistic.value(t, p),
        }
    }

    /// Whether parameter `j` is held fixed in the fit.
    pub(crate) fn fixed(self, j: usize) -> bool {
        self == Curve::LogisticKnownK && j == 0
    }

    /// The known ceiling, for the curves fitted with one.
    pub(crate) fn known_ceiling(self, p: &[f64]) -> Option<f64> {
        (self == Curve::LogisticKnownK).then(|| p[0])
    }

    /// Fits the true model with the defaults (and, with `rate_positive`, the rate `r` bounded
    /// below by 0).
    pub(crate) fn fit(self, s: &Series, p: &[f64], rate_positive: bool) -> Result<Fit, Error> {
        fn go<M: Model + Clone + 'static>(
            f: Fitter<M>,
            s: &Series,
            pos: bool,
        ) -> Result<Fit, Error> {
            if pos {
                f.bound("r", 0.0, f64::INFINITY).fit(s)
            } else {
                f.fit(s)
            }
        }
        match self {
            Curve::Exponential => go(Fitter::new(Exponential::new()), s, rate_positive),
            Curve::LogisticBefore | Curve::LogisticThrough => {
                go(Fitter::new(Logistic), s, rate_positive)
            }
            Curve::Gompertz => go(Fitter::new(Gompertz), s, rate_positive),
            Curve::LogisticKnownK => go(Fitter::new(Logistic).fix("K", p[0]), s, rate_positive),
        }
    }
}

/// Counts for one cell (or a pool of cells). Coverage counts are over the fits that succeeded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    /// Replicates simulated.
    pub(crate) reps: usize,
    /// Failed fits by error kind.
    pub(crate) failures: BTreeMap<String, usize>,
    /// Parameter names, in the model's order (free and fixed).
    pub(crate) names: Vec<String>,
    /// Per parameter: fits whose default (profile) interval holds the truth.
    pub(crate) param_default: Vec<usize>,
    /// Per parameter: fits whose textbook Wald interval (estimate ± t·SE) holds the truth.
    pub(crate) param_wald: Vec<usize>,
    /// Per parameter: fits whose Wald interval kept to what the parameter can take
    /// (`fit::wald_interval`, what `IntervalMethod::Wald` gives) holds the truth.
    pub(crate) param_wald_kept: Vec<usize>,
    /// Per parameter: fits whose default interval has an infinite end.
    pub(crate) param_open: Vec<usize>,
    /// Per horizon: default (bootstrap) confidence band holds the true curve.
    pub(crate) conf_default: Vec<usize>,
    /// Per horizon: delta confidence band holds the true curve.
    pub(crate) conf_delta: Vec<usize>,
    /// Per horizon: default prediction band holds a new noisy draw.
    pub(crate) pred_default: Vec<usize>,
    /// Per horizon: delta prediction band holds the same draw.
    pub(crate) pred_delta: Vec<usize>,
    /// Per horizon: upper / lower of the default confidence band, one per fit.
    pub(crate) width_ratio: Vec<Vec<f64>>,
    /// Fits whose default band (confidence or prediction) has an edge that falls over time.
    pub(crate) falls_default: usize,
    /// Fits whose delta band has an edge that falls over time.
    pub(crate) falls_delta: usize,
    /// Fits with a known ceiling whose default confidence band exceeds it somewhere.
    pub(crate) above_ceiling_default: usize,
    /// The same for the delta band.
    pub(crate) above_ceiling_delta: usize,
    /// Diverged fits that state a one-sided bound on the ceiling ("K above …").
    pub(crate) diverged_bound: usize,
    /// Of those, the statements that hold for the true ceiling.
    pub(crate) diverged_bound_holds: usize,
    /// Sum over fits of the share of bootstrap draws whose refit failed.
    pub(crate) boot_failed_share: f64,
}

impl Tally {
    /// An empty tally for `np` parameters and `h` horizons.
    fn with_sizes(np: usize, h: usize) -> Self {
        Tally {
            param_default: vec![0; np],
            param_wald: vec![0; np],
            param_wald_kept: vec![0; np],
            param_open: vec![0; np],
            conf_default: vec![0; h],
            conf_delta: vec![0; h],
            pred_default: vec![0; h],
            pred_delta: vec![0; h],
            width_ratio: vec![Vec::new(); h],
            ..Tally::default()
        }
    }

    /// Fits that succeeded.
    pub(crate) fn fits(&self) -> usize {
        self.reps - self.failures.values().sum::<usize>()
    }

    /// Failed fits.
    pub(crate) fn failed(&self) -> usize {
        self.failures.values().sum()
    }

    /// Adds another tally's counts to this one.
    pub(crate) fn add(&mut self, o: &Tally) {
        if self.param_default.is_empty() {
            *self = Tally::with_sizes(o.param_default.len(), o.conf_default.len());
        }
        if self.names.is_empty() {
            self.names = o.names.clone();
        }
        self.reps += o.reps;
        for (k, v) in &o.failures {
            *self.failures.entry(k.clone()).or_default() += v;
        }
        let sum =
            |a: &mut Vec<usize>, b: &Vec<usize>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        sum(&mut self.param_default, &o.param_default);
        sum(&mut self.param_wald, &o.param_wald);
        sum(&mut self.param_wald_kept, &o.param_wald_kept);
        sum(&mut self.param_open, &o.param_open);
        sum(&mut self.conf_default, &o.conf_default);
        sum(&mut self.conf_delta, &o.conf_delta);
        sum(&mut self.pred_default, &o.pred_default);
        sum(&mut self.pred_delta, &o.pred_delta);
        for (a, b) in self.width_ratio.iter_mut().zip(&o.width_ratio) {
            a.extend_from_slice(b);
        }
        self.falls_default += o.falls_default;
        self.falls_delta += o.falls_delta;
        self.above_ceiling_default += o.above_ceiling_default;
        self.above_ceiling_delta += o.above_ceiling_delta;
        self.diverged_bound += o.diverged_bound;
        self.diverged_bound_holds += o.diverged_bound_holds;
        self.boot_failed_share += o.boot_failed_share;
    }
}

/// The name of an error's variant (`Diverged`, `NotConverged`, …).
fn error_kind(e: &Error) -> String {
    let d = format!("{e:?}");
    d.split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_string()
}

/// Whether a sequence falls anywhere (beyond rounding).
fn falls(v: impl Iterator<Item = f64>) -> bool {
    let mut prev = f64::NEG_INFINITY;
    for x in v {
        if x < prev - 1e-10 * prev.abs() {
            return true;
        }
        prev = x;
    }
    false
}

/// What a cell measures besides the parameter intervals.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// Measure the bands too (each fit then makes its bootstrap sample, the bulk of the cost).
    pub(crate) bands: bool,
    /// Fit with the rate `r` bounded below by 0 instead of the defaults.
    pub(crate) rate_positive: bool,
}

/// The study's setting: bands measured, default fits.
pub(crate) const DEFAULTS: Options = Options {
    bands: true,
    rate_positive: false,
};

/// Runs one cell: `reps` series of `n` yearly points from `curve` with log-scale noise `sigma`.
pub(crate) fn run_cell(
    curve: Curve,
    n: usize,
    sigma: f64,
    reps: usize,
    seed: u64,
    opt: Options,
) -> Tally {
    let truth = curve.truth(n);
    let t = yearly(n);
    let last = t[n - 1];
    // A grid from the first observation to the last horizon that holds the horizons exactly.
    let steps = ((last + HORIZONS[HORIZONS.len() - 1] - T_FIRST) / GRID_STEP).round() as usize;
    let grid: Vec<f64> = (0..=steps)
        .map(|k| T_FIRST + GRID_STEP * k as f64)
        .collect();
    let at = |h: f64| ((last + h - T_FIRST) / GRID_STEP).round() as usize;
    let mut rng = Rng::new(seed);
    let mut tally = Tally::with_sizes(truth.len(), HORIZONS.len());
    tally.reps = reps;
    for _ in 0..reps {
        let s = noisy_series(curve, &truth, &t, sigma, &mut rng);
        // New draws at the horizons, made whether or not the fit succeeds (same random stream).
        let fresh: Vec<f64> = HORIZONS
            .iter()
            .map(|&h| curve.value(last + h, &truth) * (sigma * rng.normal()).exp())
            .collect();
        let fit = match curve.fit(&s, &truth, opt.rate_positive) {
            Ok(f) => f,
            Err(e) => {
                if let Error::Diverged { bound: Some(b), .. } = &e {
                    tally.diverged_bound += 1;
                    tally.diverged_bound_holds += usize::from(truth[0] >= b.above);
                }
                *tally.failures.entry(error_kind(&e)).or_default() += 1;
                continue;
            }
        };
        if tally.names.is_empty() {
            tally.names = fit.params().iter().map(|p| p.name.clone()).collect();
        }
        for (j, p) in fit.params().iter().enumerate() {
            let v = truth[j];
            tally.param_default[j] += usize::from(p.lower <= v && v <= p.upper);
            tally.param_wald[j] += usize::from(p.wald_lower <= v && v <= p.wald_upper);
            // The t quantile the fit used, read back from its textbook interval.
            let q = (p.wald_upper - p.estimate) / p.std_error;
            let bounds = p.bounds.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
            let (lo, hi) = wald_interval(p.estimate, p.std_error, q, p.role, bounds);
            tally.param_wald_kept[j] += usize::from(lo <= v && v <= hi);
            tally.param_open[j] += usize::from(p.lower.is_infinite() || p.upper.is_infinite());
        }
        if !opt.bands {
            continue;
        }
        let boot = fit.project(&grid);
        let delta = fit.project_delta(&grid);
        tally.boot_failed_share += fit.bootstrap_failures();
        for (k, &h) in HORIZONS.iter().enumerate() {
            let (b, d) = (&boot.points[at(h)], &delta.points[at(h)]);
            let f = curve.value(last + h, &truth);
            tally.conf_default[k] += usize::from(b.conf_lower <= f && f <= b.conf_upper);
            tally.conf_delta[k] += usize::from(d.conf_lower <= f && f <= d.conf_upper);
            let y = fresh[k];
            tally.pred_default[k] += usize::from(b.pred_lower <= y && y <= b.pred_upper);
            tally.pred_delta[k] += usize::from(d.pred_lower <= y && y <= d.pred_upper);
            tally.width_ratio[k].push(b.conf_upper / b.conf_lower);
        }
        let band_falls = |pr: &growthcast::Projection| {
            falls(pr.points.iter().map(|p| p.conf_lower))
                || falls(pr.points.iter().map(|p| p.conf_upper))
                || falls(pr.points.iter().map(|p| p.pred_lower))
                || falls(pr.points.iter().map(|p| p.pred_upper))
        };
        tally.falls_default += usize::from(band_falls(&boot));
        tally.falls_delta += usize::from(band_falls(&delta));
        if let Some(k) = curve.known_ceiling(&truth) {
            tally.above_ceiling_default +=
                usize::from(boot.points.iter().any(|p| p.conf_upper > k));
            tally.above_ceiling_delta += usize::from(delta.points.iter().any(|p| p.conf_upper > k));
        }
    }
    tally
}

/// A seed for a cell, so that each cell's numbers do not depend on which others are run.
pub(crate) fn cell_seed(curve: Curve, n: usize, sigma: f64) -> u64 {
    seed_of(0x5EED_0000_0000, &CURVES, (curve, n, sigma))
}

// ---------------------------------------------------------------------------------------------
// The harness the studies share (coverage, model_uncertainty, trust)
// ---------------------------------------------------------------------------------------------

/// The observation times of an `n`-point series: yearly from [`T_FIRST`].
pub(crate) fn yearly(n: usize) -> Vec<f64> {
    (0..n).map(|i| T_FIRST + i as f64).collect()
}

/// A simulated series: `curve` with parameters `p` at the times `t`, each value multiplied by
/// lognormal noise `exp(σ z)`, one draw of `rng` per time, in order.
pub(crate) fn noisy_series(
    curve: Curve,
    p: &[f64],
    t: &[f64],
    sigma: f64,
    rng: &mut Rng,
) -> Series {
    let y: Vec<f64> = t
        .iter()
        .map(|&ti| curve.value(ti, p) * (sigma * rng.normal()).exp())
        .collect();
    Series::from_slices("sim", t, &y).expect("simulated series are valid")
}

/// A cell of a study: the true curve, the number of points and the noise level σ.
pub(crate) type Cell = (Curve, usize, f64);

/// The true curves whose parameters are all fitted: every curve but the known-ceiling one.
#[allow(dead_code)] // the coverage study uses every curve; the others use these
pub(crate) const FREE_CURVES: [Curve; 4] = [
    Curve::Exponential,
    Curve::LogisticBefore,
    Curve::LogisticThrough,
    Curve::Gompertz,
];

/// Every cell of `curves` × `ns` × `sigmas`, in that order (the tables' order).
pub(crate) fn grid_cells(curves: &[Curve], ns: &[usize], sigmas: &[f64]) -> Vec<Cell> {
    curves
        .iter()
        .flat_map(|&c| {
            ns.iter()
                .flat_map(move |&n| sigmas.iter().map(move |&s| (c, n, s)))
        })
        .collect()
}

/// The seed of a cell of a study whose seeds start from `base` and whose curves are `curves`,
/// so that a cell's numbers do not depend on which others run.
pub(crate) fn seed_of(base: u64, curves: &[Curve], (curve, n, sigma): Cell) -> u64 {
    let c = curves.iter().position(|&x| x == curve).unwrap_or(0) as u64;
    base ^ (c << 32) ^ ((n as u64) << 16) ^ (sigma * 1000.0).round() as u64
}

/// Runs `f` on every cell on `threads` threads (each takes the next cell not yet taken) and
/// returns the results in the order of `cells`.
pub(crate) fn run_cells<C: Sync, S: Send>(
    cells: &[C],
    threads: usize,
    f: impl Fn(&C) -> S + Sync,
) -> Vec<S> {
    let next = Mutex::new(0usize);
    let out: Mutex<Vec<Option<S>>> = Mutex::new((0..cells.len()).map(|_| None).collect());
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(|| loop {
                let k = {
                    let mut g = next.lock().expect("no thread panics holding the lock");
                    *g += 1;
                    *g - 1
                };
                let Some(cell) = cells.get(k) else {
                    break;
                };
                let result = f(cell);
                out.lock().expect("no thread panics holding the lock")[k] = Some(result);
            });
        }
    });
    out.into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|t| t.expect("every cell ran"))
        .collect()
}

/// The per-cell results `stats` of the cells `keep` selects, each added (`add`) into `out`.
pub(crate) fn pool_cells<S>(
    cells: &[Cell],
    stats: &[S],
    keep: impl Fn(&Cell) -> bool,
    mut out: S,
    add: impl Fn(&mut S, &S),
) -> S {
    for (c, st) in cells.iter().zip(stats) {
        if keep(c) {
            add(&mut out, st);
        }
    }
    out
}

/// The replicates per cell and the threads, from the command line
/// `[REPLICATES_PER_CELL] [--threads N]` (defaults `default_reps` and 2). When either is not a
/// positive integer, prints the usage line of `example` and exits with status 2.
pub(crate) fn parse_args(example: &str, default_reps: usize) -> (usize, usize) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut reps, mut threads, mut i) = (default_reps, 2, 0);
    while i < args.len() {
        match args[i].as_str() {
            "--threads" => {
                threads = args.get(i + 1).and_then(|a| a.parse().ok()).unwrap_or(0);
                i += 1;
            }
            a => reps = a.parse().unwrap_or(0),
        }
        i += 1;
    }
    if reps == 0 || threads == 0 {
        eprintln!(
            "usage: {example} [REPLICATES_PER_CELL] [--threads N]   (both positive integers)"
        );
        std::process::exit(2);
    }
    (reps, threads)
}

/// `count` as a percentage of `of`, one decimal ("–" when `of` is 0).
pub(crate) fn pct(count: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.1}", 100.0 * count as f64 / of as f64)
    }
}

/// The median of `v` (NaN when empty).
pub(crate) fn median(v: &[f64]) -> f64 {
    let mut v: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}
