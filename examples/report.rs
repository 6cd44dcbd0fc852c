//! The main job: fit every series in `data/`, project it to the end of 2030, and write charts,
//! CSV tables for notebooks and JSON into `out/`.
//!
//! ```sh
//! cargo run --release --example report                      # data/ -> out/
//! cargo run --release --example report -- --out results     # data/ -> results/
//! cargo run --release --example report -- mydir --out res   # another folder of CSV files
//! ```
//!
//! All the work is [`growthcast::report::run`]; see its docs for the files written. Reading the
//! bundled `data/`, it also refreshes the README's charts under `docs/`.

use std::path::PathBuf;

use growthcast::report::{self, ReportOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let (mut data, mut out) = (None, PathBuf::from("out"));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" | "-o" => out = args.next().ok_or("--out needs a folder")?.into(),
            "--help" | "-h" => return Err("usage: report [DATA_DIR] [--out OUT_DIR]".into()),
            _ if a.starts_with('-') => {
                return Err(
                    format!("unknown option {a}; usage: report [DATA_DIR] [--out OUT_DIR]").into(),
                )
            }
            _ => data = Some(PathBuf::from(a)),
        }
    }
    let mut opts = ReportOptions::new(data.clone().unwrap_or_else(|| bundled.clone()), out);
    if data.is_none() {
        // The README's charts come from the bundled data.
        opts.docs = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs"));
    }

    let report = report::run(&opts, |_, _, _| {})?;
    print!("{}", report.text);
    println!("==== written ====");
    let here = std::env::current_dir().unwrap_or_default();
    for (path, what) in &report.written {
        println!(
            "    {:<48} {what}",
            path.strip_prefix(&here).unwrap_or(path).display()
        );
    }
    println!("    (load the CSV files with pandas: see the README)");
    if !report.skipped.is_empty() {
        // Listed last, where they are seen, and a distinct exit code: the run was partial.
        for (path, why) in &report.skipped {
            eprintln!("skipped {}: {why}", path.display());
        }
        eprintln!("partial report: {} file(s) skipped", report.skipped.len());
        std::process::exit(3);
    }
    Ok(())
}
