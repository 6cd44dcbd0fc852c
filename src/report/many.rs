//! Files of many series: their series analysed in parallel, and one summary per file (the
//! models chosen, the distribution of their rates) instead of a chart and a text per series.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::Result;
use crate::model::Role;
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

/// The summary of a file of many series.
pub(super) struct FileSummary {
    stem: String,
    series: usize,
    /// Per chosen model: the rate parameter's name and unit, and the rates.
    chosen: BTreeMap<String, (String, String, Vec<f64>)>,
    /// Series with no model to present.
    unfitted: usize,
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

    /// Adds a series: its chosen model, and that model's rate (or slope).
    pub(super) fn add(&mut self, w: &SeriesWork) {
        let Some((fit, _)) = w.chosen() else {
            self.unfitted += 1;
            return;
        };
        let rate = [Role::Rate, Role::Slope]
            .iter()
            .find_map(|role| fit.params().iter().find(|p| p.role == *role));
        let entry = self
            .chosen
            .entry(fit.label().to_string())
            .or_insert_with(|| {
                let (name, unit) = rate.map_or((String::new(), String::new()), |p| {
                    (p.name.clone(), p.unit.clone())
                });
                (name, unit, Vec::new())
            });
        if let Some(p) = rate {
            if p.estimate.is_finite() {
                entry.2.push(p.estimate);
            }
        }
    }

    /// The file's lead line and text section.
    pub(super) fn finish(mut self, _cx: &Context, st: &mut State) -> Result<()> {
        let mut counts: Vec<(usize, &str)> = self
            .chosen
            .iter()
            .map(|(m, (_, _, r))| (r.len(), m.as_str()))
            .collect();
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let models: Vec<String> = counts.iter().map(|(n, m)| format!("{m} {n}")).collect();
        st.lead.push(format!(
            "{}: {} series, a file of many series (no chart nor text per series; every series \
             is in the CSV tables, its projections at the printed times): the model presented \
             is {}{}",
            self.stem,
            self.series,
            models.join(", "),
            if self.unfitted > 0 {
                format!("; no model for {}", self.unfitted)
            } else {
                String::new()
            }
        ));
        let text = &mut st.report.text;
        let _ = writeln!(
            text,
            "==== {} ({} series) ====\nA file of many series: the models presented, and the \
             distribution of their rates across the series (quantiles 10%, 25%, 50%, 75%, 90%):",
            self.stem, self.series
        );
        for (model, (name, unit, rates)) in &mut self.chosen {
            if rates.is_empty() {
                let _ = writeln!(text, "  {model}: no rate");
                continue;
            }
            rates.sort_by(f64::total_cmp);
            let q: Vec<String> = [0.1, 0.25, 0.5, 0.75, 0.9]
                .iter()
                .map(|&p| format!("{:.4}", quantile(rates, p)))
                .collect();
            let _ = writeln!(
                text,
                "  {model} ({} series): {name} ({unit}) {}",
                rates.len(),
                q.join(", ")
            );
        }
        if self.unfitted > 0 {
            let _ = writeln!(text, "  no model fitted: {} series", self.unfitted);
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
