//! `growthcast compare`: every standard model, ranked, the recommended projection across the
//! plausible ones, and the (older) model average.

use growthcast::compare;
use growthcast::known::{self, KnownCeiling};
use growthcast::plot::{self, ChartSpec};
use growthcast::recommend::RecommendOptions;
use growthcast::{export, Fit};

use crate::args::ProjectArgs;
use crate::failure::Failure;

/// Examples after `growthcast compare --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast compare data/genai_users.csv
  growthcast compare data/genai_users.csv --ceiling-at-most 1.41e9
  growthcast compare data/tokens_daily.csv --until 2028 --json
  growthcast compare data/genai_users.csv --png users_recommended.png

--png/--svg draw the recommended projection: its band (the hull of the plausible models'
bands) shaded, each model's own curve thin and pale behind it.";

/// The flags of `growthcast compare`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    project: ProjectArgs,
    /// A known upper bound on the ceiling (a population, 100%): the logistic and the Gompertz
    /// are also fitted with their ceiling bounded by it, and the recommended projection keeps
    /// only the models that agree with it.
    #[arg(long, value_name = "VALUE", conflicts_with = "ceiling")]
    ceiling_at_most: Option<f64>,
    /// A known ceiling: the logistic and the Gompertz are also fitted with their ceiling fixed
    /// at it, and only they make the recommended projection.
    #[arg(long, value_name = "VALUE")]
    ceiling: Option<f64>,
}

impl Args {
    /// The known fact about the ceiling, if one is given.
    fn fact(&self) -> Result<Option<KnownCeiling>, Failure> {
        let fact = match (self.ceiling, self.ceiling_at_most) {
            (Some(k), _) => KnownCeiling::fixed(k, format!("{k:.4e}"))?,
            (None, Some(k)) => KnownCeiling::at_most(k, format!("{k:.4e}"))?,
            (None, None) => return Ok(None),
        };
        Ok(Some(fact))
    }
}

/// Compares, writes the charts (the recommended projection, or every fitted model when no
/// model has a degree of freedom left) and table asked for, and prints the ranking, the
/// recommendation and the average.
pub(crate) fn run(args: Args) -> Result<(), Failure> {
    let fact = args.fact()?;
    let a = args.project;
    if let Some(n) = a.scan(|_| Ok(()))? {
        let stream = a.stream()?.expect("the file streamed once");
        let series = stream.map(|s| s.map_err(Failure::from));
        return crate::many_compare::run(&a, fact, n, series);
    }
    let mut groups = a.load_groups()?;
    if groups.len() != 1 {
        let n = groups.len();
        return crate::many_compare::run(&a, fact, n, groups.into_iter().map(Ok));
    }
    let s = groups.pop().expect("one series");
    let (until, times) = a.horizon_of(&s)?;
    let (c, opts) = match fact {
        Some(fact) => (
            known::compare_knowing(&s, &fact),
            RecommendOptions::knowing(fact),
        ),
        None => (compare::compare_standard(&s), RecommendOptions::default()),
    };
    let avg = c.averaged(&times);
    let rec = c.recommended(&times, &opts);
    let fitted: Vec<(&str, &Fit)> = c
        .candidates
        .iter()
        .filter_map(|k| k.fit.as_ref().ok().map(|f| (k.label.as_str(), f)))
        .collect();
    // The chart is the recommendation on the chart grid; without one (no model has a degree of
    // freedom left) it is every fitted model.
    let grid = plot::series_grid(&s, &ChartSpec::new().horizon(until));
    let on_chart = rec.as_ref().and_then(|_| c.recommended(&grid, &opts));
    a.out.write_charts(|format, chart| {
        let spec = ChartSpec::new().horizon(until).format(format);
        match &on_chart {
            Some(r) => plot::plot_recommendation(&s, r, &spec, chart),
            None => plot::plot_comparison(&s, &fitted, &spec.bands(false), chart),
        }
    })?;
    a.out.write_csv(|csv| {
        let mut rows: Vec<export::ProjectionRow> = fitted
            .iter()
            .flat_map(|(l, f)| {
                export::projection_rows(l, f, &f.project(&export::csv_grid(f, until)))
            })
            .collect();
        // The recommendation on the CSV's dates (those of its point member).
        if let Some(f) = rec.as_ref().and_then(|r| c.fit(r.point)) {
            let grid = export::csv_grid(f, until);
            if let Some(on_grid) = c.recommended(&grid, &opts) {
                rows.extend(export::projection_rows(
                    "recommended",
                    f,
                    &on_grid.projection,
                ));
            }
        }
        export::write_projections(csv, &rows)
    })?;
    if a.json {
        return crate::json(&c.summary(rec.as_ref(), avg.as_ref()));
    }
    say!("{c}");
    match &rec {
        Some(r) => say!("{r}"),
        None => say!("no model fitted with a degree of freedom left: no recommended projection"),
    }
    match avg {
        Some(p) => say!("{p}"),
        None => say!("no model could be ranked, so there is no averaged projection"),
    }
    Ok(())
}
