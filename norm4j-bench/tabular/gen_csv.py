"""Writes the tabular benchmark file: ROWS x COLS CSV with a header (c0..c19), seeded.

python3 gen_csv.py OUT.csv [ROWS] [COLS]   (default 3 000 000 x 20, about 650 MB)
Column j is normal(mean 10*j, std j+1), printed with 6 decimals, like most exported measurements.
"""
import sys

import numpy as np

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
cols = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = np.random.default_rng(11)
block = 100_000
with open(out, "w", newline="\n") as f:
    f.write(",".join("c%d" % j for j in range(cols)) + "\n")
    done = 0
    while done < rows:
        n = min(block, rows - done)
        x = rng.standard_normal((n, cols)) * (np.arange(cols) + 1) + 10.0 * np.arange(cols)
        np.savetxt(f, x, fmt="%.6f", delimiter=",")
        done += n
