//! Raster output: supersampled PNG charts averaged down and encoded with the `png` crate.

use std::path::Path;

use crate::error::{Error, Result};

/// Linear supersampling factor of PNG charts.
pub(crate) const SUPERSAMPLE: u32 = 2;

/// Box-filters an RGB image of `(w·f) × (h·f)` pixels down to `w × h`.
pub(crate) fn downsample(src: &[u8], w: u32, h: u32, f: u32) -> Vec<u8> {
    let (w, h, f) = (w as usize, h as usize, f as usize);
    let sw = w * f;
    let mut out = vec![0u8; w * h * 3];
    let n = (f * f) as u32;
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0u32; 3];
            for dy in 0..f {
                let row = (y * f + dy) * sw;
                for dx in 0..f {
                    let i = (row + x * f + dx) * 3;
                    acc[0] += u32::from(src[i]);
                    acc[1] += u32::from(src[i + 1]);
                    acc[2] += u32::from(src[i + 2]);
                }
            }
            let o = (y * w + x) * 3;
            for c in 0..3 {
                out[o + c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Writes an RGB image as an 8-bit PNG file, best compression.
pub(crate) fn write_png(path: &Path, rgb: &[u8], w: u32, h: u32) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let as_err = |e: png::EncodingError| match e {
        png::EncodingError::IoError(io) => Error::io(path, io),
        other => Error::Plot {
            path: path.to_path_buf(),
            message: format!("PNG encoding failed: {other}"),
        },
    };
    let mut writer = enc.write_header().map_err(as_err)?;
    writer.write_image_data(rgb).map_err(as_err)?;
    writer.finish().map_err(as_err)
}
