//! Charts as bytes: the library draws to a file; the bindings draw to a private temporary file
//! and hand back its bytes (PNG or SVG).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use growthcast::plot::{ChartSpec, Format};
use pyo3::prelude::*;

use crate::GrowthcastError;

/// What a chart method was asked for: format, size, horizon, title, log axis.
#[derive(Debug)]
pub(crate) struct ChartArgs {
    /// `"png"` or `"svg"`.
    pub(crate) format: String,
    /// Width and height in pixels.
    pub(crate) size: (u32, u32),
    /// Decimal year to draw to.
    pub(crate) until: Option<f64>,
    /// Title (else the library's).
    pub(crate) title: Option<String>,
    /// Log y axis (else the library chooses).
    pub(crate) log_y: Option<bool>,
}

impl ChartArgs {
    /// The library's chart specification, and the file extension.
    pub(crate) fn spec(&self) -> PyResult<(ChartSpec, &'static str)> {
        let (format, ext) = match self.format.to_ascii_lowercase().as_str() {
            "png" => (Format::Png, "png"),
            "svg" => (Format::Svg, "svg"),
            other => {
                return Err(GrowthcastError::new_err(format!(
                    "chart format `{other}`: choose png or svg"
                )))
            }
        };
        let mut spec = ChartSpec::new()
            .size(self.size.0, self.size.1)
            .format(format);
        if let Some(h) = self.until {
            spec = spec.horizon(h);
        }
        if let Some(t) = &self.title {
            spec = spec.title(t.clone());
        }
        if let Some(l) = self.log_y {
            spec = spec.log_y(l);
        }
        Ok((spec, ext))
    }
}

/// Runs `draw` on a fresh temporary path with extension `ext` and returns the file's bytes.
pub(crate) fn to_bytes(
    ext: &str,
    draw: impl FnOnce(&PathBuf) -> growthcast::Result<()>,
) -> PyResult<Vec<u8>> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "growthcast-py-{}-{}.{ext}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let drawn = draw(&path);
    let bytes = drawn.and_then(|()| {
        std::fs::read(&path).map_err(|source| growthcast::Error::Io {
            path: path.clone(),
            source,
        })
    });
    let _ = std::fs::remove_file(&path);
    // The temporary file is ours, not the caller's: errors name the bytes instead.
    let what = format!("({} bytes)", ext.to_ascii_uppercase());
    bytes.map_err(|e| {
        GrowthcastError::new_err(e.to_string().replace(&path.display().to_string(), &what))
    })
}
