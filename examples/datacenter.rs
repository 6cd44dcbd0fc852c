//! Data-center electricity in 2030: two stated targets and no base year. A fan chart of growth
//! paths from an ASSUMED base, labelled as such, and how the implied rate depends on it.
//!
//! ```sh
//! cargo run --release --example datacenter            # writes out/datacenter/*.png and .svg
//! cargo run --release --example datacenter -- mydir   # or into mydir/
//! ```

use std::path::PathBuf;

use growthcast::plot::{plot_fan, ChartSpec, Fan};
use growthcast::scenario::{Base, ScenarioSet};
use growthcast::{io, Kind};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("out/datacenter"), PathBuf::from);
    std::fs::create_dir_all(&out)?;

    // 1. Load: the `scenario` column splits the file into `…/medium` and `…/high`, one point
    //    each, both "more than" (at_least).
    let targets = io::read_groups(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/datacenter_power_2030.csv"
    ))?;

    // 2. One point cannot be fitted. What it tells is the growth rate it implies from a base;
    //    the documents give no base, so the base is an assumption, labelled as one.
    let set = ScenarioSet::new(Base::assumed(
        140e9,
        2024.0,
        "ASSUMED base: 140 TWh in 2024, not a document figure",
    ))
    .targets_from(&targets);
    println!("{set}");
    // How the implied rates depend on the assumed base.
    println!("{}", set.sensitivity(&[100e9, 140e9, 200e9])?);

    // 3. Fan chart: constant-rate paths from the assumed base to each target ("more than", so
    //    upward triangles).
    let fan = Fan::from_scenarios(&set, 2030.0)?
        .with_target_kind(Kind::AtLeast)
        .source("Xinhua (2026-01-28)");
    let spec = ChartSpec::new()
        .title("Data-center electricity use in China: paths to the 2030 targets")
        .subtitle("Constant growth from an ASSUMED 2024 base (the documents give none)")
        .y_label("electricity per year, billion kWh (TWh)");
    let png = out.join("datacenter_power_2030_fan.png");
    plot_fan(&fan, &spec, &png)?;
    // The same chart as SVG, chosen by the file extension.
    let svg = out.join("datacenter_power_2030_fan.svg");
    plot_fan(&fan, &spec, &svg)?;
    println!("wrote {} and {}", png.display(), svg.display());
    Ok(())
}
