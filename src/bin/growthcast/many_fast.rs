//! `growthcast fit --fast` on a long file of many series: the batch path
//! ([`BatchFitter::fit_series`]) with Wald intervals, labelled so.
//!
//! The batch fits every series with the lean solver and its standard errors (`sqrt(s² (JᵀJ)⁻¹)`
//! at the estimate, as a [`growthcast::Fit`] computes them); each parameter's interval is then
//! the Wald interval `Fitter` gives with [`IntervalMethod::Wald`] ([`wald_interval`]: `t·SE`
//! about the estimate, `t` the Student-t quantile with `n − p` degrees of freedom, on the log
//! scale for a ceiling and cut to the bounds the batch kept to, so that it holds no value the
//! parameter cannot take). Identification is not assessed
//! (the `identified` column is empty), and the batch has no retry from other start points, so
//! a series the normal path rescues may fail here with its error.
//!
//! What the batch cannot honour is refused before anything is fitted: `--fix` (the batch fits
//! every parameter), weights and one-sided rows (its residuals are unweighted and two-sided),
//! and `--csv` without `--bands delta` (bootstrap bands take about 1 ms per series, the time
//! `--fast` is meant to save). With `--csv --bands delta`, each fitted series is fitted once
//! more through [`Fitter`] from its batch estimate (a step or two, no intervals) for the
//! covariance of its delta-method bands, as [`BatchFitter::intervals`] does for its intervals;
//! the solver and the batch loop are unchanged.

use std::time::Instant;

use growthcast::batch::{BatchFits, BatchFitter};
use growthcast::export;
use growthcast::fit::{wald_interval, FitOptions, IntervalMethod};
use growthcast::model::Role;
use growthcast::{Error, Fitter, Model, Series};
use indicatif::ProgressDrawTarget;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::args::ProjectArgs;
use crate::failure::{usage, Failure};
use crate::fit::{Bands, ManyArgs};
use crate::many::{failed, progress, reason, Outcome, ParamRow, Rate};

/// Series handed to the batch at a time: their data and rows are held, then written and
/// dropped.
pub(crate) const BATCH: usize = 4096;

/// Refuses the options the chosen path cannot honour; gives whether the projections' bands
/// are the delta method's. `--bands` needs `--csv`; `--fast` refuses `--fix` and `--csv`
/// without `--bands delta` (and [`check_series`] weights and one-sided rows).
pub(crate) fn check(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    many: &ManyArgs,
) -> Result<bool, Failure> {
    let csv = project.out.csv().is_some();
    if many.bands.is_some() && !csv {
        return Err(usage(
            "--bands sets the bands of the --csv projections: add --csv FILE, or drop --bands",
        ));
    }
    let delta = many.bands == Some(Bands::Delta);
    if !many.fast {
        return Ok(delta);
    }
    if let Some((name, _)) = fitter.fit_options().constraints.fixed.first() {
        return Err(usage(format!(
            "--fast fits every parameter of the model (the batch path holds none fixed): drop \
             --fix {name}=…, {HINT}"
        )));
    }
    if csv && !delta {
        return Err(usage(format!(
            "--fast --csv needs --bands delta: the bootstrap's bands take about 1 ms per series, \
             the time --fast saves; add --bands delta, {HINT}"
        )));
    }
    Ok(delta)
}

/// How to do without `--fast`.
const HINT: &str =
    "or drop --fast (every series then goes through the full fit, with profile intervals)";

/// With `--fast`, refuses a series with a weight or a one-sided row (the batch path fits
/// unweighted, two-sided residuals), naming it and the observation.
pub(crate) fn check_series(many: &ManyArgs, s: &Series) -> Result<(), Failure> {
    if !many.fast {
        return Ok(());
    }
    if let Some((i, o)) = s
        .observations()
        .iter()
        .enumerate()
        .find(|(_, o)| o.weight != 1.0 || o.kind.is_one_sided())
    {
        let what = if o.weight != 1.0 {
            format!("has weight {}", o.weight)
        } else {
            format!("is one-sided ({})", o.kind)
        };
        return Err(usage(format!(
            "--fast: observation {} of series `{}` (at {}) {what}, and the batch path fits \
             unweighted two-sided residuals: drop the weight and kind columns, {HINT}",
            i + 1,
            s.name(),
            s.axis().at(o.t)
        )));
    }
    Ok(())
}

/// Fits the `n` series of `batches` through the batch path, a batch at a time, with a progress
/// bar (shown once the run has taken a second); hands every batch and its outcomes, in order,
/// to `sink`.
pub(crate) fn in_batches(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    n: usize,
    batches: impl Iterator<Item = Result<Vec<Series>, Failure>>,
    want_proj: bool,
    mut sink: impl FnMut(&[Series], Vec<Outcome>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let options = FitOptions {
        std_errors: true,
        start: None,
        ..fitter.fit_options().clone()
    };
    let bounds = options.lean_parameter_bounds(fitter.model().as_ref())?;
    let batch = BatchFitter::new(fitter.model().clone()).options(options);
    let bar = progress(n);
    let started = Instant::now();
    for part in batches {
        let part = &part?;
        let data: Vec<(Vec<f64>, Vec<f64>)> =
            part.iter().map(|s| (s.times(), s.values())).collect();
        let fits = batch.fit_series(&data)?;
        drop(data);
        let outcomes: Vec<Outcome> = (0..part.len())
            .into_par_iter()
            .map(|i| outcome(fitter, project, &part[i], (&fits, i), &bounds, want_proj))
            .collect();
        bar.inc(part.len() as u64);
        if bar.is_hidden() && started.elapsed().as_secs_f64() > 1.0 {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        sink(part, outcomes)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Series `i` of a batch: its parameter rows with Wald intervals, its rate, and its
/// delta-method projections if `want_proj`; or its error.
fn outcome(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    s: &Series,
    (fits, i): (&BatchFits, usize),
    bounds: &[(f64, f64)],
    want_proj: bool,
) -> Outcome {
    let model = fitter.model();
    let specs = model.params();
    // As `Fitter` does: replicates at one time count once (after too few points).
    if s.len() >= specs.len() && s.n_times() < specs.len() {
        let e = Error::TooFewTimes {
            series: s.name().to_string(),
            what: format!(
                "model `{}` with {} free parameters",
                model.name(),
                specs.len()
            ),
            times: s.n_times(),
            needed: specs.len(),
        };
        return failed(s, model.name(), reason(&e), e.to_string());
    }
    if let Some(e) = fits.error(i) {
        // The batch names a series by its index: `series 17`.
        let message =
            e.to_string()
                .replacen(&format!("`series {i}`"), &format!("`{}`", s.name()), 1);
        return failed(s, model.name(), reason(e), message);
    }
    let p = fits.params_of(i);
    let mut projections = Vec::new();
    if want_proj {
        match project_delta(fitter, project, s, p) {
            Ok(rows) => projections = rows,
            Err((why, message)) => return failed(s, model.name(), why, message),
        }
    }
    let se = fits.std_errors_of(i).expect("standard errors asked for");
    let level = fitter.fit_options().level.value();
    let q = t_quantile(0.5 + level / 2.0, s.len().saturating_sub(specs.len()));
    let warning = if fits.at_bound()[i] {
        "a parameter ended on one of its bounds (a rate at 0: the data fall or do not grow)"
    } else {
        ""
    };
    let params = specs
        .iter()
        .enumerate()
        .map(|(j, spec)| {
            let (lower, upper) = wald_interval(p[j], se[j], q, spec.role, bounds[j]);
            ParamRow {
                series: s.name().to_string(),
                model: model.name().to_string(),
                parameter: spec.name.to_string(),
                unit: spec.role.unit(s.unit(), s.axis()),
                estimate: Some(p[j]),
                std_error: finite(se[j]),
                lower: finite(lower),
                upper: finite(upper),
                level: Some(level),
                fixed: Some(false),
                identified: None,
                warnings: warning.to_string(),
                method: Some(IntervalMethod::Wald),
                error: String::new(),
            }
        })
        .collect();
    let rate = [Role::Rate, Role::Slope].iter().find_map(|role| {
        let j = specs.iter().position(|sp| sp.role == *role)?;
        Some(Rate {
            name: specs[j].name.to_string(),
            unit: specs[j].role.unit(s.unit(), s.axis()),
            value: p[j],
        })
    });
    Outcome {
        params,
        projections,
        result: Ok(rate),
    }
}

/// The delta-method projection rows of `s` at its printed times, from a fit through
/// [`Fitter`] started at the batch estimate `p` (for the covariance; no intervals).
fn project_delta(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    s: &Series,
    p: &[f64],
) -> Result<Vec<export::ProjectionRow>, (&'static str, String)> {
    let (_, times) = project
        .horizon_of(s)
        .map_err(|f| ("horizon not after the data", f.message))?;
    let options = FitOptions {
        start: Some(p.to_vec()),
        intervals: IntervalMethod::Wald,
        ..fitter.fit_options().clone()
    };
    let fit = Fitter::new(fitter.model().clone())
        .options(options)
        .fit(s)
        .map_err(|e| (reason(&e), e.to_string()))?;
    let proj = fit.project_delta(&times);
    Ok(export::projection_rows(fit.label(), &fit, &proj))
}

/// The `p` quantile of Student's t with `dof` degrees of freedom (NaN without any), as a
/// single fit's Wald intervals use it.
fn t_quantile(p: f64, dof: usize) -> f64 {
    if dof == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, dof as f64).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

/// `Some(v)` for a finite `v` (an empty CSV cell otherwise).
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}
