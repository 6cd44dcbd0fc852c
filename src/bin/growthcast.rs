//! `growthcast`: fit, compare, project and question growth series from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use growthcast::growth::{self, Figure};
use growthcast::plot::{self, ChartSpec};
use growthcast::report::{self, ReportOptions};
use growthcast::scenario::{Base, ScenarioSet};
use growthcast::{compare, export, io, model, time, Error, ErrorModel, Fit, Fitter, Kind, Series};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// `println!` that ends quietly when the reader goes away (`growthcast … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

const AFTER_HELP: &str = "\
Examples:
  growthcast fit data/tokens_daily.csv --model exponential --until 2030
  growthcast fit data/genai_users.csv --model logistic --fix K=1.41e9 --json
  growthcast compare data/genai_users.csv
  growthcast when data/tokens_daily.csv --reach 1e15 --model exponential
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim-rate 12.8% --start-kind about --end-kind at_least
  growthcast cagr 1e11 3e13 --years 1.5 --end-kind at_least --claim-multiple 300 --claim-kind at_least
  growthcast scenario --base 140e9 --base-year 2024 --targets-file data/datacenter_power_2030.csv --rate low=0.1
  growthcast report --data data --out out

Files are CSV with a header; `date` and `value` columns (or `ds` and `y`) in any order; optional
`unit`, `kind` (exact, about, at_least, at_most, derived), `weight`, `source`; a `series`
(`series_id`, `series_name`) or `scenario` column splits a long file into several series.
Separated by `;`, values may have decimal commas (`1,5`). Other column names: --date-col,
--value-col, --series-col; dates like 15/06/2020: --date-format %d/%m/%Y; rows without a value:
--skip-missing. Errors go to stderr as one line. Exit codes: 0 done; 1 bad data, a failed fit or
nothing to report; 2 a bad command line; 3 a partial report (some files skipped, listed at the end).";

#[derive(Parser, Debug)]
#[command(name = "growthcast", version, about = "Fit growth models to short series and project them, honestly.", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fit one model to a series, print the report and a yearly projection.
    #[command(after_help = "Examples:
  growthcast fit data/tokens_daily.csv --model exponential --until 2030
  growthcast fit data/genai_users.csv --model logistic --fix K=1.41e9 --png users.png --csv users.csv
  growthcast fit data/genai_services.csv --model logistic --bound r=0:3 --error additive --json")]
    Fit {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        model: ModelArgs,
        /// Project to the end of this year (or date).
        #[arg(long, default_value = "2030")]
        until: String,
        #[command(flatten)]
        out: OutputArgs,
        /// Print JSON (fit and projection) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fit every standard model, rank them by AICc (or AIC), and average.
    #[command(after_help = "Examples:
  growthcast compare data/genai_users.csv
  growthcast compare data/tokens_daily.csv --until 2028 --json")]
    Compare {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Which series of a multi-series file.
        #[arg(long)]
        series: Option<String>,
        /// Averaged projection up to this year (or date).
        #[arg(long, default_value = "2030")]
        until: String,
        #[command(flatten)]
        out: OutputArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Growth paths from an ASSUMED base to targets or at given rates.
    #[command(after_help = "Examples:
  growthcast scenario --base 140e9 --base-year 2024 --target medium=400e9@2030 --target high=700e9@2030
  growthcast scenario --base 140e9 --base-year 2024 --targets-file data/datacenter_power_2030.csv \\
      --rate low=0.1 --sensitivity 100e9,140e9,200e9")]
    Scenario {
        /// The assumed base value (not a document figure: say where it comes from with --label).
        #[arg(long)]
        base: f64,
        /// The base year (or date).
        #[arg(long)]
        base_year: String,
        /// Where the base comes from.
        #[arg(long, default_value = "user assumption")]
        label: String,
        /// A target scenario NAME=VALUE@YEAR.
        #[arg(long = "target", value_name = "NAME=VALUE@YEAR")]
        targets: Vec<String>,
        /// A constant-rate scenario NAME=RATE (0.1 is 10% a year).
        #[arg(long = "rate", value_name = "NAME=RATE")]
        rates: Vec<String>,
        /// Read targets from a CSV with one point per scenario (a `scenario` column).
        #[arg(long)]
        targets_file: Option<PathBuf>,
        /// Implied rates for these comma-separated base values.
        #[arg(long, value_delimiter = ',')]
        sensitivity: Vec<f64>,
        /// Yearly paths up to this year.
        #[arg(long, default_value = "2030")]
        until: String,
        /// Unit of the values.
        #[arg(long, default_value = "")]
        unit: String,
        #[command(flatten)]
        out: OutputArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Growth between two values (CAGR, multiple, increase), and checks of claims about it.
    #[command(after_help = "Examples:
  growthcast cagr 100 121 --years 2
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim-rate 12.8% --start-kind about --end-kind at_least
  growthcast cagr 1e11 3e13 --years 1.5 --end-kind at_least --claim-multiple 300 --claim-kind at_least
  growthcast cagr 1e14 1.4e14 --years 0.25 --end-kind at_least --claim-increase 40% --claim-kind at_least

Claims: --claim-rate is an annual rate, --claim-multiple a factor (300 means 300x), --claim-increase
a rise over the whole period. Rates and increases are written with a percent sign (12.8%) or as
fractions up to 1 (0.128); a bare number above 1 is refused as ambiguous: write 300% or use
--claim-multiple 300.")]
    Cagr {
        /// Start value.
        start: f64,
        /// End value.
        end: f64,
        /// Years between them.
        #[arg(long)]
        years: f64,
        /// A claimed compound annual growth rate: 12.8% or 0.128.
        #[arg(long = "claim-rate", alias = "claim", value_name = "RATE", value_parser = percent)]
        claim_rate: Option<f64>,
        /// A claimed growth multiple over the period: 300 (or 300x) means "300-fold".
        #[arg(long, value_name = "FACTOR", value_parser = multiple)]
        claim_multiple: Option<f64>,
        /// A claimed increase over the period: 40% or 0.4.
        #[arg(long, value_name = "INCREASE", value_parser = percent)]
        claim_increase: Option<f64>,
        /// What the start figure's wording says: exact, about, at_least, at_most.
        #[arg(long, default_value = "exact")]
        start_kind: String,
        /// What the end figure's wording says.
        #[arg(long, default_value = "exact")]
        end_kind: String,
        /// What the claims' wording says ("more than 300x" is at_least).
        #[arg(long, default_value = "exact")]
        claim_kind: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// When does the fitted curve reach a level? An interval, or "not within the horizon".
    #[command(after_help = "Examples:
  growthcast when data/tokens_daily.csv --reach 1e15
  growthcast when data/genai_users.csv --reach 1.128e9 --model logistic --fix K=1.41e9 --horizon 2040")]
    When {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// The level (a negative level is fine: `--reach -5`).
        #[arg(long, allow_negative_numbers = true)]
        reach: f64,
        #[command(flatten)]
        model: ModelArgs,
        /// Search up to this year.
        #[arg(long, default_value = "2050")]
        horizon: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every series in a folder: charts, CSV tables and JSON (the README's main job).
    #[command(after_help = "Examples:
  growthcast report
  growthcast report --data mydata --out results")]
    Report {
        /// Folder of CSV files.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Project to this year (or date).
        #[arg(long, default_value = "2030-12-31")]
        until: String,
    },
}

#[derive(Args, Debug)]
struct OutputArgs {
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
    /// Each chart to write with the format its flag names: the flag wins over the extension
    /// (`--svg chart.png` writes an SVG).
    fn charts(&self) -> impl Iterator<Item = (&PathBuf, plot::Format)> {
        let png = self.png.iter().map(|p| (p, plot::Format::Png));
        png.chain(self.svg.iter().map(|p| (p, plot::Format::Svg)))
    }
}

/// How to read the CSV file (see `io::ReadOptions`).
#[derive(Args, Debug)]
#[command(next_help_heading = "Reading the file")]
struct ReadArgs {
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
}

#[derive(Args, Debug)]
struct ModelArgs {
    /// exponential, logistic, gompertz, linear, richards or bass (their parameters are listed below).
    #[arg(long, short, default_value = "exponential")]
    model: String,
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
    /// Which series of a multi-series file (e.g. `medium`).
    #[arg(long)]
    series: Option<String>,
}

/// Parses `--level`: a fraction strictly between 0 and 1.
fn confidence_level(s: &str) -> Result<f64, String> {
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

/// The parameters of every built-in model, for `--help`: what `--fix` and `--bound` accept.
fn parameter_help() -> String {
    let mut text = String::from("Parameters by model (names for --fix NAME=VALUE and --bound NAME=LOW:HIGH):\n");
    for name in model::MODEL_NAMES {
        if let Some(m) = model::by_name(name) {
            let ps: Vec<String> = m
                .params()
                .iter()
                .map(|p| format!("{} ({})", p.name, p.meaning))
                .collect();
            text.push_str(&format!("  {name:<12} {}\n", ps.join(", ")));
        }
    }
    text
}

/// Checks that a `--fix` or `--bound` names a parameter of the model.
fn check_parameter(m: &dyn model::Model, flag: &str, spec: &str, name: &str) -> Result<(), Failure> {
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

/// Parses a rate or an increase: `12.8%` or a fraction `0.128`; a bare number above 1 is
/// ambiguous (12.8 could mean 12.8% or 1,280%) and refused.
fn percent(s: &str) -> Result<f64, String> {
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
fn multiple(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let t = t.strip_suffix(['x', 'X']).unwrap_or(t);
    let v: f64 = t
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a multiple; write e.g. 300 or 300x"))?;
    if v > 0.0 {
        finite(v, s)
    } else {
        Err(format!("`{s}`: a growth multiple is above 0 (2 means doubled)"))
    }
}

fn finite(v: f64, s: &str) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a finite number"))
    }
}

/// Exit code of a run that wrote its output but skipped some inputs.
const PARTIAL: u8 = 3;

/// A command-line error: one line, and the exit code.
struct Failure {
    message: String,
    code: u8,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let hint = match &e {
            Error::NonPositive { .. } => "; fix: use --error additive, or remove the point",
            Error::TooFewPoints { .. } => "; fix: add points, fix a parameter with --fix NAME=VALUE, or pick a simpler --model",
            Error::NotConverged { .. } => "; fix: fix or bound a parameter (--fix, --bound), or try another --model",
            Error::Diverged { parameter, .. } => {
                return Failure {
                    message: format!(
                        "{e}; fix: --fix {parameter}=VALUE, --bound {parameter}=LOW:HIGH, or --model exponential"
                    ),
                    code: 1,
                }
            }
            Error::InvalidParameter { .. } => {
                "; fix: see every model's parameters in `growthcast fit --help`"
            }
            // The message says what to do already.
            Error::Csv { message, .. } if message.contains("pass --") || message.contains("with --") => "",
            Error::Csv { line: 1, .. } => "; fix: the header row needs `date` and `value` columns (or `ds` and `y`)",
            Error::Csv { column: Some(_), .. } => {
                "; fix: correct that cell (dates like 2024, 2024-06, 2024-06-30; values as plain numbers)"
            }
            _ => "",
        };
        Failure {
            message: format!("{e}{hint}"),
            code: 1,
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 2,
    }
}

fn load(file: &Path, which: Option<&str>, read: &ReadArgs) -> Result<Series, Failure> {
    let loaded = io::read_groups_with(file, &read.options()?)?;
    if !loaded.skipped.is_empty() {
        let n = loaded.skipped.len();
        let lines: Vec<String> = loaded.skipped.iter().take(10).map(u64::to_string).collect();
        eprintln!(
            "{}: skipped {n} row{} with no value (line{} {}{})",
            file.display(),
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            lines.join(", "),
            if n > 10 { ", …" } else { "" }
        );
    }
    let groups = loaded.series;
    match which {
        Some(name) => {
            let names: Vec<String> = groups.iter().map(|s| s.name().to_string()).collect();
            groups
                .into_iter()
                .find(|s| s.name() == name || s.name().rsplit('/').next() == Some(name))
                .ok_or_else(|| {
                    usage(format!(
                        "{}: no series `{name}` (it has: {})",
                        file.display(),
                        names.join(", ")
                    ))
                })
        }
        None if groups.len() == 1 => Ok(groups.into_iter().next().expect("one")),
        None => {
            let names: Vec<&str> = groups.iter().map(|s| s.name()).collect();
            Err(usage(format!(
                "{} holds {} series ({}): choose one with --series NAME",
                file.display(),
                groups.len(),
                names.join(", ")
            )))
        }
    }
}

fn fitter(args: &ModelArgs) -> Result<Fitter<Box<dyn model::Model>>, Failure> {
    let m = model::by_name(&args.model).ok_or_else(|| {
        usage(format!(
            "unknown model `{}`: choose one of {}",
            args.model,
            model::MODEL_NAMES.join(", ")
        ))
    })?;
    let em = match args.error.to_ascii_lowercase().as_str() {
        "multiplicative" | "mult" | "log" => ErrorModel::Multiplicative,
        "additive" | "add" => ErrorModel::Additive,
        other => {
            return Err(usage(format!(
                "unknown error model `{other}`: choose multiplicative or additive"
            )))
        }
    };
    let names = m.clone();
    let mut f = Fitter::new(m).error_model(em).level(args.level);
    for spec in &args.fix {
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
    for spec in &args.bound {
        let parsed = spec.split_once('=').and_then(|(n, r)| {
            let (lo, hi) = r.split_once(':')?;
            Some((
                n.trim(),
                lo.trim().parse::<f64>().ok()?,
                hi.trim().parse::<f64>().ok()?,
            ))
        });
        let (name, lo, hi) = parsed
            .ok_or_else(|| usage(format!("--bound `{spec}`: write NAME=LOW:HIGH, e.g. r=0:5")))?;
        check_parameter(names.as_ref(), "--bound", spec, name)?;
        f = f.bound(name, lo, hi);
    }
    Ok(f)
}

fn year(s: &str, what: &str) -> Result<f64, Failure> {
    time::parse_date(s).map_err(|e| usage(format!("{what}: {e}")))
}

/// An end date: a bare year (`2030`) means its last day, anything else the date it names.
fn end_of(s: &str, what: &str) -> Result<f64, Failure> {
    let t = s.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        year(&format!("{t}-12-31"), what)
    } else {
        year(t, what)
    }
}

/// The dates a projection is printed at: the year ends after the last observation up to
/// `until`, and `until` itself; `until` on or before the last observation is a usage error.
fn yearly(s: &Series, until: f64, flag: &str) -> Result<Vec<f64>, Failure> {
    let last = s.span().1;
    if until <= last {
        return Err(usage(format!(
            "{flag} {} is not after the last observation of `{}` ({}): projections start after \
             the data; give a later date",
            time::format_date(until),
            s.name(),
            time::format_date(last)
        )));
    }
    Ok(time::year_ends(last, until))
}

fn json<T: Serialize>(v: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure {
        message: format!("cannot write JSON: {e}"),
        code: 1,
    })?;
    say!("{text}");
    Ok(())
}

fn kind(s: &str, what: &str) -> Result<Kind, Failure> {
    s.parse::<Kind>().map_err(|e| usage(format!("{what}: {e}")))
}

#[derive(Serialize)]
struct FitOutput<'a> {
    fit: &'a Fit,
    derived: growthcast::Derived,
    projection: growthcast::Projection,
}

#[derive(Serialize)]
struct CompareOutput<'a> {
    series: &'a str,
    criterion: compare::Criterion,
    ranking: &'a [compare::Ranked],
    failed: Vec<(String, String)>,
    notes: &'a [String],
    averaged: Option<growthcast::Projection>,
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Fit {
            file,
            read,
            model,
            until,
            out,
            json: as_json,
        } => {
            let s = load(&file, model.series.as_deref(), &read)?;
            let until = end_of(&until, "--until")?;
            let times = yearly(&s, until, "--until")?;
            let fit = fitter(&model)?.fit(&s)?;
            let proj = fit.project(&times);
            for (chart, format) in out.charts() {
                let spec = ChartSpec::new().horizon(until).format(format);
                plot::plot_fit(&s, &fit, &spec, chart)?;
                eprintln!("wrote {}", chart.display());
            }
            if let Some(csv) = &out.csv {
                export::write_projections(csv, &export::projection_rows(&fit.label, &fit, until))?;
                eprintln!("wrote {}", csv.display());
            }
            if as_json {
                json(&FitOutput {
                    fit: &fit,
                    derived: fit.derived(),
                    projection: proj,
                })?;
            } else {
                say!("{fit}\n{proj}");
            }
        }
        Command::Compare {
            file,
            read,
            series,
            until,
            out,
            json: as_json,
        } => {
            let s = load(&file, series.as_deref(), &read)?;
            let until = end_of(&until, "--until")?;
            let times = yearly(&s, until, "--until")?;
            let c = compare::compare_standard(&s);
            let avg = c.averaged(&times);
            let fitted: Vec<(&str, &Fit)> = c
                .candidates
                .iter()
                .filter_map(|k| k.fit.as_ref().ok().map(|f| (k.label.as_str(), f)))
                .collect();
            for (chart, format) in out.charts() {
                let spec = ChartSpec::new().horizon(until).bands(false).format(format);
                plot::plot_comparison(&s, &fitted, &spec, chart)?;
                eprintln!("wrote {}", chart.display());
            }
            if let Some(csv) = &out.csv {
                let rows: Vec<export::ProjectionRow> = fitted
                    .iter()
                    .flat_map(|(l, f)| export::projection_rows(l, f, until))
                    .collect();
                export::write_projections(csv, &rows)?;
                eprintln!("wrote {}", csv.display());
            }
            if as_json {
                json(&CompareOutput {
                    series: &c.series,
                    criterion: c.criterion,
                    ranking: &c.ranking,
                    failed: c
                        .candidates
                        .iter()
                        .filter_map(|k| {
                            k.fit
                                .as_ref()
                                .err()
                                .map(|e| (k.label.clone(), e.to_string()))
                        })
                        .collect(),
                    notes: &c.notes,
                    averaged: avg,
                })?;
            } else {
                say!("{c}");
                match avg {
                    Some(p) => say!("{p}"),
                    None => {
                        say!("no model could be ranked, so there is no averaged projection")
                    }
                }
            }
        }
        Command::Scenario {
            base,
            base_year,
            label,
            targets,
            rates,
            targets_file,
            sensitivity,
            until,
            unit,
            out,
            json: as_json,
        } => {
            let by = year(&base_year, "--base-year")?;
            let mut set = ScenarioSet::new(Base::assumed(base, by, label)).unit(unit);
            if let Some(f) = targets_file {
                set = set.targets_from(&io::read_groups(&f)?);
            }
            for t in &targets {
                let parsed = t.split_once('=').and_then(|(n, r)| {
                    let (v, y) = r.split_once('@')?;
                    Some((
                        n.trim().to_string(),
                        v.trim().parse::<f64>().ok()?,
                        y.trim().to_string(),
                    ))
                });
                let (n, v, y) = parsed.ok_or_else(|| {
                    usage(format!(
                        "--target `{t}`: write NAME=VALUE@YEAR, e.g. medium=400e9@2030"
                    ))
                })?;
                set = set.target(n, v, year(&y, "--target")?);
            }
            for r in &rates {
                let (n, v) = r
                    .split_once('=')
                    .and_then(|(n, v)| Some((n.trim().to_string(), v.trim().parse::<f64>().ok()?)))
                    .ok_or_else(|| usage(format!("--rate `{r}`: write NAME=RATE, e.g. low=0.1")))?;
                set = set.rate(n, v);
            }
            if set.scenarios.is_empty() {
                return Err(usage(
                    "no scenarios: give --target, --rate or --targets-file",
                ));
            }
            let until = year(&until, "--until")?;
            let paths = set.paths(until, 1.0)?;
            for (chart, format) in out.charts() {
                let fan = plot::Fan::from_scenarios(&set, until)?;
                let spec = ChartSpec::new().format(format).subtitle(format!(
                    "Constant growth from an ASSUMED base of {:.4e} in {} ({})",
                    set.base.value, set.base.year, set.base.label
                ));
                plot::plot_fan(&fan, &spec, chart)?;
                eprintln!("wrote {}", chart.display());
            }
            if let Some(csv) = &out.csv {
                #[derive(Serialize)]
                struct Row<'a> {
                    scenario: &'a str,
                    ds: String,
                    t: f64,
                    value: f64,
                    rate: f64,
                    base: &'a str,
                }
                let rows: Vec<Row> = paths
                    .iter()
                    .flat_map(|p| {
                        p.points.iter().map(|&(t, value)| Row {
                            scenario: &p.name,
                            ds: time::format_date(t),
                            t,
                            value,
                            rate: p.rate,
                            base: &set.base.label,
                        })
                    })
                    .collect();
                export::write_rows(csv, &rows)?;
                eprintln!("wrote {}", csv.display());
            }
            let sens = if sensitivity.is_empty() {
                None
            } else {
                Some(set.sensitivity(&sensitivity)?)
            };
            if as_json {
                #[derive(Serialize)]
                struct Out<'a> {
                    scenarios: &'a ScenarioSet,
                    rates: Vec<growthcast::scenario::ScenarioRate>,
                    paths: &'a [growthcast::scenario::ScenarioPath],
                    sensitivity: Option<growthcast::scenario::Sensitivity>,
                }
                json(&Out {
                    scenarios: &set,
                    rates: set.implied_rates()?,
                    paths: &paths,
                    sensitivity: sens,
                })?;
            } else {
                say!("{set}");
                for p in &paths {
                    let line: Vec<String> = p
                        .points
                        .iter()
                        .map(|(t, v)| {
                            format!("{}: {v:.4e}", time::format_date(*t).get(..4).unwrap_or(""))
                        })
                        .collect();
                    say!("    {:<10} {}", p.name, line.join(", "));
                }
                if let Some(s) = sens {
                    say!("\n{s}");
                }
            }
        }
        Command::Cagr {
            start,
            end,
            years,
            claim_rate,
            claim_multiple,
            claim_increase,
            start_kind,
            end_kind,
            claim_kind,
            json: as_json,
        } => {
            let rate = growth::cagr(start, end, years)?;
            let (a, b) = (
                Figure::new(start, kind(&start_kind, "--start-kind")?),
                Figure::new(end, kind(&end_kind, "--end-kind")?),
            );
            let ck = kind(&claim_kind, "--claim-kind")?;
            let mut checks = Vec::new();
            if let Some(c) = claim_rate {
                checks.push(growth::check_cagr(a, b, years, Figure::new(c, ck))?);
            }
            if let Some(c) = claim_multiple {
                checks.push(growth::check_multiple(a, b, Figure::new(c, ck))?);
            }
            if let Some(c) = claim_increase {
                checks.push(growth::check_increase(a, b, Figure::new(c, ck))?);
            }
            if as_json {
                #[derive(Serialize)]
                struct Out {
                    cagr: f64,
                    multiple: f64,
                    increase: f64,
                    doubling_time: Option<f64>,
                    checks: Vec<growth::ClaimCheck>,
                }
                json(&Out {
                    cagr: rate,
                    multiple: end / start,
                    increase: end / start - 1.0,
                    doubling_time: growth::doubling_time(rate).ok(),
                    checks,
                })?;
            } else {
                say!(
                    "CAGR {:.4}% a year over {years} years; multiple {:.4}x; increase {:.2}%",
                    100.0 * rate,
                    end / start,
                    100.0 * (end / start - 1.0)
                );
                if let Ok(d) = growth::doubling_time(rate) {
                    say!("doubling time {d:.3} years");
                }
                for c in checks {
                    say!("{c}");
                }
            }
        }
        Command::Report { data, out, until } => {
            let mut opts = ReportOptions::new(&data, &out);
            opts.horizon = end_of(&until, "--until")?;
            // A progress bar on stderr, shown only when the work takes longer than a second.
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}")
                    .expect("valid template"),
            );
            let started = std::time::Instant::now();
            let r = report::run(&opts, |done, total, name| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(name.to_string());
                if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            })?;
            bar.finish_and_clear();
            say!("{}", r.text);
            say!("written:");
            for (path, what) in &r.written {
                say!("    {:<44} {what}", path.display());
            }
            if !r.skipped.is_empty() {
                // After the output, where a reader sees it; a distinct exit code for scripts.
                for (path, why) in &r.skipped {
                    eprintln!("skipped {}: {why}", path.display());
                }
                return Err(Failure {
                    message: format!(
                        "partial report: {} file(s) skipped (listed above); the rest is written",
                        r.skipped.len()
                    ),
                    code: PARTIAL,
                });
            }
        }
        Command::When {
            file,
            read,
            reach,
            model,
            horizon,
            json: as_json,
        } => {
            let s = load(&file, model.series.as_deref(), &read)?;
            let fit = fitter(&model)?.fit(&s)?;
            let c = fit.when(reach, end_of(&horizon, "--horizon")?);
            if as_json {
                json(&c)?;
            } else {
                say!("{} ({} model)", c.statement, fit.label);
                for w in &fit.warnings {
                    say!("caution: {w}");
                }
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let params = parameter_help();
    let command = Cli::command()
        .mut_subcommand("fit", |c| {
            let after = c.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            c.after_help(format!("{after}\n\n{params}"))
        })
        .mut_subcommand("when", |c| {
            let after = c.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            c.after_help(format!("{after}\n\n{params}"))
        });
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
