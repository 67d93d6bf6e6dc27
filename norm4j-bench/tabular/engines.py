"""One task of the tabular benchmark on one engine; prints 'ENGINE TASK SECONDS' (time inside the process,
after imports). Usage: python engines.py ENGINE TASK INPUT STATS.json OUT
ENGINE: polars | duckdb | pandas ; TASK: fit (mean and population variance of every column) |
transform (read, (x - mean) / std, write; pandas: StandardScaler.fit_transform + to_csv / to_parquet).
INPUT and OUT are CSV, or Parquet when INPUT ends in .parquet (written snappy-compressed, the engines' default).
"""
import json
import sys
import time

engine, task, csv, stats, out = sys.argv[1:6]
parquet = csv.endswith(".parquet")
st = json.load(open(stats))
cols = [f["name"] for f in st["features"]]
mean = [f["mean"] for f in st["features"]]
std = [max(f["std"], 1e-7) for f in st["features"]]

if engine == "polars":
    import polars as pl
    t0 = time.perf_counter()
    lf = pl.scan_parquet(csv) if parquet else pl.scan_csv(csv)
    if task == "fit":
        r = lf.select([pl.all().mean().name.suffix("_mean"), pl.all().var(ddof=0).name.suffix("_var")]).collect()
    else:
        scaled = lf.select([((pl.col(c) - m) / s).alias(c) for c, m, s in zip(cols, mean, std)])
        if parquet:
            scaled.sink_parquet(out, compression="snappy")
        else:
            scaled.sink_csv(out)
elif engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    t0 = time.perf_counter()
    src = ("read_parquet('%s')" if parquet else "read_csv('%s')") % csv
    if task == "fit":
        q = ", ".join("avg(%s), var_pop(%s)" % (c, c) for c in cols)
        r = con.execute("SELECT %s FROM %s" % (q, src)).fetchall()
    else:
        q = ", ".join("(%s - %r) / %r AS %s" % (c, m, s, c) for c, m, s in zip(cols, mean, std))
        fmt = "(FORMAT PARQUET, COMPRESSION SNAPPY)" if parquet else "(HEADER)"
        con.execute("COPY (SELECT %s FROM %s) TO '%s' %s" % (q, src, out, fmt))
elif engine == "pandas":
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    t0 = time.perf_counter()
    df = pd.read_parquet(csv) if parquet else pd.read_csv(csv)
    if task == "fit":
        StandardScaler().fit(df)
    else:
        scaled = pd.DataFrame(StandardScaler().fit_transform(df), columns=df.columns)
        if parquet:
            scaled.to_parquet(out, index=False)
        else:
            scaled.to_csv(out, index=False)
else:
    raise SystemExit("unknown engine " + engine)
print("%s %s %.3f" % (engine, task, time.perf_counter() - t0))
