"""One task of the tabular benchmark on one engine; prints 'ENGINE TASK SECONDS' (time inside the process,
after imports). Usage: python engines.py ENGINE TASK CSV STATS.json OUT.csv
ENGINE: polars | duckdb | pandas ; TASK: fit (mean and population variance of every column) |
transform (read, (x - mean) / std, write CSV; pandas: StandardScaler.fit_transform + to_csv).
"""
import json
import sys
import time

engine, task, csv, stats, out = sys.argv[1:6]
st = json.load(open(stats))
cols = [f["name"] for f in st["features"]]
mean = [f["mean"] for f in st["features"]]
std = [max(f["std"], 1e-7) for f in st["features"]]

if engine == "polars":
    import polars as pl
    t0 = time.perf_counter()
    if task == "fit":
        lf = pl.scan_csv(csv)
        r = lf.select([pl.all().mean().name.suffix("_mean"), pl.all().var(ddof=0).name.suffix("_var")]).collect()
    else:
        lf = pl.scan_csv(csv)
        lf.select([((pl.col(c) - m) / s).alias(c) for c, m, s in zip(cols, mean, std)]).sink_csv(out)
elif engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    t0 = time.perf_counter()
    if task == "fit":
        q = ", ".join("avg(%s), var_pop(%s)" % (c, c) for c in cols)
        r = con.execute("SELECT %s FROM read_csv('%s')" % (q, csv)).fetchall()
    else:
        q = ", ".join("(%s - %r) / %r AS %s" % (c, m, s, c) for c, m, s in zip(cols, mean, std))
        con.execute("COPY (SELECT %s FROM read_csv('%s')) TO '%s' (HEADER)" % (q, csv, out))
elif engine == "pandas":
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    t0 = time.perf_counter()
    df = pd.read_csv(csv)
    if task == "fit":
        StandardScaler().fit(df)
    else:
        pd.DataFrame(StandardScaler().fit_transform(df), columns=df.columns).to_csv(out, index=False)
else:
    raise SystemExit("unknown engine " + engine)
print("%s %s %.3f" % (engine, task, time.perf_counter() - t0))
