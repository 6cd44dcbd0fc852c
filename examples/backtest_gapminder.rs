//! Rolling-origin backtests on real growth series: population and GDP per capita of the 142
//! countries of the Gapminder table (`data/reference/gapminder.csv`, 12 points each, every five
//! years 1952–2007).
//!
//! ```text
//! cargo run --release --example backtest_gapminder          # about a minute
//! ```
//!
//! Every series is backtested from origins of 4 to 11 points, up to 5 steps (25 years) ahead,
//! with three methods: the exponential alone, the recommended projection across the standard
//! models, and the naive forecast (the growth rate of the last two points carried forward). Per
//! step: the forecasts made, the share of actual values the 95% prediction band held, the
//! median band width (upper ÷ lower) and the median |log error|, pooled over the countries.
//!
//! This table is the calibration corpus of issue 18: the numbers here describe how today's
//! bands do on real series (whose growth rates drift), not an evaluation of a method tuned on
//! them.

use growthcast::hindcast::{rolling, Forecaster, StepForecast};
use growthcast::recommend::RecommendOptions;
use growthcast::{Exponential, Fitter, Series};

/// One country's series of one variable.
fn read(variable: &str) -> Vec<Series> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference/gapminder.csv");
    let mut rdr = csv::Reader::from_path(path).expect("the bundled Gapminder table is readable");
    let headers = rdr.headers().expect("a header row").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (country, year, value) = (col("country"), col("year"), col(variable));
    let mut out: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("a well-formed row");
        let name = rec[country].to_string();
        let point = (
            rec[year].parse::<f64>().expect("a year") + 0.5,
            rec[value].parse::<f64>().expect("a value"),
        );
        match out.last_mut() {
            Some((n, pts)) if *n == name => pts.push(point),
            _ => out.push((name, vec![point])),
        }
    }
    out.into_iter()
        .map(|(n, pts)| Series::from_years(n, &pts).expect("valid points"))
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let m = v.len();
    if m % 2 == 1 {
        v[m / 2]
    } else {
        0.5 * (v[m / 2 - 1] + v[m / 2])
    }
}

fn table(variable: &str, series: &[Series]) {
    let exp = Fitter::new(Exponential::new());
    let methods = [
        Forecaster::Fit(&exp),
        Forecaster::Recommended(RecommendOptions::default()),
        Forecaster::Naive,
    ];
    println!(
        "\n## {variable}: {} countries, origins of 4 to 11 points\n",
        series.len()
    );
    println!("| method | step (5 years) | forecasts | cover | median width | median abs log error | failed origins |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for m in &methods {
        let mut all: Vec<StepForecast> = Vec::new();
        let mut failed = 0;
        for s in series {
            match rolling(m, s, 4, 5) {
                Ok(r) => {
                    failed += r.failed.len();
                    all.extend(r.forecasts);
                }
                Err(e) => eprintln!("{}: {e}", s.name()),
            }
        }
        for step in 1..=5 {
            let fs: Vec<&StepForecast> = all.iter().filter(|f| f.step == step).collect();
            let banded: Vec<bool> = fs.iter().filter_map(|f| f.covered).collect();
            let cover = if banded.is_empty() {
                "–".to_string()
            } else {
                format!(
                    "{:.1}",
                    100.0 * banded.iter().filter(|&&c| c).count() as f64 / banded.len() as f64
                )
            };
            let width = median(fs.iter().map(|f| f.pred_upper / f.pred_lower).collect());
            println!(
                "| {} | {step} | {} | {cover} | {} | {:.3} | {} |",
                m.label(),
                fs.len(),
                if width.is_nan() {
                    "–".to_string()
                } else {
                    format!("{width:.2}")
                },
                median(fs.iter().map(|f| f.log_error.abs()).collect()),
                if step == 1 {
                    failed.to_string()
                } else {
                    String::new()
                }
            );
        }
    }
}

fn main() {
    for variable in ["pop", "gdpPercap"] {
        table(variable, &read(variable));
    }
}
