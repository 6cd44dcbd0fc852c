//! How the command line fails: one line on stderr and an exit code.

use growthcast::Error;

/// Exit code of a wrong command line.
pub(crate) const USAGE: u8 = 2;

/// Exit code of a run that wrote its output but not all that was asked for: a report that
/// skipped some inputs, or a fit whose ceiling ran off, answered by the exponential reading.
pub(crate) const PARTIAL: u8 = 3;

/// A command-line error: one line, and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What went wrong and how to fix it.
    pub(crate) message: String,
    /// The process's exit code.
    pub(crate) code: u8,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let hint = match &e {
            Error::NonPositive { .. } => "; fix: use --error additive, or remove the point",
            Error::TooFewPoints { .. } => "; fix: add points, fix a parameter with --fix NAME=VALUE, or pick a simpler --model",
            Error::TooFewTimes { .. } => "; fix: fix a parameter with --fix NAME=VALUE, or pick a simpler --model",
            Error::NotConverged { .. } => "; fix: fix or bound a parameter (--fix, --bound), or try another --model",
            Error::Degenerate { .. } => "; fix: fix a parameter at a known value with --fix NAME=VALUE, or pick a simpler --model",
            Error::Diverged { parameter, .. } => {
                return Failure {
                    message: format!(
                        "{e}; fix: --fix {parameter}=VALUE, --bound {parameter}=LOW:HIGH, or --model exponential"
                    ),
                    code: 1,
                }
            }
            Error::InvalidParameter { .. } => {
                "; fix: see every model's parameters in `growthcast fit --help`"
            }
            // The message says what to do already.
            Error::Csv { message, .. } if message.contains("pass --") || message.contains("with --") => "",
            Error::Csv { line: 1, .. } => "; fix: the header row needs `date` and `value` columns (or `ds` and `y`)",
            Error::Csv { column: Some(_), .. } => {
                "; fix: correct that cell (dates like 2024, 2024-06, 2024-06-30; values as plain numbers)"
            }
            _ => "",
        };
        Failure {
            message: format!("{e}{hint}"),
            code: 1,
        }
    }
}

/// A mistake on the command line (exit code 2).
pub(crate) fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: USAGE,
    }
}
