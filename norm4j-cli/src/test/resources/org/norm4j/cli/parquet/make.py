"""Writes the Parquet fixtures of ParquetTest with pyarrow and polars, and expected.json: per file and column, the
non-null count and NumPy's / scikit-learn's statistics (StandardScaler mean_, var_; nanmin, nanmax), computed
here, never by norm4j. Run with a venv that has numpy, pyarrow, polars and scikit-learn:
    python make.py   (in this directory)
"""
import json

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20261202)
n = 500
a = rng.normal(10.0, 3.0, n)
b = rng.normal(size=n).astype(np.float32)
c = rng.integers(-1000, 1000, n).astype(np.int32)
d = rng.integers(-10**12, 10**12, n)
e = rng.random(n) < 0.3
u8 = rng.integers(0, 255, n).astype(np.uint8)
nulls_a = rng.random(n) < 0.1
nulls_c = rng.random(n) < 0.05
table = pa.table({
    "a": pa.array(a, mask=nulls_a),
    "b": b,
    "c": pa.array(c, mask=nulls_c),
    "d": d,
    "e": e,
    "u8": u8,
    "label": pa.array([f"row {i} é" for i in range(n)]),
})
numeric = ["a", "b", "c", "d", "e", "u8"]

files = {}
for comp in ["none", "snappy", "gzip", "zstd"]:
    name = f"pyarrow-{comp}.parquet"
    pq.write_table(table, name, compression=comp, row_group_size=200)
    files[name] = table
df = pl.from_arrow(table)
for comp in ["uncompressed", "snappy", "gzip", "zstd"]:
    name = f"polars-{comp}.parquet"
    df.write_parquet(name, compression=comp, row_group_size=200)
    files[name] = table
# data page v2, dictionary off
pq.write_table(table, "pyarrow-v2-plain.parquet", compression="snappy", data_page_version="2.0",
               use_dictionary=False, row_group_size=128)
files["pyarrow-v2-plain.parquet"] = table
# other encodings: byte-stream-split floats, delta-packed integers (zstd, data pages v2)
pq.write_table(table, "pyarrow-encodings.parquet", compression="zstd", data_page_version="2.0", use_dictionary=False,
               column_encoding={"a": "BYTE_STREAM_SPLIT", "b": "BYTE_STREAM_SPLIT", "c": "DELTA_BINARY_PACKED",
                                "d": "DELTA_BINARY_PACKED"}, row_group_size=256)
files["pyarrow-encodings.parquet"] = table

expected = {}
for name, t in files.items():
    cols = {}
    for col in numeric:
        x = t.column(col).to_numpy(zero_copy_only=False).astype(np.float64)  # nulls -> NaN
        s = StandardScaler().fit(x.reshape(-1, 1))  # ignores NaN, as norm4j's default --nan-policy ignore
        cols[col] = {"count": int(np.sum(~np.isnan(x))), "mean": float(s.mean_[0]), "var": float(s.var_[0]),
                     "min": float(np.nanmin(x)), "max": float(np.nanmax(x))}
    expected[name] = cols
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
