//! The questions people ask of the document series, answered with what the data can support.
//! Prints the answers and draws the two that a picture helps with (when a level is reached,
//! and how a model fitted without the last point did) into `out/questions/`, with `when.csv`.
//!
//! ```sh
//! cargo run --release --example questions
//! ```

use growthcast::plot::{plot_fit, ChartSpec};
use growthcast::scenario::{self, Base, ScenarioSet};
use growthcast::time::format_date;
use growthcast::{compare, export, hindcast, io, profile, Exponential, Fitter, Logistic};

fn main() -> Result<(), growthcast::Error> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let out = std::path::PathBuf::from("out/questions");
    std::fs::create_dir_all(&out).map_err(|e| growthcast::Error::Io {
        path: out.clone(),
        source: e,
    })?;
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

    // 4. When? Daily tokens at 1e15; users at 80% of a population ceiling. Each answer is a
    // chart with the level drawn in and the answer as its caption, and a row of when.csv.
    let exp = tokens.fit(Exponential::new())?;
    let logistic = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
    let free = tokens.fit(Logistic)?;
    let mut rows = Vec::new();
    for (name, series, fit, level, horizon) in [
        ("tokens_1e15_exponential", &tokens, &exp, 1e15, 2035.0),
        ("tokens_1e15_logistic", &tokens, &free, 1e15, 2035.0),
        (
            "users_80pct_of_population",
            &users,
            &logistic,
            0.8 * 1.41e9,
            2035.0,
        ),
    ] {
        let c = fit.when(level, horizon);
        println!("{}", c.statement);
        let spec = ChartSpec::new()
            .title(format!(
                "When does `{}` reach {level:.3e}? ({})",
                series.name(),
                fit.label()
            ))
            .caption(format!("{}.", c.statement))
            .horizon(horizon)
            .reference(level, format!("level {level:.3e}"));
        let file = out.join(format!("when_{name}.png"));
        plot_fit(series, fit, &spec, &file)?;
        println!("    wrote {}", file.display());
        let d = |t: Option<f64>| t.map(format_date).unwrap_or_default();
        rows.push([
            name.to_string(),
            fit.label().to_string(),
            format!("{level}"),
            d(c.earliest),
            d(c.estimate),
            d(c.latest),
            c.statement.clone(),
        ]);
    }
    #[derive(serde::Serialize)]
    struct Row {
        question: String,
        model: String,
        level: String,
        earliest: String,
        estimate: String,
        latest: String,
        statement: String,
    }
    let rows: Vec<Row> = rows
        .into_iter()
        .map(
            |[question, model, level, earliest, estimate, latest, statement]| Row {
                question,
                model,
                level,
                earliest,
                estimate,
                latest,
                statement,
            },
        )
        .collect();
    export::write_rows(out.join("when.csv"), &rows)?;
    println!(
        "ceiling the token curve needs to reach 1e15 by 2030: {:.3e}",
        scenario::required_ceiling(&Fitter::new(Logistic), &tokens, 1e15, 2030.0)?
    );

    // 5. Hindcasts: how would each model have done on the last point? The chart shows the
    // exponential fitted on the first three points against all four.
    let services = io::read_series(data.join("genai_services.csv"))?;
    for (label, b) in hindcast::backtest_all(&compare::standard_specs(&services), &services, 1) {
        match b {
            Ok(b) => print!("{b}"),
            Err(e) => println!("{label}: {e}"),
        }
    }
    let early = services.head(3).fit(Exponential::new())?;
    let b = hindcast::backtest(&Fitter::new(Exponential::new()), &services, 1)?;
    let h = &b.held_out[0];
    let spec =
        ChartSpec::new()
            .title("Registered generative-AI services: exponential fitted without the last point")
            .caption(format!(
            "Fitted on the first 3 points; the held-out {} value {} was projected at {:.0} ({}).",
            h.date,
            h.observed,
            h.projected,
            if h.covered { "inside the prediction band" } else { "outside the prediction band" }
        ))
            .horizon(2026.5);
    let file = out.join("hindcast_genai_services.png");
    plot_fit(&services, &early, &spec, &file)?;
    println!("    wrote {}", file.display());
    Ok(())
}
