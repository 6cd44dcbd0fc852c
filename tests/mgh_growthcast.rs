//! The Moré–Garbow–Hillstrom problems through growthcast's public API (a user-defined model
//! whose input is the residual index), from the standard start and from 10× and 100× it.

mod mgh;

use growthcast::model::{CustomModel, Role};
use growthcast::{ErrorModel, Fitter, LmSettings, Series};

const NAMES: [&str; 5] = ["x1", "x2", "x3", "x4", "x5"];

/// Solves one problem from `scale × x0`; returns the RSS reached (or the best RSS of a failure).
fn growthcast_rss(p: &mgh::Problem, scale: f64) -> f64 {
    let (r, dr, n) = (p.r, p.dr, p.n());
    let params: Vec<(&'static str, Role)> = NAMES[..n].iter().map(|&s| (s, Role::Shape)).collect();
    let model = CustomModel::new(p.name, &params, move |t, x| -r(t as usize, x)).gradient(
        move |t, x, g| {
            dr(t as usize, x, g);
            g.iter_mut().for_each(|v| *v = -*v);
            -r(t as usize, x)
        },
    );
    let t: Vec<f64> = (0..p.m).map(|i| i as f64).collect();
    let series = Series::from_slices(p.name, &t, &vec![0.0; p.m]).unwrap();
    let start: Vec<f64> = p.x0.iter().map(|v| v * scale).collect();
    let settings = LmSettings {
        ftol: 1e-12,
        xtol: 1e-12,
        gtol: 0.0,
        max_iterations: 20_000,
    };
    match Fitter::new(model)
        .error_model(ErrorModel::Additive)
        .settings(settings)
        .start(&start)
        .fit(&series)
    {
        Ok(f) => f.rss,
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

#[test]
fn growthcast_solves_the_classic_problems() {
    let mut solved = [0; 3];
    for p in mgh::problems() {
        for (k, scale) in [1.0, 10.0, 100.0].into_iter().enumerate() {
            let rss = growthcast_rss(&p, scale);
            let ok = p.solved(rss);
            solved[k] += usize::from(ok);
            eprintln!(
                "{:<22} x{scale:<5} rss {rss:<14.6e} {}",
                p.name,
                if ok { "solved" } else { "" }
            );
        }
    }
    eprintln!(
        "solved from 1x, 10x, 100x: {solved:?} of {}",
        mgh::problems().len()
    );
    assert!(solved[0] >= 14, "{solved:?}");
}
