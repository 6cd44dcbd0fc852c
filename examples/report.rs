//! The main job: fit every series in `data/` and project it to the end of 2030.
//!
//! ```sh
//! cargo run --release --example report            # reads data/
//! cargo run --release --example report -- mydir   # reads another folder of CSV files
//! ```
//!
//! For each series it fits the exponential, logistic, Gompertz and linear models (and a
//! logistic with a known ceiling where there is one), prints a comparison table with the 2030
//! projection, then the full report of the best-supported model. Series that cannot be fitted
//! (one point, say) are reported and skipped: nothing else is lost.

use std::path::PathBuf;

use growthcast::{io, Exponential, Fit, Fitter, Gompertz, Linear, Logistic, Series};

/// Ceilings we know from outside the data: a share cannot pass 100%, and users cannot outnumber
/// the population (6.02e8 users are 42.8% of it, so about 1.41e9 people).
fn known_ceiling(s: &Series) -> Option<(f64, &'static str)> {
    if s.unit().starts_with('%') {
        Some((100.0, "100%"))
    } else if s.name() == "genai_users" {
        Some((1.41e9, "population 1.41e9"))
    } else {
        None
    }
}

fn fits(s: &Series) -> Vec<(String, growthcast::Result<Fit>)> {
    let mut out = vec![
        ("exponential".to_string(), s.fit(Exponential::new())),
        ("logistic".to_string(), s.fit(Logistic)),
        ("gompertz".to_string(), s.fit(Gompertz)),
        ("linear".to_string(), s.fit(Linear::new())),
    ];
    if let Some((k, why)) = known_ceiling(s) {
        out.push((
            format!("logistic, K = {why}"),
            Fitter::new(Logistic).fix("K", k).fit(s),
        ));
    }
    out
}

/// A single point (a scenario target) cannot be fitted; what it can tell is the annual growth
/// rate it implies from a base. The documents give no base, so these are labelled assumptions.
fn scenario_rates(s: &Series) {
    let target = &s.observations()[0];
    println!(
        "    one point ({} {} by {}): the annual growth rate it implies depends on an assumed base",
        target.value,
        s.unit(),
        target.date
    );
    for base in [100e9, 140e9, 200e9] {
        if let Ok(r) = growthcast::growth::implied_rate(base, 2024.0, target.value, target.t) {
            println!(
                "      from an ASSUMED {:.0} TWh in 2024: {:.1}% a year",
                base / 1e9,
                100.0 * r
            );
        }
    }
    println!();
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        PathBuf::from,
    );
    let horizon = growthcast::time::parse_date("2030-12-31")?;
    for (path, groups) in io::read_dir(&dir)? {
        let groups = match groups {
            Ok(g) => g,
            Err(e) => {
                eprintln!("skipping {}: {e}", path.display());
                continue;
            }
        };
        for s in groups {
            println!(
                "==== {} ({}), {} point(s) ====",
                s.name(),
                s.unit(),
                s.len()
            );
            let runs = fits(&s);
            if s.len() == 1 {
                scenario_rates(&s);
                continue;
            }
            let ceiling = known_ceiling(&s).map(|c| c.0);
            println!(
                "    {:<34} {:>9} {:>10}  {:>12}  {:>27}",
                "model", "AIC", "identified", "2030-12-31", "95% confidence band"
            );
            // A fit is credible when its parameters are identified and its 2030 value respects
            // the known ceiling.
            let mut credible = Vec::new();
            for (label, fit) in &runs {
                match fit {
                    Ok(f) => {
                        let p = f.project(&[horizon]).points[0];
                        let over = ceiling.is_some_and(|k| p.value > k);
                        println!(
                            "    {label:<34} {:>9.3} {:>10}  {:>12.4e}  [{:>11.4e}, {:>11.4e}]{}",
                            f.aic,
                            if f.is_identified() { "yes" } else { "no" },
                            p.value,
                            p.conf_lower,
                            p.conf_upper,
                            if over {
                                "  exceeds the known ceiling"
                            } else {
                                ""
                            }
                        );
                        if f.is_identified() && !over {
                            credible.push((label, f));
                        }
                    }
                    Err(e) => println!("    {label:<34} not fitted: {e}"),
                }
            }
            // The best-supported credible fit by AIC (same data and error model, so comparable).
            let best = credible
                .into_iter()
                .min_by(|a, b| a.1.aic.total_cmp(&b.1.aic));
            if best.is_none() {
                println!("\n-- no model is identified by these data: more points, or a known parameter, are needed\n");
            }
            if let Some((label, f)) = best {
                println!("\n-- best supported: {label}\n{f}");
                println!(
                    "{}",
                    f.project_dates(&["2026-12-31", "2028-12-31", "2030-12-31"])?
                );
            }
        }
    }
    Ok(())
}
