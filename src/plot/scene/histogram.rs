//! The scene of a distribution across series: one histogram panel per group (a model's
//! parameter), with bins chosen by the Freedman–Diaconis rule and shared by the panels of one
//! unit, on a log scale when the values span more than two decades.

use plotters::style::RGBColor;

use super::PALETTE;
use crate::plot::text::short;
use crate::plot::ChartSpec;

/// The values of one quantity across the series of a file, one group per model, for
/// [`plot_distribution`](crate::plot::plot_distribution): e.g. the growth rate of each series'
/// chosen model.
///
/// ```
/// use growthcast::plot::{Distribution, DistributionGroup};
/// let d = Distribution::new("growth rates", "cultures", 3)
///     .group(DistributionGroup::new("logistic", "r", "1/day", vec![0.61, 0.72]))
///     .left_out(1, "no model fitted");
/// assert_eq!(d.groups[0].values.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Distribution {
    /// What the values are, plural, for the title: `"growth rates"`, `"ceilings"`.
    pub quantity: String,
    /// Where the series come from (a file's name), for the title.
    pub source: String,
    /// How many series there are in all, for the title.
    pub series: usize,
    /// One group per model, drawn as one panel each, in this order.
    pub groups: Vec<DistributionGroup>,
    /// Series with no value in any group, and why, as `(count, reason)`: e.g.
    /// `(2, "no model fitted")`. The caption lists them.
    pub left_out: Vec<(usize, String)>,
}

impl Distribution {
    /// A distribution of `quantity` (plural words) across the `series` series of `source`, with
    /// no groups yet.
    pub fn new(quantity: impl Into<String>, source: impl Into<String>, series: usize) -> Self {
        Self {
            quantity: quantity.into(),
            source: source.into(),
            series,
            ..Self::default()
        }
    }

    /// Adds a group (a panel).
    #[must_use]
    pub fn group(mut self, group: DistributionGroup) -> Self {
        self.groups.push(group);
        self
    }

    /// Adds `count` series left out for `reason` (the caption says so); a zero count is not
    /// noted.
    #[must_use]
    pub fn left_out(mut self, count: usize, reason: impl Into<String>) -> Self {
        if count > 0 {
            self.left_out.push((count, reason.into()));
        }
        self
    }
}

/// The values of one model's parameter across the series whose chosen model it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistributionGroup {
    /// The model's label.
    pub label: String,
    /// The parameter's name (`r`, `K`).
    pub parameter: String,
    /// The parameter's unit (`1/day`, `g`): groups of one unit share their bins and x range.
    pub unit: String,
    /// One value per series. Non-finite ones are not drawn; the caption counts them.
    pub values: Vec<f64>,
}

impl DistributionGroup {
    /// The values of `parameter` (in `unit`) of the model `label`, one per series.
    pub fn new(
        label: impl Into<String>,
        parameter: impl Into<String>,
        unit: impl Into<String>,
        values: Vec<f64>,
    ) -> Self {
        Self {
            label: label.into(),
            parameter: parameter.into(),
            unit: unit.into(),
            values,
        }
    }
}

/// At most this many bins in a panel: wider bins (the next round width) past it.
pub(crate) const MAX_BINS: usize = 40;

/// Values beyond this many interquartile ranges from the quartiles (Tukey's far-out fences)
/// may fall outside the plotted range.
const FENCE: f64 = 3.0;

/// Bins in display space (the log10 of the values on a log scale).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bins {
    /// Increasing edges, one more than the bins: bin `i` is `[edges[i], edges[i + 1])`, the last
    /// one closed.
    pub(crate) edges: Vec<f64>,
    /// Display space is log10.
    pub(crate) log: bool,
    /// How the width was chosen, for the subtitle.
    pub(crate) rule: &'static str,
}

impl Bins {
    /// The width of a bin in display space.
    pub(crate) fn width(&self) -> f64 {
        self.edges[1] - self.edges[0]
    }

    /// The bin of `d` (display space): `Ok(i)`, or `Err(false)` below the first edge and
    /// `Err(true)` above the last.
    pub(crate) fn index(&self, d: f64) -> Result<usize, bool> {
        let n = self.edges.len() - 1;
        match self.edges.partition_point(|&e| e <= d) {
            0 => Err(false),
            i if i <= n => Ok(i - 1),
            _ if d == self.edges[n] => Ok(n - 1),
            _ => Err(true),
        }
    }
}

/// One panel: a group's counts in its unit's bins.
#[derive(Clone, Debug)]
pub(crate) struct Panel {
    /// The model, its number of series and its median.
    pub(crate) title: String,
    /// The x axis: the parameter and its unit.
    pub(crate) x_desc: String,
    pub(crate) color: RGBColor,
    pub(crate) bins: Bins,
    pub(crate) counts: Vec<usize>,
    /// The median of the finite values, in display space.
    pub(crate) median: Option<f64>,
    /// Finite values not drawn: below the first edge, above the last.
    pub(crate) below: usize,
    pub(crate) above: usize,
}

/// What a distribution chart draws.
#[derive(Clone, Debug, Default)]
pub(crate) struct HistScene {
    pub(crate) title: String,
    pub(crate) subtitle: Vec<String>,
    pub(crate) caption: Vec<String>,
    pub(crate) panels: Vec<Panel>,
}

/// The `p` quantile of sorted values (R's type 7).
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `x` (> 0).
fn round_up(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&w| w >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The one of 1, 2, 2.5 and 5 times a power of ten nearest `x` (> 0) by ratio.
fn round_near(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .min_by(|a, b| (a / x).ln().abs().total_cmp(&(b / x).ln().abs()))
        .unwrap_or(p)
}

/// Bins for sorted finite values in display space (at least one): the Freedman–Diaconis width
/// `2·IQR·n^(-1/3)` over the values within the far-out fences (Sturges' `range/(⌈log2 n⌉+1)`
/// when the interquartile range is 0), rounded to the nearest 1, 2, 2.5 or 5 × 10^k, edges on its
/// multiples, at most [`MAX_BINS`] bins; one bin centred on the value when all are equal.
pub(crate) fn bins_of(sorted: &[f64], log: bool) -> Bins {
    let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    let (flo, fhi) = if iqr > 0.0 {
        (
            quantile(sorted, 0.25) - FENCE * iqr,
            quantile(sorted, 0.75) + FENCE * iqr,
        )
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    };
    let kept: Vec<f64> = sorted
        .iter()
        .copied()
        .filter(|v| (flo..=fhi).contains(v))
        .collect();
    let (lo, hi) = (kept[0], kept[kept.len() - 1]);
    if hi == lo {
        let w = if lo == 0.0 {
            1.0
        } else {
            round_up(lo.abs() * 0.1)
        };
        return Bins {
            edges: vec![lo - w / 2.0, lo + w / 2.0],
            log,
            rule: "all values equal: one bin",
        };
    }
    let n = kept.len() as f64;
    let (raw, rule) = if iqr > 0.0 {
        (
            2.0 * iqr * n.powf(-1.0 / 3.0),
            "Freedman–Diaconis bins (2·IQR·n^-1/3, rounded to 1, 2, 2.5 or 5 × 10^k)",
        )
    } else {
        (
            (hi - lo) / (n.log2().ceil() + 1.0),
            "Sturges bins (range/(⌈log2 n⌉+1), rounded to 1, 2, 2.5 or 5 × 10^k)",
        )
    };
    let mut w = round_near(raw);
    let count = |w: f64| {
        let start = (lo / w + 1e-9).floor() * w;
        (start, ((hi - start) / w + 1e-9).floor() as usize + 1)
    };
    while count(w).1 > MAX_BINS {
        w = round_up(w * 1.5);
    }
    let (start, k) = count(w);
    Bins {
        edges: (0..=k).map(|i| start + i as f64 * w).collect(),
        log,
        rule,
    }
}

/// The scene of `d`: per unit, bins from the finite values of all its groups (log10 when they
/// are all positive and span more than two decades); per group, a panel of counts, in its own
/// colour; the caption counts what is not drawn.
pub(crate) fn histogram_scene(d: &Distribution, spec: &ChartSpec) -> HistScene {
    let mut units: Vec<(&str, Option<Bins>)> = Vec::new();
    for g in &d.groups {
        if units.iter().any(|(u, _)| *u == g.unit) {
            continue;
        }
        let mut pooled: Vec<f64> = d
            .groups
            .iter()
            .filter(|h| h.unit == g.unit)
            .flat_map(|h| h.values.iter().copied())
            .filter(|v| v.is_finite())
            .collect();
        pooled.sort_by(f64::total_cmp);
        let log = pooled.first().is_some_and(|&a| a > 0.0)
            && pooled
                .last()
                .zip(pooled.first())
                .is_some_and(|(b, a)| b / a > 100.0);
        if log {
            pooled.iter_mut().for_each(|v| *v = v.log10());
        }
        let bins = (!pooled.is_empty()).then(|| bins_of(&pooled, log));
        units.push((&g.unit, bins));
    }
    let mut panels = Vec::new();
    let mut notes: Vec<String> = d
        .left_out
        .iter()
        .map(|(n, why)| format!("{n} series: {why}"))
        .collect();
    for (i, g) in d.groups.iter().enumerate() {
        let bins = units
            .iter()
            .find(|(u, _)| *u == g.unit)
            .and_then(|u| u.1.clone());
        let non_finite = g.values.iter().filter(|v| !v.is_finite()).count();
        if non_finite > 0 {
            notes.push(format!(
                "{non_finite} series of {}: {} not finite",
                g.label, g.parameter
            ));
        }
        let Some(bins) = bins else { continue };
        let p = panel(g, bins, PALETTE[i % PALETTE.len()]);
        if p.below + p.above > 0 {
            notes.push(format!(
                "{} series of {} outside the plotted range ({} below {}, {} above {}; the range \
                 holds the values within {FENCE} interquartile ranges of the quartiles)",
                p.below + p.above,
                g.label,
                p.below,
                short(shown(&p.bins, p.bins.edges[0])),
                p.above,
                short(shown(&p.bins, p.bins.edges[p.bins.edges.len() - 1])),
            ));
        }
        if p.counts.iter().any(|&c| c > 0) {
            panels.push(p);
        }
    }
    let mut caption = Vec::new();
    if !notes.is_empty() {
        caption.push(format!("Not drawn: {}.", notes.join("; ")));
    }
    caption.extend(spec.caption.clone());
    let title = spec.title.clone().unwrap_or_else(|| {
        format!(
            "{}: {} of the chosen models across {} series",
            d.source, d.quantity, d.series
        )
    });
    let subtitle = spec.subtitle.clone().map_or_else(
        || {
            let bins: Vec<Bins> = units.iter().filter_map(|u| u.1.clone()).collect();
            subtitle_of(&bins, panels.len())
        },
        |s| vec![s],
    );
    HistScene {
        title,
        subtitle,
        caption,
        panels,
    }
}

/// A display-space value as a value.
fn shown(bins: &Bins, d: f64) -> f64 {
    if bins.log {
        10f64.powf(d)
    } else {
        d
    }
}

/// The panel of one group in its unit's bins.
fn panel(g: &DistributionGroup, bins: Bins, color: RGBColor) -> Panel {
    let mut finite: Vec<f64> = g.values.iter().copied().filter(|v| v.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    let mut counts = vec![0; bins.edges.len() - 1];
    let (mut below, mut above) = (0, 0);
    for &v in &finite {
        let d = if bins.log { v.log10() } else { v };
        match bins.index(d) {
            Ok(i) => counts[i] += 1,
            Err(false) => below += 1,
            Err(true) => above += 1,
        }
    }
    let median = (!finite.is_empty()).then(|| quantile(&finite, 0.5));
    let unit = if g.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", g.unit)
    };
    let width = if bins.log {
        format!("{} decade", short(bins.width()))
    } else {
        format!("{}{unit}", short(bins.width()))
    };
    let mut title = format!("{}: {} series", g.label, finite.len());
    if let Some(m) = median {
        title += &format!(", median {}{unit} (dashed)", short(m));
    }
    title += &format!(" · bins {width} wide");
    let scale = if bins.log { ", log scale" } else { "" };
    let x_desc = if g.unit.is_empty() {
        format!("{}{scale}", g.parameter)
    } else {
        format!("{} ({}){scale}", g.parameter, g.unit)
    };
    Panel {
        title,
        x_desc,
        color,
        median: median.map(|m| if bins.log { m.log10() } else { m }),
        bins,
        counts,
        below,
        above,
    }
}

/// What the bars are and how the bins were chosen.
fn subtitle_of(bins: &[Bins], panels: usize) -> Vec<String> {
    let mut rules: Vec<&str> = bins.iter().map(|b| b.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut line = format!(
        "Each bar counts the series whose chosen model's value falls in it · {}",
        rules.join("; ")
    );
    if bins.iter().any(|b| b.log) {
        line += " · log scale where the values span more than two decades";
    }
    if panels > 1 {
        line += if bins.len() == 1 {
            " · the panels share their bins and x axis"
        } else {
            " · panels in one unit share their bins and x axis"
        };
    }
    vec![line]
}

#[cfg(test)]
#[path = "histogram_tests.rs"]
mod tests;
