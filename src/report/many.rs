//! Files of many series: their series analysed in parallel, and one summary per file (the
//! models chosen, the distribution of their rates) instead of a chart and a text per series.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::path::PathBuf;

use crate::error::Result;
use crate::model::Role;
use crate::plot::{plot_distribution, ChartSpec, Distribution, DistributionGroup};
use crate::series::Series;

use super::series::{analyse, SeriesWork};
use super::{Context, Particulars, State};

/// Analyses `chunk` (in parallel with the `parallel` feature), in order.
pub(super) fn analyse_all(
    particulars: &Particulars,
    chunk: &[&Series],
    horizon: f64,
    lean: bool,
) -> Vec<SeriesWork> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        chunk
            .par_iter()
            .map(|s| analyse(particulars, s, horizon, lean))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        chunk
            .iter()
            .map(|s| analyse(particulars, s, horizon, lean))
            .collect()
    }
}

/// One parameter of a chosen model across the series: its name, unit and values (as fitted,
/// non-finite ones included).
#[derive(Default)]
struct Values {
    name: String,
    unit: String,
    values: Vec<f64>,
}

/// What a chosen model gives across the series it is chosen for.
#[derive(Default)]
struct Chosen {
    /// The series it is chosen for.
    series: usize,
    /// Its rate (or slope), when it has one.
    rate: Option<Values>,
    /// Its ceiling, when it has one.
    ceiling: Option<Values>,
}

/// The summary of a file of many series.
pub(super) struct FileSummary {
    stem: String,
    series: usize,
    /// Per chosen model, its rates and ceilings.
    chosen: BTreeMap<String, Chosen>,
    /// Series with no model to present.
    unfitted: usize,
}

/// Adds the estimate of `fit`'s first parameter with one of `roles` to `slot`.
fn collect(slot: &mut Option<Values>, fit: &crate::fit::Fit, roles: &[Role]) {
    let Some(p) = roles
        .iter()
        .find_map(|role| fit.params().iter().find(|p| p.role == *role))
    else {
        return;
    };
    slot.get_or_insert_with(|| Values {
        name: p.name.clone(),
        unit: p.unit.clone(),
        values: Vec::new(),
    })
    .values
    .push(p.estimate);
}

impl FileSummary {
    /// An empty summary of the file `stem` of `series` series.
    pub(super) fn new(stem: &str, series: usize) -> Self {
        Self {
            stem: stem.to_string(),
            series,
            chosen: BTreeMap::new(),
            unfitted: 0,
        }
    }

    /// Adds a series: its chosen model, that model's rate (or slope) and its ceiling, as fitted.
    pub(super) fn add(&mut self, w: &SeriesWork) {
        let Some((fit, _)) = w.chosen() else {
            self.unfitted += 1;
            return;
        };
        let entry = self.chosen.entry(fit.label().to_string()).or_default();
        entry.series += 1;
        collect(&mut entry.rate, fit, &[Role::Rate, Role::Slope]);
        collect(&mut entry.ceiling, fit, &[Role::Ceiling]);
    }

    /// The distribution of the rates (`ceilings` false) or ceilings across the series, one
    /// group per chosen model (most chosen first), and the series left out; `None` when no
    /// chosen model has such a parameter.
    fn distribution(&self, ceilings: bool) -> Option<Distribution> {
        let quantity = if ceilings { "ceilings" } else { "growth rates" };
        let mut d = Distribution::new(quantity, &self.stem, self.series)
            .left_out(self.unfitted, "no model fitted");
        let mut without = Vec::new();
        for (model, c) in self.by_count() {
            let values = if ceilings { &c.ceiling } else { &c.rate };
            match values {
                Some(v) => {
                    d = d.group(DistributionGroup::new(
                        model,
                        &v.name,
                        &v.unit,
                        v.values.clone(),
                    ));
                }
                None => without.push((model, c.series)),
            }
        }
        let finite = |g: &DistributionGroup| g.values.iter().any(|v| v.is_finite());
        if !d.groups.iter().any(finite) {
            return None;
        }
        let what = if ceilings { "ceiling" } else { "rate" };
        for (model, n) in without {
            d = d.left_out(n, format!("chosen model {model}, which has no {what}"));
        }
        Some(d)
    }

    /// The chosen models, most chosen first (then by name).
    fn by_count(&self) -> Vec<(&str, &Chosen)> {
        let mut v: Vec<(&str, &Chosen)> =
            self.chosen.iter().map(|(m, c)| (m.as_str(), c)).collect();
        v.sort_by(|a, b| b.1.series.cmp(&a.1.series).then(a.0.cmp(b.0)));
        v
    }

    /// Draws the histograms of the rates and of the ceilings (PNG and SVG) into the charts
    /// folder; returns the PNG files' names, relative to the output folder, with what they show.
    fn charts(
        &self,
        cx: &Context,
        written: &mut Vec<(PathBuf, String)>,
    ) -> Result<Vec<(String, String)>> {
        let safe = self.stem.replace(['/', '\\'], "_");
        let mut drawn = Vec::new();
        for (ceilings, kind) in [(false, "rates"), (true, "ceilings")] {
            let Some(d) = self.distribution(ceilings) else {
                continue;
            };
            let panels = d.groups.len() as u32;
            let spec = ChartSpec::new()
                .size(1200, (230 + 200 * panels).clamp(540, 2200))
                .caption("Each series' value as fitted; all are in parameters.csv.");
            let models: Vec<&str> = d.groups.iter().map(|g| g.label.as_str()).collect();
            let what = format!(
                "{}: histogram of the {} of the chosen models ({})",
                self.stem,
                d.quantity,
                models.join(", ")
            );
            for ext in ["png", "svg"] {
                let file = cx.charts.join(format!("{safe}_{kind}.{ext}"));
                plot_distribution(&d, &spec, &file)?;
                written.push((file, what.clone()));
            }
            drawn.push((format!("charts/{safe}_{kind}.png"), d.quantity.clone()));
        }
        Ok(drawn)
    }

    /// The file's histograms, lead line and text section.
    pub(super) fn finish(mut self, cx: &Context, st: &mut State) -> Result<()> {
        let drawn = self.charts(cx, &mut st.report.written)?;
        let charts_said: Vec<String> = drawn
            .iter()
            .map(|(file, what)| format!("{what} ({file})"))
            .collect();
        let models: Vec<String> = self
            .by_count()
            .iter()
            .map(|(m, c)| format!("{m} {}", c.series))
            .collect();
        st.lead.push(format!(
            "{}: {} series, a file of many series (no chart nor text per series; every series \
             is in the CSV tables, its projections at the printed times): the model presented \
             is {}{}{}",
            self.stem,
            self.series,
            models.join(", "),
            if self.unfitted > 0 {
                format!("; no model for {}", self.unfitted)
            } else {
                String::new()
            },
            if charts_said.is_empty() {
                String::new()
            } else {
                format!("; histograms of their {}", charts_said.join(" and "))
            }
        ));
        let text = &mut st.report.text;
        let _ = writeln!(
            text,
            "==== {} ({} series) ====\nA file of many series: the models presented, and the \
             distribution of their rates across the series (quantiles 10%, 25%, 50%, 75%, 90%):",
            self.stem, self.series
        );
        for (model, c) in &mut self.chosen {
            let Some(Values { name, unit, values }) = &mut c.rate else {
                let _ = writeln!(text, "  {model} ({} series): no rate", c.series);
                continue;
            };
            let mut rates: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
            let odd = values.len() - rates.len();
            let odd = if odd > 0 {
                format!(" ({odd} not finite, left out)")
            } else {
                String::new()
            };
            if rates.is_empty() {
                let _ = writeln!(text, "  {model} ({} series): no finite rate{odd}", c.series);
                continue;
            }
            rates.sort_by(f64::total_cmp);
            let q: Vec<String> = [0.1, 0.25, 0.5, 0.75, 0.9]
                .iter()
                .map(|&p| format!("{:.4}", quantile(&rates, p)))
                .collect();
            let _ = writeln!(
                text,
                "  {model} ({} series): {name} ({unit}) {}{odd}",
                c.series,
                q.join(", ")
            );
        }
        if self.unfitted > 0 {
            let _ = writeln!(text, "  no model fitted: {} series", self.unfitted);
        }
        for (file, what) in &drawn {
            let _ = writeln!(
                text,
                "  Chart: {file} (and .svg), the histogram of the {what}, a panel per model."
            );
        }
        text.push('\n');
        Ok(())
    }
}

/// The `p` quantile of sorted values (R's type 7).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
