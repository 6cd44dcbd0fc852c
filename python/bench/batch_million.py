"""The batch benchmark: N logistic series x 10 points (default N = 1,000,000) fitted through
``growthcast.batch_fit`` from a pandas DataFrame and through the root crate's ``BatchFitter``
(``examples/batch_columns.rs``) on the same data, in one run, each in its own process under
``/usr/bin/time -v`` for its peak memory.

    cargo build --release --example batch_columns
    python python/bench/batch_million.py [--series 1000000] [--dir /tmp/growthcast-bench]

The data follow the Rust bench's generator: K ~ U(100, 10000), r ~ U(0.5, 2), t0 ~ U(3, 7),
2% noise, t = linspace(0, 10, 10). Both sides fit with the defaults of ``batch_fit``
(multiplicative errors, self-start values, standard errors) on all cores; the checksums (the
sum of every estimate) show they fitted the same numbers.
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def generate(n: int, out: Path) -> None:
    rng = np.random.default_rng(2024)
    t = np.linspace(0.0, 10.0, 10)
    k, r, t0 = rng.uniform(100, 10_000, n), rng.uniform(0.5, 2.0, n), rng.uniform(3, 7, n)
    y = k[:, None] / (1 + np.exp(-r[:, None] * (t[None, :] - t0[:, None])))
    y *= 1 + 0.02 * rng.standard_normal((n, 10))
    out.mkdir(parents=True, exist_ok=True)
    np.tile(t, n).astype("<f8").tofile(out / "t.f64")
    y.astype("<f8").ravel().tofile(out / "y.f64")
    (np.arange(n + 1, dtype="<i8") * 10).tofile(out / "offsets.i64")


def python_side(data: Path) -> None:
    import pandas as pd

    import growthcast as gc

    t = np.fromfile(data / "t.f64")
    y = np.fromfile(data / "y.f64")
    n = len(t) // 10
    df = pd.DataFrame({"series": np.repeat(np.arange(n), 10), "time": t, "y": y})
    del t, y
    start = time.perf_counter()
    fits = gc.batch_fit(df, "logistic")
    elapsed = time.perf_counter() - start
    checksum = np.nansum(fits[["K", "r", "tm"]].to_numpy())
    print(f"python: {n} series, fit {elapsed:.3f} s ({n / elapsed:.0f} series/s), "
          f"converged {int(fits.converged.sum())}, checksum {checksum:.6e}")


def measured(cmd):
    run = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=True)
    line = run.stdout.strip().splitlines()[-1]
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    fit_s = float(re.search(r"fit ([0-9.]+) s", line).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", run.stderr).group(1)
    return line, fit_s, rss_kib / 1024, wall


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--series", type=int, default=1_000_000)
    p.add_argument("--dir", type=Path, default=Path("/tmp/growthcast-bench"))
    p.add_argument("--python-side", type=Path)
    a = p.parse_args()
    if a.python_side:
        return python_side(a.python_side)
    generate(a.series, a.dir)
    rust = ROOT / "target" / "release" / "examples" / "batch_columns"
    py_line, py_s, py_rss, py_wall = measured([sys.executable, __file__, "--python-side", str(a.dir)])
    rs_line, rs_s, rs_rss, rs_wall = measured([str(rust), str(a.dir)])
    print(py_line)
    print(rs_line)
    print(f"python / rust fit time: {py_s / rs_s:.2f}x; peak RSS python {py_rss:.0f} MiB "
          f"(process wall {py_wall}), rust {rs_rss:.0f} MiB (process wall {rs_wall})")


if __name__ == "__main__":
    main()
