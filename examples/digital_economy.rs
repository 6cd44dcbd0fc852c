//! China's digital-economy core industries: two figures per series, a growth claim to check,
//! and a chart that says plainly what two points cannot tell.
//!
//! ```sh
//! cargo run --release --example digital_economy            # writes out/digital_economy/*.png
//! cargo run --release --example digital_economy -- mydir   # or into mydir/
//! ```

use std::path::PathBuf;

use growthcast::growth::{check_cagr, Figure};
use growthcast::plot::{plot_fit, ChartSpec};
use growthcast::time::parse_date;
use growthcast::{io, Exponential, Fitter, Logistic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("out/digital_economy"), PathBuf::from);
    std::fs::create_dir_all(&out)?;
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");

    // 1. Load: about 8.1e12 yuan (2020) and more than 1.47e13 (2025); 7.8% and more than 10.5%
    //    of GDP.
    let size = io::read_series(format!("{data}/digital_economy_size.csv"))?;
    let share = io::read_series(format!("{data}/digital_economy_share.csv"))?;

    // 2. The document's claim: a CAGR of 12.8% over 2020-2025.
    let claim = check_cagr(
        Figure::about(8.1e12),
        Figure::at_least(14.7e12),
        5.0,
        Figure::exact(0.128),
    )?;
    println!("{claim}\n");

    // 3. Fit: two points leave no degrees of freedom, so there is a curve but no band. The fit
    //    carries that warning and the charts show it.
    let horizon = parse_date("2030-12-31")?;
    let size_fit = size.fit(Exponential::new())?;
    println!("{size_fit}");
    println!("{}", size_fit.project(&[horizon]));
    // A share of GDP cannot pass 100%: a logistic with that ceiling.
    let share_fit = Fitter::new(Logistic).fix("K", 100.0).fit(&share)?;
    println!("{}", share_fit.project(&[horizon]));

    // 4. Charts.
    let size_png = out.join("digital_economy_size.png");
    plot_fit(
        &size,
        &size_fit,
        &ChartSpec::new()
            .title("Digital-economy core industries, size: exponential through two figures")
            .horizon(horizon),
        &size_png,
    )?;
    let share_png = out.join("digital_economy_share.png");
    plot_fit(
        &share,
        &share_fit,
        &ChartSpec::new()
            .title("Digital-economy core industries, share of GDP: logistic, K = 100%")
            .horizon(horizon),
        &share_png,
    )?;
    println!("wrote {} and {}", size_png.display(), share_png.display());
    Ok(())
}
