//! Rolling-origin backtests on real growth series: how often the 95% prediction bands hold the
//! value that came, how wide they are, and whether the point forecast beats the naive one.
//!
//! ```text
//! cargo run --release --example backtest                    # the evaluation corpus (a few minutes)
//! cargo run --release --example backtest -- calibration     # the Gapminder calibration corpus
//! cargo run --release --example backtest -- calibration --factor 1.5   # another drift factor
//! cargo run --release --example backtest -- confirmation    # the confirmation corpus, run once
//! cargo run --release --example backtest -- lab             # R's ChickWeight, on a day axis
//! ```
//!
//! Three corpora, kept apart (issue 18): the **calibration** corpus
//! (`data/reference/gapminder.csv`: population and GDP per capita of 142 countries, 12 points
//! every five years), from which the reference table of growth-rate drift is made
//! (`examples/drift_reference.rs`); the **evaluation** corpus (`data/evaluation/series.csv`: 227
//! windows of 8–12 points of 54 real growth series from R's datasets and statsmodels, annual and
//! quarterly), on which nothing was tuned until the calibration rule was changed in view of it;
//! and the **confirmation** corpus (`data/confirmation/series.csv`: 102 windows of 38 series from
//! R's AER, forecast and tseries packages), run once after that change.
//!
//! Every series is backtested from every origin of 4 points up to one before its end, up to 5
//! points ahead, with four methods: the exponential alone, the recommended projection (the hull
//! of the plausible models' prediction bands, widened for growth-rate drift), the same without
//! the drift, and the naive forecast (the growth rate of the last two points carried forward).
//! The table pools the forecasts by origin size (4–6 points, 7 or more) and steps ahead (1, 2,
//! 3–5): coverage of the prediction band, its median width (upper ÷ lower) and the median
//! |log error| of the point forecast.

#[path = "shared/corpus.rs"]
mod corpus;

use growthcast::drift::DriftOptions;
use growthcast::hindcast::{rolling, Forecaster, StepForecast};
use growthcast::recommend::RecommendOptions;
use growthcast::{Exponential, Fitter, Series};

/// Origin sizes and steps ahead pooled in one row.
const ORIGINS: [(&str, usize, usize); 2] = [("4–6", 4, 6), ("7+", 7, usize::MAX)];
const STEPS: [(&str, usize, usize); 3] = [("1", 1, 1), ("2", 2, 2), ("3–5", 3, 5)];

/// Every forecast of `method` over `series`, and the number of failed origins.
fn forecasts(method: &Forecaster, series: &[Series]) -> (Vec<StepForecast>, usize) {
    let (mut all, mut failed) = (Vec::new(), 0);
    for s in series {
        match rolling(method, s, 4, 5) {
            Ok(r) => {
                failed += r.failed.len();
                all.extend(r.forecasts);
            }
            Err(e) => eprintln!("{}: {e}", s.name()),
        }
    }
    (all, failed)
}

fn cell<'a>(
    all: &'a [StepForecast],
    (_, o_lo, o_hi): (&str, usize, usize),
    (_, s_lo, s_hi): (&str, usize, usize),
) -> Vec<&'a StepForecast> {
    all.iter()
        .filter(|f| (o_lo..=o_hi).contains(&f.origin_points) && (s_lo..=s_hi).contains(&f.step))
        .collect()
}

fn table(name: &str, series: &[Series], factor: Option<f64>) {
    let exp = Fitter::new(Exponential::new());
    let with_drift = RecommendOptions {
        drift: DriftOptions {
            factor,
            ..DriftOptions::default()
        },
        ..RecommendOptions::default()
    };
    let no_drift = RecommendOptions {
        drift: DriftOptions {
            enabled: false,
            ..DriftOptions::default()
        },
        ..RecommendOptions::default()
    };
    let methods = [
        Forecaster::Fit(&exp),
        Forecaster::Recommended(with_drift),
        Forecaster::Recommended(no_drift),
        Forecaster::Naive,
    ];
    let labels = [
        "exponential",
        "recommended",
        "recommended, no drift",
        "naive",
    ];
    println!("\n## {name}: {} series\n", series.len());
    println!("| method | origin points | steps ahead | forecasts | band covers % | median width | median abs log error | naive's |");
    println!("|---|---|---|---:|---:|---:|---:|---:|");
    let (naive, _) = forecasts(&Forecaster::Naive, series);
    for (m, label) in methods.iter().zip(labels) {
        let (all, failed) = forecasts(m, series);
        for o in ORIGINS {
            for st in STEPS {
                let fs = cell(&all, o, st);
                let nv = cell(&naive, o, st);
                let banded: Vec<bool> = fs.iter().filter_map(|f| f.covered).collect();
                let cover = if banded.is_empty() {
                    "–".to_string()
                } else {
                    let c = banded.iter().filter(|&&c| c).count() as f64;
                    format!("{:.1}", 100.0 * c / banded.len() as f64)
                };
                let width =
                    corpus::median(fs.iter().map(|f| f.pred_upper / f.pred_lower).collect());
                let err = corpus::median(fs.iter().map(|f| f.log_error.abs()).collect());
                let nerr = corpus::median(nv.iter().map(|f| f.log_error.abs()).collect());
                println!(
                    "| {label} | {} | {} | {} | {cover} | {} | {err:.4} | {nerr:.4} |",
                    o.0,
                    st.0,
                    fs.len(),
                    if width.is_nan() {
                        "–".into()
                    } else {
                        format!("{width:.2}")
                    },
                );
            }
        }
        if failed > 0 {
            println!("| {label}: {failed} origins failed | | | | | | | |");
        }
    }
}

/// A corpus held out of the calibration: all of it, then its annual and its quarterly series
/// apart (the reference class is made of series spaced five years apart: how it transfers to
/// each).
fn held_out(name: &str, corpus: Vec<(String, Series)>, factor: Option<f64>) {
    let all: Vec<Series> = corpus.into_iter().map(|(_, s)| s).collect();
    table(name, &all, factor);
    let (yearly, quarterly): (Vec<Series>, Vec<Series>) =
        all.into_iter().partition(|s| spacing(s) >= 0.99);
    table(&format!("{name}, spaced a year or more"), &yearly, factor);
    table(&format!("{name}, quarterly"), &quarterly, factor);
}

/// The median spacing of a series' points (years).
fn spacing(s: &Series) -> f64 {
    let t = s.times();
    corpus::median(t.windows(2).map(|w| w[1] - w[0]).collect())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let factor = args
        .iter()
        .position(|a| a == "--factor")
        .and_then(|i| args.get(i + 1))
        .map(|f| f.parse::<f64>().expect("--factor takes a number"));
    let which = args.first().map_or("evaluation", String::as_str);
    match which {
        "calibration" => {
            table("Gapminder population", &corpus::gapminder("pop"), factor);
            table(
                "Gapminder GDP per capita",
                &corpus::gapminder("gdpPercap"),
                factor,
            );
        }
        "evaluation" => held_out("evaluation corpus", corpus::evaluation(), factor),
        "confirmation" => held_out("confirmation corpus", corpus::confirmation(), factor),
        "lab" => {
            // Lab series on a day axis: no reference class speaks for them, so no drift.
            table("ChickWeight, day axis", &corpus::lab(), factor);
        }
        other => {
            eprintln!(
                "unknown corpus `{other}`: use `calibration`, `evaluation`, `confirmation` or `lab`"
            );
            std::process::exit(2);
        }
    }
}
