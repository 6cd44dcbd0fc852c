//! `growthcast fit`: one model, its report and a yearly projection.

use growthcast::error::CeilingBound;
use growthcast::plot::{self, ChartSpec};
use growthcast::{
    export, Derived, Error, Exponential, Fit, FitOptions, Fitter, Model, Projection, Series,
};
use serde::Serialize;
use std::path::PathBuf;

use crate::args::{ModelArgs, ProjectArgs};
use crate::failure::{Failure, PARTIAL};

/// Examples after `growthcast fit --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast fit data/tokens_daily.csv --model exponential --until 2030
  growthcast fit data/genai_users.csv --model logistic --fix K=1.41e9 --png users.png --csv users.csv
  growthcast fit data/genai_services.csv --model logistic --bound r=0:3 --error additive --json
  growthcast fit cultures.csv --time-unit hour --model logistic --params params.csv --csv horizon.csv

A long file (a `series` column) without --series fits every series: one parameters CSV for all
(--params, one row per series and parameter, an `error` column for a series that fails), one
projections CSV at the printed horizon times (--csv), a summary of the rates instead of one
report per series, and a progress bar past a second. Exit 1 when no series fits, 3 when some fail.
--fast fits them through the batch path with Wald intervals (labelled `wald`); --bands delta makes
the projections' bands by the delta method (labelled `delta`) instead of the bootstrap:
  growthcast fit many.csv --time-unit day --model logistic --fast --params p.csv --csv c.csv --bands delta";

/// The flags of `growthcast fit`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    project: ProjectArgs,
    /// Write the parameters (tidy CSV: series, model, parameter, unit, estimate, std_error,
    /// lower, upper, level, fixed, identified, warnings, method, error) here: one row per
    /// series and parameter; on a long file a series that fails gets one row with its error.
    #[arg(long, value_name = "FILE")]
    params: Option<PathBuf>,
    #[command(flatten)]
    many: ManyArgs,
}

/// The flags of `growthcast fit` on a long file of many series.
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "Many series (a long file without --series)")]
pub(crate) struct ManyArgs {
    /// Fit through the batch path: Wald intervals from the standard errors (the `method`
    /// column says `wald`, `identified` is left empty), several times faster; without it
    /// every series gets profile intervals. Refuses --fix, weights and one-sided rows.
    #[arg(long)]
    pub(crate) fast: bool,
    /// How the --csv projections' bands are made: `bootstrap` (calibrated, ~1 ms per series)
    /// or `delta` (delta method, symmetric on the fit's scale, some 30 µs per series; needed with
    /// --fast --csv).
    #[arg(long, value_enum, value_name = "METHOD")]
    pub(crate) bands: Option<Bands>,
}

/// How the bands of many series' projections are made. (Plain comments on the variants: help
/// on possible values would switch `--help` to its long layout.)
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bands {
    // The calibrated parametric bootstrap (the default, as a single fit gives).
    Bootstrap,
    // The delta method (`Fit::project_delta`).
    Delta,
}

#[derive(Serialize)]
struct Output<'a> {
    /// The model asked for, when its ceiling ran off: what the data say about the ceiling.
    #[serde(skip_serializing_if = "Option::is_none")]
    diverged: Option<Diverged>,
    /// `"exponential"` when the fit below is the exponential reading of a runaway.
    #[serde(skip_serializing_if = "Option::is_none")]
    read_as: Option<&'static str>,
    fit: &'a Fit,
    derived: Derived,
    projection: Projection,
}

/// A ceiling that ran off, for the JSON output.
#[derive(Serialize)]
struct Diverged {
    model: String,
    parameter: &'static str,
    bound: Option<CeilingBound>,
    statement: Option<String>,
    message: String,
}

impl ManyArgs {
    /// Refuses `--fast` and `--bands` on a file of one series: they choose how many series
    /// are fitted and projected.
    fn one_series(&self, file: &std::path::Path) -> Result<(), Failure> {
        let flag = match (self.fast, self.bands) {
            (true, _) => "--fast",
            (false, Some(_)) => "--bands",
            (false, None) => return Ok(()),
        };
        Err(crate::failure::usage(format!(
            "{flag} is for a long file of many series, and {} gives one series (or --series \
             picks one): drop {flag}; one series gets profile intervals and bootstrap bands in \
             milliseconds",
            file.display()
        )))
    }
}

/// Fits, writes the charts and table asked for, and prints the fit and its projection.
///
/// When the ceiling of the model asked for runs off, the answer is what the data support: the
/// ceiling's one-sided bound, then the exponential model's fit and projection, labelled as
/// such; the exit code is then [`PARTIAL`] (an answer, but not the one asked for).
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let fitter = a.model.fitter()?;
    let params = a.params.as_deref();
    let check = |s: &Series| crate::many_fast::check_series(&a.many, s);
    if let Some(n) = a.project.scan(check)? {
        let stream = a.project.stream()?.expect("the file streamed once");
        let series = stream.map(|s| s.map_err(Failure::from));
        return crate::many::run(&fitter, &a.project, &a.many, params, n, series);
    }
    let mut groups = a.project.load_groups()?;
    if groups.len() != 1 {
        groups.iter().try_for_each(check)?;
        let n = groups.len();
        let series = groups.into_iter().map(Ok);
        return crate::many::run(&fitter, &a.project, &a.many, params, n, series);
    }
    a.many.one_series(a.project.file())?;
    let s = groups.pop().expect("one series");
    let (until, times) = a.project.horizon_of(&s)?;
    let (fit, diverged) = match fitter.fit(&s) {
        Ok(fit) => (fit, None),
        Err(e @ Error::Diverged { .. }) => match read_as_exponential(&fitter, &s) {
            Some(fit) => (fit, Some(e)),
            None => return Err(e.into()),
        },
        Err(e) => return Err(e.into()),
    };
    // One projection on the table's dates; what is printed is its points on the yearly dates
    // (every yearly date is one of the table's), so text, JSON and CSV show the same values.
    let table = fit.project(&export::csv_grid(&fit, until));
    let proj = on_dates(&table, &times);
    a.project.out.write_charts(|format, chart| {
        let spec = ChartSpec::new().horizon(until).format(format);
        plot::plot_fit(&s, &fit, &spec, chart)
    })?;
    if let Some(path) = &a.params {
        export::write_rows(path, &crate::many::param_rows(&fit))?;
        eprintln!("wrote {}", path.display());
    }
    a.project.out.write_csv(|csv| {
        export::write_projections(csv, &export::projection_rows(fit.label(), &fit, &table))
    })?;
    if a.project.json {
        crate::json(&Output {
            diverged: diverged.as_ref().map(diverged_json),
            read_as: diverged.is_some().then_some("exponential"),
            fit: &fit,
            derived: fit.derived(),
            projection: proj,
        })?;
    } else {
        if let Some(e) = &diverged {
            say!("{}\n", ran_off(e));
        }
        say!("{fit}\n{proj}\nIn words: {}", fit.summary(until));
    }
    match diverged {
        None => Ok(()),
        Some(e) => Err(Failure {
            message: format!(
                "{}; the exponential reading was printed instead",
                Failure::from(e).message
            ),
            code: PARTIAL,
        }),
    }
}

/// The exponential model fitted with the same options but the parameters' constraints and
/// start values, which belong to the model asked for (`None` if it fails too).
fn read_as_exponential(asked: &Fitter<Box<dyn Model>>, s: &Series) -> Option<Fit> {
    let options = FitOptions {
        constraints: Default::default(),
        start: None,
        ..asked.fit_options().clone()
    };
    Fitter::new(Exponential::new()).options(options).fit(s).ok()
}

/// The lines printed before the exponential reading of a ceiling that ran off.
fn ran_off(e: &Error) -> String {
    let Error::Diverged {
        model,
        parameter,
        value,
        iterations,
        ..
    } = e
    else {
        return e.to_string();
    };
    let statement = e.ceiling_statement().unwrap_or_else(|| {
        "the data show no sign of saturation, and the profile likelihood gives no one-sided \
         bound on the ceiling"
            .into()
    });
    format!(
        "{model}: the ceiling `{parameter}` ran off (to {value:.3e} after {iterations} \
         iteration(s)), so there is no {model} fit.\n{statement}.\n\nread as exponential \
         growth: the exponential model fitted to the same data, with its band (a curve without a \
         ceiling; a ceiling, if there is one, has to come from outside these data):"
    )
}

/// [`Diverged`] of an [`Error::Diverged`].
fn diverged_json(e: &Error) -> Diverged {
    let (model, parameter, bound) = match e {
        Error::Diverged {
            model,
            parameter,
            bound,
            ..
        } => (model.clone(), *parameter, bound.as_deref().copied()),
        _ => (String::new(), "", None),
    };
    Diverged {
        model,
        parameter,
        bound,
        statement: e.ceiling_statement(),
        message: e.to_string(),
    }
}

/// The points of `p` on the rows (calendar days) of `times`, in order.
fn on_dates(p: &Projection, times: &[f64]) -> Projection {
    let days: Vec<String> = times.iter().map(|&t| p.axis.cell(t)).collect();
    let on = Projection {
        points: p
            .points
            .iter()
            .filter(|q| days.contains(&p.axis.cell(q.t)))
            .copied()
            .collect(),
        ..p.clone()
    };
    debug_assert_eq!(
        on.points.len(),
        times.len(),
        "every yearly date is a table date"
    );
    on
}
