//! Generative-AI users in China: four points, a known ceiling (the population), and what a free
//! ceiling cannot tell.
//!
//! ```sh
//! cargo run --release --example users            # writes out/users/*.png
//! cargo run --release --example users -- mydir   # or into mydir/
//! ```

use std::path::PathBuf;

use growthcast::plot::{plot_comparison, plot_fit, ChartSpec};
use growthcast::time::parse_date;
use growthcast::{io, Fitter, Logistic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("out/users"), PathBuf::from);
    std::fs::create_dir_all(&out)?;

    // 1. Load: the 2024-12-31 figure is derived from "+141.7% on end-2024", drawn hollow.
    let users = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;

    // 2. Four points cannot find a ceiling: fix it at the population, 1.41e9 people.
    let fixed = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
    println!("{fixed}");
    // Left free, the ceiling is not identified, and the fit says so.
    let free = users.fit(Logistic)?;
    for w in free.warnings() {
        println!("free ceiling: {w}");
    }

    // 3. Project to the end of 2030 with 95% bands.
    let horizon = parse_date("2030-12-31")?;
    println!("{}", fixed.project_dates(&["2027-12-31", "2030-12-31"])?);

    // 4. Charts: the fixed-ceiling fit with bands; both fits together (the free one is marked
    //    as not identified in the legend and the caution line).
    let spec = ChartSpec::new()
        .title("Generative-AI users in China: logistic, ceiling fixed at the population")
        .horizon(horizon);
    let fit_png = out.join("genai_users_logistic.png");
    plot_fit(&users, &fixed, &spec, &fit_png)?;
    let cmp_png = out.join("genai_users_ceilings.png");
    plot_comparison(
        &users,
        &[
            ("logistic, K = 1.41e9", &fixed),
            ("logistic, K free", &free),
        ],
        &spec
            .clone()
            .title("Generative-AI users in China: fixed or free ceiling")
            .bands(false),
        &cmp_png,
    )?;
    println!("wrote {} and {}", fit_png.display(), cmp_png.display());
    Ok(())
}
