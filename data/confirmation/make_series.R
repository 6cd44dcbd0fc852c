# Builds the confirmation corpus (data/confirmation/series.csv) from data bundled in the
# Debian packages r-cran-aer, r-cran-forecast and r-cran-tseries.
# Run from anywhere: Rscript data/confirmation/make_series.R
# Selection, aggregation and windowing rules: data/confirmation/README.md (same as
# data/evaluation/README.md). Deterministic; refuses to write when a check fails.
# No forecast is run here.

suppressPackageStartupMessages({
  library(AER)
  library(forecast)
  library(tseries)
})

args <- commandArgs(trailingOnly = FALSE)
self <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- dirname(normalizePath(self))
out_file <- file.path(out_dir, "series.csv")

WINDOW <- 12L  # points per window
MIN_POINTS <- 8L  # a remainder (or a whole series) shorter than this is dropped

num <- function(x) vapply(x, function(v) format(v, digits = 15, scientific = FALSE, trim = TRUE), "")
csv_field <- function(s) ifelse(grepl("[\",\n]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)

recs <- list()  # one data.frame per window

add_series <- function(name, source, quantity, time, value) {
  stopifnot(length(time) == length(value), !anyNA(time), !anyNA(value),
            !is.unsorted(time, strictly = TRUE))
  n <- length(time)
  for (s in seq(1L, n, by = WINDOW)) {
    idx <- s:min(s + WINDOW - 1L, n)
    if (length(idx) < MIN_POINTS) next
    t <- time[idx]
    label <- sprintf("%s[%d-%d]", name, as.integer(floor(t[1])), as.integer(floor(t[length(t)])))
    recs[[length(recs) + 1L]] <<- data.frame(series = label, source = source, quantity = quantity,
                                             time = t, value = value[idx], stringsAsFactors = FALSE)
  }
}

# Annual aggregation of a seasonal ts: complete calendar years only.
annual <- function(x, how) {
  f <- frequency(x)
  yr <- floor(as.numeric(time(x)) + 1e-8)
  v <- as.numeric(x)
  years <- sort(unique(yr))
  complete <- years[vapply(years, function(y) sum(yr == y) == f, TRUE)]
  a <- vapply(complete, function(y) {
    s <- sum(v[yr == y])
    if (how == "total") s else s / f
  }, 0)
  list(time = complete + 0.5, value = a)
}
add_annual <- function(name, source, quantity, x, how) {
  a <- annual(x, how)
  add_series(name, source, quantity, a$time, a$value)
}
yearly <- function(x) as.numeric(time(x)) + 0.5
quarterly <- function(x) floor(as.numeric(time(x)) + 1e-8) + (as.integer(cycle(x)) - 0.5) / 4

aer <- function(d) paste0("R AER::", d)

# --- AER (Kleiber & Zeileis), Franses (1998) data sets --------------------------------------
data("ChinaIncome", package = "AER")
for (v in colnames(ChinaIncome)) {
  add_series(paste0("ChinaIncome.", v), aer("ChinaIncome"),
             sprintf("Chinese real national income, %s sector (index; unit not given by the source)", v),
             yearly(ChinaIncome), as.numeric(ChinaIncome[, v]))
}
data("UKNonDurables", package = "AER")
add_annual("UKNonDurables", aer("UKNonDurables"),
           "UK consumption of non-durables (unit not given by the source), calendar-year total of quarters",
           UKNonDurables, "total")
data("USProdIndex", package = "AER")
add_series("USProdIndex.adjusted", aer("USProdIndex"),
           "US index of industrial production, seasonally adjusted (base not given by the source), quarterly",
           quarterly(USProdIndex), as.numeric(USProdIndex[, "adjusted"]))
data("ArgentinaCPI", package = "AER")
add_annual("ArgentinaCPI", aer("ArgentinaCPI"),
           "Argentina consumer price index (base not given by the source), calendar-year mean of quarters",
           ArgentinaCPI, "mean")
data("PepperPrice", package = "AER")
for (v in c("black", "white")) {
  add_annual(paste0("PepperPrice.", v), aer("PepperPrice"),
             sprintf("average European spot price of %s pepper (US dollars per ton), calendar-year mean of monthly values", v),
             PepperPrice[, v], "mean")
}
data("DutchSales", package = "AER")
add_annual("DutchSales", aer("DutchSales"),
           "Dutch retail sales index (base not given by the source), calendar-year mean of monthly values",
           DutchSales, "mean")
data("MotorCycles2", package = "AER")
add_series("MotorCycles2", aer("MotorCycles2"),
           "motor cycles in the Netherlands (number; unit not given by the source)",
           yearly(MotorCycles2), as.numeric(MotorCycles2))
data("OlympicTV", package = "AER")
add_series("OlympicTV.rights", aer("OlympicTV"),
           "US television rights for the Summer Olympic Games (million US dollars), every 4 years",
           yearly(OlympicTV$rights), as.numeric(OlympicTV$rights))
data("DutchAdvert", package = "AER")
for (v in c("tv", "radio")) {
  add_annual(paste0("DutchAdvert.", v), aer("DutchAdvert"),
             sprintf("Dutch %s advertising expenditures (unit not given by the source), calendar-year total of 13 four-weekly periods",
                     if (v == "tv") "television" else "radio"),
             DutchAdvert[, v], "total")
}
# --- AER, Baltagi (2002) / Greene (2003) data sets -----------------------------------------
data("OrangeCounty", package = "AER")
add_annual("OrangeCounty.employment", aer("OrangeCounty"),
           "employment in Orange County, California (unit not given by the source), calendar-year mean of quarters",
           OrangeCounty[, "employment"], "mean")
data("USAirlines", package = "AER")
ua <- USAirlines[order(USAirlines$firm, as.integer(as.character(USAirlines$year))), ]
for (f in levels(ua$firm)) {
  d <- ua[ua$firm == f, ]
  t <- as.integer(as.character(d$year)) + 0.5
  add_series(sprintf("USAirlines.firm%s.output", f), aer("USAirlines"),
             sprintf("US airline firm %s: output, revenue passenger miles (index number)", f), t, d$output)
  add_series(sprintf("USAirlines.firm%s.cost", f), aer("USAirlines"),
             sprintf("US airline firm %s: total cost (thousand US dollars)", f), t, d$cost)
  add_series(sprintf("USAirlines.firm%s.price", f), aer("USAirlines"),
             sprintf("US airline firm %s: fuel price (unit not given by the source)", f), t, d$price)
}

# --- forecast (Hyndman), Time Series Data Library series -----------------------------------
add_annual("gas", "R forecast::gas",
           "Australian gas production (unit not given by the source), calendar-year total of monthly values",
           forecast::gas, "total")
add_annual("wineind", "R forecast::wineind",
           "Australian total wine sales by wine makers in bottles <= 1 litre (unit not given by the source), calendar-year total of monthly values",
           forecast::wineind, "total")
add_annual("woolyrnq", "R forecast::woolyrnq",
           "Australian production of woollen yarn (tonnes), calendar-year total of quarters",
           forecast::woolyrnq, "total")

# --- tseries ---------------------------------------------------------------------------------
data("bev", package = "tseries")
add_series("bev", "R tseries::bev",
           "Beveridge wheat price index, annual prices averaged over many locations in western and central Europe (base not given by the source)",
           yearly(bev), as.numeric(bev))

# --- checks: refuse to write on failure ------------------------------------------------------
all <- do.call(rbind, recs)
fail <- character(0)
runs <- rle(all$series)
if (anyDuplicated(runs$values)) fail <- c(fail, "a series is split over the file")
for (s in runs$values) {
  d <- all[all$series == s, ]
  if (nrow(d) < MIN_POINTS || nrow(d) > WINDOW) fail <- c(fail, paste(s, ": window size", nrow(d)))
  if (is.unsorted(d$time, strictly = TRUE)) fail <- c(fail, paste(s, ": times not sorted/unique"))
  if (any(!is.finite(d$value)) || any(d$value <= 0)) fail <- c(fail, paste(s, ": non-positive or missing value"))
  if (length(unique(d$source)) != 1L || length(unique(d$quantity)) != 1L) fail <- c(fail, paste(s, ": two sources"))
}
under <- sub("\\[.*$", "", all$series)
if (any(tapply(all$source, under, function(x) length(unique(x))) != 1L)) fail <- c(fail, "an underlying series has two sources")
if (length(fail)) {
  cat("make_series.R: checks failed, nothing written:\n", paste(fail, collapse = "\n"), "\n", sep = "")
  quit(status = 1)
}

rows <- paste(csv_field(all$series), csv_field(all$source), csv_field(all$quantity),
              num(all$time), num(all$value), sep = ",")
con <- file(out_file, open = "wb")
writeLines(c("series,source,quantity,time,value", rows), con, sep = "\n")
close(con)
cat(sprintf("make_series.R: wrote %d windows from %d series, %d rows to %s\n",
            length(runs$values), length(unique(under)), length(rows), out_file))
