//! Data-center electricity in 2030: two stated targets and no base year. A fan chart of growth
//! paths from an ASSUMED base, labelled as such, and how the implied rate depends on it.
//!
//! ```sh
//! cargo run --release --example datacenter            # writes out/datacenter/*.png
//! cargo run --release --example datacenter -- mydir   # or into mydir/
//! ```

use std::path::PathBuf;

use growthcast::growth::implied_rate;
use growthcast::io;
use growthcast::plot::{plot_fan, ChartSpec, Fan, FanPath};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("out/datacenter"), PathBuf::from);
    std::fs::create_dir_all(&out)?;

    // 1. Load: the `scenario` column splits the file into `…/medium` and `…/high`, one point
    //    each (both "more than", at_least).
    let targets = io::read_groups(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/datacenter_power_2030.csv"
    ))?;

    // 2. One point cannot be fitted. What it tells is the growth rate it implies from a base;
    //    the documents give no base, so the base is an assumption, and the rate depends on it.
    let base = (2024.0, 140e9); // ASSUMED: 140 TWh in 2024
    for s in &targets {
        let o = &s.observations()[0];
        for assumed in [100e9, 140e9, 200e9] {
            let r = implied_rate(assumed, base.0, o.value, o.t)?;
            println!(
                "{}: from an ASSUMED {:.0} TWh in 2024, more than {:.0} TWh in {} needs {:.1}% a year",
                s.name(),
                assumed / 1e9,
                o.value / 1e9,
                o.date,
                100.0 * r
            );
        }
    }

    // 3. Fan chart: constant-rate paths from the assumed base to each target.
    let mut fan = Fan::new(
        "datacenter_power_2030",
        "kWh",
        base,
        "ASSUMED base: 140 TWh in 2024, not a document figure",
    )
    .source("Xinhua (2026-01-28)");
    for s in &targets {
        let o = &s.observations()[0];
        let r = implied_rate(base.1, base.0, o.value, o.t)?;
        let name = s.name().rsplit('/').next().unwrap_or(s.name());
        fan = fan.path(
            FanPath::constant_rate(
                format!(
                    "{name}: more than {:.0} TWh, ≥{:.1}%/yr",
                    o.value / 1e9,
                    100.0 * r
                ),
                base,
                (o.t, o.value),
                61,
            )?
            .with_target(o.t, o.value, o.kind),
        );
    }
    let png = out.join("datacenter_power_2030_fan.png");
    let spec = ChartSpec::new()
        .title("Data-center electricity use in China: paths to the 2030 targets")
        .subtitle("Constant growth from an ASSUMED 2024 base (the documents give none)")
        .y_label("electricity per year, billion kWh (TWh)");
    plot_fan(&fan, &spec, &png)?;
    // The same chart as SVG, chosen by the file extension.
    let svg = out.join("datacenter_power_2030_fan.svg");
    plot_fan(&fan, &spec, &svg)?;
    println!("wrote {} and {}", png.display(), svg.display());
    Ok(())
}
