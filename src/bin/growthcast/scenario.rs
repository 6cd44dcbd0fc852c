//! `growthcast scenario`: growth paths from an assumed base to targets or at given rates.

use std::path::PathBuf;

use growthcast::plot::{self, ChartSpec};
use growthcast::scenario::{Base, ScenarioPath, ScenarioRate, ScenarioSet, Sensitivity};
use growthcast::{export, io, time};
use serde::Serialize;

use crate::args::{year, OutputArgs};
use crate::failure::{usage, Failure};

/// Examples after `growthcast scenario --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast scenario --base 140e9 --base-year 2024 --target medium=400e9@2030 --target high=700e9@2030
  growthcast scenario --base 140e9 --base-year 2024 --targets-file data/datacenter_power_2030.csv \\
      --rate low=0.1 --sensitivity 100e9,140e9,200e9";

/// The flags of `growthcast scenario`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
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
}

/// One row of the `--csv` table.
#[derive(Serialize)]
struct Row<'a> {
    scenario: &'a str,
    ds: String,
    t: f64,
    value: f64,
    rate: f64,
    base: &'a str,
}

#[derive(Serialize)]
struct Output<'a> {
    scenarios: &'a ScenarioSet,
    rates: Vec<ScenarioRate>,
    paths: &'a [ScenarioPath],
    sensitivity: Option<Sensitivity>,
}

/// Builds the scenarios, writes the charts and table asked for, and prints the paths.
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let set = scenarios(&a)?;
    let until = year(&a.until, "--until")?;
    let paths = set.paths(until, 1.0)?;
    a.out.write_charts(|format, chart| {
        let fan = plot::Fan::from_scenarios(&set, until)?;
        let spec = ChartSpec::new().format(format).subtitle(format!(
            "Constant growth from an ASSUMED base of {:.4e} in {} ({})",
            set.base.value, set.base.year, set.base.label
        ));
        plot::plot_fan(&fan, &spec, chart)
    })?;
    a.out
        .write_csv(|csv| export::write_rows(csv, &rows(&set, &paths)))?;
    let sens = if a.sensitivity.is_empty() {
        None
    } else {
        Some(set.sensitivity(&a.sensitivity)?)
    };
    if a.json {
        return crate::json(&Output {
            scenarios: &set,
            rates: set.implied_rates()?,
            paths: &paths,
            sensitivity: sens,
        });
    }
    say!("{set}");
    for p in &paths {
        let line: Vec<String> = p
            .points
            .iter()
            .map(|(t, v)| format!("{}: {v:.4e}", time::format_date(*t).get(..4).unwrap_or("")))
            .collect();
        say!("    {:<10} {}", p.name, line.join(", "));
    }
    if let Some(s) = sens {
        say!("\n{s}");
    }
    Ok(())
}

/// The scenarios the flags describe: from the targets file, then each --target and --rate.
fn scenarios(a: &Args) -> Result<ScenarioSet, Failure> {
    let by = year(&a.base_year, "--base-year")?;
    let mut set = ScenarioSet::new(Base::assumed(a.base, by, a.label.clone())).unit(a.unit.clone());
    if let Some(f) = &a.targets_file {
        set = set.targets_from(&io::read_groups(f)?);
    }
    for t in &a.targets {
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
    for r in &a.rates {
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
    Ok(set)
}

/// The `--csv` table: one row per scenario and year.
fn rows<'a>(set: &'a ScenarioSet, paths: &'a [ScenarioPath]) -> Vec<Row<'a>> {
    paths
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
        .collect()
}
