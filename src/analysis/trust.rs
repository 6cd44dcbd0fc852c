//! Can a fit be trusted? A verdict that means something: among the fits it calls trusted, the
//! 95% confidence band held the true curve at least 90% of the time in the study of
//! `examples/trust.rs` (every true curve × series length with enough trusted fits; the table is
//! in the README), and every "no" comes with its reasons, in words and in numbers.
//!
//! A fit of a comparison ([`Comparison::trust`]) is trusted when all of these hold:
//!
//! 1. its parameters are identified ([`Fit::is_identified`]), and it and every ranked candidate
//!    have at least [`TrustOptions::min_dof`] degrees of freedom left (else the checks below
//!    cannot be made: [`Reason::TooFewPoints`]);
//! 2. the data pick it: no other ranked candidate has an AIC lower by more than
//!    [`TrustOptions::margin`] ([`Reason::BeatenBy`], misspecification the data reveal), or
//!    within that margin of its own ([`Reason::OtherModelPlausible`]). A rival whose own
//!    parameters the data do not identify (a logistic whose ceiling runs far beyond the data
//!    mimics an exponential with one parameter more, and is always within 2 of it) counts as
//!    plausible only within [`TrustOptions::margin_unidentified`], i.e. only when its extra
//!    parameter actually improves the fit. Plain AIC, whatever the comparison ranks by: AICc's
//!    small-sample penalty (30 units between two and three parameters at six points) would hide
//!    a curvature the data show plainly;
//! 3. the signs of its residuals, in time order, do not come in too few runs: a one-sided
//!    Wald–Wolfowitz runs test with its exact distribution ([`runs_test`]) does not reject at
//!    [`TrustOptions::runs_alpha`]. The test is applied only when the series is long enough for
//!    it to be able to reject at that level;
//! 4. its residual standard deviation `sqrt(RSS / dof)` is at most [`TrustOptions::sd_ratio`]
//!    times that of the most flexible candidate (most free parameters; the smallest SD among
//!    those).
//!
//! Checks 2–4 need the other candidates, so there is no verdict for a lone [`Fit`]: a fit on its
//! own cannot tell whether another curve would have fitted much better, which is exactly the
//! failure the verdict guards against ([`runs_test`] on its residuals is available alone).
//!
//! ```
//! use growthcast::{compare, io};
//! let s = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;
//! let c = compare::compare_standard(&s);
//! for r in &c.ranking {
//!     println!("{}: {}", r.label, r.trust);
//! }
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

use serde::Serialize;

use crate::compare::{CandidateId, Comparison};
use crate::fit::{Fit, Warning, WarningKind};

/// The thresholds of the verdict. The defaults are the ones calibrated in `examples/trust.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrustOptions {
    /// Fewest residual degrees of freedom (binding points minus free parameters).
    pub min_dof: usize,
    /// An identified rival whose AIC is within this much of the fit's makes the choice between
    /// them open; one lower by more says the fit is misspecified.
    pub margin: f64,
    /// The same margin for a rival whose parameters the data do not identify.
    pub margin_unidentified: f64,
    /// Level of the one-sided runs test on the residual signs.
    pub runs_alpha: f64,
    /// Largest allowed ratio of the residual SD to the most flexible candidate's.
    pub sd_ratio: f64,
}

impl Default for TrustOptions {
    fn default() -> Self {
        TrustOptions {
            min_dof: 4,
            margin: 4.0,
            margin_unidentified: 1.0,
            runs_alpha: 0.05,
            sd_ratio: 1.5,
        }
    }
}

/// Why a fit is not trusted. Each carries the numbers behind it; `Display` says it in words.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The candidate did not fit (or did not converge), so it has no band to trust.
    NotFitted {
        /// The error, in words.
        error: String,
    },
    /// Too few degrees of freedom are left to judge the fit.
    TooFewPoints {
        /// The candidate with the fewest degrees of freedom (this fit or a rival).
        model: String,
        /// Its residual degrees of freedom.
        dof: usize,
        /// The fewest degrees of freedom asked for ([`TrustOptions::min_dof`]).
        min_dof: usize,
    },
    /// The data do not identify a parameter, or the ceiling lies far beyond them.
    NotIdentified {
        /// The fit's warnings that say so.
        warnings: Vec<String>,
    },
    /// Another model fits almost as well: the data do not choose between them.
    OtherModelPlausible {
        /// The rival's label.
        model: String,
        /// Rival's AIC minus this fit's (at most the margin either way).
        delta_aic: f64,
    },
    /// Another model fits clearly better: this one is misspecified.
    BeatenBy {
        /// The rival's label.
        model: String,
        /// How much lower the rival's AIC is (positive).
        delta_aic: f64,
    },
    /// The residual signs come in too few runs: the curve misses the data's shape.
    ResidualRuns {
        /// Runs of equal signs observed.
        runs: usize,
        /// Runs expected for these counts of signs if they were in random order.
        expected: f64,
        /// One-sided exact p-value `P(R ≤ runs)`.
        p: f64,
    },
    /// The residual SD is far above that of a more flexible model.
    SdAboveFlexible {
        /// The more flexible model's label.
        model: String,
        /// This fit's residual SD over that model's.
        ratio: f64,
    },
}

impl Reason {
    /// Whether the reason is misspecification the data reveal (rather than too little data).
    pub fn is_misspecification(&self) -> bool {
        matches!(
            self,
            Reason::BeatenBy { .. } | Reason::ResidualRuns { .. } | Reason::SdAboveFlexible { .. }
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotFitted { error } => write!(f, "not fitted: {error}"),
            Reason::TooFewPoints {
                model,
                dof,
                min_dof,
            } => write!(
                f,
                "too few points to check it: the {model} has {dof} degree(s) of freedom left, fewer \
                 than the {min_dof} needed"
            ),
            Reason::NotIdentified { warnings } => {
                write!(f, "not identified: {}", warnings.join("; "))
            }
            Reason::OtherModelPlausible { model, delta_aic } => write!(
                f,
                "the {model} fits about as well (AIC differs by {delta_aic:+.2}): the data do not \
                 choose between them"
            ),
            Reason::BeatenBy { model, delta_aic } => write!(
                f,
                "misspecified: the {model} fits much better (its AIC is {delta_aic:.2} lower)"
            ),
            Reason::ResidualRuns { runs, expected, p } => write!(
                f,
                "misspecified: the residuals come in {runs} runs of equal sign where {expected:.1} are \
                 expected (runs test p = {p:.3}): the curve misses the data's shape"
            ),
            Reason::SdAboveFlexible { model, ratio } => write!(
                f,
                "misspecified: its residual SD is {ratio:.2}× that of the {model}"
            ),
        }
    }
}

/// The verdict on one fit of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trust {
    /// Whether the fit's band can be relied on (no reason against it).
    pub trusted: bool,
    /// Why not, empty when trusted.
    pub reasons: Vec<Reason>,
}

impl Trust {
    /// A verdict from its reasons: trusted when there are none.
    pub fn from_reasons(reasons: Vec<Reason>) -> Self {
        Trust {
            trusted: reasons.is_empty(),
            reasons,
        }
    }

    /// The misspecification reasons as warnings ([`WarningKind::Misspecified`]) that say why.
    pub fn warnings(&self) -> Vec<Warning> {
        self.reasons
            .iter()
            .filter(|r| r.is_misspecification())
            .map(|r| Warning {
                kind: WarningKind::Misspecified,
                parameter: None,
                message: r.to_string(),
            })
            .collect()
    }

    /// The reasons in words, `"; "`-separated (empty when trusted).
    pub fn why(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.trusted {
            f.write_str("trusted")
        } else {
            write!(f, "not trusted: {}", self.why())
        }
    }
}

/// A Wald–Wolfowitz runs test on a sequence of signs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RunsTest {
    /// Runs of equal signs.
    pub runs: usize,
    /// Positive signs.
    pub positive: usize,
    /// Negative signs.
    pub negative: usize,
    /// Expected runs in random order, `1 + 2 n₊ n₋ / n`.
    pub expected: f64,
    /// Exact one-sided p-value for too few runs, `P(R ≤ runs)`.
    pub p: f64,
    /// The smallest p-value these counts allow (two runs): the test can reject at a level only
    /// when this is at or below it.
    pub p_min: f64,
}

/// `ln C(n, k)`.
fn ln_choose(n: usize, k: usize) -> f64 {
    let k = k.min(n - k);
    (0..k).map(|i| ((n - i) as f64 / (i + 1) as f64).ln()).sum()
}

/// `C(a, b)` relative to `e^norm` (0 when `b > a`).
fn choose_rel(a: usize, b: usize, norm: f64) -> f64 {
    if b > a {
        0.0
    } else {
        (ln_choose(a, b) - norm).exp()
    }
}

/// The exact runs test on signs (`true` positive): `None` when one sign is missing.
///
/// With `n₁` positives and `n₂` negatives in random order, the number of runs `R` has
/// `P(R = 2k) = 2 C(n₁−1, k−1) C(n₂−1, k−1) / C(n, n₁)` and
/// `P(R = 2k+1) = [C(n₁−1, k−1) C(n₂−1, k) + C(n₁−1, k) C(n₂−1, k−1)] / C(n, n₁)`.
pub fn runs_test(signs: &[bool]) -> Option<RunsTest> {
    let n1 = signs.iter().filter(|&&s| s).count();
    let n2 = signs.len() - n1;
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let runs = 1 + signs.windows(2).filter(|w| w[0] != w[1]).count();
    let norm = ln_choose(n1 + n2, n1);
    let prob = |r: usize| {
        let k = r / 2;
        if r.is_multiple_of(2) {
            2.0 * choose_rel(n1 - 1, k - 1, norm / 2.0) * choose_rel(n2 - 1, k - 1, norm / 2.0)
        } else {
            choose_rel(n1 - 1, k - 1, norm / 2.0) * choose_rel(n2 - 1, k, norm / 2.0)
                + choose_rel(n1 - 1, k, norm / 2.0) * choose_rel(n2 - 1, k - 1, norm / 2.0)
        }
    };
    let p: f64 = (2..=runs).map(prob).sum();
    Some(RunsTest {
        runs,
        positive: n1,
        negative: n2,
        expected: 1.0 + 2.0 * (n1 * n2) as f64 / (n1 + n2) as f64,
        p: p.min(1.0),
        p_min: prob(2),
    })
}

/// The runs test on a fit's residual signs (binding observations in time order, zero residuals
/// left out).
pub fn residual_runs(fit: &Fit) -> Option<RunsTest> {
    let signs: Vec<bool> = fit
        .observations()
        .iter()
        .filter(|o| o.binding && o.residual != 0.0)
        .map(|o| o.residual > 0.0)
        .collect();
    runs_test(&signs)
}

/// One ranked candidate as the verdict sees it.
pub(crate) type Entry<'a> = (CandidateId, &'a Fit);

/// The reasons a fit is not identified, from its own warnings.
fn own_reasons(fit: &Fit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let unidentified: Vec<String> = fit
        .warnings()
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::NotIdentified | WarningKind::CeilingBeyondData
            )
        })
        .map(|w| w.message.clone())
        .collect();
    if !unidentified.is_empty() {
        reasons.push(Reason::NotIdentified {
            warnings: unidentified,
        });
    }
    reasons
}

/// The verdict on candidate `me` among the ranked `entries`.
pub(crate) fn verdict(
    me: CandidateId,
    fit: &Fit,
    entries: &[Entry<'_>],
    opts: &TrustOptions,
) -> Trust {
    let mut reasons = own_reasons(fit);
    let least = entries
        .iter()
        .map(|e| e.1)
        .chain([fit])
        .min_by_key(|f| f.dof())
        .unwrap_or(fit);
    if least.dof() < opts.min_dof.max(1) {
        reasons.push(Reason::TooFewPoints {
            model: least.label().to_string(),
            dof: least.dof(),
            min_dof: opts.min_dof.max(1),
        });
    }
    let mine = entries.iter().find(|e| e.0 == me).map(|e| e.1.aic());
    let others = entries
        .iter()
        .filter(|e| e.0 != me && e.1.error_model() == fit.error_model());
    if let Some(mine) = mine {
        // The closest rival within the margin, and the best rival beyond it.
        let mut close: Option<(&Fit, f64)> = None;
        let mut beaten: Option<(&Fit, f64)> = None;
        for &(_, f) in others.clone() {
            let d = f.aic() - mine;
            let margin = if f.is_identified() {
                opts.margin
            } else {
                opts.margin_unidentified
            };
            if d < -margin {
                if beaten.is_none_or(|b| d < b.1) {
                    beaten = Some((f, d));
                }
            } else if d <= margin && close.is_none_or(|c| d.abs() < c.1.abs()) {
                close = Some((f, d));
            }
        }
        if let Some((f, d)) = beaten {
            reasons.push(Reason::BeatenBy {
                model: f.label().to_string(),
                delta_aic: -d,
            });
        }
        if let Some((f, d)) = close {
            reasons.push(Reason::OtherModelPlausible {
                model: f.label().to_string(),
                delta_aic: d,
            });
        }
    }
    if let Some(t) = residual_runs(fit) {
        if t.p_min <= opts.runs_alpha && t.p <= opts.runs_alpha {
            reasons.push(Reason::ResidualRuns {
                runs: t.runs,
                expected: t.expected,
                p: t.p,
            });
        }
    }
    let flexible = others
        .filter(|e| e.1.n_free() > fit.n_free() && e.1.residual_sd() > 0.0)
        .max_by(|a, b| {
            (a.1.n_free(), -a.1.residual_sd())
                .partial_cmp(&(b.1.n_free(), -b.1.residual_sd()))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    if let Some(&(_, f)) = flexible {
        let ratio = fit.residual_sd() / f.residual_sd();
        if ratio > opts.sd_ratio {
            reasons.push(Reason::SdAboveFlexible {
                model: f.label().to_string(),
                ratio,
            });
        }
    }
    Trust::from_reasons(reasons)
}

impl Comparison {
    /// The verdict on one candidate with the default thresholds (see the [module](self)).
    pub fn trust(&self, id: CandidateId) -> Trust {
        self.trust_with(id, &TrustOptions::default())
    }

    /// The verdict on one candidate with the given thresholds.
    pub fn trust_with(&self, id: CandidateId, opts: &TrustOptions) -> Trust {
        let Some(c) = self.candidates.get(id.0).filter(|c| c.id == id) else {
            return Trust::from_reasons(vec![Reason::NotFitted {
                error: format!("no candidate {id} in this comparison"),
            }]);
        };
        let fit = match &c.fit {
            Ok(f) => f,
            Err(e) => {
                return Trust::from_reasons(vec![Reason::NotFitted {
                    error: e.to_string(),
                }])
            }
        };
        let entries: Vec<Entry<'_>> = self
            .ranking
            .iter()
            .filter_map(|r| self.fit(r.id).map(|f| (r.id, f)))
            .collect();
        verdict(id, fit, &entries, opts)
    }
}
