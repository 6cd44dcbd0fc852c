//! The Moré–Garbow–Hillstrom problems through growthcast's public API (a user-defined model
//! whose input is the residual index), from the standard start and from 10× and 100× it,
//! against the levenberg-marquardt crate in the same run with the same tolerances.

mod mgh;

use growthcast::model::{CustomModel, Role};
use growthcast::{ErrorModel, Fitter, LmSettings, Series};
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{DMatrix, DVector, Dyn, Owned};

/// Tolerances shared by both solvers.
const FTOL: f64 = 1e-12;
const XTOL: f64 = 1e-12;

/// An MGH problem for the levenberg-marquardt crate.
struct CrateProblem<'a> {
    p: &'a mgh::Problem,
    x: DVector<f64>,
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for CrateProblem<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, x: &DVector<f64>) {
        self.x.copy_from(x);
    }
    fn params(&self) -> DVector<f64> {
        self.x.clone()
    }
    fn residuals(&self) -> Option<DVector<f64>> {
        let x = self.x.as_slice();
        let r = DVector::from_iterator(self.p.m, (0..self.p.m).map(|i| (self.p.r)(i, x)));
        r.iter().all(|v| v.is_finite()).then_some(r)
    }
    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let (m, n) = (self.p.m, self.p.n());
        let x = self.x.as_slice();
        let mut j = DMatrix::zeros(m, n);
        let mut g = vec![0.0; n];
        for i in 0..m {
            (self.p.dr)(i, x, &mut g);
            for k in 0..n {
                j[(i, k)] = g[k];
            }
        }
        j.iter().all(|v| v.is_finite()).then_some(j)
    }
}

fn crate_rss(p: &mgh::Problem, scale: f64) -> f64 {
    let x0 = DVector::from_iterator(p.n(), p.x0.iter().map(|v| v * scale));
    let problem = CrateProblem { p, x: x0 };
    let lm = LevenbergMarquardt::new()
        .with_ftol(FTOL)
        .with_xtol(XTOL)
        .with_gtol(0.0)
        .with_patience(4000);
    let (solved, _report) = lm.minimize(problem);
    let rss = p.rss(solved.x.as_slice());
    if rss.is_finite() {
        rss
    } else {
        f64::NAN
    }
}

const NAMES: [&str; 5] = ["x1", "x2", "x3", "x4", "x5"];

/// Solves one problem from `scale × x0`; returns the RSS reached (or the best RSS of a failure).
fn growthcast_rss(p: &mgh::Problem, scale: f64) -> f64 {
    let (r, dr, n) = (p.r, p.dr, p.n());
    let params: Vec<(&'static str, Role)> = NAMES[..n].iter().map(|&s| (s, Role::Shape)).collect();
    let model = CustomModel::new(p.name, &params, move |t, x| -r(t as usize, x))
        .unwrap()
        .gradient(move |t, x, g| {
            dr(t as usize, x, g);
            g.iter_mut().for_each(|v| *v = -*v);
            -r(t as usize, x)
        });
    let t: Vec<f64> = (0..p.m).map(|i| i as f64).collect();
    let series = Series::from_slices(p.name, &t, &vec![0.0; p.m]).unwrap();
    let start: Vec<f64> = p.x0.iter().map(|v| v * scale).collect();
    let settings = LmSettings {
        ftol: FTOL,
        xtol: XTOL,
        gtol: 0.0,
        max_iterations: 20_000,
    };
    match Fitter::new(model)
        .error_model(ErrorModel::Additive)
        .settings(settings)
        .start(&start)
        .fit(&series)
    {
        Ok(f) => f.rss(),
        Err(growthcast::Error::NotConverged { rss, .. }) => rss,
        Err(_) => f64::NAN,
    }
}

#[test]
fn problem_gradients_are_right() {
    for p in mgh::problems() {
        let x: Vec<f64> = p.x0.iter().map(|v| v + 0.37).collect();
        let mut g = vec![0.0; p.n()];
        for i in 0..p.m {
            (p.dr)(i, &x, &mut g);
            for j in 0..p.n() {
                let h = 1e-6 * x[j].abs().max(1.0);
                let mut a = x.clone();
                a[j] += h;
                let mut b = x.clone();
                b[j] -= h;
                let num = ((p.r)(i, &a) - (p.r)(i, &b)) / (2.0 * h);
                let noise = 100.0 * f64::EPSILON * (p.r)(i, &a).abs() / h;
                assert!(
                    (num - g[j]).abs() <= 1e-5 * num.abs().max(1.0) + noise,
                    "{} r{i} d{j}: {} vs {num}",
                    p.name,
                    g[j]
                );
            }
        }
    }
}

/// From every start scale, growthcast reaches the known minimum at least as often as the
/// levenberg-marquardt crate (RSS to 6 significant digits, or below 1e-10 for zero minima).
#[test]
fn growthcast_solves_at_least_as_many_as_the_crate() {
    let problems = mgh::problems();
    let mut ours = [0; 3];
    let mut theirs = [0; 3];
    eprintln!(
        "{:<22} {:>6} {:>16} {:>16}",
        "problem", "start", "growthcast RSS", "crate RSS"
    );
    for p in &problems {
        for (k, scale) in [1.0, 10.0, 100.0].into_iter().enumerate() {
            let (a, b) = (growthcast_rss(p, scale), crate_rss(p, scale));
            ours[k] += usize::from(p.solved(a));
            theirs[k] += usize::from(p.solved(b));
            let mark = |ok: bool| if ok { "*" } else { " " };
            eprintln!(
                "{:<22} {:>5}x {a:>15.6e}{} {b:>15.6e}{}",
                p.name,
                scale,
                mark(p.solved(a)),
                mark(p.solved(b))
            );
        }
    }
    eprintln!(
        "solved (1x, 10x, 100x) of {}: growthcast {ours:?}, levenberg-marquardt crate {theirs:?}",
        problems.len()
    );
    for k in 0..3 {
        assert!(
            ours[k] >= theirs[k],
            "start scale {k}: growthcast {ours:?} vs crate {theirs:?}"
        );
    }
    assert!(ours[0] >= 15, "{ours:?}");
}
