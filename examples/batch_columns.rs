//! The Rust side of the Python batch benchmark (`python/bench/batch_million.py`): fits every
//! series of a long table given as columns, exactly as `growthcast.batch_fit` does, and prints
//! the time of the fit alone.
//!
//! ```sh
//! cargo run --release --example batch_columns -- DIR [MODEL]
//! ```
//!
//! `DIR` holds `t.f64` and `y.f64` (the time and value columns, little-endian `f64`, each
//! series' rows together) and `offsets.i64` (series `i` is rows `offsets[i]..offsets[i+1]`);
//! `MODEL` is a built-in model name (default `logistic`). The fit is `BatchFitter::fit_series`
//! on slices of the columns with the defaults of `growthcast.batch_fit` (multiplicative errors,
//! self-start values, standard errors), on all cores.

use std::path::Path;
use std::time::Instant;

use growthcast::batch::BatchFitter;
use growthcast::model::Builtin;

/// A column of `N`-byte little-endian numbers.
fn read<T, const N: usize>(path: &Path, from: fn([u8; N]) -> T) -> Result<Vec<T>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() % N != 0 {
        return Err(format!(
            "{}: {} bytes, not a multiple of {N}",
            path.display(),
            bytes.len()
        ));
    }
    let mut out = Vec::with_capacity(bytes.len() / N);
    for c in bytes.chunks_exact(N) {
        let mut b = [0u8; N];
        b.copy_from_slice(c);
        out.push(from(b));
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.first().ok_or("usage: batch_columns DIR [MODEL]")?);
    let model: Builtin = args.get(1).map_or("logistic", String::as_str).parse()?;
    let t = read(&dir.join("t.f64"), f64::from_le_bytes)?;
    let y = read(&dir.join("y.f64"), f64::from_le_bytes)?;
    let offsets = read(&dir.join("offsets.i64"), i64::from_le_bytes)?;
    if offsets.first() != Some(&0)
        || offsets.last() != Some(&(t.len() as i64))
        || t.len() != y.len()
        || offsets.windows(2).any(|w| w[1] < w[0])
    {
        return Err("offsets must rise from 0 to the number of rows of t and y".into());
    }
    let now = Instant::now();
    let series: Vec<(&[f64], &[f64])> = offsets
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0] as usize, w[1] as usize);
            (&t[a..b], &y[a..b])
        })
        .collect();
    let fits = BatchFitter::new(model.model())
        .std_errors(true)
        .fit_series(&series)?;
    let elapsed = now.elapsed().as_secs_f64();
    let checksum: f64 = fits.params().iter().filter(|v| v.is_finite()).sum();
    println!(
        "rust: {} series, fit {elapsed:.3} s ({:.0} series/s), converged {}, checksum {checksum:.6e}",
        series.len(),
        series.len() as f64 / elapsed,
        fits.n_ok()
    );
    Ok(())
}
