//! No heap allocation per iteration: a counting global allocator (per thread, so that tests
//! running side by side do not disturb each other) shows that
//!
//! * the lean [`Solver`] allocates nothing at all per fit under the additive error model, and
//!   nothing after its first fit under the multiplicative one, however many iterations it takes;
//! * [`Fitter::fit`] allocates the same number of times for a fit of 2 iterations as for one of
//!   many: its allocations are for building the result, none are in the LM loop;
//! * a serial batch allocates the same number of times for 100 series as for 2,000: nothing per
//!   series.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use growthcast::batch::BatchFitter;
use growthcast::{
    ErrorModel, Exponential, Fitter, IntervalMethod, Logistic, Model, Observation, Series, Solver,
};
use ndarray::Array2;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made on this thread by `f`, and its result.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (ALLOCATIONS.with(Cell::get) - before, out)
}

fn logistic_data(n: usize) -> (Vec<f64>, Vec<f64>) {
    let t: Vec<f64> = (0..n).map(|i| 10.0 * i as f64 / (n - 1) as f64).collect();
    // Deterministic ±2% wiggle so the minimum is not an exact fit.
    let y = t
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            Logistic.value(t, &[1000.0, 1.2, 5.0]) * (1.0 + 0.02 * ((i * 7 % 5) as f64 - 2.0) / 2.0)
        })
        .collect();
    (t, y)
}

#[test]
fn lean_solver_allocates_nothing_per_iteration_or_fit() {
    let (t, y) = logistic_data(50);
    let mut solver = Solver::new(Logistic).error_model(ErrorModel::Additive);
    let near = solver.fit(&t, &y, &[1000.0, 1.2, 5.0]).unwrap();
    let (few_allocs, few) = count(|| solver.fit(&t, &y, near.params()).unwrap());
    let (many_allocs, many) = count(|| solver.fit(&t, &y, &[5000.0, 0.2, 9.0]).unwrap());
    assert!(
        many.iterations >= few.iterations + 5,
        "{} vs {} iterations",
        many.iterations,
        few.iterations
    );
    assert_eq!(
        few_allocs, 0,
        "additive lean fit, {} iterations",
        few.iterations
    );
    assert_eq!(
        many_allocs, 0,
        "additive lean fit, {} iterations",
        many.iterations
    );

    // Exponential with a poor start: many iterations, still nothing.
    let te: Vec<f64> = (0..30).map(|i| i as f64 / 3.0).collect();
    let ye: Vec<f64> = te.iter().map(|&t| 2.0 * (0.7 * t).exp()).collect();
    let mut exp = Solver::new(Exponential::with_reference(0.0)).error_model(ErrorModel::Additive);
    let (allocs, fit) = count(|| exp.fit(&te, &ye, &[ye[0] * 3.0, 0.1]).unwrap());
    assert!(fit.iterations > 5);
    assert_eq!(allocs, 0);

    // A fixed ceiling (`model::Fixed`): cloning the wrapper and its block evaluation allocate
    // nothing either.
    let mut fixed = Solver::new(growthcast::model::Fixed::new(Logistic, &[("K", 1000.0)]).unwrap())
        .error_model(ErrorModel::Additive);
    let (allocs, fit) = count(|| fixed.fit(&t, &y, &[0.3, 8.0]).unwrap());
    assert!(fit.iterations > 5, "{}", fit.iterations);
    assert_eq!(allocs, 0);

    // Standard errors come from the normal equations at hand, on the stack.
    let mut with_se = Solver::new(Logistic)
        .error_model(ErrorModel::Additive)
        .std_errors(true);
    let (allocs, fit) = count(|| with_se.fit(&t, &y, &[5000.0, 0.2, 9.0]).unwrap());
    assert!(fit
        .std_errors()
        .unwrap()
        .iter()
        .all(|v| v.is_finite() && *v > 0.0));
    assert_eq!(allocs, 0);

    // Multiplicative: the ln y buffer is made on the first fit and reused after.
    let mut log = Solver::new(Logistic);
    log.fit(&t, &y, &[1000.0, 1.2, 5.0]).unwrap();
    let (few_allocs, few) = count(|| log.fit(&t, &y, &[1000.0, 1.2, 5.0]).unwrap());
    let (many_allocs, many) = count(|| log.fit(&t, &y, &[3000.0, 0.3, 8.0]).unwrap());
    assert!(many.iterations > few.iterations);
    assert_eq!((few_allocs, many_allocs), (0, 0));
}

#[test]
fn fitter_allocations_do_not_grow_with_iterations() {
    let (t, y) = logistic_data(40);
    let obs = t
        .iter()
        .zip(&y)
        .map(|(&t, &y)| Observation::at(t, y))
        .collect();
    let series = Series::from_observations("s", "", obs).unwrap();
    // Wald intervals: the profile's refits depend on where the fit ends, not on the start.
    let fitter = Fitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .intervals(IntervalMethod::Wald);
    let best = fitter.fit(&series).unwrap();
    let p: Vec<f64> = best.params().iter().map(|p| p.estimate).collect();
    let near = fitter.clone().start(&p);
    let far = fitter.clone().start(&[5000.0, 0.2, 9.0]);
    // Warm up anything lazily initialised.
    near.fit(&series).unwrap();
    let (few_allocs, few) = count(|| near.fit(&series).unwrap());
    let (many_allocs, many) = count(|| far.fit(&series).unwrap());
    assert!(
        many.iterations() >= few.iterations() + 5,
        "{} vs {} iterations",
        many.iterations(),
        few.iterations()
    );
    assert_eq!(
        few_allocs,
        many_allocs,
        "allocations with {} and {} iterations",
        few.iterations(),
        many.iterations()
    );
}

#[test]
fn serial_batch_allocates_nothing_per_series() {
    let t: Vec<f64> = (0..10).map(f64::from).collect();
    let make = |rows: usize| {
        Array2::from_shape_fn((rows, 10), |(i, j)| {
            Logistic.value(t[j], &[500.0 + i as f64, 1.0 + (i % 7) as f64 * 0.1, 5.0])
                * (1.0 + 0.01 * ((i + j) % 3) as f64)
        })
    };
    let (small, large) = (make(100), make(2000));
    let fitter = BatchFitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .parallel(false)
        .start_with(|t, y, p| {
            p[0] = 1.1 * y.iter().copied().fold(f64::MIN, f64::max);
            p[1] = 1.0;
            p[2] = t[t.len() / 2];
            Ok(())
        });
    fitter.fit(&t, &small).unwrap();
    let (small_allocs, a) = count(|| fitter.fit(&t, &small).unwrap());
    let (large_allocs, b) = count(|| fitter.fit(&t, &large).unwrap());
    assert_eq!((a.n_ok(), b.n_ok()), (100, 2000));
    assert_eq!(small_allocs, large_allocs);
}
