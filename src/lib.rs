//! # growthcast
//!
//! Fit growth models to short, messy time series and project them forward, honestly.
//!
//! A [`Series`] of dated figures (some of them "more than …" bounds) goes into a [`Fitter`] with a
//! growth [`Model`] ([`Exponential`], [`Logistic`], [`Gompertz`], [`Linear`], or your own); out
//! comes a [`Fit`] with estimates, standard errors, covariance, information criteria and warnings
//! where the data do not identify a parameter; [`Fit::project`] gives values with confidence and
//! prediction bands at any date. [`growth`] has the CAGR arithmetic and claim checks.
//!
//! The fitting engine is MINPACK's Levenberg–Marquardt (trust region, damping search and
//! convergence tests as in `lmder` and SciPy's `curve_fit`) on the normal equations in stack
//! arrays, with analytic Jacobians and no allocation per iteration. For throughput, [`Solver`]
//! fits slices already in memory and returns only the estimates (3–4× faster than the
//! levenberg-marquardt crate on the same data; see the README's performance section), and
//! [`batch::BatchFitter`] fits many series, on all cores with the `parallel` feature; wrap the
//! model in [`model::Fixed`] to hold a known parameter (a ceiling of 100%) on those paths.
//!
//! Around the core:
//!
//! | module | answers |
//! |---|---|
//! | [`compare`] | which model? ranking by AICc, Akaike weights, a model-averaged projection |
//! | [`trust`] | can this fit's band be relied on? trusted, or not with the reasons (misspecification, too few points) |
//! | [`profile`] | can the ceiling be known yet? profile-likelihood intervals, one-sided when they must be |
//! | [`when`] (`Fit::when`) | when is a level reached? a date with its interval, or "not within the horizon" |
//! | [`hindcast`] | would it have worked? leave-last-k-out backtests |
//! | [`scenario`] | what if? paths from an assumed, labelled base; implied rates and their sensitivity |
//! | [`export`], `plot` | tidy CSV and JSON for notebooks; PNG/SVG charts with a bundled font (feature `plot`) |
//! | `report` | the main job: every series of a folder to charts and tables (feature `plot`) |
//! | [`io`], [`time`] | CSV loading with errors that name file, line and column; dates and decimal years |
//!
//! ## Worked example: generative-AI users in China
//!
//! ```
//! use growthcast::{Fitter, Logistic, Series};
//!
//! // People's Daily: 2.30e8 (Jun 2024), 5.15e8 (Jun 2025), 6.02e8 (Dec 2025); the Dec 2024 figure
//! // is derived from "+141.7% on end-2024".
//! let users = Series::builder("genai_users")
//!     .unit("people")
//!     .point("2024-06-30", 2.30e8)
//!     .derived("2024-12-31", 2.491e8)
//!     .point("2025-06-30", 5.15e8)
//!     .point("2025-12-31", 6.02e8)
//!     .build()?;
//!
//! // Four points cannot find a ceiling: fix it at the population (1.41e9) and fit the rest,
//! // with multiplicative (log) residuals, the default.
//! let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
//! println!("{fit}");
//! let r = fit.param("r").unwrap();
//! assert!(r.estimate > 0.5 && r.estimate < 3.0);       // early-phase rate per year
//! assert_eq!(fit.dof(), 2);                            // 4 points, 2 free parameters
//!
//! // Project to the end of 2030 with 95% bands.
//! let p = fit.project_dates(&["2030-12-31"])?;
//! let end = p.points[0];
//! assert!(end.value < 1.41e9 && end.conf_lower < end.value && end.value < end.conf_upper);
//!
//! // Left free, the ceiling is not identified by four points, and the fit says so.
//! let free = Fitter::new(Logistic).fit(&users)?;
//! assert!(!free.is_identified());
//! # Ok::<(), growthcast::Error>(())
//! ```
//!
//! ## Features
//!
//! | feature | default | gates |
//! |---|---|---|
//! | `plot` | yes | the `plot` module (PNG/SVG charts, bundled font) and the `report` module (the main job) |
//! | `parallel` | yes | [`batch::BatchFitter`] on all cores with rayon; without it batches run serially, with the same answers |
//! | `cli` | no | the `growthcast` binary (clap, indicatif); turns on `plot` |
//!
//! Everything else needs no feature (`default-features = false`). The command-line tool is
//! installed with `cargo install --path . --features cli`, or run in place with
//! `cargo run --release --features cli --bin growthcast -- SUBCOMMAND …`.
//!
//! ## Conventions
//!
//! * Time is a decimal year ([`time`]); rates are per year; the annual growth rate is `e^r − 1`.
//! * The default error model is multiplicative ([`ErrorModel`]): residuals of `ln y`.
//! * Series are sorted by time on construction; several observations may share a time
//!   (replicates), and a fit with replicates reports a lack-of-fit test.
//! * Errors are one [`Error`] enum that names the series, row, file or parameter at fault; a
//!   fit that stops without converging keeps its best point ([`Error::stopped`]), and one whose
//!   ceiling runs off says so ([`Error::Diverged`]).

// `!(x > 0.0)` is deliberate: it is true for NaN. Index loops are the clearest way to write
// small dense linear algebra.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::needless_range_loop)]
// docs.rs builds with every feature and `--cfg docsrs`: mark what each feature gates.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod analysis;
pub mod batch;
mod data;
pub mod error;
pub mod export;
pub mod fit;
pub mod model;
#[cfg(feature = "plot")]
#[cfg_attr(docsrs, doc(cfg(feature = "plot")))]
pub mod plot;
#[cfg(feature = "plot")]
#[cfg_attr(docsrs, doc(cfg(feature = "plot")))]
pub mod report;
mod setters;
mod solve;
pub use analysis::{
    compare, drift, growth, hindcast, known, naive, profile, recommend, scenario, trust,
};
pub use axis::{TimeAxis, TimeUnit};
pub use data::{axis, io, series, time};
pub use fit::{project, when};
mod table;

pub use error::{Error, Result};
pub use fit::{
    Derived, ErrorModel, Estimate, Fit, FitOptions, Fitter, IntervalMethod, LackOfFit, LeanFit,
    LmSettings, Parameter, Solver, Termination, Warning, WarningKind,
};
pub use model::{Exponential, Gompertz, Linear, Logistic, Model, ParamSpec, Role};
pub use project::{ProjectedPoint, Projection};
pub use series::{Kind, Observation, Series};

/// The README's code blocks, compiled and run as doctests (they include charts, so they need the
/// `plot` feature, which is on by default and in `--all-features`).
#[cfg(all(doctest, feature = "plot"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
