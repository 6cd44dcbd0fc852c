//! `growthcast cagr`: growth between two values, and checks of claims about it.

use growthcast::growth::{self, ClaimCheck, Figure};
use growthcast::Kind;
use serde::Serialize;

use crate::args::{multiple, percent};
use crate::failure::{usage, Failure};

/// Examples and the claims' conventions, after `growthcast cagr --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast cagr 100 121 --years 2
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim-rate 12.8% --start-kind about --end-kind at_least
  growthcast cagr 1e11 3e13 --years 1.5 --end-kind at_least --claim-multiple 300 --claim-kind at_least
  growthcast cagr 1e14 1.4e14 --years 0.25 --end-kind at_least --claim-increase 40% --claim-kind at_least

Claims: --claim-rate is an annual rate, --claim-multiple a factor (300 means 300x), --claim-increase
a rise over the whole period. Rates and increases are written with a percent sign (12.8%) or as
fractions up to 1 (0.128); a bare number above 1 is refused as ambiguous: write 300% or use
--claim-multiple 300.";

/// The flags of `growthcast cagr`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Start value.
    start: f64,
    /// End value.
    end: f64,
    /// Years between them.
    #[arg(long)]
    years: f64,
    /// A claimed compound annual growth rate: 12.8% or 0.128.
    #[arg(long = "claim-rate", alias = "claim", value_name = "RATE", value_parser = percent)]
    claim_rate: Option<f64>,
    /// A claimed growth multiple over the period: 300 (or 300x) means "300-fold".
    #[arg(long, value_name = "FACTOR", value_parser = multiple)]
    claim_multiple: Option<f64>,
    /// A claimed increase over the period: 40% or 0.4.
    #[arg(long, value_name = "INCREASE", value_parser = percent)]
    claim_increase: Option<f64>,
    /// What the start figure's wording says: exact, about, at_least, at_most.
    #[arg(long, default_value = "exact")]
    start_kind: String,
    /// What the end figure's wording says.
    #[arg(long, default_value = "exact")]
    end_kind: String,
    /// What the claims' wording says ("more than 300x" is at_least).
    #[arg(long, default_value = "exact")]
    claim_kind: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Output {
    cagr: f64,
    multiple: f64,
    increase: f64,
    doubling_time: Option<f64>,
    checks: Vec<ClaimCheck>,
}

fn kind(s: &str, what: &str) -> Result<Kind, Failure> {
    s.parse::<Kind>().map_err(|e| usage(format!("{what}: {e}")))
}

/// Each claim given, checked against the two figures.
fn checks(a: &Args) -> Result<Vec<ClaimCheck>, Failure> {
    let (start, end) = (
        Figure::new(a.start, kind(&a.start_kind, "--start-kind")?),
        Figure::new(a.end, kind(&a.end_kind, "--end-kind")?),
    );
    let ck = kind(&a.claim_kind, "--claim-kind")?;
    let mut checks = Vec::new();
    if let Some(c) = a.claim_rate {
        checks.push(growth::check_cagr(start, end, a.years, Figure::new(c, ck))?);
    }
    if let Some(c) = a.claim_multiple {
        checks.push(growth::check_multiple(start, end, Figure::new(c, ck))?);
    }
    if let Some(c) = a.claim_increase {
        checks.push(growth::check_increase(start, end, Figure::new(c, ck))?);
    }
    Ok(checks)
}

/// Prints the growth between the two values and the verdict on each claim.
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let (start, end, years) = (a.start, a.end, a.years);
    let rate = growth::cagr(start, end, years)?;
    let checks = checks(&a)?;
    if a.json {
        return crate::json(&Output {
            cagr: rate,
            multiple: end / start,
            increase: end / start - 1.0,
            doubling_time: growth::doubling_time(rate).ok(),
            checks,
        });
    }
    say!(
        "CAGR {:.4}% a year over {years} years; multiple {:.4}x; increase {:.2}%",
        100.0 * rate,
        end / start,
        100.0 * (end / start - 1.0)
    );
    if let Ok(d) = growth::doubling_time(rate) {
        say!("doubling time {d:.3} years");
    }
    for c in checks {
        say!("{c}");
    }
    Ok(())
}
