//! Axes: a decimal-year axis with ticks on calendar boundaries, and a value axis, linear (with
//! a label multiplier such as "billions") or logarithmic (in log10 display space).

use std::ops::Range;

use chrono::Datelike;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use super::text::short;
use crate::time::{date_of, decimal_year};

/// The time axis of a chart: calendar ticks (years, or months on a short span) on the
/// calendar, round numbers on a numeric axis.
#[derive(Clone, Debug)]
pub(crate) struct YearAxis {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) major: Vec<f64>,
    pub(crate) minor: Vec<f64>,
    pub(crate) monthly: bool,
    /// Ticks are plain numbers (a numeric time axis).
    pub(crate) numeric: bool,
}

fn month_starts(lo: f64, hi: f64, step: i32) -> Vec<f64> {
    let mut out = Vec::new();
    for y in (lo.floor() as i32)..=(hi.floor() as i32 + 1) {
        for m in 1..=12u32 {
            if (y * 12 + m as i32 - 1).rem_euclid(step) != 0 {
                continue;
            }
            if let Some(d) = chrono::NaiveDate::from_ymd_opt(y, m, 1) {
                let t = decimal_year(d);
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    out.push(t);
                }
            }
        }
    }
    out
}

impl YearAxis {
    pub(crate) fn new(lo: f64, hi: f64, max_labels: usize) -> Self {
        let steps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];
        let mut chosen = *steps.last().unwrap_or(&12);
        for s in steps {
            let n = month_starts(lo, hi, s).len();
            if n <= max_labels.max(2) && n >= 2.min(max_labels) {
                chosen = s;
                break;
            }
        }
        let minor_step = match chosen {
            1 => 0,
            2 | 3 | 6 => 1,
            12 => 3,
            24 | 60 => 12,
            _ => 60,
        };
        let major = month_starts(lo, hi, chosen);
        let minor = if minor_step > 0 {
            month_starts(lo, hi, minor_step)
        } else {
            Vec::new()
        };
        Self {
            lo,
            hi,
            major,
            minor,
            monthly: chosen < 12,
            numeric: false,
        }
    }

    /// Ticks at round numbers for a numeric time axis, at most `max_labels` labelled ones.
    pub(crate) fn numeric(lo: f64, hi: f64, max_labels: usize) -> Self {
        let step = nice_step(hi - lo, max_labels.max(2));
        let ticks = |step: f64| -> Vec<f64> {
            let first = (lo / step).ceil() as i64;
            let last = (hi / step).floor() as i64;
            (first..=last).map(|k| k as f64 * step).collect()
        };
        Self {
            lo,
            hi,
            major: ticks(step),
            minor: ticks(step / 2.0),
            monthly: false,
            numeric: true,
        }
    }

    pub(crate) fn label(&self, t: f64) -> String {
        if self.numeric {
            return crate::axis::number(t);
        }
        match date_of(t) {
            Some(d) if !self.monthly || d.month() == 1 => d.year().to_string(),
            Some(d) => d.format("%Y-%m").to_string(),
            None => format!("{t}"),
        }
    }
}

fn map_linear(v: f64, lo: f64, hi: f64, limit: (i32, i32)) -> i32 {
    let f = (v - lo) / (hi - lo);
    let px = f64::from(limit.0) + f * f64::from(limit.1 - limit.0);
    px.round().clamp(-1e6, 1e6) as i32
}

/// Both axes are ranges `lo..hi` with precomputed major and minor ticks and their own labels.
macro_rules! tick_axis {
    ($axis:ty) => {
        impl Ranged for $axis {
            type FormatOption = NoDefaultFormatting;
            type ValueType = f64;
            fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
                map_linear(*v, self.lo, self.hi, limit)
            }
            fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
                if hint.weight().allow_light_points() {
                    self.minor.clone()
                } else {
                    self.major.clone()
                }
            }
            fn range(&self) -> Range<f64> {
                self.lo..self.hi
            }
        }

        impl ValueFormatter<f64> for $axis {
            fn format_ext(&self, v: &f64) -> String {
                self.label(*v)
            }
        }
    };
}

tick_axis!(YearAxis);

/// Value axis in display space (log10 of the value on a log axis).
#[derive(Clone, Debug)]
pub(crate) struct ValueAxis {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) log: bool,
    pub(crate) major: Vec<f64>,
    pub(crate) minor: Vec<f64>,
    /// Divisor of the tick labels on a linear axis (1e9 for "billions").
    pub(crate) scale: f64,
    pub(crate) decimals: usize,
}

fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let raw = span / max_ticks.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let k0 = (lo / step - 1e-9).ceil() as i64;
    let k1 = (hi / step + 1e-9).floor() as i64;
    (k0..=k1).map(|k| k as f64 * step).collect()
}

impl ValueAxis {
    pub(crate) fn linear(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let step = nice_step(hi - lo, max_ticks);
        let major = multiples(lo, hi, step);
        let minor = multiples(
            lo,
            hi,
            step / if (step / 10f64.powf(step.log10().floor()) - 2.5).abs() < 1e-9 {
                5.0
            } else {
                2.0
            },
        );
        let top = lo.abs().max(hi.abs());
        let scale = if top >= 1e4 {
            10f64.powi(3 * (top.log10() / 3.0).floor() as i32)
        } else {
            1.0
        };
        let decimals = (0..6)
            .find(|&d| {
                major.iter().all(|&v| {
                    let x = v / scale;
                    let r = format!("{x:.d$}").parse::<f64>().unwrap_or(f64::NAN);
                    (r - x).abs() <= step / scale * 1e-6
                })
            })
            .unwrap_or(6);
        Self {
            lo,
            hi,
            log: false,
            major,
            minor,
            scale,
            decimals,
        }
    }

    pub(crate) fn logarithmic(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let span = hi - lo;
        let d0 = lo.ceil() as i32;
        let d1 = hi.floor() as i32;
        let decades: Vec<i32> = (d0..=d1).collect();
        let max_ticks = max_ticks.max(2);
        let mut major: Vec<f64>;
        let mut minor: Vec<f64>;
        let sub = |mult: &[f64]| -> Vec<f64> {
            let mut v = Vec::new();
            for d in (lo.floor() as i32)..=(hi.ceil() as i32) {
                for &m in mult {
                    let x = f64::from(d) + m.log10();
                    if x >= lo - 1e-9 && x <= hi + 1e-9 {
                        v.push(x);
                    }
                }
            }
            v
        };
        let all = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        let m125 = sub(&[1.0, 2.0, 5.0]);
        if span > 4.2 || m125.len() > max_ticks {
            let every = decades.len().div_ceil(max_ticks).max(1) as i32;
            major = decades
                .iter()
                .filter(|d| d.rem_euclid(every) == 0)
                .map(|&d| f64::from(d))
                .collect();
            if every == 1 && span <= 8.0 {
                minor = sub(&all[1..]);
            } else {
                minor = decades.iter().map(|&d| f64::from(d)).collect();
            }
        } else {
            // Within four decades, 1-2-5 labels (1e9, 2e9, 5e9) or every digit.
            major = m125;
            minor = sub(&all);
            if major.len() < 3 && minor.len() <= max_ticks {
                major = std::mem::take(&mut minor);
            } else if major.len() > max_ticks {
                major = decades.iter().map(|&d| f64::from(d)).collect();
            }
        }
        Self {
            lo,
            hi,
            log: true,
            major,
            minor,
            scale: 1.0,
            decimals: 0,
        }
    }

    pub(crate) fn to_display(&self, v: f64) -> f64 {
        if self.log {
            if v > 0.0 {
                v.log10()
            } else if v.is_nan() {
                f64::NAN
            } else {
                f64::NEG_INFINITY
            }
        } else {
            v
        }
    }

    pub(crate) fn label(&self, d: f64) -> String {
        if self.log {
            let v = 10f64.powf(d);
            let e = d.round();
            if (d - e).abs() < 1e-9 && !(-2.0..5.0).contains(&e) {
                format!("1e{}", e as i32)
            } else {
                short(v)
            }
        } else {
            format!("{:.*}", self.decimals, d / self.scale)
        }
    }

    /// Words for the label multiplier.
    pub(crate) fn scale_words(&self) -> Option<String> {
        if self.log || self.scale == 1.0 {
            return None;
        }
        let e = self.scale.log10().round() as i32;
        Some(match e {
            3 => "thousands".into(),
            6 => "millions".into(),
            9 => "billions".into(),
            12 => "trillions".into(),
            _ => format!("×1e{e}"),
        })
    }
}

tick_axis!(ValueAxis);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_labels_decades() {
        let a = ValueAxis::logarithmic(11.0, 15.0, 10);
        let labels: Vec<String> = a.major.iter().map(|&d| a.label(d)).collect();
        assert_eq!(labels, ["1e11", "1e12", "1e13", "1e14", "1e15"]);
        let narrow = ValueAxis::logarithmic(8.2, 9.3, 10);
        assert!(narrow.major.len() >= 3, "{:?}", narrow.major);
    }

    #[test]
    fn year_axis_ticks() {
        let a = YearAxis::new(2023.9, 2031.0, 10);
        let labels: Vec<String> = a.major.iter().map(|&t| a.label(t)).collect();
        assert_eq!(labels[0], "2024");
        assert_eq!(labels.last().unwrap(), "2031");
        let short = YearAxis::new(2024.4, 2026.1, 12);
        assert!(short.monthly);
        assert!(short.major.iter().any(|&t| short.label(t) == "2025"));
        assert!(short.major.iter().any(|&t| short.label(t).len() == 7));
    }

    #[test]
    fn numeric_axis_ticks_are_round_numbers() {
        let a = YearAxis::numeric(-0.6, 35.9, 8);
        let labels: Vec<String> = a.major.iter().map(|&t| a.label(t)).collect();
        assert_eq!(labels, ["0", "5", "10", "15", "20", "25", "30", "35"]);
        assert!(a.minor.len() > a.major.len());
        let dose = YearAxis::numeric(-3.2, 1.1, 10);
        let labels: Vec<String> = dose.major.iter().map(|&t| dose.label(t)).collect();
        assert_eq!(labels[0], "-3");
        assert!(labels.contains(&"-0.5".to_string()), "{labels:?}");
    }
}
