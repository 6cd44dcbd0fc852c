//! The charts of one series (the recommendation across the plausible models, the chosen fit,
//! the models compared) and the docs copies.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fit::Fit;
use crate::plot::{plot_comparison, plot_fan, plot_fit, plot_recommendation, ChartSpec, Fan};
use crate::series::Series;

use super::series::{hindcast_note, SeriesWork};
use super::{Context, Particulars};

/// The source documents of a series, named by the particulars (the file names otherwise).
pub(super) fn sources_of(particulars: &Particulars, s: &Series) -> Vec<String> {
    let mut docs: Vec<String> = Vec::new();
    for src in s.sources() {
        let d = particulars.document(&src);
        if !docs.contains(&d) {
            docs.push(d);
        }
    }
    docs
}

fn caption_of(particulars: &Particulars, s: &Series) -> String {
    let docs = sources_of(particulars, s);
    if docs.is_empty() {
        String::new()
    } else {
        format!("Source: {}.", docs.join("; "))
    }
}

/// Charts that also go, larger, into the docs folder.
#[derive(Default)]
pub(super) struct Headlines {
    fits: Vec<(PathBuf, Series, Fit, ChartSpec)>,
    fans: Vec<(PathBuf, Fan, ChartSpec)>,
}

impl Headlines {
    /// Adds a fan chart, written as `<stem>_fan.png`.
    pub(super) fn add_fan(&mut self, stem: &str, fan: Fan, spec: ChartSpec) {
        self.fans
            .push((PathBuf::from(format!("{stem}_fan.png")), fan, spec));
    }

    /// Draws every headline chart into `docs`, noting each file in `written`.
    pub(super) fn write(&self, docs: &Path, written: &mut Vec<(PathBuf, String)>) -> Result<()> {
        std::fs::create_dir_all(docs).map_err(|e| Error::io(docs, e))?;
        for (name, s, f, spec) in &self.fits {
            let file = docs.join(name);
            plot_fit(s, f, &spec.clone().size(960, 576), &file)?;
            written.push((file, "README chart".into()));
        }
        for (name, fan, spec) in &self.fans {
            let file = docs.join(name);
            plot_fan(fan, &spec.clone().size(960, 576), &file)?;
            written.push((file, "README chart".into()));
        }
        Ok(())
    }
}

/// The known ceiling as a reference line, and the headroom to show it, on a series' chart.
fn with_ceiling(w: &SeriesWork, mut spec: ChartSpec) -> ChartSpec {
    let Some((k, why)) = &w.ceiling else {
        return spec;
    };
    let max_obs = w.series.values().into_iter().fold(f64::MIN, f64::max);
    spec.headroom = (max_obs > 0.0 && *k <= 3.0 * max_obs).then(|| (1.25 * k / max_obs).max(1.0));
    spec.reference(
        *k,
        format!("known ceiling: {}", why.split(" (").next().unwrap_or(why)),
    )
}

/// The fit chart of the chosen model `f`: title, sources and hindcast, the known ceiling.
fn fit_spec(cx: &Context, w: &SeriesWork, f: &Fit, identified: bool) -> ChartSpec {
    let s = &w.series;
    let verdict = if identified {
        "best-supported model"
    } else {
        "no model identified"
    };
    let mut caption = caption_of(cx.particulars, s);
    if let Some(h) = w
        .choice
        .and_then(|(i, _)| hindcast_note(w, crate::compare::CandidateId(i)))
    {
        caption = format!("{caption} {h}").trim().to_string();
    }
    let title = cx.particulars.title(s.name());
    with_ceiling(
        w,
        ChartSpec::new()
            .title(format!("{title}: {} ({verdict})", f.label()))
            .caption(caption)
            .horizon(w.horizon),
    )
}

/// The chart of every fitted model: title, sources and the ceiling profile, the known ceiling.
fn models_spec(cx: &Context, w: &SeriesWork) -> ChartSpec {
    let s = &w.series;
    let mut caption = caption_of(cx.particulars, s);
    if let Some(p) = &w.profile {
        caption = format!(
            "{caption} Logistic ceiling, profile likelihood: {}.",
            p.statement
        )
        .trim()
        .to_string();
    }
    let title = cx.particulars.title(s.name());
    with_ceiling(
        w,
        ChartSpec::new()
            .title(format!("{title}: models compared"))
            .caption(caption)
            .horizon(w.horizon)
            .bands(false),
    )
}

/// The recommended chart: title, sources, the known ceiling.
fn recommended_spec(cx: &Context, w: &SeriesWork) -> ChartSpec {
    let title = cx.particulars.title(w.series.name());
    with_ceiling(
        w,
        ChartSpec::new()
            .title(format!("{title}: recommended projection"))
            .caption(caption_of(cx.particulars, &w.series))
            .horizon(w.horizon),
    )
}

/// Draws the recommended chart (from the series' recommendation, when there is one) of one
/// series.
fn recommended_chart(
    cx: &Context,
    w: &SeriesWork,
    safe: &str,
    written: &mut Vec<(PathBuf, String)>,
) -> Result<()> {
    let Some(rec) = &w.recommended else {
        return Ok(());
    };
    let file = cx.charts.join(format!("{safe}_recommended.png"));
    plot_recommendation(&w.series, rec, &recommended_spec(cx, w), &file)?;
    written.push((
        file,
        format!(
            "{}: recommended projection across {}, band the hull of their 95% bands",
            w.series.name(),
            rec.member_labels().join(", ")
        ),
    ));
    Ok(())
}

/// Draws the recommended chart, the fit chart (the chosen model) and the models chart of one
/// series.
pub(super) fn series_charts(
    cx: &Context,
    w: &SeriesWork,
    written: &mut Vec<(PathBuf, String)>,
    headlines: &mut Headlines,
) -> Result<()> {
    let s = &w.series;
    let safe = s.name().replace(['/', '\\'], "_");
    recommended_chart(cx, w, &safe, written)?;
    if let Some((f, identified)) = w.chosen() {
        let spec = fit_spec(cx, w, f, identified);
        let file = cx.charts.join(format!("{safe}_fit.png"));
        plot_fit(s, f, &spec, &file)?;
        let bands = if f.dof() > 0 {
            " with 95% bands"
        } else {
            ", no bands (no degrees of freedom)"
        };
        written.push((file, format!("{}: {}{bands}", s.name(), f.label())));
        if cx.particulars.is_headline(s.name()) {
            headlines.fits.push((
                PathBuf::from(format!("{safe}.png")),
                s.clone(),
                f.clone(),
                spec,
            ));
        }
    }
    let fitted: Vec<(&str, &Fit)> = w
        .comparison
        .candidates
        .iter()
        .filter_map(|c| c.fit.as_ref().ok().map(|f| (c.label.as_str(), f)))
        .collect();
    if !fitted.is_empty() {
        let spec = models_spec(cx, w);
        let file = cx.charts.join(format!("{safe}_models.png"));
        plot_comparison(s, &fitted, &spec, &file)?;
        written.push((
            file,
            format!("{}: {} models compared", s.name(), fitted.len()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::series::analyse;
    use crate::report::ReportOptions;

    fn specs(particulars: &Particulars) -> [ChartSpec; 3] {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let s = crate::io::read_series(data.join("genai_users.csv")).unwrap();
        let opts = ReportOptions::new(&data, "unused");
        let cx = Context {
            particulars,
            charts: PathBuf::from("unused"),
        };
        let w = analyse(particulars, &s, opts.horizon, false);
        let (f, identified) = w.chosen().unwrap();
        [
            fit_spec(&cx, &w, f, identified),
            models_spec(&cx, &w),
            recommended_spec(&cx, &w),
        ]
    }

    #[test]
    fn charts_carry_the_particulars_only_where_given() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for spec in &specs(&Particulars::load(&data).unwrap()) {
            let title = spec.title.as_deref().unwrap();
            assert!(
                title.starts_with("Generative-AI users in China: "),
                "{title}"
            );
            assert!(spec.caption.as_deref().unwrap().contains("People's Daily"));
            assert_eq!(spec.references[0].1, "known ceiling: population 1.41e9");
        }
        for spec in &specs(&Particulars::default()) {
            let title = spec.title.as_deref().unwrap();
            assert!(title.starts_with("genai_users: "), "{title}");
            let caption = spec.caption.as_deref().unwrap();
            assert!(
                caption.starts_with("Source: 002_0fc78b06f33ae70d.txt."),
                "{caption}"
            );
            assert!(spec.references.is_empty());
            assert!(spec.headroom.is_none());
        }
    }
}
