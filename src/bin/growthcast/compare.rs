//! `growthcast compare`: every standard model, ranked and averaged.

use std::path::PathBuf;

use growthcast::compare::{self, Comparison};
use growthcast::plot::{self, ChartSpec};
use growthcast::{export, Fit, Projection};
use serde::Serialize;

use crate::args::{end_of, yearly, OutputArgs, ReadArgs};
use crate::failure::Failure;

/// Examples after `growthcast compare --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast compare data/genai_users.csv
  growthcast compare data/tokens_daily.csv --until 2028 --json";

/// The flags of `growthcast compare`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
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
}

#[derive(Serialize)]
struct Output<'a> {
    series: &'a str,
    criterion: compare::Criterion,
    ranking: &'a [compare::Ranked],
    failed: Vec<(String, String)>,
    notes: &'a [String],
    averaged: Option<Projection>,
}

/// Compares, writes the charts and table asked for, and prints the ranking and the average.
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let s = a.read.load(&a.file, a.series.as_deref())?;
    let until = end_of(&a.until, "--until")?;
    let times = yearly(&s, until, "--until")?;
    let c = compare::compare_standard(&s);
    let avg = c.averaged(&times);
    let fitted: Vec<(&str, &Fit)> = c
        .candidates
        .iter()
        .filter_map(|k| k.fit.as_ref().ok().map(|f| (k.label.as_str(), f)))
        .collect();
    a.out.write_charts(|format, chart| {
        let spec = ChartSpec::new().horizon(until).bands(false).format(format);
        plot::plot_comparison(&s, &fitted, &spec, chart)
    })?;
    a.out.write_csv(|csv| {
        let rows: Vec<export::ProjectionRow> = fitted
            .iter()
            .flat_map(|(l, f)| {
                export::projection_rows(l, f, &f.project(&export::csv_grid(f, until)))
            })
            .collect();
        export::write_projections(csv, &rows)
    })?;
    if a.json {
        return crate::json(&output(&c, avg));
    }
    say!("{c}");
    match avg {
        Some(p) => say!("{p}"),
        None => say!("no model could be ranked, so there is no averaged projection"),
    }
    Ok(())
}

fn output(c: &Comparison, averaged: Option<Projection>) -> Output<'_> {
    Output {
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
        averaged,
    }
}
