# Writes expected.txt: scikit-learn's StandardScaler mean_ and var_ of the bundled data files copied here from
# sklearn/datasets/data (scikit-learn 1.9.1, BSD-3-Clause): iris.csv and wine_data.csv start with a metadata line
# (rows, features, class names) and end with an integer class column; diabetes_data_raw.csv.gz is
# space-separated and gzip-compressed, without a header.  Lines: FILE FEATURE MEAN VAR (repr).
import numpy as np
from sklearn.preprocessing import StandardScaler

for name, kw, n in [("iris.csv", dict(delimiter=",", skiprows=1), 4),
                    ("wine_data.csv", dict(delimiter=",", skiprows=1), 13),
                    ("diabetes_data_raw.csv.gz", dict(delimiter=" "), 10)]:
    x = np.loadtxt(name, **kw)[:, :n]
    s = StandardScaler().fit(x)
    for j in range(n):
        print(name, j + 1, repr(float(s.mean_[j])), repr(float(s.var_[j])))
