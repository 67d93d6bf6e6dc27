"""Expected values for norm4j's scikit-learn parity suite (SklearnParityTest).

Run once with scikit-learn 1.9.1 and commit the output:

    python generate_sklearn_parity.py > sklearn-parity.json

Datasets: scikit-learn's own bundled CSVs (sklearn/datasets/data: iris.csv, wine_data.csv, breast_cancer.csv,
copied next to this script, each with its metadata first line 'n_samples,n_features,class names...'), plus a
small synthetic one with a constant feature, a feature with a tiny real spread (~5e-8, below Keras's 1e-7 floor) and a near-constant
feature on a large offset. Each dataset is used as is and with NaN injected where (i * 31 + j * 17) % 13 == 0.
For each case the fixture holds the fitted parameters and the transform (and inverse transform) of a few rows;
transform inputs are the fitted data times 'input_scale' (1.25 for the clip cases, to leave the range).
"""
import json
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = 12


def load(name):
    with open(os.path.join(HERE, name)) as f:
        meta = f.readline().strip().split(",")
        n, p = int(meta[0]), int(meta[1])
        data = np.loadtxt(f, delimiter=",", dtype=np.float64)
    assert data.shape == (n, p + 1), (name, data.shape)
    return data[:, :p]


def synthetic():
    i = np.arange(10, dtype=np.float64)
    return np.column_stack([np.full(10, 3.0), 5e-8 * (i % 2), 1e9 + 1e-7 * (i % 3), 0.1 * i])


def with_nan(x):
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if (i * 31 + j * 17) % 13 == 0:
                x[i, j] = np.nan
    return x


def num(v):
    v = float(v)
    return None if math.isnan(v) else v


def mat(a):
    return [[num(v) for v in row] for row in a]


def vec(a):
    return None if a is None else [num(v) for v in np.asarray(a, dtype=np.float64)]


CASES = [
    ("standard", {}, lambda: StandardScaler()),
    ("standard", {"with_mean": False}, lambda: StandardScaler(with_mean=False)),
    ("standard", {"with_std": False}, lambda: StandardScaler(with_std=False)),
    ("minmax", {}, lambda: MinMaxScaler()),
    ("minmax", {"feature_range": [-1.0, 1.0]}, lambda: MinMaxScaler(feature_range=(-1, 1))),
    ("minmax", {"feature_range": [-1.0, 1.0], "clip": True}, lambda: MinMaxScaler(feature_range=(-1, 1), clip=True)),
    ("maxabs", {}, lambda: MaxAbsScaler()),
    ("robust", {}, lambda: RobustScaler()),
    ("robust", {"with_centering": False}, lambda: RobustScaler(with_centering=False)),
    ("robust", {"with_scaling": False}, lambda: RobustScaler(with_scaling=False)),
    ("robust", {"quantile_range": [10.0, 90.0]}, lambda: RobustScaler(quantile_range=(10.0, 90.0))),
    ("robust", {"unit_variance": True}, lambda: RobustScaler(unit_variance=True)),
    ("normalize", {"norm": "l1"}, lambda: Normalizer(norm="l1")),
    ("normalize", {"norm": "l2"}, lambda: Normalizer(norm="l2")),
    ("normalize", {"norm": "max"}, lambda: Normalizer(norm="max")),
]


def params(method, s):
    if method == "standard":
        return {"mean": vec(s.mean_), "var": vec(s.var_), "scale": vec(s.scale_),
                "n_samples_seen": [int(c) for c in np.broadcast_to(s.n_samples_seen_, s.n_features_in_)]}
    if method == "minmax":
        return {"data_min": vec(s.data_min_), "data_max": vec(s.data_max_), "scale": vec(s.scale_),
                "min": vec(s.min_)}
    if method == "maxabs":
        return {"max_abs": vec(s.max_abs_), "scale": vec(s.scale_)}
    if method == "robust":
        return {"center": vec(s.center_), "scale": vec(s.scale_)}
    return {}


def main():
    import warnings
    warnings.simplefilter("ignore")
    datasets = [("iris.csv", load("iris.csv")), ("wine_data.csv", load("wine_data.csv")),
                ("breast_cancer.csv", load("breast_cancer.csv")), ("synthetic", synthetic())]
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "nan_rule": "(i * 31 + j * 17) % 13 == 0",
           "rows_per_case": ROWS, "cases": []}
    for name, x0 in datasets:
        for nan in (False, True):
            x = with_nan(x0) if nan else x0
            rows = sorted(set(int(r) for r in np.linspace(0, x.shape[0] - 1, ROWS)))
            for method, opts, make in CASES:
                if method == "normalize" and nan:
                    continue  # Normalizer refuses NaN
                s = make().fit(x)
                scale_in = 1.25 if opts.get("clip") else 1.0
                xin = x[rows] * scale_in
                y = s.transform(xin)
                case = {"dataset": name, "nan": nan, "method": method, "options": opts, "input_scale": scale_in,
                        "rows": rows, "params": params(method, s), "transform": mat(y)}
                if method != "normalize":
                    case["inverse"] = mat(s.inverse_transform(y))
                out["cases"].append(case)
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
