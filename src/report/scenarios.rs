//! Single-point files: scenario targets, their paths from an assumed base, and the fan chart.

use std::fmt::Write as _;

use crate::error::Result;
use crate::plot::{plot_fan, ChartSpec, Fan};
use crate::scenario::{Base, ScenarioSet};
use crate::series::{Kind, Series};
use crate::time::format_date;

use super::charts::{sources_of, Headlines};
use super::tables::{ScenarioRow, SensitivityRow, Tables};
use super::{Context, Particulars, Report};

/// The single-point series of the file `stem`: with an assumed base from the particulars, the
/// paths to each target (text, `scenarios.csv`, `scenario_sensitivity.csv`, a fan chart);
/// without one, a line saying how to give one.
pub(super) fn scenario_file(
    cx: &Context,
    stem: &str,
    targets: &[Series],
    report: &mut Report,
    tables: &mut Tables,
    headlines: &mut Headlines,
) -> Result<()> {
    let Some(base) = cx.particulars.base(stem) else {
        for s in targets {
            let _ = writeln!(
                report.text,
                "==== {}: one point; give an assumed base (the `assumed_base` columns of the data folder's report.csv, or Particulars::with_base) to see the rate it implies ====\n",
                s.name()
            );
        }
        return Ok(());
    };
    let set = ScenarioSet::new(base.clone()).targets_from(targets);
    let _ = writeln!(
        report.text,
        "==== {stem}: {} scenario target(s) ====\n{set}",
        targets.len()
    );
    // Implied rates for assumed bases from 5/7 to 10/7 of the chosen one (100 to 200 TWh
    // around 140 TWh).
    let bases: Vec<f64> = (5..=10).map(|k| base.value * k as f64 / 7.0).collect();
    if let Ok(sens) = set.sensitivity(&bases) {
        let _ = writeln!(report.text, "{sens}");
        for (b, rates) in &sens.rows {
            for (name, rate) in sens.names.iter().zip(rates) {
                tables.sensitivities.push(SensitivityRow {
                    set: stem.to_string(),
                    scenario: name.clone(),
                    assumed_base: *b,
                    base_year: sens.base_year,
                    rate: *rate,
                });
            }
        }
    }
    let until = targets
        .iter()
        .map(|s| s.span().1)
        .fold(base.year + 1.0, f64::max);
    for p in set.paths(until, 1.0)? {
        let implied = set
            .implied_rates()?
            .iter()
            .any(|r| r.name == p.name && r.implied);
        for &(t, value) in &p.points {
            tables.scenarios.push(ScenarioRow {
                set: stem.to_string(),
                scenario: p.name.clone(),
                t,
                ds: format_date(t),
                value,
                rate: p.rate,
                implied,
                base: base.label.clone(),
            });
        }
    }
    let (fan, spec) = fan_chart(cx.particulars, stem, &set, targets, base)?;
    let file = cx.charts.join(format!("{stem}_fan.png"));
    plot_fan(&fan, &spec, &file)?;
    report
        .written
        .push((file, format!("{stem}: scenario paths from an ASSUMED base")));
    if cx.particulars.is_headline(stem) {
        headlines.add_fan(stem, fan, spec);
    }
    Ok(())
}

/// The fan chart of a scenario set, with the texts that say what is assumed.
fn fan_chart(
    particulars: &Particulars,
    stem: &str,
    set: &ScenarioSet,
    targets: &[Series],
    base: &Base,
) -> Result<(Fan, ChartSpec)> {
    let until = targets
        .iter()
        .map(|s| s.span().1)
        .fold(base.year + 1.0, f64::max);
    let mut fan = Fan::from_scenarios(set, until)?.with_target_kind(Kind::AtLeast);
    let tera = set.unit == "kWh";
    let show = |v: f64| {
        if tera {
            format!("{:.0} TWh", v / 1e9)
        } else {
            format!("{v:.3e} {}", set.unit)
        }
    };
    for (path, s) in fan.paths.iter_mut().zip(targets) {
        if let Some(o) = s.observations().last() {
            let rate = crate::growth::implied_rate(base.value, base.year, o.value, o.t)?;
            let name = s.name().rsplit('/').next().unwrap_or(s.name());
            let (more, ge) = if o.kind.is_one_sided() {
                ("more than ", "≥")
            } else {
                ("", "")
            };
            path.name = format!(
                "{name}: {more}{} in {}, {ge}{:.1}%/yr",
                show(o.value),
                o.date,
                100.0 * rate
            );
            path.target = Some((o.t, o.value, o.kind));
        }
    }
    for s in targets {
        for d in sources_of(particulars, s) {
            if !fan.sources.contains(&d) {
                fan.sources.push(d);
            }
        }
    }
    let sens = set.sensitivity(&[0.5 * base.value.round(), 1.5 * base.value])?;
    let first = sens.names.first().cloned().unwrap_or_default();
    let rates: Vec<String> = sens
        .rows
        .iter()
        .filter_map(|(b, r)| {
            r.first()
                .map(|r| format!("{:.1}%/yr from {}", 100.0 * r, show(*b)))
        })
        .collect();
    let spec = ChartSpec::new()
        .title(particulars.title(stem))
        .subtitle(format!(
            "Constant growth from an ASSUMED {} base of {} (the documents give no base) to each stated target",
            base.year,
            show(base.value)
        ))
        .caption(format!(
            "Targets: {}. The rates depend on the assumed base: the {first} target needs {}.",
            if fan.sources.is_empty() { "as given".to_string() } else { fan.sources.join("; ") },
            rates.join(", ")
        ))
        .y_label(if tera { "electricity per year, billion kWh (TWh)".to_string() } else { set.unit.clone() });
    Ok((fan, spec))
}
