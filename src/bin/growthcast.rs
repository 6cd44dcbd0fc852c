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
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim 0.128 --start-kind about --end-kind at_least
  growthcast scenario --base 140e9 --base-year 2024 --targets-file data/datacenter_power_2030.csv --rate low=0.1
  growthcast report --data data --out out

Files are CSV with a header; `date` and `value` columns (or `ds` and `y`) in any order; optional
`unit`, `kind` (exact, about, at_least, at_most, derived), `weight`, `source`. Errors go to stderr
as one line, with exit code 1 (bad data or a failed fit) or 2 (bad command line).";

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
    /// Compound annual growth rate between two values, and optionally a check of a claimed rate.
    #[command(after_help = "Examples:
  growthcast cagr 100 121 --years 2
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim 0.128 --start-kind about --end-kind at_least")]
    Cagr {
        /// Start value.
        start: f64,
        /// End value.
        end: f64,
        /// Years between them.
        #[arg(long)]
        years: f64,
        /// A claimed annual rate to check (0.128 is 12.8%).
        #[arg(long)]
        claim: Option<f64>,
        /// What the start figure's wording says: exact, about, at_least, at_most.
        #[arg(long, default_value = "exact")]
        start_kind: String,
        /// What the end figure's wording says.
        #[arg(long, default_value = "exact")]
        end_kind: String,
        /// What the claim's wording says.
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
        /// The level.
        #[arg(long)]
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

#[derive(Args, Debug)]
struct ModelArgs {
    /// exponential, logistic, gompertz or linear.
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
    /// Confidence level of intervals and bands.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Which series of a multi-series file (e.g. `medium`).
    #[arg(long)]
    series: Option<String>,
}

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
            Error::InvalidParameter { .. } => "; fix: see the model's parameters in `growthcast fit --help`",
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

fn load(file: &Path, which: Option<&str>) -> Result<Series, Failure> {
    let groups = io::read_groups(file)?;
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
    let mut f = Fitter::new(m).error_model(em).level(args.level);
    for spec in &args.fix {
        let (name, value) = spec
            .split_once('=')
            .ok_or_else(|| usage(format!("--fix `{spec}`: write NAME=VALUE, e.g. K=1.41e9")))?;
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
        f = f.bound(name, lo, hi);
    }
    Ok(f)
}

fn year(s: &str, what: &str) -> Result<f64, Failure> {
    time::parse_date(s).map_err(|e| usage(format!("{what}: {e}")))
}

/// Year ends from after the last observation up to `until`.
fn yearly(after: f64, until: f64) -> Vec<f64> {
    let mut t: Vec<f64> = (after.floor() as i32 + 1..=until.floor() as i32)
        .map(|y| time::parse_date(&format!("{y}-12-31")).expect("valid"))
        .filter(|&t| t > after && t <= until + 1.0)
        .collect();
    if t.is_empty() {
        t.push(until);
    }
    t
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
            model,
            until,
            out,
            json: as_json,
        } => {
            let s = load(&file, model.series.as_deref())?;
            let until = year(&until, "--until")?;
            let fit = fitter(&model)?.fit(&s)?;
            let proj = fit.project(&yearly(s.span().1, until));
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
                    projection: proj,
                })?;
            } else {
                say!("{fit}\n{proj}");
            }
        }
        Command::Compare {
            file,
            series,
            until,
            out,
            json: as_json,
        } => {
            let s = load(&file, series.as_deref())?;
            let until = year(&until, "--until")?;
            let c = compare::compare_standard(&s);
            let avg = c.averaged(&yearly(s.span().1, until));
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
            claim,
            start_kind,
            end_kind,
            claim_kind,
            json: as_json,
        } => {
            let rate = growth::cagr(start, end, years)?;
            let check = match claim {
                Some(c) => Some(growth::check_cagr(
                    Figure::new(start, kind(&start_kind, "--start-kind")?),
                    Figure::new(end, kind(&end_kind, "--end-kind")?),
                    years,
                    Figure::new(c, kind(&claim_kind, "--claim-kind")?),
                )?),
                None => None,
            };
            if as_json {
                #[derive(Serialize)]
                struct Out {
                    cagr: f64,
                    doubling_time: Option<f64>,
                    check: Option<growth::ClaimCheck>,
                }
                json(&Out {
                    cagr: rate,
                    doubling_time: growth::doubling_time(rate).ok(),
                    check,
                })?;
            } else {
                say!("CAGR {:.4}% a year over {years} years", 100.0 * rate);
                if let Ok(d) = growth::doubling_time(rate) {
                    say!("doubling time {d:.3} years");
                }
                if let Some(c) = check {
                    say!("{c}");
                }
            }
        }
        Command::Report { data, out, until } => {
            let mut opts = ReportOptions::new(&data, &out);
            opts.horizon = year(&until, "--until")?;
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
            for (path, why) in &r.skipped {
                eprintln!("skipped {}: {why}", path.display());
            }
            say!("{}", r.text);
            say!("written:");
            for (path, what) in &r.written {
                say!("    {:<44} {what}", path.display());
            }
        }
        Command::When {
            file,
            reach,
            model,
            horizon,
            json: as_json,
        } => {
            let s = load(&file, model.series.as_deref())?;
            let fit = fitter(&model)?.fit(&s)?;
            let c = fit.when(reach, year(&horizon, "--horizon")?);
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
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
