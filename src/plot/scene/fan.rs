//! Fan charts: named paths from one base (e.g. scenarios to stated targets), and their scene.

use plotters::style::RGBColor;

use super::{
    kind_legend, BandLayer, Glyph, LegendItem, LineLayer, Mark, Scene, Shape, GREY, INK, PALETTE,
};
use crate::error::{Error, Result};
use crate::plot::text::plural;
use crate::plot::ChartSpec;
use crate::scenario::{ScenarioSet, ScenarioSpec};
use crate::series::Kind;

/// with an optional target marker (e.g. the stated 2030 figure the path leads to).
#[derive(Clone, Debug, PartialEq)]
pub struct FanPath {
    /// Legend text.
    pub name: String,
    /// `(decimal year, value)` points, in time order.
    pub points: Vec<(f64, f64)>,
    /// A marker at `(decimal year, value)` drawn with the symbol of its kind.
    pub target: Option<(f64, f64, Kind)>,
}

impl FanPath {
    /// A path through the given points.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            target: None,
        }
    }

    /// Constant-rate (exponential) growth from `from` to `to`, both `(decimal year, value)` with
    /// positive values, sampled at `n ≥ 2` times.
    ///
    /// ```
    /// use growthcast::plot::FanPath;
    /// let p = FanPath::constant_rate("medium", (2024.0, 1.4e11), (2030.0, 4e11), 7)?;
    /// assert_eq!(p.points.len(), 7);
    /// assert!((p.points[6].1 - 4e11).abs() < 1.0);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn constant_rate(
        name: impl Into<String>,
        from: (f64, f64),
        to: (f64, f64),
        n: usize,
    ) -> Result<Self> {
        if !(from.1 > 0.0 && from.1.is_finite()) {
            return Err(Error::arg(
                "from",
                from.1,
                "a constant-rate path needs a positive start",
            ));
        }
        if !(to.1 > 0.0 && to.1.is_finite()) {
            return Err(Error::arg(
                "to",
                to.1,
                "a constant-rate path needs a positive end",
            ));
        }
        if !(to.0 > from.0) {
            return Err(Error::arg(
                "to",
                to.0,
                format!("the end must come after the start ({})", from.0),
            ));
        }
        let n = n.max(2);
        let r = (to.1 / from.1).ln() / (to.0 - from.0);
        let points = (0..n)
            .map(|i| {
                let t = from.0 + (to.0 - from.0) * i as f64 / (n - 1) as f64;
                (t, from.1 * (r * (t - from.0)).exp())
            })
            .collect();
        Ok(Self::new(name, points))
    }

    /// Marks the end of the path with a target of a kind (`at_least` draws an upward triangle).
    #[must_use]
    pub fn with_target(self, t: f64, value: f64, kind: Kind) -> Self {
        Self {
            target: Some((t, value, kind)),
            ..self
        }
    }
}

/// A fan chart's content: one base point and several named paths from it.
///
/// The base is drawn as an open square with its own legend text: when it is an assumption and
/// not a figure from the data, say so in `base_label`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Name of what is shown (used in the default title).
    pub name: String,
    /// Unit of the values.
    pub unit: String,
    /// The base `(decimal year, value)`.
    pub base: (f64, f64),
    /// Legend text for the base.
    pub base_label: String,
    /// The paths.
    pub paths: Vec<FanPath>,
    /// Sources of the targets, for the caption.
    pub sources: Vec<String>,
}

impl Fan {
    /// A fan with a base and no paths yet.
    pub fn new(
        name: impl Into<String>,
        unit: impl Into<String>,
        base: (f64, f64),
        base_label: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            unit: unit.into(),
            base,
            base_label: base_label.into(),
            paths: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Adds a path.
    #[must_use]
    pub fn path(mut self, path: FanPath) -> Self {
        self.paths.push(path);
        self
    }

    /// Constant-rate paths of every scenario of a [`ScenarioSet`] from its (assumed) base to
    /// `until`, each named with its annual rate; target scenarios get a marker at their target,
    /// drawn as an exact figure (see [`Fan::with_target_kind`] for bounds). The base label is the
    /// set's, which says that the base is an assumption.
    ///
    /// ```
    /// use growthcast::plot::Fan;
    /// use growthcast::scenario::{Base, ScenarioSet};
    /// use growthcast::Kind;
    /// let set = ScenarioSet::new(Base::assumed(140e9, 2024.0, "ASSUMED base: 140 TWh in 2024"))
    ///     .unit("kWh")
    ///     .target("medium", 400e9, 2030.0)
    ///     .rate("low", 0.10);
    /// let fan = Fan::from_scenarios(&set, 2030.0)?.with_target_kind(Kind::AtLeast);
    /// assert_eq!(fan.paths.len(), 2);
    /// assert!(fan.paths[0].name.starts_with("medium: 19.1%/yr"));
    /// assert!(fan.paths[1].target.is_none());
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn from_scenarios(set: &ScenarioSet, until: f64) -> Result<Self> {
        let step = ((until - set.base.year) / 60.0).max(1e-3);
        let paths = set.paths(until, step)?;
        let mut fan = Fan::new(
            "scenarios",
            set.unit.clone(),
            (set.base.year, set.base.value),
            set.base.label.clone(),
        );
        for (p, sc) in paths.into_iter().zip(&set.scenarios) {
            let mut path = FanPath::new(format!("{}: {:.1}%/yr", p.name, 100.0 * p.rate), p.points);
            if let ScenarioSpec::Target { value, year } = sc.spec {
                path = path.with_target(year, value, Kind::Exact);
            }
            fan = fan.path(path);
        }
        Ok(fan)
    }

    /// Sets the kind of every path's target (e.g. [`Kind::AtLeast`] for "more than" targets).
    #[must_use]
    pub fn with_target_kind(mut self, kind: Kind) -> Self {
        for p in &mut self.paths {
            if let Some(t) = &mut p.target {
                t.2 = kind;
            }
        }
        self
    }

    /// Adds a source for the caption (duplicates are dropped).
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        let s = source.into();
        if !self.sources.contains(&s) {
            self.sources.push(s);
        }
        self
    }
}
/// The scene of a fan: its paths (dashed, not observed), shaded between the lowest and the
/// highest when they share their times, their targets and the base.
pub(crate) fn fan_scene(fan: &Fan, spec: &ChartSpec) -> Scene {
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: paths from one base", fan.name)),
        unit: fan.unit.clone(),
        ..Scene::default()
    };
    // Shade the fan between the lowest and highest path when they share their times.
    let same_grid = fan.paths.windows(2).all(|w| {
        w[0].points.len() == w[1].points.len()
            && w[0]
                .points
                .iter()
                .zip(&w[1].points)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-9)
    });
    if same_grid && fan.paths.len() > 1 {
        let n = fan.paths[0].points.len();
        let pts = (0..n)
            .map(|i| {
                let t = fan.paths[0].points[i].0;
                let vals = fan.paths.iter().map(|p| p.points[i].1);
                let lo = vals.clone().fold(f64::INFINITY, f64::min);
                let hi = vals.fold(f64::NEG_INFINITY, f64::max);
                (t, lo, hi)
            })
            .collect();
        sc.bands.push(BandLayer {
            name: "fan".into(),
            pts,
            color: RGBColor(120, 120, 120),
            alpha: 0.12,
        });
    }
    let mut target_kinds = Vec::new();
    for (i, p) in fan.paths.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        sc.lines.push(LineLayer {
            name: p.name.clone(),
            pts: p.points.clone(),
            color,
            width: 3,
            dashed: true,
        });
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(color, 3, true),
            text: p.name.clone(),
        });
        if let Some((t, v, k)) = p.target {
            sc.marks.push(Mark {
                t,
                v,
                shape: Shape::of(k),
                color,
            });
            if !target_kinds.contains(&k) {
                target_kinds.push(k);
            }
        }
    }
    for k in target_kinds {
        sc.legend.push(LegendItem {
            glyph: Glyph::Mark(Shape::of(k), GREY),
            text: format!("target, {}", kind_legend(k)),
        });
    }
    sc.marks.push(Mark {
        t: fan.base.0,
        v: fan.base.1,
        shape: Shape::Square,
        color: INK,
    });
    sc.legend.insert(
        0,
        LegendItem {
            glyph: Glyph::Mark(Shape::Square, INK),
            text: fan.base_label.clone(),
        },
    );
    match &spec.subtitle {
        Some(s) => sc.subtitle.push(s.clone()),
        None => sc.subtitle.push(format!(
            "{} from one base · dashed: not observed",
            plural(fan.paths.len(), "path")
        )),
    }
    if let Some(c) = spec.caption.clone().or_else(|| {
        (!fan.sources.is_empty()).then(|| format!("Source: {}.", fan.sources.join("; ")))
    }) {
        sc.caption.push(c);
    }
    sc
}
