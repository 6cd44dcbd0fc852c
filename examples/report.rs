//! The main job: fit every series in `data/`, project it to the end of 2030, and write charts,
//! a tidy CSV for notebooks, a parameters CSV and JSON.
//!
//! ```sh
//! cargo run --release --example report                      # data/ -> out/
//! cargo run --release --example report -- --out results     # data/ -> results/
//! cargo run --release --example report -- mydir --out res   # another folder of CSV files
//! ```
//!
//! For each series it fits the exponential, logistic, Gompertz and linear models (and a
//! logistic with a known ceiling where there is one), prints a comparison table with the 2030
//! projection, then the full report of the best-supported model. Series that cannot be fitted
//! (one point, say) are reported and skipped: nothing else is lost.
//!
//! It writes into the output folder (default `out/`):
//!
//! * `charts/<series>_fit.png`: the best-supported model with its bands (or, when no model is
//!   identified, the most defensible one, with the caution on the chart);
//! * `charts/<series>_models.png`: every fitted model over the data;
//! * `charts/datacenter_power_2030_fan.png`: paths to the 2030 data-center targets from an
//!   assumed base;
//! * `projections.csv` (one row per series, model and date), `parameters.csv`, `fits.json`.
//!
//! Reading the bundled `data/`, it also refreshes the small charts under `docs/` that the README
//! shows.

use std::path::{Path, PathBuf};

use growthcast::export::{self, ParameterRow, ProjectionRow};
use growthcast::plot::{plot_comparison, plot_fan, plot_fit, ChartSpec, Fan};
use growthcast::scenario::{Base, ScenarioSet};
use growthcast::time::{format_date, parse_date};
use growthcast::{io, Exponential, Fit, Fitter, Gompertz, Kind, Linear, Logistic, Series};

/// Ceilings we know from outside the data: a share cannot pass 100%, and users cannot outnumber
/// the population (6.02e8 users are 42.8% of it, so about 1.41e9 people).
fn known_ceiling(s: &Series) -> Option<(f64, &'static str)> {
    if s.unit().starts_with('%') {
        Some((100.0, "100%"))
    } else if s.name() == "genai_users" {
        Some((1.41e9, "population 1.41e9"))
    } else {
        None
    }
}

fn fits(s: &Series) -> Vec<(String, growthcast::Result<Fit>)> {
    let mut out = vec![
        ("exponential".to_string(), s.fit(Exponential::new())),
        ("logistic".to_string(), s.fit(Logistic)),
        ("gompertz".to_string(), s.fit(Gompertz)),
        ("linear".to_string(), s.fit(Linear::new())),
    ];
    if let Some((k, why)) = known_ceiling(s) {
        out.push((
            format!("logistic, K = {why}"),
            Fitter::new(Logistic).fix("K", k).fit(s),
        ));
    }
    out
}

/// A readable title for each bundled series (the file name otherwise).
fn title_of(name: &str) -> String {
    let t = match name {
        "tokens_daily" => "Daily AI token use in China",
        "genai_users" => "Generative-AI users in China",
        "genai_penetration" => "Generative-AI penetration in China",
        "genai_services" => "Registered generative-AI services in China",
        "digital_economy_share" => "Digital-economy core industries, share of GDP",
        "digital_economy_size" => "Digital-economy core industries, size",
        "ai_tv_online_share" => "TVs with built-in AI, share of online sales",
        "ai_tv_offline_share" => "TVs with built-in AI, share of offline sales",
        "enterprises_llm" => "Enterprises applying large models and agents",
        "ai_manufacturing_share" => "AI in the production stage of manufacturing",
        other => other,
    };
    t.to_string()
}

/// The source documents (data/README.md), named in English for chart captions.
fn document(file: &str) -> String {
    let name = match file.get(..3) {
        Some("000") => "Xinhua, AI trends in China for 2026 (2026-01-28)",
        Some("001") => "National Data Administration press conference (2026)",
        Some("002") => "People's Daily graphic on large models",
        Some("003") => "commentary on the State Council's AI+ opinions (2026-01-23)",
        Some("004") => "expert forum on the AI+ action (2026)",
        _ => return file.to_string(),
    };
    name.to_string()
}

fn caption_of(s: &Series) -> String {
    let mut docs: Vec<String> = Vec::new();
    for o in s.observations() {
        if let Some(src) = &o.source {
            let d = document(src);
            if !docs.contains(&d) {
                docs.push(d);
            }
        }
    }
    if docs.is_empty() {
        String::new()
    } else {
        format!("Source: {}.", docs.join("; "))
    }
}

/// A single point (a scenario target) cannot be fitted; what it can tell is the annual growth
/// rate it implies from a base. The documents give no base, so these are labelled assumptions.
fn scenario_rates(s: &Series) {
    let target = &s.observations()[0];
    println!(
        "    one point ({} {} by {}): the annual growth rate it implies depends on an assumed base",
        target.value,
        s.unit(),
        target.date
    );
    for base in [100e9, 140e9, 200e9] {
        if let Ok(r) = growthcast::growth::implied_rate(base, 2024.0, target.value, target.t) {
            println!(
                "      from an ASSUMED {:.0} TWh in 2024: {:.1}% a year",
                base / 1e9,
                100.0 * r
            );
        }
    }
    println!();
}

/// The ASSUMED 2024 base of the data-center fan chart: not a document figure.
const DC_BASE: (f64, f64) = (2024.0, 140e9);

/// Constant-rate paths from the assumed base to each single-point scenario target, with the
/// chart's texts: how the rates depend on the assumed base goes in the caption.
fn datacenter_fan(targets: &[Series]) -> Result<(Fan, ChartSpec), growthcast::Error> {
    let set = ScenarioSet::new(Base::assumed(
        DC_BASE.1,
        DC_BASE.0,
        "ASSUMED base: 140 TWh in 2024, not a document figure",
    ))
    .targets_from(targets);
    let target_year = targets
        .iter()
        .filter_map(|s| s.observations().last().map(|o| o.t))
        .fold(DC_BASE.0 + 1.0, f64::max);
    let mut fan = Fan::from_scenarios(&set, target_year)?.with_target_kind(Kind::AtLeast);
    // Legend: the target as stated ("more than") and the rate it needs at least.
    for (path, s) in fan.paths.iter_mut().zip(targets) {
        if let Some(o) = s.observations().last() {
            let rate = growthcast::growth::implied_rate(DC_BASE.1, DC_BASE.0, o.value, o.t)?;
            let name = s.name().rsplit('/').next().unwrap_or(s.name());
            let (more, ge) = if o.kind.is_one_sided() {
                ("more than ", "≥")
            } else {
                ("", "")
            };
            path.name = format!(
                "{name}: {more}{:.0} TWh in {}, {ge}{:.1}%/yr",
                o.value / 1e9,
                o.date,
                100.0 * rate
            );
            path.target = Some((o.t, o.value, o.kind));
            if let Some(src) = &o.source {
                fan.sources.push(document(src));
            }
        }
    }
    fan.sources.dedup();
    let sens = set.sensitivity(&[100e9, 200e9])?;
    let first = sens.names.first().cloned().unwrap_or_default();
    let rates: Vec<String> = sens
        .rows
        .iter()
        .filter_map(|(b, r)| {
            r.first()
                .map(|r| format!("{:.1}%/yr from {:.0} TWh", 100.0 * r, b / 1e9))
        })
        .collect();
    let spec = ChartSpec::new()
        .title("Data-center electricity use in China: paths to the 2030 targets")
        .subtitle(
            "Constant growth from an ASSUMED 2024 base of 140 TWh (the documents give no base) to each stated 2030 target",
        )
        .caption(format!(
            "Targets: Xinhua (2026-01-28), both lower bounds. The rates depend on the assumed base: the {first} target needs {}.",
            rates.join(", ")
        ))
        .y_label("electricity per year, billion kWh (TWh)");
    Ok((fan, spec))
}

struct Args {
    data: PathBuf,
    out: PathBuf,
    bundled: bool,
}

fn args() -> Result<Args, String> {
    let bundled_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut data = None;
    let mut out = PathBuf::from("out");
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == "--out" || a == "-o" {
            out = PathBuf::from(it.next().ok_or("--out needs a folder")?);
        } else if let Some(d) = a.strip_prefix("--out=") {
            out = PathBuf::from(d);
        } else if a == "--help" || a == "-h" {
            return Err("usage: report [DATA_DIR] [--out OUT_DIR]".into());
        } else if a.starts_with('-') {
            return Err(format!(
                "unknown option {a}; usage: report [DATA_DIR] [--out OUT_DIR]"
            ));
        } else {
            data = Some(PathBuf::from(a));
        }
    }
    let bundled = data.is_none();
    Ok(Args {
        data: data.unwrap_or(bundled_dir),
        out,
        bundled,
    })
}

/// Files written, for the summary at the end.
#[derive(Default)]
struct Written(Vec<(PathBuf, String)>);

impl Written {
    fn add(&mut self, path: &Path, what: impl Into<String>) {
        self.0.push((path.to_path_buf(), what.into()));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let charts = args.out.join("charts");
    std::fs::create_dir_all(&charts)?;
    let horizon = parse_date("2030-12-31")?;
    let mut written = Written::default();
    let mut projections: Vec<ProjectionRow> = Vec::new();
    let mut parameters: Vec<ParameterRow> = Vec::new();
    let mut all_fits: Vec<(String, Fit)> = Vec::new();
    // Charts for docs/: (series name, which chart) -> rendered again small at the end.
    let mut headline: Vec<(String, Series, String, Fit, ChartSpec)> = Vec::new();
    let mut fan_targets: Vec<Series> = Vec::new();

    for (path, groups) in io::read_dir(&args.data)? {
        let groups = match groups {
            Ok(g) => g,
            Err(e) => {
                eprintln!("skipping {}: {e}", path.display());
                continue;
            }
        };
        for s in groups {
            println!(
                "==== {} ({}), {} point(s) ====",
                s.name(),
                s.unit(),
                s.len()
            );
            if s.len() == 1 {
                scenario_rates(&s);
                if s.name().starts_with("datacenter_power_2030/") {
                    fan_targets.push(s);
                }
                continue;
            }
            let runs = fits(&s);
            let ceiling = known_ceiling(&s).map(|c| c.0);
            println!(
                "    {:<34} {:>9} {:>10}  {:>12}  {:>27}",
                "model", "AIC", "identified", "2030-12-31", "95% confidence band"
            );
            // A fit is credible when its parameters are identified and its 2030 value respects
            // the known ceiling.
            let mut credible = Vec::new();
            for (label, fit) in &runs {
                match fit {
                    Ok(f) => {
                        let p = f.project(&[horizon]).points[0];
                        let over = ceiling.is_some_and(|k| p.value > k);
                        println!(
                            "    {label:<34} {:>9.3} {:>10}  {:>12.4e}  [{:>11.4e}, {:>11.4e}]{}",
                            f.aic,
                            if f.is_identified() { "yes" } else { "no" },
                            p.value,
                            p.conf_lower,
                            p.conf_upper,
                            if over {
                                "  exceeds the known ceiling"
                            } else {
                                ""
                            }
                        );
                        if f.is_identified() && !over {
                            credible.push((label, f));
                        }
                    }
                    Err(e) => println!("    {label:<34} not fitted: {e}"),
                }
            }
            // The best-supported credible fit by AIC (same data and error model, so comparable).
            let best = credible
                .into_iter()
                .min_by(|a, b| a.1.aic.total_cmp(&b.1.aic));
            if best.is_none() {
                println!("\n-- no model is identified by these data: more points, or a known parameter, are needed\n");
            }
            if let Some((label, f)) = best {
                println!("\n-- best supported: {label}\n{f}");
                println!(
                    "{}",
                    f.project_dates(&["2026-12-31", "2028-12-31", "2030-12-31"])?
                );
            }

            // What to draw when nothing is identified: the known ceiling if there is one, else
            // the simplest growth curve; the chart carries the caution.
            let fitted: Vec<(&str, &Fit)> = runs
                .iter()
                .filter_map(|(l, f)| f.as_ref().ok().map(|f| (l.as_str(), f)))
                .collect();
            let shown = best.map(|(l, f)| (l.as_str(), f)).or_else(|| {
                let order = |l: &str| {
                    if l.starts_with("logistic, K") {
                        0
                    } else {
                        ["exponential", "linear", "logistic", "gompertz"]
                            .iter()
                            .position(|m| *m == l)
                            .map_or(9, |i| i + 1)
                    }
                };
                fitted.iter().copied().min_by_key(|(l, _)| order(l))
            });
            let safe = s.name().replace(['/', '\\'], "_");
            // With a known ceiling not far above the data, the axis stops a little above it:
            // curves that cross it are cut there, and the caption says where they go.
            let max_obs = s.values().into_iter().fold(f64::MIN, f64::max);
            let headroom = ceiling
                .filter(|k| max_obs > 0.0 && *k <= 3.0 * max_obs)
                .map(|k| (1.25 * k / max_obs).max(1.0));
            let title = title_of(s.name());
            let caption = caption_of(&s);
            if let Some((label, f)) = shown {
                let verdict = if best.is_some() {
                    "best-supported model"
                } else {
                    "no model identified"
                };
                let mut spec = ChartSpec::new()
                    .title(format!("{title}: {label} ({verdict})"))
                    .caption(caption.clone())
                    .horizon(horizon);
                spec.headroom = headroom;
                if let Some((k, why)) = known_ceiling(&s) {
                    spec = spec.reference(k, format!("known ceiling: {why}"));
                }
                let file = charts.join(format!("{safe}_fit.png"));
                plot_fit(&s, f, &spec, &file)?;
                let bands = if f.dof > 0 {
                    " with 95% bands"
                } else {
                    ", no bands (no degrees of freedom)"
                };
                written.add(&file, format!("{}: {label}{bands}", s.name()));
                if matches!(
                    s.name(),
                    "tokens_daily" | "genai_users" | "digital_economy_size"
                ) {
                    headline.push((safe.clone(), s.clone(), label.to_string(), f.clone(), spec));
                }
            }
            if !fitted.is_empty() {
                let mut spec = ChartSpec::new()
                    .title(format!("{title}: models compared"))
                    .caption(caption)
                    .horizon(horizon)
                    .bands(false);
                spec.headroom = headroom;
                if let Some((k, why)) = known_ceiling(&s) {
                    spec = spec.reference(k, format!("known ceiling: {why}"));
                }
                let file = charts.join(format!("{safe}_models.png"));
                plot_comparison(&s, &fitted, &spec, &file)?;
                written.add(
                    &file,
                    format!("{}: {} models compared", s.name(), fitted.len()),
                );
            }
            for (label, f) in &fitted {
                projections.extend(export::projection_rows(label, f, horizon));
                parameters.extend(export::parameter_rows(label, f));
                all_fits.push((label.to_string(), (*f).clone()));
            }
        }
    }

    let mut fan = None;
    if !fan_targets.is_empty() {
        let (f, spec) = datacenter_fan(&fan_targets)?;
        let file = charts.join("datacenter_power_2030_fan.png");
        plot_fan(&f, &spec, &file)?;
        written.add(
            &file,
            "data-center targets: paths from an ASSUMED 2024 base",
        );
        fan = Some((f, spec));
    }

    let file = args.out.join("projections.csv");
    export::write_projections(&file, &projections)?;
    written.add(
        &file,
        format!(
            "{} rows: series, model, date, observed and fitted values, bands",
            projections.len()
        ),
    );
    let file = args.out.join("parameters.csv");
    export::write_parameters(&file, &parameters)?;
    written.add(
        &file,
        format!(
            "{} rows: estimates, standard errors, intervals, warnings",
            parameters.len()
        ),
    );
    let file = args.out.join("fits.json");
    let refs: Vec<(&str, &Fit)> = all_fits.iter().map(|(l, f)| (l.as_str(), f)).collect();
    export::write_json(&file, &refs)?;
    written.add(&file, format!("{} fits", refs.len()));

    // Small copies of the headline charts for the README.
    if args.bundled {
        let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::create_dir_all(&docs)?;
        for (safe, s, _label, f, spec) in &headline {
            let file = docs.join(format!("{safe}.png"));
            plot_fit(s, f, &spec.clone().size(960, 576), &file)?;
            written.add(&file, "README chart");
        }
        if let Some((f, spec)) = &fan {
            let file = docs.join("datacenter_power_2030_fan.png");
            plot_fan(f, &spec.clone().size(960, 576), &file)?;
            written.add(&file, "README chart");
        }
    }

    println!("==== written ====");
    let here = std::env::current_dir().unwrap_or_default();
    for (path, what) in &written.0 {
        let shown = path.strip_prefix(&here).unwrap_or(path);
        println!("    {:<48} {what}", shown.display());
    }
    println!(
        "    (projections run to {}; load the CSV with pandas: see the README)",
        format_date(horizon)
    );
    Ok(())
}
