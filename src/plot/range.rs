//! The y range of a chart: which scale, how far curves and bands may take it beyond the data,
//! what is cut off (and the caption notes that say so), and clipping in display space.

use super::scene::Scene;
use super::text::{capitalise, short};
use super::ChartSpec;

/// The y range in data units, whether it is logarithmic, and notes on what is cut off.
///
/// `lo..hi` is the range the chart draws, padding included: the notes, the legend and the
/// drawing all test against it, so a caption says "above the chart" only of what is not drawn.
#[derive(Debug)]
pub(crate) struct YPlan {
    pub(crate) log: bool,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) notes: Vec<String>,
}

pub(crate) fn fmax(it: impl Iterator<Item = f64>) -> f64 {
    it.filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max)
}
pub(crate) fn fmin(it: impl Iterator<Item = f64>) -> f64 {
    it.filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min)
}

pub(crate) fn plan_y(sc: &Scene, spec: &ChartSpec) -> YPlan {
    let obs: Vec<f64> = sc
        .marks
        .iter()
        .map(|m| m.v)
        .filter(|v| v.is_finite())
        .collect();
    let curve_vals = || sc.lines.iter().flat_map(|l| l.pts.iter().map(|p| p.1));
    let anchor: Vec<f64> = if obs.is_empty() {
        curve_vals().filter(|v| v.is_finite()).collect()
    } else {
        obs.clone()
    };
    let a_max = fmax(anchor.iter().copied());
    let a_min = fmin(anchor.iter().copied());
    let all_pos = anchor.iter().all(|&v| v > 0.0);
    let log = match spec.log_y {
        Some(l) => l && all_pos,
        None => {
            // Log when what must be seen spans more than two decades.
            let cap = a_max * spec.headroom.unwrap_or(100.0);
            let hi = fmax(
                curve_vals()
                    .map(|v| v.min(cap))
                    .chain(anchor.iter().copied()),
            );
            let lo = fmin(
                curve_vals()
                    .filter(|v| *v > 0.0)
                    .map(|v| v.max(a_min / 100.0))
                    .chain(anchor.iter().copied()),
            );
            all_pos && lo > 0.0 && hi / lo > 100.0
        }
    };
    if let Some((lo, hi)) = spec.y_range {
        let (lo, hi) = padded(log, lo, hi);
        return YPlan {
            log,
            lo,
            hi,
            notes: clip_notes(sc, lo, hi),
        };
    }
    let headroom = spec.headroom.unwrap_or(if log { 100.0 } else { 3.0 });
    let mut cap_hi = a_max * headroom;
    // A reference line (a known ceiling) that a curve approaches (within 10%) or crosses is
    // part of the story: the range reaches it, if it lies within twice the headroom, so that a
    // curve levelling off at a ceiling is drawn whole and one crossing it is seen to.
    let curve_max = fmax(curve_vals());
    let approached: Vec<f64> = sc
        .references
        .iter()
        .map(|r| r.0)
        .filter(|&r| r.is_finite() && (!log || r > 0.0) && curve_max >= 0.9 * r)
        .filter(|&r| r <= 2.0 * cap_hi)
        .collect();
    cap_hi = cap_hi.max(fmax(approached.iter().copied()));
    let cap_lo = if log {
        a_min / headroom
    } else if a_min >= 0.0 {
        0.0
    } else {
        a_min - (a_max - a_min) * (headroom - 1.0)
    };
    let everything = || {
        curve_vals()
            .chain(
                sc.bands
                    .iter()
                    .flat_map(|b| b.pts.iter().flat_map(|p| [p.1, p.2])),
            )
            .chain(obs.iter().copied())
            .filter(|v| v.is_finite() && (!log || *v > 0.0))
    };
    let mut hi = fmax(
        everything()
            .map(|v| v.min(cap_hi))
            .chain(approached.iter().copied()),
    );
    let mut lo = fmin(everything().map(|v| v.max(cap_lo)));
    if !log && a_min >= 0.0 {
        lo = 0.0;
    }

    if !(hi.is_finite() && lo.is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if hi <= lo {
        let d = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        lo -= d;
        hi += d;
    }
    let (lo, hi) = padded(log, lo, hi);
    let notes = clip_notes(sc, lo, hi);
    YPlan { log, lo, hi, notes }
}

/// The drawn range around `lo..hi`: 4% more on each side (in display space, so log10 on a log
/// axis), and none below a linear axis that starts at zero.
fn padded(log: bool, lo: f64, hi: f64) -> (f64, f64) {
    if log {
        let (dlo, dhi) = (lo.log10(), hi.log10());
        let pad = (dhi - dlo) * 0.04;
        (10f64.powf(dlo - pad), 10f64.powf(dhi + pad))
    } else if lo == 0.0 {
        (0.0, hi + 1.5 * (hi - lo) * 0.04)
    } else {
        let pad = (hi - lo) * 0.04;
        (lo - pad, hi + pad)
    }
}

/// Sentences about curves and bands that leave the y range.
fn clip_notes(sc: &Scene, lo: f64, hi: f64) -> Vec<String> {
    let above = |v: f64| v.is_finite() && v > hi + (hi.abs() * 1e-9);
    let below = |v: f64| v.is_finite() && v < lo - (lo.abs() * 1e-9);
    let mut notes = Vec::new();
    for (v, label) in &sc.references {
        if above(*v) {
            notes.push(format!(
                "{} is above the chart ({}).",
                capitalise(label),
                short(*v)
            ));
        } else if below(*v) {
            notes.push(format!(
                "{} is below the chart ({}).",
                capitalise(label),
                short(*v)
            ));
        }
    }
    for top in [true, false] {
        let out = |v: f64| if top { above(v) } else { below(v) };
        let mut parts: Vec<String> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for l in &sc.lines {
            if names.contains(&l.name.as_str()) {
                continue;
            }
            let extreme = l.pts.iter().filter(|p| out(p.1)).max_by(|a, b| {
                if top {
                    a.1.total_cmp(&b.1)
                } else {
                    b.1.total_cmp(&a.1)
                }
            });
            if let Some(&(t, v)) = extreme {
                names.push(&l.name);
                // Report where the curve ends up, not just where it leaves.
                let (t_end, v_end) = l
                    .pts
                    .iter()
                    .rev()
                    .find(|p| p.1.is_finite())
                    .copied()
                    .unwrap_or((t, v));
                let (t, v) = if out(v_end) { (t_end, v_end) } else { (t, v) };
                parts.push(format!(
                    "{} (reaches {} by {})",
                    l.name,
                    short(v),
                    sc.axis.at(t)
                ));
            }
        }
        let bands: Vec<&str> = sc
            .bands
            .iter()
            .filter(|b| b.pts.iter().any(|p| out(if top { p.2 } else { p.1 })))
            .map(|b| b.name.as_str())
            .collect();
        if !bands.is_empty() {
            let edge = if top { "upper" } else { "lower" };
            let what = if bands.len() == 1 {
                format!("the {edge} edge of the {}", bands[0])
            } else {
                format!("the {edge} edges of the bands")
            };
            parts.push(what);
        }
        if parts.is_empty() {
            continue;
        }
        let (edge, at) = if top { ("top", hi) } else { ("bottom", lo) };
        notes.push(format!(
            "Cut at the {edge} edge ({}) to keep the data readable: {}.",
            short(at),
            parts.join("; ")
        ));
    }
    notes
}

/// Splits a polyline (display space) into the runs that lie inside `lo..=hi`, cutting segments
/// at the edges. Non-finite points break the line.
pub(crate) fn clip_polyline(pts: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            open = false;
            continue;
        }
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let dy = y1 - y0;
        let mut reject = false;
        for (p, q) in [(-dy, y0 - lo), (dy, hi - y0)] {
            if p == 0.0 {
                if q < 0.0 {
                    reject = true;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if reject || t0 > t1 {
            open = false;
            continue;
        }
        let a = (x0 + t0 * (x1 - x0), y0 + t0 * dy);
        let b = (x0 + t1 * (x1 - x0), y0 + t1 * dy);
        if open && t0 == 0.0 {
            if let Some(r) = runs.last_mut() {
                r.push(b);
            }
        } else {
            runs.push(vec![a, b]);
        }
        open = t1 == 1.0;
    }
    if runs.is_empty() {
        // A single point inside the range still deserves to be drawn.
        if let [(x, y)] = pts {
            if x.is_finite() && y.is_finite() && *y >= lo && *y <= hi {
                runs.push(vec![(*x, *y)]);
            }
        }
    }
    runs
}

/// Splits a band (display space) into polygons, each edge clamped to `lo..=hi`.
pub(crate) fn band_polygons(pts: &[(f64, f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut polys = Vec::new();
    let mut run: Vec<(f64, f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64, f64)>, polys: &mut Vec<Vec<(f64, f64)>>| {
        if run.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = run.iter().map(|p| (p.0, p.2)).collect();
            poly.extend(run.iter().rev().map(|p| (p.0, p.1)));
            polys.push(poly);
        }
        run.clear();
    };
    for &(t, a, b) in pts {
        if t.is_finite() && !a.is_nan() && !b.is_nan() {
            run.push((t, a.clamp(lo, hi), b.clamp(lo, hi)));
        } else {
            flush(&mut run, &mut polys);
        }
    }
    flush(&mut run, &mut polys);
    polys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_is_cut_at_the_edges() {
        let runs = clip_polyline(&[(0.0, 0.0), (1.0, 2.0), (2.0, 0.0)], -1.0, 1.0);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], vec![(0.0, 0.0), (0.5, 1.0)]);
        assert_eq!(runs[1], vec![(1.5, 1.0), (2.0, 0.0)]);
        let nan = clip_polyline(
            &[(0.0, 0.0), (1.0, f64::NAN), (2.0, 0.0), (3.0, 0.5)],
            -1.0,
            1.0,
        );
        assert_eq!(nan.len(), 1);
    }

    #[test]
    fn bands_skip_nan() {
        let p = band_polygons(
            &[
                (0.0, 1.0, 2.0),
                (1.0, f64::NAN, 2.0),
                (2.0, 1.0, 3.0),
                (3.0, 1.0, 9.0),
            ],
            0.0,
            5.0,
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].iter().all(|q| q.1 <= 5.0));
    }
}
