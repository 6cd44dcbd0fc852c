//! Shared by the benches, the same-answers test and the ratio-table example: the benchmark data,
//! the start values of the anchors, and the levenberg-marquardt crate's problems.
//!
//! Included with `#[path = "../benches/support/mod.rs"] mod support;` where needed.
#![allow(dead_code, unreachable_pub, missing_docs)]

use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt, MinimizationReport};
use nalgebra::{DVector, Dyn, Matrix, OMatrix, Owned, VecStorage, Vector, U1, U2, U3};

/// The anchors' data folder, `../shared/bench-data` beside the crate (or `GROWTHCAST_BENCH_DATA`).
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("GROWTHCAST_BENCH_DATA")
        .map(Into::into)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench-data")
        })
}

/// `linspace(0, 10, n)`, as numpy makes it.
pub fn linspace10(n: usize) -> Vec<f64> {
    let step = 10.0 / (n - 1) as f64;
    (0..n)
        .map(|i| if i == n - 1 { 10.0 } else { i as f64 * step })
        .collect()
}

/// The series `logistic_n{n}` or `exp_n{n}` of the anchors: read from `bench-data/NAME.csv`, or,
/// when that folder is absent, generated the same way (t = linspace(0, 10, n), 2% multiplicative
/// Gaussian noise) from this module's generator with a fixed seed. Returns `(t, y, from_file)`.
pub fn series(name: &str) -> (Vec<f64>, Vec<f64>, bool) {
    let path = data_dir().join(format!("{name}.csv"));
    if let Ok(text) = std::fs::read_to_string(&path) {
        let (mut t, mut y) = (Vec::new(), Vec::new());
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut it = line.split(',');
            t.push(it.next().unwrap().trim().parse::<f64>().unwrap());
            y.push(it.next().unwrap().trim().parse::<f64>().unwrap());
        }
        return (t, y, true);
    }
    let (kind, n) = name.split_once("_n").expect("NAME_nN");
    let n: usize = n.parse().unwrap();
    let t = linspace10(n);
    let mut rng = Rng::new(0x6772_6f77 ^ n as u64);
    let y = t
        .iter()
        .map(|&ti| {
            let f = match kind {
                "logistic" => logistic(ti, 1000.0, 1.2, 5.0),
                _ => 2.0 * (0.7 * ti).exp(),
            };
            f * (1.0 + 0.02 * rng.normal())
        })
        .collect();
    (t, y, false)
}

pub fn logistic(t: f64, k: f64, r: f64, t0: f64) -> f64 {
    k / (1.0 + (-r * (t - t0)).exp())
}

/// SplitMix64 with Box–Muller normals: small, fixed, and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// The batch of the anchors: `series` logistic series on `t = linspace(0, 10, n)`,
/// K ~ U(100, 10000), r ~ U(0.5, 2), t0 ~ U(3, 7), 2% multiplicative noise; fixed seed.
/// Returns the time axis, the values row-major (series × n) and the true parameters.
pub fn batch(series: usize, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<[f64; 3]>) {
    let t = linspace10(n);
    let mut rng = Rng::new(seed);
    let mut values = Vec::with_capacity(series * n);
    let mut truth = Vec::with_capacity(series);
    for _ in 0..series {
        let k = rng.range(100.0, 10000.0);
        let r = rng.range(0.5, 2.0);
        let t0 = rng.range(3.0, 7.0);
        truth.push([k, r, t0]);
        for &ti in &t {
            values.push(logistic(ti, k, r, t0) * (1.0 + 0.02 * rng.normal()));
        }
    }
    (t, values, truth)
}

/// The batch seed used by the bench, the test and the table.
pub const BATCH_SEED: u64 = 20_261_123;

/// Median of `t` (no allocation up to 64 points).
pub fn median(t: &[f64]) -> f64 {
    fn med(v: &mut [f64]) -> f64 {
        v.sort_unstable_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        }
    }
    if t.len() <= 64 {
        let mut buf = [0.0; 64];
        buf[..t.len()].copy_from_slice(t);
        med(&mut buf[..t.len()])
    } else {
        med(&mut t.to_vec())
    }
}

/// The anchors' logistic start: `(1.1 max(y), 1.0, median(t))`.
pub fn logistic_start(t: &[f64], y: &[f64]) -> [f64; 3] {
    let ymax = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    [1.1 * ymax, 1.0, median(t)]
}

/// The anchors' exponential start: `(y[0], 0.5)`.
pub fn exp_start(_t: &[f64], y: &[f64]) -> [f64; 2] {
    [y[0], 0.5]
}

/// The levenberg-marquardt crate with MINPACK's tolerances (ftol = xtol = 1.49012e-8, gtol = 0).
pub fn lm_solver() -> LevenbergMarquardt<f64> {
    LevenbergMarquardt::new()
        .with_ftol(1.49012e-8)
        .with_xtol(1.49012e-8)
        .with_gtol(0.0)
}

/// Logistic `K / (1 + exp(-r (t - t0)))` for the crate: residuals `f - y`, analytic Jacobian.
#[derive(Debug)]
pub struct LogisticLm<'a> {
    pub t: &'a [f64],
    pub y: &'a [f64],
    pub p: Vector<f64, U3, Owned<f64, U3>>,
}

impl LeastSquaresProblem<f64, Dyn, U3> for LogisticLm<'_> {
    type ResidualStorage = VecStorage<f64, Dyn, U1>;
    type JacobianStorage = VecStorage<f64, Dyn, U3>;
    type ParameterStorage = Owned<f64, U3>;

    fn set_params(&mut self, x: &Vector<f64, U3, Self::ParameterStorage>) {
        self.p.copy_from(x);
    }
    fn params(&self) -> Vector<f64, U3, Self::ParameterStorage> {
        self.p
    }
    fn residuals(&self) -> Option<DVector<f64>> {
        let (k, r, t0) = (self.p[0], self.p[1], self.p[2]);
        Some(DVector::from_iterator(
            self.t.len(),
            self.t
                .iter()
                .zip(self.y)
                .map(|(&t, &y)| k / (1.0 + (-r * (t - t0)).exp()) - y),
        ))
    }
    fn jacobian(&self) -> Option<OMatrix<f64, Dyn, U3>> {
        let (k, r, t0) = (self.p[0], self.p[1], self.p[2]);
        let n = self.t.len();
        let mut j = Matrix::<f64, Dyn, U3, VecStorage<f64, Dyn, U3>>::zeros(n);
        for (i, &t) in self.t.iter().enumerate() {
            let dt = t - t0;
            let s = 1.0 / (1.0 + (-r * dt).exp());
            let ks1s = k * s * (1.0 - s);
            j[(i, 0)] = s;
            j[(i, 1)] = ks1s * dt;
            j[(i, 2)] = -ks1s * r;
        }
        Some(j)
    }
}

/// Exponential `a exp(b t)` for the crate: residuals `f - y`, analytic Jacobian.
#[derive(Debug)]
pub struct ExpLm<'a> {
    pub t: &'a [f64],
    pub y: &'a [f64],
    pub p: Vector<f64, U2, Owned<f64, U2>>,
}

impl LeastSquaresProblem<f64, Dyn, U2> for ExpLm<'_> {
    type ResidualStorage = VecStorage<f64, Dyn, U1>;
    type JacobianStorage = VecStorage<f64, Dyn, U2>;
    type ParameterStorage = Owned<f64, U2>;

    fn set_params(&mut self, x: &Vector<f64, U2, Self::ParameterStorage>) {
        self.p.copy_from(x);
    }
    fn params(&self) -> Vector<f64, U2, Self::ParameterStorage> {
        self.p
    }
    fn residuals(&self) -> Option<DVector<f64>> {
        let (a, b) = (self.p[0], self.p[1]);
        Some(DVector::from_iterator(
            self.t.len(),
            self.t
                .iter()
                .zip(self.y)
                .map(|(&t, &y)| a * (b * t).exp() - y),
        ))
    }
    fn jacobian(&self) -> Option<OMatrix<f64, Dyn, U2>> {
        let (a, b) = (self.p[0], self.p[1]);
        let n = self.t.len();
        let mut j = Matrix::<f64, Dyn, U2, VecStorage<f64, Dyn, U2>>::zeros(n);
        for (i, &t) in self.t.iter().enumerate() {
            let e = (b * t).exp();
            j[(i, 0)] = e;
            j[(i, 1)] = a * e * t;
        }
        Some(j)
    }
}

/// Fits the logistic with the crate from `start`: parameters, RSS (`Σ (y − f)²`), report.
pub fn lm_logistic(
    lm: &LevenbergMarquardt<f64>,
    t: &[f64],
    y: &[f64],
    start: [f64; 3],
) -> ([f64; 3], f64, MinimizationReport<f64>) {
    let problem = LogisticLm {
        t,
        y,
        p: start.into(),
    };
    let (p, report) = lm.minimize(problem);
    let x = [p.p[0], p.p[1], p.p[2]];
    (x, 2.0 * report.objective_function, report)
}

/// Fits the exponential with the crate from `start`: parameters, RSS, report.
pub fn lm_exp(
    lm: &LevenbergMarquardt<f64>,
    t: &[f64],
    y: &[f64],
    start: [f64; 2],
) -> ([f64; 2], f64, MinimizationReport<f64>) {
    let problem = ExpLm {
        t,
        y,
        p: start.into(),
    };
    let (p, report) = lm.minimize(problem);
    let x = [p.p[0], p.p[1]];
    (x, 2.0 * report.objective_function, report)
}

/// Residual sum of squares of the logistic at `p`.
pub fn logistic_rss(t: &[f64], y: &[f64], p: &[f64]) -> f64 {
    t.iter()
        .zip(y)
        .map(|(&t, &y)| {
            let r = y - logistic(t, p[0], p[1], p[2]);
            r * r
        })
        .sum()
}

/// Does `ours` reach the crate's minimum: parameters within `rel` relative, or an RSS no higher
/// (up to rounding: `rss_ours <= rss_lm * (1 + 1e-12)`)?
pub fn same_answer(ours: &[f64], rss_ours: f64, lm: &[f64], rss_lm: f64, rel: f64) -> bool {
    let params_match = ours
        .iter()
        .zip(lm)
        .all(|(a, b)| (a - b).abs() <= rel * a.abs().max(b.abs()));
    params_match || rss_ours <= rss_lm * (1.0 + 1e-12)
}

/// The batch of the bench as an `Array2` (series × times) with its time axis.
pub fn batch_array(series: usize) -> (Vec<f64>, ndarray::Array2<f64>) {
    let (t, values, _) = batch(series, 10, BATCH_SEED);
    let n = t.len();
    (
        t,
        ndarray::Array2::from_shape_vec((series, n), values).unwrap(),
    )
}

/// growthcast's batch fitter as the bench runs it: additive residuals, the anchors' start values
/// computed per series.
pub fn growthcast_batch(parallel: bool) -> growthcast::batch::BatchFitter<growthcast::Logistic> {
    growthcast::batch::BatchFitter::new(growthcast::Logistic)
        .error_model(growthcast::ErrorModel::Additive)
        .start_with(|t, y, p| {
            p.copy_from_slice(&logistic_start(t, y));
            Ok(())
        })
        .parallel(parallel)
}

/// The crate on every row of the batch, serially: parameters per series.
pub fn lm_batch(t: &[f64], values: &ndarray::Array2<f64>) -> Vec<[f64; 3]> {
    let lm = lm_solver();
    values
        .rows()
        .into_iter()
        .map(|row| {
            let y = row.to_slice().unwrap();
            lm_logistic(&lm, t, y, logistic_start(t, y)).0
        })
        .collect()
}

/// Counts the series of a batch on which growthcast reaches the crate's minimum (parameters
/// within 1e-6 relative, or an RSS no higher, both RSS computed by [`logistic_rss`]).
/// Returns `(same, total, worst relative parameter difference)`.
pub fn same_answers(t: &[f64], values: &ndarray::Array2<f64>) -> (usize, usize, f64) {
    let ours = growthcast_batch(true).fit(t, values).unwrap();
    let theirs = lm_batch(t, values);
    let mut same = 0;
    let mut worst: f64 = 0.0;
    for (i, row) in values.rows().into_iter().enumerate() {
        let y = row.to_slice().unwrap();
        let p = ours.params_of(i);
        let q = &theirs[i];
        for (a, b) in p.iter().zip(q) {
            worst = worst.max((a - b).abs() / a.abs().max(b.abs()));
        }
        let ok = ours.get(i).is_ok()
            && same_answer(p, logistic_rss(t, y, p), q, logistic_rss(t, y, q), 1e-6);
        same += ok as usize;
    }
    (same, values.nrows(), worst)
}
