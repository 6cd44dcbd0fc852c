//! What several subcommands take: how to read the file, which model to fit, where to write
//! charts and tables, and the parsers of dates, levels, rates and multiples.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::ValueEnum;
use growthcast::model::{Builtin, Model};
use growthcast::{io, plot, time, ErrorModel, Fitter, Series};

use crate::failure::{usage, Failure};

/// Where to write charts and the table.
#[derive(clap::Args, Debug)]
pub(crate) struct OutputArgs {
    /// Write a PNG chart here (PNG whatever the extension).
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Write an SVG chart here (SVG whatever the extension).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Write the table (tidy CSV) here.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

impl OutputArgs {
    /// Draws each chart asked for with the format its flag names: the flag wins over the
    /// extension (`--svg chart.png` writes an SVG); says on stderr where each went.
    pub(crate) fn write_charts(
        &self,
        mut draw: impl FnMut(plot::Format, &Path) -> growthcast::Result<()>,
    ) -> Result<(), Failure> {
        let png = self.png.iter().map(|p| (p, plot::Format::Png));
        for (chart, format) in png.chain(self.svg.iter().map(|p| (p, plot::Format::Svg))) {
            draw(format, chart)?;
            eprintln!("wrote {}", chart.display());
        }
        Ok(())
    }

    /// Whether `--png` or `--svg` asks for a chart.
    pub(crate) fn charts_asked(&self) -> bool {
        self.png.is_some() || self.svg.is_some()
    }

    /// The `--csv` path, if given.
    pub(crate) fn csv(&self) -> Option<&Path> {
        self.csv.as_deref()
    }

    /// Writes the table with `write` if `--csv` asks for it; says on stderr where it went.
    pub(crate) fn write_csv(
        &self,
        write: impl FnOnce(&Path) -> growthcast::Result<()>,
    ) -> Result<(), Failure> {
        if let Some(csv) = &self.csv {
            write(csv)?;
            eprintln!("wrote {}", csv.display());
        }
        Ok(())
    }
}

/// What `fit` and `compare` take besides a model: the file and how to read it, how far to
/// project, the charts and table to write, and JSON or text.
#[derive(clap::Args, Debug)]
pub(crate) struct ProjectArgs {
    /// The CSV file.
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Project to the end of this year (or date) [default: 2030]; on a numeric time axis
    /// (--time-unit) a number [default: half the data span past the last point].
    #[arg(long, allow_hyphen_values = true)]
    until: Option<String>,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

impl ProjectArgs {
    /// The file's series: the one `--series` names, or all of them.
    pub(crate) fn load_groups(&self) -> Result<Vec<Series>, Failure> {
        self.read.load_groups(&self.file)
    }

    /// Without `--series`, a long file whose rows are grouped by series (each series' rows one
    /// after another) is read twice, one series at a time: first to check every row, count
    /// the series and pass each to `each` (say on stderr what was skipped and the warnings),
    /// then by [`ProjectArgs::stream`] to fit them. The count, when the file streams and holds
    /// more than one series; `None` otherwise (with `--series`, a file of one series or without
    /// a `series` column, or rows not grouped by series: the file is then read whole).
    pub(crate) fn scan(
        &self,
        mut each: impl FnMut(&Series) -> Result<(), Failure>,
    ) -> Result<Option<usize>, Failure> {
        let Some(mut stream) = self.stream()? else {
            return Ok(None);
        };
        let mut n = 0;
        for s in stream.by_ref() {
            match s {
                Ok(s) => each(&s)?,
                Err(_) if stream.out_of_order() => return Ok(None),
                Err(e) => return Err(e.into()),
            }
            n += 1;
        }
        if n < 2 {
            return Ok(None);
        }
        tell(&self.file, stream.skipped(), stream.warnings());
        Ok(Some(n))
    }

    /// The file's series one at a time ([`io::GroupStream`]), unless `--series` picks one or
    /// the file has no `series` column.
    pub(crate) fn stream(&self) -> Result<Option<io::GroupStream>, Failure> {
        if self.read.series.is_some() {
            return Ok(None);
        }
        Ok(io::stream_groups_with(&self.file, &self.read.options()?)?)
    }

    /// The file.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// For one series of many: the end of `--until` and the times a projection is printed at.
    pub(crate) fn horizon_of(&self, s: &Series) -> Result<(f64, Vec<f64>), Failure> {
        let until = horizon(s, self.until.as_deref(), "2030", "--until")?;
        Ok((until, printed(s, until, "--until")?))
    }
}

/// How to read the CSV file (see `io::ReadOptions`).
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "Reading the file")]
pub(crate) struct ReadArgs {
    /// Name of the date column [default: date, ds, time or year].
    #[arg(long, value_name = "NAME")]
    date_col: Option<String>,
    /// Name of the value column [default: value or y].
    #[arg(long, value_name = "NAME")]
    value_col: Option<String>,
    /// Name of a column whose labels name the series of a long file [default: series,
    /// series_id, series_name or scenario].
    #[arg(long, value_name = "NAME")]
    series_col: Option<String>,
    /// Date format (chrono strftime) for dates such as 15/06/2020: %d/%m/%Y. Day-first and
    /// month-first dates are never guessed.
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// Skip rows without a value (empty, NA, N/A, NaN, null, -, ..) and say how many on stderr.
    #[arg(long)]
    skip_missing: bool,
    /// Field separator: one character, or `tab` [default: `;` if the header has `;` and no `,`,
    /// a tab if it has only tabs, else `,`].
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Read a (quoted) `1,5` as 1.5 in a comma-separated file; `;`-separated files always do.
    #[arg(long)]
    decimal_comma: bool,
    /// Which series of a multi-series file (e.g. `medium`).
    #[arg(long)]
    series: Option<String>,
    /// The times are numbers in this unit (hour, day, week, month, year, dose, …), zero and
    /// negatives allowed, instead of dates; rates are then per this unit [default: a
    /// `time_unit` column, else dates].
    #[arg(long, value_name = "UNIT")]
    time_unit: Option<String>,
}

impl ReadArgs {
    fn options(&self) -> Result<io::ReadOptions, Failure> {
        let mut o = io::ReadOptions::new().skip_missing(self.skip_missing);
        if let Some(c) = &self.date_col {
            o = o.date_column(c);
        }
        if let Some(c) = &self.value_col {
            o = o.value_column(c);
        }
        if let Some(c) = &self.series_col {
            o = o.series_column(c);
        }
        if let Some(f) = &self.date_format {
            o = o.date_format(f);
        }
        if self.decimal_comma {
            o = o.decimal_comma(true);
        }
        if let Some(u) = &self.time_unit {
            o = o.time_unit(u);
        }
        if let Some(d) = &self.delimiter {
            let byte = match d.as_str() {
                "tab" | "\\t" | "\t" => b'\t',
                one if one.len() == 1 && one.as_bytes()[0] != b'"' => one.as_bytes()[0],
                _ => {
                    return Err(usage(format!(
                        "--delimiter `{d}`: give one character such as ';' or ',', or `tab`"
                    )))
                }
            };
            o = o.delimiter(byte);
        }
        Ok(o)
    }

    /// Reads `file` and picks the series `--series` names (by its name or the part after the
    /// last `/`), or the only one; says on stderr which rows were skipped for want of a value,
    /// and the reader's warnings (a repeated row, rows at one date that may be two series).
    pub(crate) fn load(&self, file: &Path) -> Result<Series, Failure> {
        let mut groups = self.load_groups(file)?;
        if groups.len() == 1 {
            return Ok(groups.pop().expect("one"));
        }
        let names: Vec<&str> = groups.iter().take(20).map(|s| s.name()).collect();
        Err(usage(format!(
            "{} holds {} series ({}{}): choose one with --series NAME",
            file.display(),
            groups.len(),
            names.join(", "),
            if groups.len() > 20 { ", …" } else { "" }
        )))
    }

    /// Reads `file`: the series `--series` names (one), or every series of the file; says on
    /// stderr which rows were skipped for want of a value, and the reader's warnings.
    pub(crate) fn load_groups(&self, file: &Path) -> Result<Vec<Series>, Failure> {
        let loaded = io::read_groups_with(file, &self.options()?)?;
        tell(file, &loaded.skipped, &loaded.warnings);
        let groups = loaded.series;
        let Some(name) = self.series.as_deref() else {
            return Ok(groups);
        };
        let names: Vec<String> = groups
            .iter()
            .take(20)
            .map(|s| s.name().to_string())
            .collect();
        let n = groups.len();
        let found = groups
            .into_iter()
            .find(|s| s.name() == name || s.name().rsplit('/').next() == Some(name));
        match found {
            Some(s) => Ok(vec![s]),
            None => Err(usage(format!(
                "{}: no series `{name}` (it has: {}{})",
                file.display(),
                names.join(", "),
                if n > 20 { ", …" } else { "" }
            ))),
        }
    }
}

/// Says on stderr which rows of `file` were skipped for want of a value, and the reader's
/// warnings (the first 20).
fn tell(file: &Path, skipped: &[u64], warnings: &[io::ReadWarning]) {
    if !skipped.is_empty() {
        let n = skipped.len();
        let lines: Vec<String> = skipped.iter().take(10).map(u64::to_string).collect();
        eprintln!(
            "{}: skipped {n} row{} with no value (line{} {}{})",
            file.display(),
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            lines.join(", "),
            if n > 10 { ", …" } else { "" }
        );
    }
    for w in warnings.iter().take(20) {
        eprintln!("{}: warning: {w}", file.display());
    }
    if warnings.len() > 20 {
        eprintln!(
            "{}: … and {} more warnings",
            file.display(),
            warnings.len() - 20
        );
    }
}

/// Which model to fit, and how.
#[derive(clap::Args, Debug)]
pub(crate) struct ModelArgs {
    /// The model (its parameters are listed below).
    #[arg(long, short, default_value_t = Builtin::Exponential, value_parser = ModelName)]
    model: Builtin,
    /// Hold a parameter fixed: NAME=VALUE (repeatable), e.g. K=1.41e9.
    #[arg(long = "fix", value_name = "NAME=VALUE")]
    fix: Vec<String>,
    /// Bound a parameter: NAME=LOW:HIGH (repeatable), e.g. r=0:5.
    #[arg(long = "bound", value_name = "NAME=LOW:HIGH")]
    bound: Vec<String>,
    /// Error model: multiplicative (residuals of ln y, the default) or additive.
    #[arg(long, default_value = "multiplicative")]
    error: String,
    /// Confidence level of intervals and bands, between 0 and 1 (0.95 is 95%).
    #[arg(long, default_value_t = 0.95, value_parser = confidence_level)]
    level: f64,
    /// Let growth rates (r; p and q of bass) go negative, so that falling data fit a decline.
    /// By default a rate without --bound is kept at or above 0, and a fit that ends at 0 warns
    /// that the data fall or do not grow.
    #[arg(long)]
    allow_decline: bool,
}

impl ModelArgs {
    /// The fitter these flags describe; a `--fix` or `--bound` must name a parameter of the model.
    pub(crate) fn fitter(&self) -> Result<Fitter<Box<dyn Model>>, Failure> {
        let m = self.model.model();
        let em = match self.error.to_ascii_lowercase().as_str() {
            "multiplicative" | "mult" | "log" => ErrorModel::Multiplicative,
            "additive" | "add" => ErrorModel::Additive,
            other => {
                return Err(usage(format!(
                    "unknown error model `{other}`: choose multiplicative or additive"
                )))
            }
        };
        let names = m.clone();
        let mut f = Fitter::new(m).error_model(em).level(self.level);
        if self.allow_decline {
            f = f.allow_decline();
        }
        for spec in &self.fix {
            let (name, value) = spec
                .split_once('=')
                .ok_or_else(|| usage(format!("--fix `{spec}`: write NAME=VALUE, e.g. K=1.41e9")))?;
            check_parameter(names.as_ref(), "--fix", spec, name.trim())?;
            let v: f64 = value
                .trim()
                .parse()
                .map_err(|_| usage(format!("--fix `{spec}`: `{value}` is not a number")))?;
            f = f.fix(name.trim(), v);
        }
        for spec in &self.bound {
            let parsed = spec.split_once('=').and_then(|(n, r)| {
                let (lo, hi) = r.split_once(':')?;
                Some((
                    n.trim(),
                    lo.trim().parse::<f64>().ok()?,
                    hi.trim().parse::<f64>().ok()?,
                ))
            });
            let (name, lo, hi) = parsed.ok_or_else(|| {
                usage(format!("--bound `{spec}`: write NAME=LOW:HIGH, e.g. r=0:5"))
            })?;
            check_parameter(names.as_ref(), "--bound", spec, name)?;
            f = f.bound(name, lo, hi);
        }
        Ok(f)
    }
}

/// Parses `--model` as a [`Builtin`] (case-insensitive, `exp` for exponential; an unknown name
/// is an "unknown model" error that lists the models) and gives clap the possible values to
/// list in `--help`.
#[derive(Clone, Copy, Debug)]
struct ModelName;

impl TypedValueParser for ModelName {
    type Value = Builtin;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Builtin, clap::Error> {
        StringValueParser::new()
            .try_map(|s| s.parse::<Builtin>())
            .parse_ref(cmd, arg, value)
    }

    /// The names only: the models' meanings stand in the parameter list after the flags, and
    /// values with help would switch `--help` to its long layout.
    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let values = Builtin::value_variants().iter();
        Some(Box::new(values.map(|b| PossibleValue::new(b.name()))))
    }
}

/// The parameters of every built-in model, for `--help`: what `--fix` and `--bound` accept.
pub(crate) fn parameter_help() -> String {
    let mut text = String::from(
        "Parameters by model (names for --fix NAME=VALUE and --bound NAME=LOW:HIGH):\n",
    );
    for b in Builtin::ALL {
        let ps: Vec<String> = b
            .model()
            .params()
            .iter()
            .map(|p| format!("{} ({})", p.name, p.meaning))
            .collect();
        text.push_str(&format!("  {:<12} {}\n", b.name(), ps.join(", ")));
    }
    text
}

/// Checks that a `--fix` or `--bound` names a parameter of the model.
fn check_parameter(m: &dyn Model, flag: &str, spec: &str, name: &str) -> Result<(), Failure> {
    if m.params().iter().any(|p| p.name == name) {
        return Ok(());
    }
    let names: Vec<&str> = m.params().iter().map(|p| p.name).collect();
    Err(usage(format!(
        "{flag} `{spec}`: the {} model has no parameter `{name}`; its parameters are {} \
         (every model's are listed in `growthcast fit --help`)",
        m.name(),
        names.join(", ")
    )))
}

/// Parses `--level`: a fraction strictly between 0 and 1.
pub(crate) fn confidence_level(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number; write e.g. 0.95"))?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else if (50.0..100.0).contains(&v) {
        Err(format!(
            "{v} is not between 0 and 1; for {v}% write {}",
            v / 100.0
        ))
    } else {
        Err(format!("{v} is not between 0 and 1; write e.g. 0.95"))
    }
}

/// Parses a rate or an increase: `12.8%` or a fraction `0.128`; a bare number above 1 is
/// ambiguous (12.8 could mean 12.8% or 1,280%) and refused.
pub(crate) fn percent(s: &str) -> Result<f64, String> {
    let t = s.trim();
    if let Some(p) = t.strip_suffix('%') {
        let v: f64 = p
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a percentage; write e.g. 12.8%"))?;
        return finite(v / 100.0, s);
    }
    let v: f64 = t
        .parse()
        .map_err(|_| format!("`{s}` is not a number; write e.g. 12.8% or 0.128"))?;
    if v.abs() > 1.0 {
        return Err(format!(
            "`{s}` is ambiguous: write {s}% for {s} percent, {}% if you mean {v} as a fraction, \
             or use --claim-multiple {s} for \"{s}-fold\"",
            100.0 * v
        ));
    }
    finite(v, s)
}

/// Parses a growth multiple: `300` or `300x`.
pub(crate) fn multiple(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let t = t.strip_suffix(['x', 'X']).unwrap_or(t);
    let v: f64 = t
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a multiple; write e.g. 300 or 300x"))?;
    if v > 0.0 {
        finite(v, s)
    } else {
        Err(format!(
            "`{s}`: a growth multiple is above 0 (2 means doubled)"
        ))
    }
}

fn finite(v: f64, s: &str) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a finite number"))
    }
}

/// A date (`2024`, `2024-06`, `2024-06-30`) as a decimal year; `what` names the flag.
pub(crate) fn year(s: &str, what: &str) -> Result<f64, Failure> {
    time::parse_date(s).map_err(|e| usage(format!("{what}: {e}")))
}

/// An end date: a bare year (`2030`) means its last day, anything else the date it names.
pub(crate) fn end_of(s: &str, what: &str) -> Result<f64, Failure> {
    let t = s.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        year(&format!("{t}-12-31"), what)
    } else {
        year(t, what)
    }
}

/// A horizon given with `flag` for the series `s`: an end date on the calendar (`calendar`
/// when none is given), a number on a numeric axis (half the data span past the last point
/// when none is given).
pub(crate) fn horizon(
    s: &Series,
    given: Option<&str>,
    calendar: &str,
    flag: &str,
) -> Result<f64, Failure> {
    let axis = s.axis();
    match given {
        Some(g) if axis.is_calendar() => end_of(g, flag),
        Some(g) => axis.parse(g).map_err(|e| usage(format!("{flag}: {e}"))),
        None => Ok(s.default_horizon(end_of(calendar, flag)?)),
    }
}

/// The times a projection is printed at: the axis' steps after the last observation up to
/// `until` (the year ends on the calendar), and `until` itself; `until` on or before the last
/// observation is a usage error.
pub(crate) fn printed(s: &Series, until: f64, flag: &str) -> Result<Vec<f64>, Failure> {
    let (axis, last) = (s.axis(), s.span().1);
    if until <= last {
        return Err(usage(format!(
            "{flag} {} is not after the last observation of `{}` ({}): projections start after \
             the data; give a later {}",
            axis.at(until),
            s.name(),
            axis.at(last),
            if axis.is_calendar() { "date" } else { "time" }
        )));
    }
    Ok(axis.steps(last, until))
}
