//! The questions people ask of the document series, answered with what the data can support.
//!
//! ```sh
//! cargo run --release --example questions
//! ```

use growthcast::scenario::{self, Base, ScenarioSet};
use growthcast::{compare, hindcast, io, profile, Exponential, Fitter, Logistic};

fn main() -> Result<(), growthcast::Error> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let tokens = io::read_series(data.join("tokens_daily.csv"))?;
    let users = io::read_series(data.join("genai_users.csv"))?;

    // 1. Scenarios: the data-center targets from an explicit, labelled assumption.
    let targets = io::read_groups(data.join("datacenter_power_2030.csv"))?;
    let set = ScenarioSet::new(Base::assumed(
        140e9,
        2024.0,
        "assumption: one widely reported estimate of 2024 consumption; not in the documents",
    ))
    .targets_from(&targets)
    .rate("low (user's choice)", 0.10);
    println!("{set}");
    println!(
        "{}",
        set.sensitivity(&[100e9, 120e9, 140e9, 160e9, 180e9, 200e9])?
    );

    // 2. Which model? Rank, weigh and average.
    for s in [&tokens, &users] {
        let c = compare::compare_standard(s);
        println!("{c}");
        if let Some(avg) = c.averaged(&[2027.0, 2030.0]) {
            println!("{avg}");
        }
    }

    // 3. Can the ceiling be known yet?
    for s in [&tokens, &users] {
        let k = profile::ceiling_interval(&Fitter::new(Logistic), s, 0.95)?;
        println!("{}: {}", s.name(), k.statement);
    }

    // 4. When? Daily tokens at 1e15; users at 80% of a population ceiling.
    let exp = tokens.fit(Exponential::new())?;
    println!("{}", exp.when(1e15, 2035.0).statement);
    let logistic = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
    println!("{}", logistic.when(0.8 * 1.41e9, 2040.0).statement);
    let free = tokens.fit(Logistic)?;
    println!("{}", free.when(1e15, 2040.0).statement);
    println!(
        "ceiling the token curve needs to reach 1e15 by 2030: {:.3e}",
        scenario::required_ceiling(&Fitter::new(Logistic), &tokens, 1e15, 2030.0)?
    );

    // 5. Hindcasts: how would each model have done on the last point?
    let services = io::read_series(data.join("genai_services.csv"))?;
    for (label, b) in hindcast::backtest_all(&compare::standard_specs(&services), &services, 1) {
        match b {
            Ok(b) => print!("{b}"),
            Err(e) => println!("{label}: {e}"),
        }
    }
    Ok(())
}
