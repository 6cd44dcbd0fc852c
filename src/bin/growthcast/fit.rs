//! `growthcast fit`: one model, its report and a yearly projection.

use growthcast::plot::{self, ChartSpec};
use growthcast::{export, time, Derived, Fit, Projection};
use serde::Serialize;

use crate::args::{ModelArgs, ProjectArgs};
use crate::failure::Failure;

/// Examples after `growthcast fit --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast fit data/tokens_daily.csv --model exponential --until 2030
  growthcast fit data/genai_users.csv --model logistic --fix K=1.41e9 --png users.png --csv users.csv
  growthcast fit data/genai_services.csv --model logistic --bound r=0:3 --error additive --json";

/// The flags of `growthcast fit`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    project: ProjectArgs,
}

#[derive(Serialize)]
struct Output<'a> {
    fit: &'a Fit,
    derived: Derived,
    projection: Projection,
}

/// Fits, writes the charts and table asked for, and prints the fit and its projection.
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let (s, until, times) = a.project.load()?;
    let fit = a.model.fitter()?.fit(&s)?;
    // One projection on the table's dates; what is printed is its points on the yearly dates
    // (every yearly date is one of the table's), so text, JSON and CSV show the same values.
    let table = fit.project(&export::csv_grid(&fit, until));
    let proj = on_dates(&table, &times);
    a.project.out.write_charts(|format, chart| {
        let spec = ChartSpec::new().horizon(until).format(format);
        plot::plot_fit(&s, &fit, &spec, chart)
    })?;
    a.project.out.write_csv(|csv| {
        export::write_projections(csv, &export::projection_rows(fit.label(), &fit, &table))
    })?;
    if a.project.json {
        crate::json(&Output {
            fit: &fit,
            derived: fit.derived(),
            projection: proj,
        })
    } else {
        say!("{fit}\n{proj}");
        Ok(())
    }
}

/// The points of `p` on the calendar days of `times`, in order.
fn on_dates(p: &Projection, times: &[f64]) -> Projection {
    let days: Vec<String> = times.iter().map(|&t| time::format_date(t)).collect();
    let on = Projection {
        points: p
            .points
            .iter()
            .filter(|q| days.contains(&time::format_date(q.t)))
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
