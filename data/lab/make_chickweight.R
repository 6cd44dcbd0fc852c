# Writes chickweight.csv from R's built-in ChickWeight data set (package datasets):
#   Rscript data/lab/make_chickweight.R   (from the repository root; R 4.2.2 made the file)
# One row per weighing: chick (series), day (time, with its unit), weight in grams, diet.
d <- ChickWeight
d <- d[order(as.integer(as.character(d$Chick)), d$Time), ]
out <- data.frame(series = paste0("chick_", d$Chick), time = d$Time, time_unit = "day",
                  value = d$weight, unit = "g", diet = d$Diet)
dir <- if (dir.exists("data/lab")) "data/lab" else "."
write.csv(out, file.path(dir, "chickweight.csv"), row.names = FALSE, quote = FALSE)
