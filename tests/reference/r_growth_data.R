#!/usr/bin/env Rscript
# R reference values for fits of R's classic growth data sets with no start values.
#
# Run from the repository root (R >= 4.2, base packages only):
#     Rscript tests/reference/r_growth_data.R
# It prints every case and rewrites tests/reference/r_growth_data.json, which
# tests/r_growth_data.rs reads. Numbers are written with 17 significant digits; the data points
# themselves are stored too, so the Rust test does not need R.
#
# Data (R's `datasets` package), time axis in days, additive errors (nls's y ~ f):
#   Orange:     each of the 5 trees, circumference (mm) by age (days since 1968-12-31), logistic.
#   ChickWeight: chicks 1-6, the first six by Chick id that have all 12 weighings (days 0, 2, ...,
#               20, 21), body weight (g) by day; logistic and Gompertz. For chick 1, nls's
#               SSgompertz fails ("step factor reduced below minFactor"); the case records R's
#               error and a fallback fit (see `fallback` below): the least-squares point exists,
#               K ~ 5.9e5 g, far beyond the data and not determined by them.
#   DNase:      each of the 11 runs of the ELISA assay, optical density by log concentration
#               (time axis t = log(conc), conc in ng/ml: -3.02 to 2.53, so negative times), 16
#               points at 8 concentrations: every concentration measured twice (replicates);
#               logistic (R's own example: nls(density ~ SSlogis(log(conc), Asym, xmid, scal))).
#               With replicates, each case also gets a lack-of-fit test, stored under
#               "lack_of_fit": pure-error SS = sum over concentrations of the squared deviations
#               from the concentration's mean (df n - m, m distinct times), lack-of-fit SS =
#               RSS - pure-error SS (df m - p), F = (SS_lof / (m - p)) / (SS_pe / (n - m)) and its
#               upper-tail p-value pf(F, m - p, n - m, lower.tail = FALSE). The script checks the
#               formulas against R's own anova(nls fit, lm(y ~ factor(t))), the same test by
#               nested models, to 1e-10.
#
# Each case is fitted twice:
#   1. R's self-starting model, as a user would: nls(y ~ SSlogis(t, Asym, xmid, scal)) or
#      nls(y ~ SSgompertz(t, Asym, b2, b3)), default control. Stored under "self_start".
#   2. nls on the crate's own formula, started from fit 1 mapped to the crate's parameters, at a
#      tight tolerance (the first of nls offsets 1e-10, 1e-8, 1e-6 that converges; stored as
#      "nls_tol"). Its estimates, standard errors (summary()$coefficients), residual SD
#      (sigma()), RSS and degrees of freedom are the reference ("estimate", "std_error", ...), so
#      the standard errors come from R directly, not from a conversion.
#        logistic  K / (1 + exp(-r (t - tm)))      K = Asym, r = 1/scal,   tm = xmid
#        gompertz  K * exp(-exp(-r (t - tm)))      K = Asym, r = -log(b3), tm = log(b2) / r
#      (SSlogis: Asym / (1 + exp((xmid - t) / scal)); SSgompertz: Asym * exp(-b2 * b3^t).)
#   The script stops unless the two fits agree: the refit's RSS no higher than fit 1's (to 1e-9),
#   mapped estimates to 1e-4 (fit 1 stops at nls's default offset 1e-5), and fit 1's standard
#   errors carried over by the delta method (exact for the linearised covariance) to 1e-3.

models <- list(
  logistic = list(
    ss = "y ~ SSlogis(t, Asym, xmid, scal)",
    rhs = "K / (1 + exp(-r * (t - tm)))",
    # crate parameters and their Jacobian d(K, r, tm)/d(Asym, xmid, scal) from the SS estimates
    map = function(p) c(K = p[["Asym"]], r = 1 / p[["scal"]], tm = p[["xmid"]]),
    jac = function(p) rbind(c(1, 0, 0), c(0, 0, -1 / p[["scal"]]^2), c(0, 1, 0))),
  gompertz = list(
    ss = "y ~ SSgompertz(t, Asym, b2, b3)",
    rhs = "K * exp(-exp(-r * (t - tm)))",
    map = function(p) {
      r <- -log(p[["b3"]])
      c(K = p[["Asym"]], r = r, tm = log(p[["b2"]]) / r)
    },
    jac = function(p) {
      lb2 <- log(p[["b2"]]); lb3 <- log(p[["b3"]])
      rbind(c(1, 0, 0), c(0, 0, -1 / p[["b3"]]),
            c(0, -1 / (p[["b2"]] * lb3), lb2 / (lb3^2 * p[["b3"]])))
    })
)

rel <- function(a, b) max(abs(a - b) / abs(b))

# Where the self-start fails (chick 1, Gompertz): is there a least-squares point at all? A start
# independent of the crate: for each r on a log grid, ln y = ln K - b e^(-r t) is linear (lm);
# the best r by the additive RSS gives K, r, tm = ln(b) / r. From there nls on the crate's formula
# with K on the log scale (in K itself nls does not converge: K is not determined by these data,
# SE(ln K) ~ 6), at tol 1e-6. Stored under "fallback": estimates K = exp(lK), r, tm, standard
# errors of lK, r, tm, and the RSS. The script also checks it is a minimum along K by profiling:
# refits of (r, tm) with K fixed at 0.5x and 2x the estimate must have a larger RSS.
fallback <- function(case, d) {
  if (case$model != "gompertz") stop(case$name, ": no fallback for ", case$model)
  grid <- exp(seq(log(1e-4), log(1), length.out = 400))
  loglin <- function(r) lm(log(d$y) ~ exp(-r * d$t))
  rss_at <- vapply(grid, function(r) sum((d$y - exp(fitted(loglin(r))))^2), 0)
  r0 <- grid[which.min(rss_at)]; cf <- coef(loglin(r0))
  start <- list(lK = cf[[1]], r = r0, tm = log(-cf[[2]]) / r0)
  fit <- nls(y ~ exp(lK - exp(-r * (t - tm))), d, start = start,
             control = nls.control(maxiter = 1000, tol = 1e-6, minFactor = 1e-12))
  est <- coef(fit); rss <- sum(resid(fit)^2)
  for (k in c(0.5, 2)) {
    lK <- est[["lK"]] + log(k)
    obj <- function(q) sum((d$y - exp(lK - exp(-q[1] * (d$t - q[2]))))^2)
    o <- optim(est[c("r", "tm")], obj, control = list(maxit = 20000, reltol = 1e-14))
    o <- optim(o$par, obj, method = "BFGS", control = list(maxit = 10000, reltol = 1e-16))
    if (o$value <= rss) stop(case$name, ": fallback is not a minimum along K")
  }
  list(fallback = list(
    formula = "exp(lK - exp(-r * (t - tm)))",
    estimate = list(K = exp(est[["lK"]]), r = est[["r"]], tm = est[["tm"]]),
    std_error = as.list(summary(fit)$coefficients[, 2]),
    rss = rss, residual_sd = sigma(fit), dof = df.residual(fit)))
}

run_case <- function(case) {
  m <- models[[case$model]]
  d <- data.frame(t = case$t, y = case$y)
  unit <- if (is.null(case$time_unit)) "day" else case$time_unit
  out <- list(name = case$name, dataset = case$dataset, subject = case$subject,
              model = case$model, time_unit = unit, t = case$t, y = case$y)
  ss <- tryCatch(nls(as.formula(m$ss), d), error = function(e) conditionMessage(e))
  if (is.character(ss)) {
    out$self_start_error <- sprintf("nls(%s): %s", m$ss, ss)
    return(c(out, fallback(case, d)))
  }
  ps <- coef(ss)
  start <- as.list(m$map(ps))
  fit <- NULL
  for (tol in c(1e-10, 1e-8, 1e-6)) {
    fit <- tryCatch(nls(as.formula(paste("y ~", m$rhs)), d, start = start,
                        control = nls.control(maxiter = 200, tol = tol, minFactor = 1e-12)),
                    error = function(e) NULL)
    if (!is.null(fit)) break
  }
  if (is.null(fit)) stop(case$name, ": nls on the crate's formula failed from the SS fit")
  est <- coef(fit); se <- summary(fit)$coefficients[, 2]
  # Cross-checks of the two fits (see the header).
  rss_ss <- sum(resid(ss)^2); rss <- sum(resid(fit)^2)
  if (rss > rss_ss * (1 + 1e-9)) stop(case$name, ": refit RSS above the SS fit's")
  if (rel(est, unlist(start)) > 1e-4) stop(case$name, ": refit moved ", rel(est, unlist(start)))
  J <- m$jac(ps)
  se_delta <- sqrt(diag(J %*% vcov(ss) %*% t(J)))
  if (rel(se, se_delta) > 1e-3) stop(case$name, ": delta-method SEs differ by ", rel(se, se_delta))
  res <- c(out, list(
    formula = m$rhs, nls_tol = tol,
    estimate = as.list(est), std_error = as.list(se),
    rss = rss, residual_sd = sigma(fit), dof = df.residual(fit),
    self_start = list(formula = m$ss, estimate = as.list(ps),
                      std_error = as.list(summary(ss)$coefficients[, 2]),
                      residual_sd = sigma(ss))))
  if (anyDuplicated(d$t)) res$lack_of_fit <- lack_of_fit(case, d, fit)
  res
}

# The lack-of-fit F test of a fit to data with replicates (see the header), checked against
# R's anova of the nls fit against the saturated one-mean-per-time model.
lack_of_fit <- function(case, d, fit) {
  n <- nrow(d); m <- length(unique(d$t)); p <- length(coef(fit))
  rss <- sum(resid(fit)^2)
  pe <- sum((d$y - ave(d$y, d$t))^2)
  lof <- rss - pe
  f <- (lof / (m - p)) / (pe / (n - m))
  pv <- pf(f, m - p, n - m, lower.tail = FALSE)
  a <- anova(fit, lm(y ~ factor(t), d))
  if (rel(c(a[["Res.Sum Sq"]][2], a[["Sum Sq"]][2], a[["F value"]][2], a[["Pr(>F)"]][2]),
          c(pe, lof, f, pv)) > 1e-10 || a[["Res.Df"]][2] != n - m || a[["Df"]][2] != m - p)
    stop(case$name, ": lack-of-fit formulas differ from anova()")
  list(distinct_times = m, pure_error_ss = pe, pure_error_dof = n - m,
       lack_of_fit_ss = lof, lack_of_fit_dof = m - p, f = f, p_value = pv,
       anova_f = a[["F value"]][2], anova_p_value = a[["Pr(>F)"]][2])
}

cases <- list()
for (tree in 1:5) {
  d <- Orange[as.character(Orange$Tree) == as.character(tree), ]
  cases[[length(cases) + 1]] <- list(name = sprintf("orange_tree%d_logistic", tree),
                                     dataset = "Orange", subject = sprintf("Tree %d", tree),
                                     model = "logistic", t = d$age, y = d$circumference)
}
cw <- ChickWeight
id <- as.integer(as.character(cw$Chick))
complete <- sort(unique(id[ave(id, id, FUN = length) == 12]))
for (chick in complete[1:6]) {
  d <- cw[id == chick, ]
  d <- d[order(d$Time), ]
  for (model in c("logistic", "gompertz"))
    cases[[length(cases) + 1]] <- list(name = sprintf("chick%d_%s", chick, model),
                                       dataset = "ChickWeight",
                                       subject = sprintf("Chick %d (Diet %s)", chick, d$Diet[1]),
                                       model = model, t = d$Time, y = d$weight)
}

for (run in 1:11) {
  d <- DNase[as.character(DNase$Run) == as.character(run), ]
  d <- d[order(d$conc), ]
  cases[[length(cases) + 1]] <- list(name = sprintf("dnase_run%d_logistic", run),
                                     dataset = "DNase", subject = sprintf("Run %d", run),
                                     model = "logistic", time_unit = "log(ng/ml)",
                                     t = log(d$conc), y = d$density)
}

num <- function(x) {
  if (length(x) != 1) return(paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]"))
  if (is.na(x)) "null" else sprintf("%.17g", x)
}
to_json <- function(x, indent = "") {
  ind2 <- paste0(indent, "  ")
  if (is.list(x)) {
    items <- vapply(names(x), function(k) sprintf("%s\"%s\": %s", ind2, k, to_json(x[[k]], ind2)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.character(x)) return(sprintf("\"%s\"", gsub("\"", "'", x)))
  num(x)
}

results <- lapply(cases, run_case)
names(results) <- vapply(results, function(r) r$name, "")
for (r in results) {
  cat(sprintf("\n%s (%s, %s, %s, n = %d)\n", r$name, r$dataset, r$subject, r$model, length(r$t)))
  if (!is.null(r$self_start_error)) {
    f <- r$fallback
    cat("  self-start fails:", r$self_start_error, "\n  fallback (log-linear start, K on log scale):\n")
    for (nm in names(f$estimate)) cat(sprintf("  %-3s %-22.15g\n", nm, f$estimate[[nm]]))
    cat(sprintf("  SE(lK) %.6g, rss %.15g\n", f$std_error$lK, f$rss))
    next
  }
  for (nm in names(r$estimate))
    cat(sprintf("  %-3s %-22.15g se %-22.15g\n", nm, r$estimate[[nm]], r$std_error[[nm]]))
  cat(sprintf("  residual SD %.15g, dof %d\n", r$residual_sd, r$dof))
  if (!is.null(r$lack_of_fit)) {
    l <- r$lack_of_fit
    cat(sprintf("  lack of fit: F = %.10g on %d and %d DF, p = %.10g (pure error SS %.10g)\n",
                l$f, l$lack_of_fit_dof, l$pure_error_dof, l$p_value, l$pure_error_ss))
  }
}
meta <- list(r_version = R.version.string, script = "tests/reference/r_growth_data.R",
             error_model = "additive",
             time_unit = "day (Orange, ChickWeight); log(ng/ml), natural log (DNase)")
writeLines(to_json(list(meta = meta, cases = results)), "tests/reference/r_growth_data.json")
