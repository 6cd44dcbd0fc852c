//! `growthcast compare`: every standard model, ranked and averaged.

use growthcast::compare::{self, Comparison};
use growthcast::plot::{self, ChartSpec};
use growthcast::{export, Fit, Projection};
use serde::Serialize;

use crate::args::ProjectArgs;
use crate::failure::Failure;

/// Examples after `growthcast compare --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast compare data/genai_users.csv
  growthcast compare data/tokens_daily.csv --until 2028 --json";

/// The flags of `growthcast compare`.
pub(crate) type Args = ProjectArgs;

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
    let (s, until, times) = a.load()?;
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
