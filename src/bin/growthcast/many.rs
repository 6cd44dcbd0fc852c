//! `growthcast fit` on a long file of many series: every series fitted in parallel, one tidy
//! parameters CSV (with a per-series `error` column) and one projections CSV at the printed
//! horizon times, streamed chunk by chunk; a summary instead of one report per series.
//!
//! The default path is a parallel loop (rayon) over [`Fitter`]: the parameters table carries
//! what `growthcast fit --series NAME` prints for the same series (profile intervals,
//! identification, warnings), and `--fix`, kinds, weights and replicates are honoured.
//! `--fast` takes the batch path instead ([`many_fast`]: Wald intervals, labelled so);
//! `--bands delta` gives the projections delta-method bands instead of the bootstrap's.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use growthcast::export::{self, ProjectionRow};
use growthcast::fit::IntervalMethod;
use growthcast::model::Role;
use growthcast::{Error, Fit, Fitter, Model, Series};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::args::ProjectArgs;
use crate::failure::{usage, Failure, PARTIAL};
use crate::fit::ManyArgs;
use crate::many_fast;

/// Series fitted per parallel chunk: the rows of one chunk are held, then written and dropped.
const CHUNK: usize = 512;

/// One row of the many-series parameters table: [`export::ParameterRow`]'s columns, empty for
/// a series that failed, and its `error`.
#[derive(Serialize)]
pub(crate) struct ParamRow {
    pub(crate) series: String,
    pub(crate) model: String,
    pub(crate) parameter: String,
    pub(crate) unit: String,
    pub(crate) estimate: Option<f64>,
    pub(crate) std_error: Option<f64>,
    pub(crate) lower: Option<f64>,
    pub(crate) upper: Option<f64>,
    pub(crate) level: Option<f64>,
    pub(crate) fixed: Option<bool>,
    pub(crate) identified: Option<bool>,
    pub(crate) warnings: String,
    pub(crate) method: Option<IntervalMethod>,
    /// Why the series has no fit; empty when it has one.
    pub(crate) error: String,
}

/// What one series gave: its rows, and its rate or why it failed.
pub(crate) struct Outcome {
    pub(crate) params: Vec<ParamRow>,
    pub(crate) projections: Vec<ProjectionRow>,
    pub(crate) result: Result<Option<Rate>, (&'static str, String)>,
}

/// A series' growth rate (its first parameter with the rate role, else its slope).
pub(crate) struct Rate {
    pub(crate) name: String,
    pub(crate) unit: String,
    pub(crate) value: f64,
}

/// The summary printed (or given as JSON) after a many-series fit.
#[derive(Serialize, Default)]
struct Summary {
    file: PathBuf,
    model: String,
    series: usize,
    fitted: usize,
    failed: usize,
    /// Failed series by reason.
    failures: BTreeMap<&'static str, usize>,
    /// The first few failures, `(series, message)`.
    examples: Vec<(String, String)>,
    rate: Option<RateSummary>,
    /// How the parameters' intervals were made, when not the default (profile): `wald` with
    /// `--fast`.
    #[serde(skip_serializing_if = "Option::is_none")]
    intervals: Option<IntervalMethod>,
    /// How the projections' bands were made, when `--bands` chose it.
    #[serde(skip_serializing_if = "Option::is_none")]
    bands: Option<IntervalMethod>,
    /// What `--fast` or `--bands` changed, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// Quantiles of the fitted rates.
#[derive(Serialize)]
struct RateSummary {
    parameter: String,
    unit: String,
    q10: f64,
    q25: f64,
    median: f64,
    q75: f64,
    q90: f64,
}

/// Fits every series of `series` with `fitter` (through the batch path with `--fast`);
/// writes `params` and `--csv` if given; prints the summary. No series fitted: exit 1; some
/// failed: exit 3 ([`PARTIAL`]).
///
/// `series` gives the `n` series in order, from memory or read one by one from the file;
/// [`CHUNK`] of them (`--fast`: a batch) are held at a time.
pub(crate) fn run(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    many: &ManyArgs,
    params: Option<&Path>,
    n: usize,
    series: impl Iterator<Item = Result<Series, Failure>>,
) -> Result<(), Failure> {
    no_charts(project, n)?;
    let delta = many_fast::check(fitter, project, many)?;
    let mut params_out = params.map(writer).transpose()?;
    let mut proj_out = project.out.csv().map(writer).transpose()?;
    let want_proj = proj_out.is_some();
    let mut summary = Summary {
        file: project.file().to_path_buf(),
        model: fitter.model().name().to_string(),
        series: n,
        ..Summary::default()
    };
    note(&mut summary, many.fast, delta && want_proj);
    let (mut rates, mut rate_label) = (Vec::new(), None);
    let sink = |chunk: &[Series], outcomes: Vec<Outcome>| {
        for (s, o) in chunk.iter().zip(outcomes) {
            if let Some((path, w)) = &mut params_out {
                write_all(path, w, &o.params)?;
            }
            if let Some((path, w)) = &mut proj_out {
                write_all(path, w, &o.projections)?;
            }
            match o.result {
                Ok(rate) => {
                    summary.fitted += 1;
                    if let Some(r) = rate {
                        rates.push(r.value);
                        rate_label.get_or_insert((r.name, r.unit));
                    }
                }
                Err((reason, message)) => {
                    summary.failed += 1;
                    *summary.failures.entry(reason).or_default() += 1;
                    if summary.examples.len() < 3 {
                        summary.examples.push((s.name().to_string(), message));
                    }
                }
            }
        }
        Ok(())
    };
    if many.fast {
        let batches = chunked(series, many_fast::BATCH);
        many_fast::in_batches(fitter, project, n, batches, want_proj, sink)?;
    } else {
        let fit_one = |s: &Series| one(fitter, project, s, want_proj, delta);
        in_chunks_of(n, chunked(series, CHUNK), fit_one, sink)?;
    }
    for (path, w) in params_out.iter_mut().chain(proj_out.iter_mut()) {
        w.flush().map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        eprintln!("wrote {}", path.display());
    }
    summary.rate = rate_label.map(|(name, unit)| quantiles(&mut rates, name, unit));
    if project.json {
        crate::json(&summary)?;
    } else {
        say!("{}", text(&summary, params.is_some()));
    }
    exit(&summary)
}

/// Labels the summary of a run with `--fast` (Wald intervals from the batch path) and of
/// projections with delta-method bands.
fn note(summary: &mut Summary, fast: bool, delta: bool) {
    if fast {
        summary.intervals = Some(IntervalMethod::Wald);
        summary.notes.push(
            "--fast: estimates and Wald intervals (estimate ± t·SE) from the batch path, \
             identification not assessed; `fit` without --fast gives profile intervals"
                .into(),
        );
    }
    if delta {
        summary.bands = Some(IntervalMethod::Delta);
        summary.notes.push(
            "--bands delta: the projections' bands by the delta method, symmetric on the fit's \
             scale; without it they are the calibrated bootstrap's"
                .into(),
        );
    }
}

/// Fits one series and makes its rows (projection bands by the delta method if `delta`).
fn one(
    fitter: &Fitter<Box<dyn Model>>,
    project: &ProjectArgs,
    s: &Series,
    want_proj: bool,
    delta: bool,
) -> Outcome {
    let fitted = fitter.fit(s).map_err(|e| (reason(&e), e.to_string()));
    let fit = match fitted {
        Ok(fit) => fit,
        Err((why, message)) => return failed(s, fitter.model().name(), why, message),
    };
    let mut projections = Vec::new();
    if want_proj {
        match project.horizon_of(s) {
            Ok((_, times)) => {
                let p = if delta {
                    fit.project_delta(&times)
                } else {
                    fit.project(&times)
                };
                projections = export::projection_rows(fit.label(), &fit, &p);
            }
            Err(f) => return failed(s, fit.label(), "horizon not after the data", f.message),
        }
    }
    let params = param_rows(&fit);
    Outcome {
        params,
        projections,
        result: Ok(rate(&fit)),
    }
}

/// The parameters table's rows of a fit (its `error` cells empty).
pub(crate) fn param_rows(fit: &Fit) -> Vec<ParamRow> {
    export::parameter_rows(fit.label(), fit)
        .into_iter()
        .map(|p| ParamRow {
            series: p.series,
            model: p.model,
            parameter: p.parameter,
            unit: p.unit,
            estimate: Some(p.estimate),
            std_error: p.std_error,
            lower: p.lower,
            upper: p.upper,
            level: Some(p.level),
            fixed: Some(p.fixed),
            identified: Some(p.identified),
            warnings: p.warnings,
            method: Some(p.method),
            error: String::new(),
        })
        .collect()
}

/// The outcome of a series that has no fit: one parameters row with its error.
pub(crate) fn failed(s: &Series, model: &str, why: &'static str, message: String) -> Outcome {
    let row = ParamRow {
        series: s.name().to_string(),
        model: model.to_string(),
        parameter: String::new(),
        unit: String::new(),
        estimate: None,
        std_error: None,
        lower: None,
        upper: None,
        level: None,
        fixed: None,
        identified: None,
        warnings: String::new(),
        method: None,
        error: message.clone(),
    };
    Outcome {
        params: vec![row],
        projections: Vec::new(),
        result: Err((why, message)),
    }
}

/// The fit's growth rate: its first free parameter with the rate role, else its slope.
fn rate(fit: &Fit) -> Option<Rate> {
    let p = [Role::Rate, Role::Slope]
        .iter()
        .find_map(|role| fit.params().iter().find(|p| p.role == *role))?;
    Some(Rate {
        name: p.name.clone(),
        unit: p.unit.clone(),
        value: p.estimate,
    })
}

/// A short reason for the summary's counts.
pub(crate) fn reason(e: &Error) -> &'static str {
    match e {
        Error::EmptySeries { .. } | Error::TooFewPoints { .. } | Error::TooFewTimes { .. } => {
            "too few points"
        }
        Error::NotConverged { .. } => "not converged",
        Error::Diverged { .. } => "ceiling ran off",
        Error::NonPositive { .. } => "values not positive",
        Error::NonFinite { .. } => "values not finite",
        Error::NoStartValues { .. } => "no start values",
        Error::Degenerate { .. } => "degenerate data",
        _ => "other",
    }
}

/// Quantiles (R's type 7) of the rates, which it sorts.
fn quantiles(rates: &mut [f64], parameter: String, unit: String) -> RateSummary {
    rates.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (rates.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        rates[lo] + (h - lo as f64) * (rates[hi] - rates[lo])
    };
    RateSummary {
        parameter,
        unit,
        q10: q(0.1),
        q25: q(0.25),
        median: q(0.5),
        q75: q(0.75),
        q90: q(0.9),
    }
}

/// The text summary.
fn text(s: &Summary, params_written: bool) -> String {
    let mut t = format!(
        "{}: {} series, {} model: {} fitted, {} failed",
        s.file.display(),
        s.series,
        s.model,
        s.fitted,
        s.failed
    );
    if !s.failures.is_empty() {
        let by: Vec<String> = s
            .failures
            .iter()
            .map(|(r, n)| format!("{r}: {n}"))
            .collect();
        t.push_str(&format!(" ({})", by.join(", ")));
    }
    if let Some(r) = &s.rate {
        t.push_str(&format!(
            "\nrate {} ({}): median {:.4}; quartiles {:.4} to {:.4}; 10% to 90% {:.4} to {:.4}",
            r.parameter, r.unit, r.median, r.q25, r.q75, r.q10, r.q90
        ));
    }
    for (name, message) in &s.examples {
        t.push_str(&format!("\nfailed: {name}: {message}"));
    }
    for n in &s.notes {
        t.push_str(&format!("\n{n}"));
    }
    if !params_written {
        t.push_str("\n(--params FILE writes every series' estimates and errors as one CSV)");
    }
    t
}

/// Exit 1 when no series fitted, [`PARTIAL`] when some failed.
fn exit(s: &Summary) -> Result<(), Failure> {
    let by: Vec<String> = s
        .failures
        .iter()
        .map(|(r, n)| format!("{r}: {n}"))
        .collect();
    if s.fitted == 0 {
        return Err(Failure {
            message: format!(
                "{}: none of its {} series fitted ({})",
                s.file.display(),
                s.series,
                by.join(", ")
            ),
            code: 1,
        });
    }
    if s.failed > 0 {
        return Err(Failure {
            message: format!(
                "{} of {} series failed ({}); the others are written, each failure has its \
                 message in the `error` column of --params",
                s.failed,
                s.series,
                by.join(", ")
            ),
            code: PARTIAL,
        });
    }
    Ok(())
}

pub(crate) type Csv = csv::Writer<BufWriter<File>>;

/// A CSV writer on `path`.
pub(crate) fn writer(path: &Path) -> Result<(PathBuf, Csv), Failure> {
    let file = File::create(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((
        path.to_path_buf(),
        csv::Writer::from_writer(BufWriter::new(file)),
    ))
}

/// Writes `rows` to `w`.
pub(crate) fn write_all<T: Serialize>(path: &Path, w: &mut Csv, rows: &[T]) -> Result<(), Failure> {
    for r in rows {
        w.serialize(r).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            what: "CSV",
            message: e.to_string(),
        })?;
    }
    Ok(())
}

/// Refuses `--png` and `--svg` on a file of `n` series (a chart draws one series).
pub(crate) fn no_charts(project: &ProjectArgs, n: usize) -> Result<(), Failure> {
    if project.out.charts_asked() {
        return Err(usage(format!(
            "{} holds {n} series: --png and --svg draw one series; choose it with --series NAME, \
             or use `growthcast report` for charts",
            project.file().display()
        )));
    }
    Ok(())
}

/// The items of `items` in chunks of `size` (the last one shorter); the first error ends them.
pub(crate) fn chunked<T>(
    mut items: impl Iterator<Item = Result<T, Failure>>,
    size: usize,
) -> impl Iterator<Item = Result<Vec<T>, Failure>> {
    std::iter::from_fn(move || {
        let mut chunk = Vec::with_capacity(size);
        for item in items.by_ref() {
            match item {
                Ok(x) => chunk.push(x),
                Err(e) => return Some(Err(e)),
            }
            if chunk.len() == size {
                break;
            }
        }
        (!chunk.is_empty()).then_some(Ok(chunk))
    })
}

/// Runs `each` over the `n` items of `chunks` (from memory, or read as they go) in parallel, a
/// chunk at a time, with a progress bar (shown once the run has taken a second); hands every
/// chunk and its results, in order, to `sink`, so that only one chunk's items and results are
/// held at a time.
pub(crate) fn in_chunks_of<T: Sync, R: Send, C: AsRef<[T]>>(
    n: usize,
    chunks: impl Iterator<Item = Result<C, Failure>>,
    each: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(&[T], Vec<R>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let bar = progress(n);
    let started = Instant::now();
    for part in chunks {
        let part = part?;
        let part = part.as_ref();
        let results: Vec<R> = part
            .par_iter()
            .map(|x| {
                let r = each(x);
                bar.inc(1);
                r
            })
            .collect();
        if bar.is_hidden() && started.elapsed().as_secs_f64() > 1.0 {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        sink(part, results)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// A progress bar over `n` series, hidden until the run has taken a second.
pub(crate) fn progress(n: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} series  {elapsed}")
            .expect("valid template"),
    );
    bar
}
