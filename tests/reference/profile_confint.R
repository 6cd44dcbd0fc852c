#!/usr/bin/env Rscript
# Independent R reference values for the crate's profile-likelihood parameter intervals.
#
# Run from the repository root (R >= 4.2; MASS is needed for R < 4.4, where confint.nls lives):
#     Rscript tests/reference/profile_confint.R
# It prints every case and rewrites tests/reference/profile_confint.json, which
# tests/reference_r_profile.rs reads. Numbers are written with 17 significant digits.
#
# For every case it records two independent sets of interval ends:
#   "confint": R's confint() on the nls fit (MASS::confint.nls -> profile.nls + spline
#              interpolation of the profile-t function; exact up to that interpolation).
#   "exact":   the crossings tau(v) = t_{n-p}(1 - alpha/2) of the profile-t function
#              tau(v) = sqrt((RSS(v) - RSS_min) / s^2), s^2 = RSS_min / (n - p),
#              found here by refitting the other parameters with nls() at each v (warm starts,
#              walking out from the estimate) and uniroot() at tol 1e-12. Where tau stays
#              below the threshold out to a factor 1e8 from the estimate (log scale, positive
#              parameters) the end is recorded as null ("no bound from these data"), together
#              with the largest tau seen on that side.
# Times are calendar years (uspop: 1790, 1800, ..., 1970; values in millions).
# Multiplicative error = nls on log(y) ~ log(f); additive = nls on y ~ f.
suppressPackageStartupMessages(library(MASS))

models <- list(
  logistic = list(names = c("K", "r", "tm"),
                  f = function(t, p) p[["K"]] / (1 + exp(-p[["r"]] * (t - p[["tm"]])))),
  gompertz = list(names = c("K", "r", "tm"),
                  f = function(t, p) p[["K"]] * exp(-exp(-p[["r"]] * (t - p[["tm"]])))),
  exponential = list(names = c("y0", "r"),
                     # t0 fixed at the first year of the series (the crate's default)
                     f = function(t, p) p[["y0"]] * exp(p[["r"]] * (t - p[["t0"]])))
)

us_t <- as.numeric(time(uspop))
us_y <- as.numeric(uspop)

# Residuals of a case at parameter vector p (named); the fitted quantity is log y or y.
resid_fun <- function(case, p) {
  f <- models[[case$model]]$f(case$t, c(p, t0 = case$t[1]))
  if (case$error == "multiplicative") log(case$y) - log(f) else case$y - f
}

# Least squares over the free parameters (all but `fixed`), by nls() on a zero response.
ls_fit <- function(case, start, fixed = list()) {
  # The case is captured in a closure: nls() would take a list variable whose length
  # happens to equal n for a data column.
  env <- list2env(c(fixed, list(.rf = function(p) resid_fun(case, p), .zero = rep(0, length(case$t)))))
  free <- setdiff(names(start), names(fixed))
  form <- as.formula(sprintf(".zero ~ .rf(c(%s))",
                             paste(sprintf("%s = %s", names(start), names(start)), collapse = ", ")))
  environment(form) <- env
  try_one <- function(st, ctl) tryCatch(nls(form, data = env, start = st[free], control = ctl), error = function(e) NULL)
  # nls() stops on its relative-offset criterion; an offset of 1e-6 already leaves the RSS
  # within ~1e-12 relative of its minimum, so the ladder only trades time for digits.
  for (tol in c(1e-10, 1e-8, 1e-6)) {
    fit <- try_one(start, nls.control(maxiter = 100, tol = tol, minFactor = 1e-12))
    if (!is.null(fit)) break
  }
  if (is.null(fit)) return(NULL)
  p <- start
  p[free] <- as.list(coef(fit))
  p[names(fixed)] <- fixed
  list(p = p, rss = sum(resid(fit)^2))
}

# The exact profile-t crossings of parameter `name` (uniroot on tau - threshold).
exact_ends <- function(case, fit, name, level) {
  n <- length(case$t); np <- length(fit$est)
  s2 <- fit$rss / (n - np)
  thr <- qt(0.5 + level / 2, n - np)
  est <- fit$est[[name]]
  logscale <- est > 0 && name %in% c("K", "y0")
  to <- function(v) if (logscale) log(v) else v
  from <- function(x) if (logscale) exp(x) else x
  tau_at <- function(x, warm) {
    fixed <- setNames(list(from(x)), name)
    r <- ls_fit(case, warm, fixed)
    if (is.null(r)) return(NULL)
    r$tau <- sqrt(max(r$rss - fit$rss, 0) / s2)
    r
  }
  x0 <- to(est)
  h0 <- if (logscale) min(fit$se[[name]] / est, 1) else fit$se[[name]]
  reach <- if (logscale) log(1e8) else 1e8 * max(h0, abs(x0))
  one_side <- function(dir) {
    warm <- as.list(fit$est); inside <- x0; step <- h0; max_tau <- 0
    repeat {
      x <- inside + dir * step
      r <- tau_at(x, warm)
      if (is.null(r)) {
        # No least-squares point there (e.g. a ceiling below the data): step back in.
        step <- step / 2
        if (step < 1e-9 * h0) stop(sprintf("%s: refit failed at %s = %g", case$name, name, from(x)))
        next
      }
      if (r$tau > thr) {
        g <- function(z) tau_at(z, warm)$tau - thr
        root <- uniroot(g, sort(c(inside, x)), tol = 1e-12 * max(1, abs(x0)))$root
        return(list(end = from(root), max_tau = NA))
      }
      max_tau <- max(max_tau, r$tau)
      inside <- x; warm <- r$p
      if (abs(x - x0) > reach) return(list(end = NA, max_tau = max_tau))
      step <- 2 * step
    }
  }
  list(lower = one_side(-1), upper = one_side(1), threshold = thr)
}

run_case <- function(case) {

  f0 <- ls_fit(case, case$start)
  if (is.null(f0)) stop(case$name, ": nls failed")
  # R's own nls object for confint(): the model written out as a formula.
  d <- data.frame(t = case$t, y = case$y)
  rhs <- switch(case$model,
                logistic = "K / (1 + exp(-r * (t - tm)))",
                gompertz = "K * exp(-exp(-r * (t - tm)))",
                exponential = sprintf("y0 * exp(r * (t - %.17g))", case$t[1]))
  lhs <- if (case$error == "multiplicative") sprintf("log(y) ~ log(%s)", rhs) else sprintf("y ~ %s", rhs)
  # nls() with its default control (tol 1e-5), started at the optimum: confint() profiles with
  # the fit's control, and a tighter tol makes profile.nls stop with errors.
  for (tol in c(1e-5, 1e-4)) {
    nfit <- tryCatch(nls(as.formula(lhs), d, start = f0$p, control = nls.control(tol = tol)),
                     error = function(e) NULL)
    if (!is.null(nfit)) break
  }
  if (is.null(nfit)) stop(case$name, ": nls failed from its own optimum")
  est <- f0$p; se <- as.list(summary(nfit)$coefficients[, 2])
  fit <- list(est = est, se = se, rss = f0$rss)
  ci <- tryCatch(suppressMessages(confint(nfit, level = case$level)),
                 error = function(e) conditionMessage(e))
  out <- list(name = case$name, model = case$model, error = case$error, level = case$level,
              t = case$t, y = case$y, estimate = est, std_error = se, rss = fit$rss,
              dof = length(case$t) - length(est), params = list())
  if (is.character(ci)) out$confint_error <- ci
  for (nm in if (is.null(case$which)) names(est) else case$which) {
    ex <- exact_ends(case, fit, nm, case$level)
    out$params[[nm]] <- list(
      exact_lower = ex$lower$end, exact_upper = ex$upper$end,
      max_tau_lower = ex$lower$max_tau, max_tau_upper = ex$upper$max_tau,
      threshold = ex$threshold,
      confint_lower = if (is.character(ci)) NA else ci[nm, 1],
      confint_upper = if (is.character(ci)) NA else ci[nm, 2])
  }
  out
}

sub <- function(idx) list(t = us_t[idx], y = us_y[idx])
u <- sub(1:19); u6 <- sub(1:6); early <- sub(1:4)
cases <- list(
  c(list(name = "uspop_logistic_mult", model = "logistic", error = "multiplicative", level = 0.95,
         start = list(K = 300, r = 0.03, tm = 1920)), u),
  c(list(name = "uspop_logistic_add", model = "logistic", error = "additive", level = 0.95,
         start = list(K = 300, r = 0.03, tm = 1920)), u),
  c(list(name = "uspop_logistic_add_90", model = "logistic", error = "additive", level = 0.90,
         start = list(K = 300, r = 0.03, tm = 1920)), u),
  c(list(name = "uspop6_exponential_mult", model = "exponential", error = "multiplicative",
         level = 0.95, start = list(y0 = 4, r = 0.03)), u6),
  c(list(name = "uspop6_exponential_add", model = "exponential", error = "additive",
         level = 0.95, start = list(y0 = 4, r = 0.03)), u6),
  c(list(name = "uspop_gompertz_mult", model = "gompertz", error = "multiplicative", level = 0.95,
         start = list(K = 1000, r = 0.007, tm = 2050)), u),
  c(list(name = "uspop_gompertz_add", model = "gompertz", error = "additive", level = 0.95,
         start = list(K = 1000, r = 0.007, tm = 2050)), u),
  c(list(name = "early_logistic_mult", model = "logistic", error = "multiplicative", level = 0.95,
         start = list(K = 80.06, r = 0.03262, tm = 1880.9),
         # Only K: holding r below the data's growth rate leaves no least-squares point (the
         # infimum is the exponential limit K, tm -> infinity), so r and tm have no profile here.
         which = "K"), early)
)

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

results <- lapply(cases, function(c) { t0 <- proc.time()[[3]]; r <- run_case(c); message(c$name, " ", round(proc.time()[[3]] - t0, 1), " s"); r })
names(results) <- vapply(results, function(r) r$name, "")
for (r in results) {
  cat(sprintf("\n%s (%s, %s, level %.2f, n = %d, dof = %d)\n", r$name, r$model, r$error, r$level,
              length(r$t), r$dof))
  if (!is.null(r$confint_error)) cat("  confint() failed:", r$confint_error, "\n")
  for (nm in names(r$params)) {
    q <- r$params[[nm]]
    cat(sprintf("  %-3s est %-14.8g exact [%-14.8g, %-14.8g] confint [%-14.8g, %-14.8g]\n", nm,
                r$estimate[[nm]], q$exact_lower, q$exact_upper, q$confint_lower, q$confint_upper))
  }
}
meta <- list(r_version = R.version.string, mass_version = as.character(packageVersion("MASS")),
             script = "tests/reference/profile_confint.R")
writeLines(to_json(list(meta = meta, cases = results)), "tests/reference/profile_confint.json")
