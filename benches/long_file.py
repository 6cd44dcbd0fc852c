#!/usr/bin/env python3
"""A long file of N logistic series of 10 daily points (days 0 to 9), for timing
`growthcast fit FILE` on many series (README, "Many series from one file"):

    python3 benches/long_file.py 100000 /tmp/big.csv

K = 100 * 10^U(0, 3), r ~ U(0.4, 1.2), tm ~ U(3, 7), 3% log-normal noise, seeded; columns
series,time,value (read with --time-unit day); series s00001, s00002, ...; rows grouped by
series."""
import math, random, sys
n = int(sys.argv[1]); out = sys.argv[2]
rng = random.Random(20261201)
with open(out, "w") as f:
    f.write("series,time,value\n")
    for i in range(1, n + 1):
        k = 100 * 10 ** rng.uniform(0, 3)
        r = rng.uniform(0.4, 1.2)
        tm = rng.uniform(3, 7)
        for t in range(10):
            y = k / (1 + math.exp(-r * (t - tm))) * math.exp(rng.gauss(0, 0.03))
            f.write(f"s{i:05d},{t},{y:.6g}\n")
