//! The crate's one error type.
//!
//! Every variant names what was wrong and where: the series, the row (1-based, as a
//! spreadsheet or a text editor shows it), the parameter or the file.

use std::path::PathBuf;

use crate::solve::Termination;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in growthcast.
///
/// Errors never lose work already done: a fit that does not converge carries its best
/// point ([`Error::NotConverged`], [`Error::Diverged`]; both through [`Error::stopped`]), and
/// batch functions keep one result per series.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The series has no points at all.
    #[error("series `{series}` is empty")]
    EmptySeries {
        /// Series name.
        series: String,
    },

    /// Fewer usable points than the model has free parameters.
    #[error(
        "series `{series}` has {points} usable point(s) but model `{model}` has {params} free \
         parameter(s): fix a parameter or add data"
    )]
    TooFewPoints {
        /// Series name.
        series: String,
        /// Model name.
        model: String,
        /// Usable points (two-sided observations).
        points: usize,
        /// Free parameters of the model.
        params: usize,
    },

    /// A time or value is NaN or infinite.
    #[error("series `{series}`, row {row}: {what} is {value}, which is not a finite number")]
    NonFinite {
        /// Series name.
        series: String,
        /// 1-based row (point) number.
        row: usize,
        /// `"value"`, `"time"` or `"weight"`.
        what: &'static str,
        /// The offending number.
        value: f64,
    },

    /// Fewer distinct times than a quantity needs: replicates at one time (several observations
    /// sharing it) count once.
    #[error(
        "series `{series}` has {times} distinct time(s) but {what} needs {needed}: \
         observations at the same time (replicates) count once; add observations at other times"
    )]
    TooFewTimes {
        /// Series name.
        series: String,
        /// What needs them (`model \`logistic\` with 3 free parameters`, `the naive forecast`).
        what: String,
        /// Distinct times available.
        times: usize,
        /// Distinct times needed.
        needed: usize,
    },

    /// A value is zero or negative where its logarithm is needed.
    #[error(
        "series `{series}`, row {row}: value {value} is not positive, but the multiplicative \
         error model takes ln(y); use ErrorModel::Additive or remove the point"
    )]
    NonPositive {
        /// Series name.
        series: String,
        /// 1-based row.
        row: usize,
        /// The offending value.
        value: f64,
    },

    /// A weight is negative or not finite.
    #[error("series `{series}`, row {row}: weight {weight} must be finite and > 0")]
    InvalidWeight {
        /// Series name.
        series: String,
        /// 1-based row.
        row: usize,
        /// The offending weight.
        weight: f64,
    },

    /// A date string could not be read.
    #[error(
        "cannot read date `{input}`: {reason} (expected `2024`, `2024-06`, `2024-06-30`, `2024Q2` \
         or a decimal year such as `2024.5`)"
    )]
    InvalidDate {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A time unit label that cannot be used ([`crate::axis::TimeUnit::new`]).
    #[error(
        "cannot use `{input}` as a time unit: {reason} (give a label such as `hour`, `day`, \
         `week`, `month`, `year` or `dose`)"
    )]
    InvalidTimeUnit {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A time on a numeric axis that is not a finite number.
    #[error(
        "cannot read time `{input}`: the series' time axis counts in `{unit}`, so a time is a \
         number such as `0`, `21` or `-3.02` (for calendar dates use a `date` column, or no \
         time unit)"
    )]
    InvalidTime {
        /// The text given.
        input: String,
        /// The axis' unit.
        unit: String,
    },

    /// A date did not match the date format given ([`crate::io::ReadOptions::date_format`]).
    #[error("cannot read date `{input}` with the format `{format}`: {reason}")]
    DateFormat {
        /// The text given.
        input: String,
        /// The chrono `strftime` format, e.g. `%d/%m/%Y`.
        format: String,
        /// What is wrong.
        reason: String,
    },

    /// A value so large (or so small) that its square overflows (or underflows) in double
    /// precision, which a least-squares fit needs: the data should be given in a larger (or
    /// smaller) unit.
    #[error(
        "series `{series}`, row {row}: value {value:e} is out of the range a fit handles \
         (magnitudes 1e-{MAX_EXP10} to 1e{MAX_EXP10}: least squares squares them, and beyond \
         that the squares overflow or underflow double precision); rescale the unit, e.g. give \
         the values in units of {scale:e} (and say so in the unit)"
    )]
    ValueOutOfRange {
        /// Series name.
        series: String,
        /// 1-based row.
        row: usize,
        /// The offending value.
        value: f64,
        /// A power of ten to divide the values by.
        scale: f64,
    },

    /// An observation kind (`exact`, `about`, `at_least`, `at_most`, `derived`) was not recognised.
    #[error(
        "unknown observation kind `{input}` (expected exact, about, at_least, at_most or derived)"
    )]
    InvalidKind {
        /// The text given.
        input: String,
    },

    /// A CSV file is malformed.
    #[error("{}: line {line}{}: {message}", file.display(), column.as_ref().map(|c| format!(", column `{c}`")).unwrap_or_default())]
    Csv {
        /// The file.
        file: PathBuf,
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// Column name, when one column is at fault.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A parameter name, value or bound given to a model is wrong.
    #[error("model `{model}`, parameter `{parameter}`: {reason}")]
    InvalidParameter {
        /// Model name.
        model: String,
        /// Parameter name.
        parameter: String,
        /// What is wrong.
        reason: String,
    },

    /// A function argument is out of its domain (e.g. a negative number of years).
    #[error("invalid argument `{name}` = {value}: {reason}")]
    InvalidArgument {
        /// Argument name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is required.
        reason: String,
    },

    /// An option of [`crate::fit::FitOptions`] that this fitting path cannot honour (e.g. fixed
    /// values on the lean [`crate::Solver`]); the reason says what to do instead.
    #[error("option `{option}`: {reason}")]
    InvalidOption {
        /// The option's field (`"constraints.fixed"`, `"start"`).
        option: &'static str,
        /// Why it cannot be honoured here, and what to do instead.
        reason: String,
    },

    /// The model cannot produce start values from these data.
    #[error("model `{model}` cannot find start values for series `{series}`: {reason}")]
    NoStartValues {
        /// Model name.
        model: String,
        /// Series name.
        series: String,
        /// Why not.
        reason: String,
    },

    /// The solver stopped without meeting a convergence test. The best point found is kept.
    #[error(
        "fit of model `{model}` to series `{series}` did not converge: {reason} after {iterations} \
         iteration(s); best RSS {rss:.6e} at parameters {best:?}"
    )]
    NotConverged {
        /// Model name.
        model: String,
        /// Series name.
        series: String,
        /// Why the solver stopped.
        reason: Termination,
        /// Iterations done.
        iterations: usize,
        /// Residual sum of squares at the best point.
        rss: f64,
        /// Best parameters found (all parameters, fixed ones included).
        best: Box<[f64]>,
    },

    /// The solver stopped without converging while a ceiling ran off far beyond the data (to
    /// more than 100 times the largest value, and twice its start): the data show no
    /// saturation that this model could pin down. The best point is kept, as in
    /// [`Error::NotConverged`], and so is what the data do say: the ceiling's one-sided
    /// profile-likelihood lower bound ([`Error::ceiling_statement`] puts it in words).
    #[error(
        "fit of model `{model}` to series `{series}` did not converge: the ceiling `{parameter}` \
         ran off to {value:.3e}, {:.1e} times the largest value in the data ({data_max:.3e}), \
         after {iterations} iteration(s) ({reason}); {}; fit `exponential` for its band, or fix \
         or bound `{parameter}` to a known value (a ceiling such as a population or 100%)",
         .value / .data_max, diverged_statement(parameter, bound.as_deref())
    )]
    Diverged {
        /// Model name.
        model: String,
        /// Series name.
        series: String,
        /// The ceiling parameter that ran off.
        parameter: &'static str,
        /// Its value at the best point.
        value: f64,
        /// The largest value in the data.
        data_max: f64,
        /// Why the solver stopped.
        reason: Termination,
        /// Iterations done.
        iterations: usize,
        /// Residual sum of squares at the best point.
        rss: f64,
        /// Best parameters found (all parameters, fixed ones included).
        best: Box<[f64]>,
        /// What the data say about the ceiling: the lower end of its profile-likelihood interval
        /// when that interval is one-sided (no upper bound up to 10,000 times the data, see
        /// [`crate::profile::ceiling_interval`]); `None` when the profile gives no such bound
        /// (no lower crossing, or an upper one as well).
        bound: Option<Box<CeilingBound>>,
    },

    /// The solver converged to a degenerate point, where the Jacobian is singular and the curve
    /// explains nothing (R² ≤ 0 in the space of the residuals: no better than the mean), and
    /// no other start point (the model's self-start, the start scaled, a few deterministic
    /// perturbations) reached a better minimum.
    #[error(
        "fit of model `{model}` to series `{series}` stopped at a degenerate point ({reason}): \
         the Jacobian is singular there and the curve explains nothing (R² = {r_squared:.3}), \
         and {starts} other start point(s) (self-start, scaled, perturbed) found no better \
         minimum; give start values closer to the data, fix a parameter at a known value, or \
         choose a simpler model"
    )]
    Degenerate {
        /// Model name.
        model: String,
        /// Series name.
        series: String,
        /// Where it stopped, in words (the free parameters' values).
        reason: String,
        /// R² at the degenerate point, in the space of the residuals.
        r_squared: f64,
        /// How many other start points were tried.
        starts: usize,
    },

    /// A chart could not be drawn or written.
    #[error("chart {}: {message}", path.display())]
    Plot {
        /// The file the chart was meant for.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// Results could not be written (CSV or JSON export).
    #[error("{}: cannot write {what}: {message}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What was being written (`"CSV"`, `"JSON"`).
        what: &'static str,
        /// What went wrong.
        message: String,
    },

    /// A run over a folder found nothing it could use: no folder, no CSV files, or only files
    /// that could not be read. Nothing was written.
    #[error("{}: nothing to report: {reason}", folder.display())]
    NothingToReport {
        /// The folder that was read.
        folder: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
}

/// Decimal exponent of the largest (and of the reciprocal of the smallest non-zero) magnitude a
/// fit accepts: [`Error::ValueOutOfRange`] beyond it.
pub(crate) const MAX_EXP10: i32 = 100;

/// Where a fit that did not converge stopped: see [`Error::stopped`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stopped<'a> {
    /// Why the solver stopped.
    pub reason: Termination,
    /// Iterations done.
    pub iterations: usize,
    /// Residual sum of squares at the best point.
    pub rss: f64,
    /// Best parameters found.
    pub best: &'a [f64],
}

impl Error {
    /// The solver's best point, for the errors that carry one ([`Error::NotConverged`] and
    /// [`Error::Diverged`]): one way to keep the work of any fit that stopped early.
    ///
    /// ```
    /// use growthcast::{Fitter, LmSettings, Logistic, Series};
    /// let s = Series::from_years("s", &[(2020.0, 1.0), (2021.0, 2.7), (2022.0, 7.4), (2023.0, 20.1)])?;
    /// let few = LmSettings { max_iterations: 1, ..LmSettings::default() };
    /// let e = Fitter::new(Logistic).settings(few).fit(&s).unwrap_err();
    /// let stopped = e.stopped().expect("a best point");
    /// assert_eq!((stopped.iterations, stopped.best.len()), (1, 3));
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn stopped(&self) -> Option<Stopped<'_>> {
        match self {
            Error::NotConverged {
                reason,
                iterations,
                rss,
                best,
                ..
            }
            | Error::Diverged {
                reason,
                iterations,
                rss,
                best,
                ..
            } => Some(Stopped {
                reason: *reason,
                iterations: *iterations,
                rss: *rss,
                best,
            }),
            _ => None,
        }
    }

    /// What the data say about a ceiling that ran off ([`Error::Diverged`] with a one-sided
    /// bound), in words: "the data say only that K is above 3.2e14 at 95% (profile likelihood),
    /// with no upper bound: the curve is indistinguishable from exponential growth over the
    /// data". `None` for every other error, and for a runaway without such a bound.
    pub fn ceiling_statement(&self) -> Option<String> {
        match self {
            Error::Diverged {
                parameter,
                bound: Some(b),
                ..
            } => Some(one_sided(parameter, b)),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn arg(name: &'static str, value: f64, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name,
            value,
            reason: reason.into(),
        }
    }
}

/// What the data say about a ceiling that ran off ([`Error::Diverged`]): it lies above
/// `above`, at confidence `level`, and the data set no upper bound.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct CeilingBound {
    /// The lower end of the ceiling's one-sided profile-likelihood interval.
    pub above: f64,
    /// Its confidence level (the fitter's level, e.g. 0.95).
    pub level: f64,
}

impl CeilingBound {
    /// The level in percent, as reports print it (`95`, `99.9`).
    pub fn percent(&self) -> f64 {
        (self.level * 100.0 * 1e6).round() / 1e6
    }
}

/// The one-sided statement of a ceiling that ran off.
fn one_sided(parameter: &str, b: &CeilingBound) -> String {
    format!(
        "the data say only that {parameter} is above {:.3e} at {}% (profile likelihood), \
         with no upper bound: the curve is indistinguishable from exponential growth over the data",
        b.above,
        b.percent()
    )
}

/// The middle of [`Error::Diverged`]'s message: the one-sided statement, or why there is none.
fn diverged_statement(parameter: &str, bound: Option<&CeilingBound>) -> String {
    match bound {
        Some(b) => one_sided(parameter, b),
        None => format!(
            "the data show no sign of saturation (and the profile likelihood of `{parameter}` \
             gives no one-sided lower bound)"
        ),
    }
}
