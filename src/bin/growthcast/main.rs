//! `growthcast`: fit, compare, project and question growth series from the command line.
//!
//! This file parses the command line, hands each subcommand to its module and turns the result
//! into an exit code; `args` holds what several subcommands share, `failure` the error type.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use serde::Serialize;

/// `println!` that ends quietly when the reader goes away (`growthcast … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod args;
mod cagr;
mod compare;
mod failure;
mod fit;
mod many;
mod many_compare;
mod many_fast;
mod report;
mod scenario;
mod when;

use failure::Failure;

const AFTER_HELP: &str = "\
Examples:
  growthcast fit data/tokens_daily.csv --model exponential --until 2030
  growthcast fit data/genai_users.csv --model logistic --fix K=1.41e9 --json
  growthcast compare data/genai_users.csv
  growthcast when data/tokens_daily.csv --reach 1e15 --model exponential
  growthcast cagr 8.1e12 14.7e12 --years 5 --claim-rate 12.8% --start-kind about --end-kind at_least
  growthcast cagr 1e11 3e13 --years 1.5 --end-kind at_least --claim-multiple 300 --claim-kind at_least
  growthcast scenario --base 140e9 --base-year 2024 --targets-file data/datacenter_power_2030.csv --rate low=0.1
  growthcast report --data data --out out

Files are CSV with a header; `date` and `value` columns (or `ds` and `y`) in any order; optional
`unit`, `kind` (exact, about, at_least, at_most, derived), `weight`, `source`; a `series`
(`series_id`, `series_name`) or `scenario` column splits a long file into several series.
Separated by `;`, values may have decimal commas (`1,5`). Other column names: --date-col,
--value-col, --series-col; dates like 15/06/2020: --date-format %d/%m/%Y; rows without a value:
--skip-missing. Errors go to stderr as one line. Exit codes: 0 done; 1 bad data, a failed fit or
nothing to report; 2 a bad command line; 3 a partial answer (a report with some files skipped,
listed at the end; a fit whose ceiling ran off, answered by the exponential reading).";

#[derive(Parser, Debug)]
#[command(name = "growthcast", version, about = "Fit growth models to short series and project them, honestly.", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands, each a module with its `Args`, `AFTER_HELP` and `run`: from one list, the
/// enum clap parses (the doc comment is the subcommand's help) and [`run`], which dispatches it.
macro_rules! subcommands {
    ($($(#[doc = $doc:literal])* $variant:ident($module:ident),)*) => {
        #[derive(Subcommand, Debug)]
        enum Command {
            $(
                $(#[doc = $doc])*
                #[command(after_help = $module::AFTER_HELP)]
                $variant($module::Args),
            )*
        }

        /// Runs the subcommand the command line names.
        fn run(cli: Cli) -> Result<(), Failure> {
            match cli.command {
                $(Command::$variant(a) => $module::run(a),)*
            }
        }
    };
}

subcommands! {
    /// Fit one model to a series, print the report and a yearly projection.
    Fit(fit),
    /// Fit every standard model, rank them by AICc (or AIC), and average.
    Compare(compare),
    /// Growth paths from an ASSUMED base to targets or at given rates.
    Scenario(scenario),
    /// Growth between two values (CAGR, multiple, increase), and checks of claims about it.
    Cagr(cagr),
    /// When does the fitted curve reach a level? An interval, or "not within the horizon".
    When(when),
    /// Every series in a folder: charts, CSV tables and JSON (the README's main job).
    Report(report),
}

/// Prints `v` as pretty JSON on stdout.
fn json<T: Serialize>(v: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure {
        message: format!("cannot write JSON: {e}"),
        code: 1,
    })?;
    say!("{text}");
    Ok(())
}

/// The command line, with every model's parameters after the help of the subcommands that fit one.
fn command() -> clap::Command {
    let params = args::parameter_help();
    let mut command = Cli::command();
    for name in ["fit", "when"] {
        command = command.mut_subcommand(name, |c| {
            let after = c
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            c.after_help(format!("{after}\n\n{params}"))
        });
    }
    command
}

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
