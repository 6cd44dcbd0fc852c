//! `growthcast when`: when the fitted curve reaches a level.

use std::path::PathBuf;

use crate::args::{horizon, ModelArgs, ReadArgs};
use crate::failure::Failure;

/// Examples after `growthcast when --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast when data/tokens_daily.csv --reach 1e15
  growthcast when data/genai_users.csv --reach 1.128e9 --model logistic --fix K=1.41e9 --horizon 2040";

/// The flags of `growthcast when`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The CSV file.
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// The level (a negative level is fine: `--reach -5`).
    #[arg(long, allow_negative_numbers = true)]
    reach: f64,
    #[command(flatten)]
    model: ModelArgs,
    /// Search up to this year [default: 2050]; on a numeric time axis (--time-unit) a number
    /// [default: half the data span past the last point].
    #[arg(long, allow_hyphen_values = true)]
    horizon: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Fits and prints when the curve reaches the level, with the fit's cautions.
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let s = a.read.load(&a.file)?;
    let fit = a.model.fitter()?.fit(&s)?;
    let c = fit.when(
        a.reach,
        horizon(&s, a.horizon.as_deref(), "2050", "--horizon")?,
    );
    if a.json {
        return crate::json(&c);
    }
    say!("{} ({} model)", c.statement, fit.label());
    for w in fit.warnings() {
        say!("caution: {w}");
    }
    Ok(())
}
