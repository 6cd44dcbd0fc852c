//! Daily AI token use in China: four figures, two of them "more than" bounds.
//!
//! ```sh
//! cargo run --release --example tokens            # writes out/tokens/*.png
//! cargo run --release --example tokens -- mydir   # or into mydir/
//! ```
//!
//! Loads `data/tokens_daily.csv`, fits an exponential and a linear curve (log residuals, the
//! default), prints the reports and the 2030 projection, and draws both charts.

use std::path::PathBuf;

use growthcast::plot::{plot_comparison, plot_fit, ChartSpec};
use growthcast::time::parse_date;
use growthcast::{io, Exponential, Linear};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("out/tokens"), PathBuf::from);
    std::fs::create_dir_all(&out)?;

    // 1. Load: the `kind` column marks 3e13 (2025-06) and 1.4e14 (2026-03) as lower bounds.
    let tokens = io::read_series(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/tokens_daily.csv"
    ))?;

    // 2. Fit two models to the same data.
    let exponential = tokens.fit(Exponential::new())?;
    let linear = tokens.fit(Linear::new())?;
    println!("{exponential}\n{linear}");

    // 3. Project to the end of 2030, with 95% bands.
    let horizon = parse_date("2030-12-31")?;
    println!("{}", exponential.project(&[horizon]));

    // 4. Chart: the exponential fit with bands, then both models side by side.
    let spec = ChartSpec::new()
        .title("Daily AI token use in China: exponential fit")
        .horizon(horizon);
    let fit_png = out.join("tokens_daily_exponential.png");
    plot_fit(&tokens, &exponential, &spec, &fit_png)?;
    let cmp_png = out.join("tokens_daily_models.png");
    plot_comparison(
        &tokens,
        &[("exponential", &exponential), ("linear", &linear)],
        &spec
            .clone()
            .title("Daily AI token use in China: two models"),
        &cmp_png,
    )?;
    println!("wrote {} and {}", fit_png.display(), cmp_png.display());
    Ok(())
}
