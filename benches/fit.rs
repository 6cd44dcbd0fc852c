//! The fitting hot path, growthcast side by side with the levenberg-marquardt crate.
//!
//! Data: `../shared/bench-data/` (see `benches/support/mod.rs`), additive residuals, the anchors'
//! start values, MINPACK tolerances on both sides, analytic Jacobians on both sides. Each group
//! measures both solvers, so ratios come from one run. `cargo run --release --example bench_table`
//! runs this bench and prints the ratio table.
#![allow(missing_docs)]

#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use growthcast::{ErrorModel, Exponential, Logistic, Solver};

fn single(c: &mut Criterion) {
    let lm = support::lm_solver();
    for n in [10, 100, 1000] {
        let (t, y, _) = support::series(&format!("logistic_n{n}"));
        let start = support::logistic_start(&t, &y);
        let mut solver = Solver::new(Logistic).error_model(ErrorModel::Additive);
        let mut g = c.benchmark_group(format!("logistic_n{n}"));
        g.bench_function("growthcast", |b| {
            b.iter(|| {
                solver
                    .fit(black_box(&t), black_box(&y), black_box(&start))
                    .unwrap()
            })
        });
        g.bench_function("levenberg_marquardt", |b| {
            b.iter(|| support::lm_logistic(&lm, black_box(&t), black_box(&y), black_box(start)))
        });
        g.finish();
    }
    for n in [10, 100, 1000] {
        let (t, y, _) = support::series(&format!("exp_n{n}"));
        let start = support::exp_start(&t, &y);
        let mut solver =
            Solver::new(Exponential::with_reference(0.0)).error_model(ErrorModel::Additive);
        let mut g = c.benchmark_group(format!("exp_n{n}"));
        g.bench_function("growthcast", |b| {
            b.iter(|| {
                solver
                    .fit(black_box(&t), black_box(&y), black_box(&start))
                    .unwrap()
            })
        });
        g.bench_function("levenberg_marquardt", |b| {
            b.iter(|| support::lm_exp(&lm, black_box(&t), black_box(&y), black_box(start)))
        });
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = single
}
criterion_main!(benches);
