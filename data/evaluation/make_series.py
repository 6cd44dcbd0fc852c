"""Adds the Python (statsmodels) rows to data/evaluation/series.csv and checks the whole file.

Run after make_series.R, with the statsmodels venv:
    Rscript data/evaluation/make_series.R && /work/venv-eval/bin/python data/evaluation/make_series.py
It keeps the header and the rows of the R data sets written by make_series.R (rows whose
source starts with "R "), replaces any earlier Python rows, and fails (exit status 1) if a
check of the corpus fails. Values of the statsmodels CSV files are copied as text, as given.
Rules: data/evaluation/README.md.
"""

import csv
import io
import os
import sys
from collections import defaultdict

import statsmodels.datasets as smd

WINDOW = 12  # points per window
MIN_POINTS = 8  # a remainder (or a whole series) shorter than this is dropped
HEADER = ["series", "source", "quantity", "time", "value"]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "series.csv")
DATA = os.path.dirname(smd.__file__)


def num(x):
    """Formats a computed number like R's format(x, digits = 15)."""
    return "%.15g" % x


def read_source_csv(rel):
    with open(os.path.join(DATA, rel), newline="") as f:
        return list(csv.DictReader(f))


def windows(name, source, quantity, times, values):
    """Cuts one series into consecutive windows of WINDOW points; keeps a remainder >= MIN_POINTS."""
    assert len(times) == len(values)
    out = []
    for s in range(0, len(times), WINDOW):
        t = times[s : s + WINDOW]
        v = values[s : s + WINDOW]
        if len(t) < MIN_POINTS:
            continue
        label = "%s[%d-%d]" % (name, int(t[0]), int(t[-1]))
        out += [[label, source, quantity, num(ti), vi] for ti, vi in zip(t, v)]
    return out


MACRO = [
    ("realgdp", "US real GDP (billions of chained 2005 US dollars, seasonally adjusted annual rate), quarterly"),
    ("realcons", "US real personal consumption expenditures (billions of chained 2005 US dollars, seasonally adjusted annual rate), quarterly"),
    ("realinv", "US real gross private domestic investment (billions of chained 2005 US dollars, seasonally adjusted annual rate), quarterly"),
    ("realgovt", "US real federal consumption expenditures and gross investment (billions of chained 2005 US dollars, seasonally adjusted annual rate), quarterly"),
    ("realdpi", "US real private disposable income (billions of chained 2005 US dollars, seasonally adjusted annual rate), quarterly"),
    ("cpi", "US consumer price index for all urban consumers, end of quarter (1982-84 = 100, seasonally adjusted), quarterly"),
    ("m1", "US M1 nominal money stock, end of quarter (seasonally adjusted; billions of US dollars), quarterly"),
    ("pop", "US total population incl. armed forces overseas, end of quarter (millions), quarterly"),
]

GRUNFELD = [
    ("invest", "gross investment of the firm (millions of 1947 US dollars)"),
    ("value", "market value of the firm on Dec. 31 (millions of 1947 US dollars)"),
    ("capital", "stock of plant and equipment of the firm (millions of 1947 US dollars)"),
]


def macrodata_rows():
    src = "Python statsmodels.datasets.macrodata"
    rows = read_source_csv("macrodata/macrodata.csv")
    times = [float(r["year"]) + (int(float(r["quarter"])) - 0.5) / 4 for r in rows]
    out = []
    for col, quantity in MACRO:
        out += windows("macrodata." + col, src, quantity, times, [r[col] for r in rows])
    return out


def grunfeld_rows():
    src = "Python statsmodels.datasets.grunfeld"
    rows = read_source_csv("grunfeld/grunfeld.csv")
    firms = []
    for r in rows:
        if r["firm"] not in firms:
            firms.append(r["firm"])
    out = []
    for col, quantity in GRUNFELD:
        for firm in firms:
            fr = sorted((r for r in rows if r["firm"] == firm), key=lambda r: int(r["year"]))
            name = "grunfeld.%s.%s" % (col, firm.replace(" ", "_"))
            q = "%s: %s" % (firm, quantity)
            out += windows(name, src, q, [int(r["year"]) + 0.5 for r in fr], [r[col] for r in fr])
    return out


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def elec_equip_rows():
    src = "Python statsmodels.datasets.elec_equip"
    rows = read_source_csv("elec_equip/elec_equip.csv")
    col = [c for c in rows[0] if c != "DATE"][0]
    by_year = defaultdict(dict)
    for r in rows:
        mon, _, year = r["DATE"].split("-")
        by_year[int(year)][MONTHS.index(mon) + 1] = float(r[col])
    years = [y for y in sorted(by_year) if sorted(by_year[y]) == list(range(1, 13))]
    means = [num(sum(by_year[y][m] for m in range(1, 13)) / 12) for y in years]
    quantity = (
        "euro area turnover index of manufacture of electrical equipment (NACE 26-27; "
        "working-day adjusted, not seasonally adjusted), calendar-year mean of monthly values"
    )
    return windows("elec_equip", src, quantity, [y + 0.5 for y in years], means)


def check(rows):
    """Returns a list of problems found in the corpus rows (empty when the corpus is sound)."""
    problems = []
    series = defaultdict(list)
    order = []
    for i, r in enumerate(rows, start=2):
        if len(r) != 5:
            problems.append("line %d: %d fields, expected 5" % (i, len(r)))
            continue
        if r[0] not in series:
            if r[0] in order:
                problems.append("line %d: series %s is not contiguous" % (i, r[0]))
            order.append(r[0])
        elif order[-1] != r[0]:
            problems.append("line %d: series %s is not contiguous" % (i, r[0]))
        series[r[0]].append((float(r[3]), float(r[4]), r[1]))
    for name, pts in series.items():
        times = [p[0] for p in pts]
        if len(pts) < MIN_POINTS:
            problems.append("%s: %d points (< %d)" % (name, len(pts), MIN_POINTS))
        if len(set(times)) != len(times):
            problems.append("%s: duplicate times" % name)
        if times != sorted(times):
            problems.append("%s: times not sorted" % name)
        if any(not p[1] > 0 for p in pts):
            problems.append("%s: non-positive value" % name)
        if len({p[2] for p in pts}) != 1:
            problems.append("%s: more than one source" % name)
    return problems


def main():
    with open(OUT, newline="") as f:
        existing = list(csv.reader(f))
    if not existing or existing[0] != HEADER:
        sys.exit("make_series.py: %s does not start with the header %s; run make_series.R first" % (OUT, ",".join(HEADER)))
    r_rows = [r for r in existing[1:] if r[1].startswith("R ")]
    if not r_rows:
        sys.exit("make_series.py: %s holds no R rows; run make_series.R first" % OUT)
    rows = r_rows + macrodata_rows() + grunfeld_rows() + elec_equip_rows()
    problems = check(rows)
    if problems:
        sys.exit("make_series.py: the corpus fails its checks:\n  " + "\n  ".join(problems))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER)
    w.writerows(rows)
    with open(OUT, "w", newline="") as f:
        f.write(buf.getvalue())
    names = []
    for r in rows:
        if not names or names[-1] != r[0]:
            names.append(r[0])
    print("make_series.py: %d series, %d rows in %s" % (len(names), len(rows), OUT))


if __name__ == "__main__":
    main()
