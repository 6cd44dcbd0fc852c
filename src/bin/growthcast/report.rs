//! `growthcast report`: every series in a folder, with a progress bar (per series) for long
//! runs.

use std::path::PathBuf;
use std::time::Instant;

use growthcast::report::{self, ReportOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::end_of;
use crate::failure::{Failure, PARTIAL};

/// Examples after `growthcast report --help`.
pub(crate) const AFTER_HELP: &str = "Examples:
  growthcast report
  growthcast report --data mydata --out results";

/// The flags of `growthcast report`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Folder of CSV files.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Project to this year (or date).
    #[arg(long, default_value = "2030-12-31")]
    until: String,
    /// Chart and describe every series, even in a file of more than 20 series (by default such
    /// a file gets a summary and histograms of its chosen models' rates and ceilings instead,
    /// and its projections at the printed times only).
    #[arg(long)]
    all_charts: bool,
}

/// Writes the report and lists what it wrote; files it skipped make a partial report (exit 3).
pub(crate) fn run(a: Args) -> Result<(), Failure> {
    let mut opts = ReportOptions::new(&a.data, &a.out);
    opts.horizon = end_of(&a.until, "--until")?;
    if a.all_charts {
        opts.max_charted = usize::MAX;
    }
    // A progress bar on stderr, shown only when the work takes longer than a second.
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} series  {msg}").expect("valid template"),
    );
    let started = Instant::now();
    let r = report::run(&opts, |done, total, name| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(name.to_string());
        if started.elapsed().as_secs_f64() > 1.0 && bar.is_hidden() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    })?;
    bar.finish_and_clear();
    say!("{}", r.text);
    say!("written:");
    for (path, what) in &r.written {
        say!("    {:<44} {what}", path.display());
    }
    if r.skipped.is_empty() {
        return Ok(());
    }
    // After the output, where a reader sees it; a distinct exit code for scripts.
    for (path, why) in &r.skipped {
        eprintln!("skipped {}: {why}", path.display());
    }
    Err(Failure {
        message: format!(
            "partial report: {} file(s) skipped (listed above); the rest is written",
            r.skipped.len()
        ),
        code: PARTIAL,
    })
}
