//! Growth on a time axis that is not the calendar: R's `ChickWeight`, 50 chicks weighed every
//! other day from day 0 to day 21 (`data/lab/chickweight.csv`, a long file with a `series`
//! column and a `time_unit` column saying `day`).
//!
//! ```sh
//! cargo run --release --example chick_weight                 # writes out/chick_weight/*.png
//! cargo run --release --example chick_weight -- mydir        # or into mydir/
//! cargo run --release --example chick_weight -- out docs     # also the README's chart in docs/
//! ```
//!
//! Everything is said in days: rates per day, doubling times in days, projections at day 35,
//! the chart's axis in days. Dated series (the default) are untouched by any of this.

use std::path::PathBuf;

use growthcast::compare::{self, standard_specs};
use growthcast::plot::{plot_recommendation, series_grid, ChartSpec};
use growthcast::recommend::RecommendOptions;
use growthcast::{io, Fitter, Logistic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .map_or_else(|| PathBuf::from("out/chick_weight"), PathBuf::from);
    let docs = args.next().map(PathBuf::from);
    std::fs::create_dir_all(&out)?;

    // 1. Load: one file, 50 series (one per chick); the `time_unit` column makes their time axis
    //    days, so `0`, `2`, … `21` are days, not years.
    let chicks = io::read_groups(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/lab/chickweight.csv"
    ))?;
    println!("{} chicks, time axis: {}", chicks.len(), chicks[0].axis());

    // 2. Every chick gets a logistic fit; a chick weighed twice (it died) gets an error, named,
    //    instead of stopping the run.
    println!("\nchick      points  r (1/day)  doubling (days)  ceiling K (g)  identified");
    let mut rates = Vec::new();
    for s in &chicks {
        match Fitter::new(Logistic).fit(s) {
            Ok(f) => {
                let r = f.params()[1].estimate;
                rates.push(r);
                let doubling = f.doubling_time().map_or(f64::NAN, |d| d.value);
                println!(
                    "{:<10} {:>6}  {r:>9.4}  {doubling:>15.2}  {:>13.0}  {}",
                    s.name(),
                    s.len(),
                    f.params()[0].estimate,
                    f.is_identified()
                );
            }
            Err(e) => println!("{:<10} {:>6}  error: {e}", s.name(), s.len()),
        }
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "median early growth rate: {:.4} per day ({} chicks fitted)",
        rates[rates.len() / 2],
        rates.len()
    );

    // 3. Chick 1 in full: which curves the data allow, and the recommended projection to day 35,
    //    half the data's span past the last weighing.
    let chick = &chicks[0];
    let (first, last) = chick.span();
    let horizon = chick.axis().horizon_after(first, last);
    let comparison = compare::compare(chick, &standard_specs(chick));
    let spec = ChartSpec::new()
        .title("Chick 1 (R's ChickWeight): recommended projection")
        .caption("Source: Crowder and Hand (1990), R datasets::ChickWeight.")
        .horizon(horizon);
    let rec = comparison
        .recommended(&series_grid(chick, &spec), &RecommendOptions::default())
        .ok_or("no model keeps a degree of freedom")?;
    println!("\n{}", rec.statement);
    if let Some(why) = &rec.no_drift {
        println!("{why}");
    }
    let png = out.join("chick_1_recommended.png");
    plot_recommendation(chick, &rec, &spec, &png)?;
    println!("wrote {}", png.display());
    if let Some(docs) = docs {
        std::fs::create_dir_all(&docs)?;
        let small = docs.join("chick_weight.png");
        plot_recommendation(chick, &rec, &spec.clone().size(960, 576), &small)?;
        println!("wrote {}", small.display());
    }
    Ok(())
}
