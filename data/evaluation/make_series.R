# Builds the R part of the evaluation corpus of issue 18 (data/evaluation/series.csv).
# Run from anywhere: Rscript data/evaluation/make_series.R
# It writes the header and the rows of the R data sets; make_series.py then adds the
# rows of the Python (statsmodels) data sets and checks the whole file.
# Selection, aggregation and windowing rules: data/evaluation/README.md.

args <- commandArgs(trailingOnly = FALSE)
self <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- dirname(normalizePath(self))
out_file <- file.path(out_dir, "series.csv")

WINDOW <- 12L  # points per window
MIN_POINTS <- 8L  # a remainder (or a whole series) shorter than this is dropped

num <- function(x) vapply(x, function(v) format(v, digits = 15, scientific = FALSE, trim = TRUE), "")

csv_field <- function(s) ifelse(grepl("[\",\n]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)

rows <- character(0)

# Adds one series, cut into consecutive windows of WINDOW points (remainder kept if >= MIN_POINTS).
add_series <- function(name, source, quantity, time, value) {
  stopifnot(length(time) == length(value), !anyNA(time), !anyNA(value), !is.unsorted(time, strictly = TRUE))
  n <- length(time)
  starts <- seq(1L, n, by = WINDOW)
  for (s in starts) {
    idx <- s:min(s + WINDOW - 1L, n)
    if (length(idx) < MIN_POINTS) next
    t <- time[idx]
    label <- sprintf("%s[%d-%d]", name, as.integer(floor(t[1])), as.integer(floor(t[length(t)])))
    rows <<- c(rows, paste(csv_field(label), csv_field(source), csv_field(quantity), num(t), num(value[idx]), sep = ","))
  }
}

# Annual aggregation of a seasonal ts: keeps complete calendar years only.
annual <- function(x, how) {
  f <- frequency(x)
  yr <- floor(time(x) + 1e-8)
  years <- sort(unique(yr))
  complete <- years[vapply(years, function(y) sum(yr == y) == f, TRUE)]
  v <- vapply(complete, function(y) {
    s <- sum(as.numeric(x)[yr == y])
    if (how == "total") s else s / f
  }, 0)
  list(time = complete + 0.5, value = v)
}

ds <- function(name) paste0("R datasets::", name)

# uspop: decennial census, time = census year + 0.5
add_series("uspop", ds("uspop"), "US population at the decennial census (millions)",
           as.numeric(time(uspop)) + 0.5, as.numeric(uspop))

# airmiles: annual
add_series("airmiles", ds("airmiles"), "revenue passenger miles flown by US commercial airlines (millions)",
           as.numeric(time(airmiles)) + 0.5, as.numeric(airmiles))

# austres: quarterly stock, not seasonal -> kept quarterly; time = year + (q - 0.5)/4
q <- as.integer(cycle(austres))
add_series("austres", ds("austres"), "Australian residents (thousands), quarterly",
           floor(as.numeric(time(austres)) + 1e-8) + (q - 0.5) / 4, as.numeric(austres))

# Seasonal sub-annual series -> calendar-year totals or means
a <- annual(AirPassengers, "total")
add_series("AirPassengers", ds("AirPassengers"), "international airline passengers (thousands), calendar-year total of monthly totals",
           a$time, a$value)
a <- annual(UKgas, "total")
add_series("UKgas", ds("UKgas"), "UK gas consumption (millions of therms), calendar-year total of quarters",
           a$time, a$value)
a <- annual(JohnsonJohnson, "total")
add_series("JohnsonJohnson", ds("JohnsonJohnson"), "earnings per Johnson & Johnson share (US dollars), calendar-year total of quarters",
           a$time, a$value)
a <- annual(co2, "mean")
add_series("co2", ds("co2"), "atmospheric CO2 at Mauna Loa (ppm), calendar-year mean of monthly values",
           a$time, a$value)
a <- annual(Seatbelts[, "kms"], "total")
add_series("Seatbelts.kms", ds("Seatbelts"), "distance driven in Great Britain (unit not given by the source), calendar-year total of monthly values",
           a$time, a$value)

# longley: annual 1947-1962
lt <- longley$Year + 0.5
add_series("longley.GNP", ds("longley"), "US Gross National Product (unit not given by the source)", lt, longley$GNP)
add_series("longley.GNP.deflator", ds("longley"), "US GNP implicit price deflator (1954 = 100)", lt, longley$GNP.deflator)
add_series("longley.Population", ds("longley"), "US noninstitutionalized population aged 14 and over (unit not given by the source)", lt, longley$Population)
add_series("longley.Employed", ds("longley"), "US number of people employed (unit not given by the source)", lt, longley$Employed)

header <- "series,source,quantity,time,value"
con <- file(out_file, open = "wb")
writeLines(c(header, rows), con, sep = "\n")
close(con)
cat(sprintf("make_series.R: wrote %d rows to %s\n", length(rows), out_file))
